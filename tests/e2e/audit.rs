//! The audit log: every change records who made it, in which request; staff
//! read it newest first, filtered, paged or as CSV.

use chrono::{SecondsFormat, Utc};
use liaison_tests::{assert_problem, body, count, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

fn region(slug: &str, countries: &[&str]) -> Value {
    json!({"slug": slug, "name": format!("Region {slug}"), "countries": countries, "ambassador_seats": 3})
}

/// The `X-Request-Id` of a response.
fn request_id(response: &Response) -> String {
    response.headers()["x-request-id"]
        .to_str()
        .expect("X-Request-Id")
        .to_owned()
}

/// Creates a region; answers the region and the request id of the request.
async fn create_region(app: &TestApp, who: &Member, slug: &str, country: &str) -> (Value, String) {
    let response = app
        .post("/v1/regions", Some(&who.token), &region(slug, &[country]))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {slug}");
    let id = request_id(&response);
    (body(response).await, id)
}

/// One page of the audit log as `who` reads it.
async fn audit_page(app: &TestApp, who: &Member, query: &str) -> Value {
    let response = app
        .get(&format!("/v1/audit-log?{query}"), Some(&who.token))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "audit log ?{query}");
    body(response).await
}

/// The entries of one page.
async fn entries(app: &TestApp, who: &Member, query: &str) -> Vec<Value> {
    audit_page(app, who, query).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect()
}

#[tokio::test]
async fn creating_a_region_records_who_did_it_in_which_request() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (europe, request) = create_region(&app, &staff, "europe", "FR").await;
    let region_id = europe["id"].as_str().expect("id");
    let found = entries(
        &app,
        &staff,
        &format!("entity_type=region&entity_id={region_id}"),
    )
    .await;
    assert_eq!(found.len(), 1, "{found:?}");
    let entry = &found[0];
    assert_eq!(entry["action"], "region.created");
    assert_eq!(entry["actor_type"], "member");
    assert_eq!(entry["actor_id"], staff.id.to_string());
    assert_eq!(entry["entity_type"], "region");
    assert_eq!(entry["entity_id"], region_id);
    assert_eq!(entry["request_id"], request.as_str());
    assert_eq!(entry["summary"]["slug"], "europe");
    assert_eq!(entry["summary"]["countries"], json!(["FR"]));
    assert!(entry["occurred_at"].is_string() && entry["id"].is_string());
}

#[tokio::test]
async fn a_client_request_id_is_the_one_recorded() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = app
        .call(Method::POST, "/v1/regions", Some(&staff.token))
        .header("X-Request-Id", "import-run-42")
        .json(&region("europe", &["FR"]))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(request_id(&response), "import-run-42");
    let found = entries(&app, &staff, "entity_type=region").await;
    assert_eq!(found[0]["request_id"], "import-run-42");
}

#[tokio::test]
async fn changing_roles_records_the_change_with_its_request_id() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", ada.id),
            Some(&admin.token),
            &json!({"roles": ["staff"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = request_id(&response);
    let found = entries(
        &app,
        &admin,
        &format!("entity_type=member&entity_id={}&actor={}", ada.id, admin.id),
    )
    .await;
    assert_eq!(actions(&found), ["member.roles_changed"]);
    let entry = &found[0];
    assert_eq!(entry["actor_type"], "member");
    assert_eq!(entry["actor_id"], admin.id.to_string());
    assert_eq!(entry["entity_type"], "member");
    assert_eq!(entry["entity_id"], ada.id.to_string());
    assert_eq!(entry["request_id"], request.as_str());
    assert_eq!(entry["summary"], json!({"from": [], "to": ["staff"]}));
}

#[tokio::test]
async fn filters_on_entity_actor_and_time_narrow_the_log() {
    let app = TestApp::spawn().await;
    let sam = app.staff().await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    let (europe, _) = create_region(&app, &sam, "europe", "FR").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let between = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let (asia, _) = create_region(&app, &kim, "asia", "JP").await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/regions/europe",
            Some(&kim.token),
            &json!({"ambassador_seats": 5}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let by_entity = entries(
        &app,
        &sam,
        &format!(
            "entity_type=region&entity_id={}",
            europe["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(actions(&by_entity), ["region.updated", "region.created"]);

    let by_kim = entries(&app, &sam, &format!("entity_type=region&actor={}", kim.id)).await;
    assert_eq!(actions(&by_kim), ["region.updated", "region.created"]);
    assert_eq!(by_kim[1]["entity_id"], asia["id"]);
    assert!(by_kim.iter().all(|e| e["actor_id"] == kim.id.to_string()));

    let by_sam = entries(&app, &sam, &format!("entity_type=region&actor={}", sam.id)).await;
    assert_eq!(actions(&by_sam), ["region.created"]);
    assert_eq!(by_sam[0]["entity_id"], europe["id"]);

    let since = entries(&app, &sam, &format!("since={between}")).await;
    assert_eq!(actions(&since), ["region.updated", "region.created"]);
    assert_eq!(since[1]["entity_id"], asia["id"]);

    let nothing = entries(
        &app,
        &sam,
        &format!("entity_type=region&entity_id={}", uuid::Uuid::now_v7()),
    )
    .await;
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn bad_filters_are_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    for query in [
        "since=yesterday",
        "actor=not-a-uuid",
        "limit=0",
        "cursor=nope",
    ] {
        let response = app
            .get(&format!("/v1/audit-log?{query}"), Some(&staff.token))
            .await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn the_log_is_newest_first_and_pages_without_gaps_or_repeats() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let slugs = ["one", "two", "three", "four", "five"];
    let countries = ["FR", "DE", "ES", "IT", "PT"];
    for (slug, country) in slugs.iter().zip(countries) {
        create_region(&app, &staff, slug, country).await;
    }
    let full = entries(&app, &staff, "entity_type=region").await;
    let newest_first: Vec<&str> = full
        .iter()
        .map(|e| e["summary"]["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(newest_first, ["five", "four", "three", "two", "one"]);
    let times: Vec<&str> = full
        .iter()
        .map(|e| e["occurred_at"].as_str().expect("time"))
        .collect();
    let parsed: Vec<chrono::DateTime<Utc>> =
        times.iter().map(|t| t.parse().expect("RFC 3339")).collect();
    assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let mut paged = Vec::new();
    let mut query = "entity_type=region&limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = audit_page(&app, &staff, &query).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        paged.extend(items.iter().cloned());
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("entity_type=region&limit=2&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(paged, full);
}

#[tokio::test]
async fn the_log_exports_as_csv_with_a_header_and_every_matching_entry() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let (_, first) = create_region(&app, &staff, "europe", "FR").await;
    let (_, second) = create_region(&app, &staff, "asia", "JP").await;
    let response = app
        .call(
            Method::GET,
            "/v1/audit-log?entity_type=region",
            Some(&staff.token),
        )
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
    assert_eq!(
        lines[0],
        "id,occurred_at,actor_type,actor_id,action,entity_type,entity_id,summary,request_id"
    );
    assert_eq!(lines.len(), 3, "{text}");
    // Newest first, like the JSON list.
    assert!(lines[1].contains("region.created") && lines[1].ends_with(&second));
    assert!(lines[2].contains("region.created") && lines[2].ends_with(&first));
    assert!(lines[1].contains(&staff.id.to_string()));
}

#[tokio::test]
async fn only_staff_read_the_audit_log() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    assert_problem(
        app.get("/v1/audit-log", Some(&ada.token)).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .call(Method::GET, "/v1/audit-log", Some(&ada.token))
        .header("Accept", "text/csv")
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(app.get("/v1/audit-log", None).await, 401, "unauthenticated").await;
    // Admins are staff.
    let log = entries(&app, &admin, "entity_type=member").await;
    assert!(!log.is_empty());
}

#[tokio::test]
async fn failed_requests_write_no_audit_entry() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    create_region(&app, &staff, "europe", "FR").await;
    let before = count(&app.db, "audit_log").await;
    let latest = entries(&app, &admin, "limit=1").await;

    // 422: invalid region.
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region("Bad Slug", &["XX"]),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    // 409: taken slug, taken country.
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region("europe", &["DE"]),
        )
        .await;
    assert_problem(response, 409, "already_exists").await;
    let response = app
        .post("/v1/regions", Some(&staff.token), &region("west", &["FR"]))
        .await;
    assert_problem(response, 409, "country_taken").await;
    // 403: a member creating a region.
    let response = app
        .post("/v1/regions", Some(&ada.token), &region("asia", &["JP"]))
        .await;
    assert_problem(response, 403, "forbidden").await;
    // 422 and 409 on roles.
    let roles = |who: &Member| format!("/v1/members/{}/roles", who.id);
    let response = app
        .send_json(
            Method::PUT,
            &roles(&ada),
            Some(&admin.token),
            &json!({"roles": ["root"]}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .send_json(
            Method::PUT,
            &roles(&admin),
            Some(&admin.token),
            &json!({"roles": []}),
        )
        .await;
    assert_problem(response, 409, "last_admin").await;
    // 422 on the profile; 412 on a region.
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&ada.token),
            &json!({"country": "XX"}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = app
        .call(Method::PATCH, "/v1/regions/europe", Some(&staff.token))
        .header("If-Match", "\"stale\"")
        .json(&json!({"ambassador_seats": 1}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;
    // 422 on a service account.
    let response = app
        .post(
            "/v1/service-accounts",
            Some(&admin.token),
            &json!({"name": "x", "scopes": ["nope"]}),
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;

    assert_eq!(count(&app.db, "audit_log").await, before);
    assert_eq!(entries(&app, &admin, "limit=1").await, latest);
}
