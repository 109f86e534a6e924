//! Regions: staff define them, anyone reads them (JSON pages or CSV); a
//! country belongs to at most one region, also under concurrent writes.

use liaison_tests::{assert_problem, body, count, error_fields, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

fn region(slug: &str, countries: &[&str]) -> Value {
    json!({"slug": slug, "name": format!("Region {slug}"), "countries": countries, "ambassador_seats": 3})
}

/// Creates a region as `token`, asserting 201.
async fn create(app: &TestApp, token: &str, request: &Value) -> Value {
    let response = app.post("/v1/regions", Some(token), request).await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {request}");
    body(response).await
}

/// A region as anyone reads it.
async fn read(app: &TestApp, slug: &str) -> Value {
    let response = app.get(&format!("/v1/regions/{slug}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read {slug}");
    body(response).await
}

/// The `ETag` header of a response.
fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// `PATCH /v1/regions/{slug}` with an optional `If-Match`.
async fn patch(
    app: &TestApp,
    token: Option<&str>,
    slug: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/regions/{slug}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// The slugs of every region, walking the pages.
async fn all_slugs(app: &TestApp, limit: u32) -> (Vec<String>, usize) {
    let mut slugs = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/regions?limit={limit}&cursor={c}"),
            None => format!("/v1/regions?limit={limit}"),
        };
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= limit as usize, "{page}");
        slugs.extend(
            items
                .iter()
                .map(|r| r["slug"].as_str().expect("slug").to_owned()),
        );
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => {
                assert_eq!(page["next_cursor"], Value::Null);
                return (slugs, pages);
            }
        }
        assert!(pages < 50, "pagination does not end");
    }
}

#[tokio::test]
async fn staff_create_a_region_with_sorted_upper_case_countries() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "europe", "name": " Europe ", "countries": ["gb", "FR", "de"], "ambassador_seats": 3}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["location"], "/v1/regions/europe");
    assert!(response.headers().get("etag").is_some());
    let created = body(response).await;
    assert_eq!(created["slug"], "europe");
    assert_eq!(created["name"], "Europe");
    assert_eq!(created["countries"], json!(["DE", "FR", "GB"]));
    assert_eq!(created["ambassador_seats"], 3);
    // Anyone reads it back, with an ETag.
    let response = app.get("/v1/regions/europe", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, created);
    let member = app.member("Ada").await;
    let list = body(app.get("/v1/regions", Some(&member.token)).await).await;
    assert_eq!(list["items"], json!([created]));
    assert_eq!(list["next_cursor"], Value::Null);
    assert_eq!(count(&app.db, "region_countries").await, 3);
}

#[tokio::test]
async fn an_admin_may_create_regions_too() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    create(&app, &admin.token, &region("africa", &["KE"])).await;
    assert_eq!(read(&app, "africa").await["countries"], json!(["KE"]));
}

#[tokio::test]
async fn pages_walk_every_region_once_in_slug_order() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    for (slug, country) in [
        ("oceania", "AU"),
        ("africa", "KE"),
        ("europe", "FR"),
        ("asia", "JP"),
        ("americas", "US"),
    ] {
        create(&app, &staff.token, &region(slug, &[country])).await;
    }
    let (slugs, pages) = all_slugs(&app, 2).await;
    assert_eq!(
        slugs,
        ["africa", "americas", "asia", "europe", "oceania"],
        "stable slug order, each once"
    );
    assert_eq!(pages, 3);
    // The same walk gives the same result.
    assert_eq!(all_slugs(&app, 2).await.0, slugs);
    let (slugs, pages) = all_slugs(&app, 5).await;
    assert_eq!(slugs.len(), 5);
    assert_eq!(pages, 1, "a full last page ends with a null cursor");
}

#[tokio::test]
async fn regions_export_as_csv_with_a_header_row_and_one_row_each() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR", "DE"])).await;
    create(&app, &staff.token, &region("asia", &["JP"])).await;
    create(&app, &staff.token, &region("antarctica", &[])).await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("content type")
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = response.text().await.expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,slug,name,countries,ambassador_seats");
    assert_eq!(lines.len(), 4, "{text}");
    let europe = read(&app, "europe").await;
    assert_eq!(lines[1].split(',').nth(1), Some("antarctica"));
    assert_eq!(lines[2].split(',').nth(1), Some("asia"));
    assert_eq!(
        lines[3],
        format!(
            "{},europe,Region europe,DE FR,3",
            europe["id"].as_str().expect("id")
        )
    );
}

#[tokio::test]
async fn a_taken_slug_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region("europe", &["FR"])).await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region("europe", &["DE"]),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 1);
    assert_eq!(read(&app, "europe").await, europe);
    // DE was not claimed by the failed request: another region may take it.
    create(&app, &staff.token, &region("central", &["DE"])).await;
}

#[tokio::test]
async fn a_country_of_another_region_is_409_country_taken_on_create() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR", "DE"])).await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region("west", &["ES", "FR", "DE"]),
        )
        .await;
    let problem = assert_problem(response, 409, "country_taken").await;
    assert_eq!(error_fields(&problem), ["countries", "countries"]);
    let detail = problem["detail"].as_str().expect("detail");
    assert!(
        detail.contains("FR") && detail.contains("DE") && !detail.contains("ES"),
        "{detail}"
    );
    assert_problem(app.get("/v1/regions/west", None).await, 404, "not_found").await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 2);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    assert_eq!(read(&app, "europe").await["countries"], json!(["DE", "FR"]));
}

#[tokio::test]
async fn a_country_of_another_region_is_409_country_taken_on_patch_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region("europe", &["FR"])).await;
    let americas = create(&app, &staff.token, &region("americas", &["US", "CA"])).await;
    let response = patch(
        &app,
        Some(&staff.token),
        "americas",
        None,
        &json!({"name": "The Americas", "countries": ["US", "MX", "FR"], "ambassador_seats": 9}),
    )
    .await;
    let problem = assert_problem(response, 409, "country_taken").await;
    assert_eq!(error_fields(&problem), ["countries"]);
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("FR")));
    // Neither region changed: not the name, not the seats, not CA dropped nor MX added.
    assert_eq!(read(&app, "americas").await, americas);
    assert_eq!(read(&app, "europe").await, europe);
    assert_eq!(count(&app.db, "region_countries").await, 3);
}

#[tokio::test]
async fn invalid_regions_name_every_bad_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let audit_before = count(&app.db, "audit_log").await;
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "Bad Slug", "name": "x", "countries": ["FR", "XX", "fr"], "ambassador_seats": -1}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        [
            "slug",
            "name",
            "countries[1]",
            "countries[2]",
            "ambassador_seats"
        ]
    );
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &json!({"slug": "-europe", "name": "N".repeat(101), "countries": [], "ambassador_seats": 1001}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["slug", "name", "ambassador_seats"]);
    assert_eq!(count(&app.db, "regions").await, 0);
    assert_eq!(count(&app.db, "region_countries").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let list = body(app.get("/v1/regions", None).await).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn an_invalid_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let europe = create(&app, &staff.token, &region("europe", &["FR"])).await;
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        None,
        &json!({"name": "x", "countries": ["DE", "ZZ"], "ambassador_seats": 1001}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["name", "ambassador_seats", "countries[1]"]
    );
    assert_eq!(read(&app, "europe").await, europe);
    assert_eq!(count(&app.db, "region_countries").await, 1);
}

#[tokio::test]
async fn patching_a_region_replaces_its_countries_and_seats() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR", "DE"])).await;
    let current = etag(&app.get("/v1/regions/europe", None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        Some(&current),
        &json!({"countries": ["it", "FR", "ES"], "ambassador_seats": 5}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let updated = body(response).await;
    assert_eq!(updated["countries"], json!(["ES", "FR", "IT"]));
    assert_eq!(updated["ambassador_seats"], 5);
    assert_eq!(updated["name"], "Region europe", "absent fields stay");
    let response = app.get("/v1/regions/europe", None).await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, updated);
    // The dropped country is free for another region.
    create(&app, &staff.token, &region("central", &["DE"])).await;
    assert_eq!(count(&app.db, "region_countries").await, 4);
}

#[tokio::test]
async fn a_stale_if_match_on_a_region_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR"])).await;
    let stale = etag(&app.get("/v1/regions/europe", None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        None,
        &json!({"ambassador_seats": 4}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch(
        &app,
        Some(&staff.token),
        "europe",
        Some(&stale),
        &json!({"ambassador_seats": 7, "countries": ["FR", "DE"]}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let europe = read(&app, "europe").await;
    assert_eq!(europe["ambassador_seats"], 4);
    assert_eq!(europe["countries"], json!(["FR"]));
}

#[tokio::test]
async fn only_staff_create_regions() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let europe = create(&app, &staff.token, &region("europe", &["FR"])).await;
    let asia = region("asia", &["JP"]);
    assert_problem(
        app.post("/v1/regions", Some(&ada.token), &asia).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/v1/regions", None, &asia).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_problem(app.get("/v1/regions/asia", None).await, 404, "not_found").await;
    assert_eq!(read(&app, "europe").await, europe);
}

#[tokio::test]
async fn only_staff_change_regions() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let europe = create(&app, &staff.token, &region("europe", &["FR"])).await;
    let changes = json!({"ambassador_seats": 9});
    assert_problem(
        patch(&app, Some(&ada.token), "europe", None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, None, "europe", None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(read(&app, "europe").await, europe);
}

#[tokio::test]
async fn an_unknown_region_is_404() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/regions/nowhere", None).await, 404, "not_found").await;
}

#[tokio::test]
async fn changing_an_unknown_region_is_404_and_creates_none() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = patch(
        &app,
        Some(&staff.token),
        "nowhere",
        None,
        &json!({"ambassador_seats": 2}),
    )
    .await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(count(&app.db, "regions").await, 0);
}

#[tokio::test]
async fn concurrent_claims_of_one_country_give_it_to_exactly_one_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let requests: Vec<Value> = (0..20)
        .map(|i| region(&format!("region-{i:02}"), &["FR"]))
        .collect();
    let calls = requests
        .iter()
        .map(|r| app.post("/v1/regions", Some(&staff.token), r));
    let responses = futures_util::future::join_all(calls).await;
    let mut created = 0;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::CREATED {
            created += 1;
            winner = Some(format!("region-{i:02}"));
        } else {
            assert_problem(response, 409, "country_taken").await;
        }
    }
    assert_eq!(created, 1, "exactly one region gets FR");
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 1);
    let winner = winner.expect("a winner");
    assert_eq!(read(&app, &winner).await["countries"], json!(["FR"]));
}

#[tokio::test]
async fn an_empty_csv_export_still_has_its_header_row() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/v1/regions")
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("csv");
    // A script reading columns by name must not break when there are no rows.
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        ["id,slug,name,countries,ambassador_seats"],
        "{text:?}"
    );
}

#[tokio::test]
async fn a_bad_or_expired_token_is_401_even_on_public_reads() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR"])).await;
    // `api.md`: malformed, expired or wrongly signed credentials are a 401,
    // as `GET /v1/members/{id}` already answers; a client must learn its
    // token is bad rather than silently read as anonymous.
    let member_path = format!("/v1/members/{}", staff.id);
    assert_problem(
        app.get(&member_path, Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/regions", Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/regions/europe", Some("garbage")).await,
        401,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn concurrent_patches_with_one_etag_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create(&app, &staff.token, &region("europe", &["FR"])).await;
    let tag = etag(&app.get("/v1/regions/europe", None).await);
    let changes: Vec<Value> = (0..10)
        .map(|i| json!({"ambassador_seats": 10 + i}))
        .collect();
    let calls = changes
        .iter()
        .map(|c| patch(&app, Some(&staff.token), "europe", Some(&tag), c));
    let responses = futures_util::future::join_all(calls).await;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::OK {
            assert!(
                winner.is_none(),
                "a second writer got through with a stale ETag"
            );
            winner = Some(10 + i);
        } else {
            assert_problem(response, 412, "precondition_failed").await;
        }
    }
    let winner = winner.expect("one writer wins");
    assert_eq!(read(&app, "europe").await["ambassador_seats"], winner);
}
