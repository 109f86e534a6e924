//! Ambassador cycles: staff open and change them, anyone reads them; members
//! apply while a cycle is open; staff and ambassadors list its applications;
//! staff read the ranked proposal per region.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use liaison_tests::{
    answer, application_request, assert_problem, body, count, error_fields, id_of,
    open_cycle_request, Member, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// The `ETag` header of a response.
fn etag(response: &Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ETag header")
        .to_owned()
}

/// A timestamp of a JSON field.
fn at(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a timestamp, got {value}"))
}

/// A cycle as anyone reads it.
async fn read(app: &TestApp, id: &str) -> Value {
    let response = app.get(&format!("/v1/ambassador-cycles/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK, "read cycle {id}");
    body(response).await
}

/// `PATCH /v1/ambassador-cycles/{id}` with an optional `If-Match`.
async fn patch(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/ambassador-cycles/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// `POST /v1/ambassador-cycles/{id}/applications`.
async fn apply(app: &TestApp, member: &Member, cycle: &str, request: &Value) -> Response {
    app.post(
        &format!("/v1/ambassador-cycles/{cycle}/applications"),
        Some(&member.token),
        request,
    )
    .await
}

/// The ids of a list page's items.
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id_of)
        .collect()
}

#[tokio::test]
async fn staff_open_a_cycle_in_every_region_with_its_default_seats_when_regions_are_omitted() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR", "DE"], 3).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    let request = open_cycle_request(None, Some(2));
    let response = app
        .post("/v1/ambassador-cycles", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().get("etag").is_some());
    let location = response.headers()["location"]
        .to_str()
        .expect("Location")
        .to_owned();
    let created = body(response).await;
    let id = id_of(&created);
    assert_eq!(location, format!("/v1/ambassador-cycles/{id}"));
    assert_eq!(created["name"], "2027 ambassadors");
    assert_eq!(at(&created["opens_at"]), at(&request["opens_at"]));
    assert_eq!(at(&created["closes_at"]), at(&request["closes_at"]));
    assert_eq!(created["open"], true);
    assert_eq!(
        created["weights"],
        json!({"track_record": 2.0, "geography": 1.0, "impact": 1.0})
    );
    assert_eq!(created["max_per_affiliation"], 2);
    assert_eq!(created["term_months"], 12);
    assert_eq!(
        created["regions"],
        json!([
            {"region": "asia", "name": "Region asia", "seats": 5},
            {"region": "europe", "name": "Region europe", "seats": 3}
        ])
    );
    // Anyone reads it back, with an ETag, and finds it in the list.
    let response = app.get(&location, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, created);
    let list = body(app.get("/v1/ambassador-cycles", None).await).await;
    assert_eq!(list["items"], json!([created]));
    assert_eq!(list["next_cursor"], Value::Null);
    assert_eq!(count(&app.db, "ambassador_cycles").await, 1);
    assert_eq!(count(&app.db, "cycle_regions").await, 2);
    assert_eq!(
        app.audited(&staff, "ambassador_cycle", "cycle.created")
            .await,
        1
    );
}

#[tokio::test]
async fn explicit_seats_override_the_region_default_and_only_listed_regions_take_part() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    app.region(&staff, "africa", &["KE"], 4).await;
    let mut request = open_cycle_request(None, None);
    request["regions"] = json!([{"region": "europe", "seats": 1}, {"region": "asia"}]);
    let response = app
        .post("/v1/ambassador-cycles", Some(&staff.token), &request)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = body(response).await;
    assert_eq!(
        created["regions"],
        json!([
            {"region": "asia", "name": "Region asia", "seats": 5},
            {"region": "europe", "name": "Region europe", "seats": 1}
        ])
    );
    assert_eq!(created["max_per_affiliation"], Value::Null);
    assert_eq!(read(&app, &id_of(&created)).await, created);
    assert_eq!(count(&app.db, "cycle_regions").await, 2);
}

#[tokio::test]
async fn anyone_lists_cycles_newest_first_page_by_page() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let first = app.cycle(&staff, None, None).await;
    let second = app.cycle(&staff, None, None).await;
    let third = app.cycle(&staff, None, None).await;
    let member = app.member("Ada").await;
    let page = body(app.get("/v1/ambassador-cycles", Some(&member.token)).await).await;
    assert_eq!(ids(&page), [id_of(&third), id_of(&second), id_of(&first)]);
    let response = app.get("/v1/ambassador-cycles?limit=2", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    assert_eq!(ids(&page), [id_of(&third), id_of(&second)]);
    let cursor = page["next_cursor"].as_str().expect("a next cursor");
    let page = body(
        app.get(
            &format!("/v1/ambassador-cycles?limit=2&cursor={cursor}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&first)]);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[tokio::test]
async fn a_garbage_cursor_on_the_cycle_list_is_400() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/ambassador-cycles?cursor=garbage", None).await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn only_staff_open_cycles() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let ada = app.member("Ada").await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let cycles_before = count(&app.db, "ambassador_cycles").await;
    let request = open_cycle_request(None, None);
    for token in [&ada.token, &ambassador.token] {
        assert_problem(
            app.post("/v1/ambassador-cycles", Some(token), &request)
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        app.post("/v1/ambassador-cycles", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "ambassador_cycles").await, cycles_before);
}

#[tokio::test]
async fn only_staff_change_cycles() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let ada = app.member("Ada").await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let changes = json!({"name": "Hijacked", "term_months": 60});
    assert_problem(
        patch(&app, Some(&ada.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, Some(&ambassador.token), &id, None, &changes).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(&app, None, &id, None, &changes).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(read(&app, &id).await, cycle);
}

#[tokio::test]
async fn an_invalid_cycle_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let audit_before = count(&app.db, "audit_log").await;
    let now = Utc::now().trunc_subsecs(0);
    let response = app
        .post(
            "/v1/ambassador-cycles",
            Some(&staff.token),
            &json!({
                "name": "2027 ambassadors",
                "opens_at": now + Duration::days(10),
                "closes_at": now + Duration::days(1),
                "weights": {"track_record": 0.0, "geography": 0.0, "impact": 0.0},
                "term_months": 0,
                "regions": [{"region": "europe"}, {"region": "atlantis"}],
            }),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["weights", "closes_at", "term_months", "regions[1].region"]
    );
    let response = app
        .post(
            "/v1/ambassador-cycles",
            Some(&staff.token),
            &json!({
                "name": "x",
                "opens_at": now,
                "closes_at": now + Duration::days(30),
                "weights": {"track_record": 1.0, "geography": -1.0, "impact": 0.0},
                "max_per_affiliation": 0,
                "term_months": 61,
                "regions": [{"region": "europe", "seats": 1001}, {"region": "asia"}, {"region": "asia"}],
            }),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        [
            "name",
            "weights.geography",
            "term_months",
            "max_per_affiliation",
            "regions[0].seats",
            "regions[2].region"
        ]
    );
    assert_eq!(count(&app.db, "ambassador_cycles").await, 0);
    assert_eq!(count(&app.db, "cycle_regions").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let list = body(app.get("/v1/ambassador-cycles", None).await).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn patching_a_cycle_changes_dates_and_seats_and_keeps_absent_fields() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 5).await;
    let cycle = app.cycle(&staff, Some(&[("europe", 3)]), None).await;
    let id = id_of(&cycle);
    let current = etag(&app.get(&format!("/v1/ambassador-cycles/{id}"), None).await);
    let closes_at = Utc::now().trunc_subsecs(0) + Duration::days(60);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        Some(&current),
        &json!({
            "closes_at": closes_at,
            "max_per_affiliation": 1,
            "regions": [{"region": "europe", "seats": 4}, {"region": "asia"}],
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let updated = body(response).await;
    assert_eq!(at(&updated["closes_at"]), closes_at);
    assert_eq!(updated["max_per_affiliation"], 1);
    assert_eq!(
        updated["regions"],
        json!([
            {"region": "asia", "name": "Region asia", "seats": 5},
            {"region": "europe", "name": "Region europe", "seats": 4}
        ])
    );
    assert_eq!(updated["name"], cycle["name"], "absent fields stay");
    assert_eq!(updated["opens_at"], cycle["opens_at"]);
    assert_eq!(updated["weights"], cycle["weights"]);
    assert_eq!(updated["term_months"], cycle["term_months"]);
    let response = app.get(&format!("/v1/ambassador-cycles/{id}"), None).await;
    assert_eq!(etag(&response), returned_tag);
    assert_eq!(body(response).await, updated);
    assert_eq!(
        app.audited(&staff, "ambassador_cycle", "cycle.updated")
            .await,
        1
    );
}

#[tokio::test]
async fn an_invalid_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let opens_at = at(&cycle["opens_at"]);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({
            "closes_at": opens_at - Duration::hours(1),
            "weights": {"track_record": 0.0, "geography": 0.0, "impact": 0.0},
            "term_months": 0,
            "regions": [{"region": "nowhere", "seats": 2}],
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["weights", "closes_at", "term_months", "regions[0].region"]
    );
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({"weights": {"track_record": -2.0, "geography": 1.0, "impact": 1.0}}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["weights.track_record"]);
    assert_eq!(read(&app, &id).await, cycle);
    assert_eq!(count(&app.db, "cycle_regions").await, 1);
}

#[tokio::test]
async fn a_stale_if_match_on_a_cycle_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let id = id_of(&cycle);
    let stale = etag(&app.get(&format!("/v1/ambassador-cycles/{id}"), None).await);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        None,
        &json!({"term_months": 24}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch(
        &app,
        Some(&staff.token),
        &id,
        Some(&stale),
        &json!({"term_months": 6, "name": "Late writer"}),
    )
    .await;
    assert_problem(response, 412, "precondition_failed").await;
    let now = read(&app, &id).await;
    assert_eq!(now["term_months"], 24);
    assert_eq!(now["name"], cycle["name"]);
}

#[tokio::test]
async fn an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(&format!("/v1/ambassador-cycles/{unknown}"), None)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn changing_an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        patch(
            &app,
            Some(&staff.token),
            &unknown.to_string(),
            None,
            &json!({"term_months": 6}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "ambassador_cycles").await, 0);
}

#[tokio::test]
async fn applying_to_an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let ada = app.member("Ada").await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        apply(
            &app,
            &ada,
            &unknown.to_string(),
            &application_request("europe"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "applications").await, 0);
}

#[tokio::test]
async fn the_applications_of_an_unknown_cycle_are_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(
            &format!("/v1/ambassador-cycles/{unknown}/applications"),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_proposal_of_an_unknown_cycle_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let unknown = uuid::Uuid::now_v7();
    assert_problem(
        app.get(
            &format!("/v1/ambassador-cycles/{unknown}/proposal"),
            Some(&staff.token),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

// --- applying ---------------------------------------------------------------

#[tokio::test]
async fn a_member_applies_to_an_open_cycle_with_a_draft() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    let request = application_request("europe");
    let response = apply(&app, &ada, &id_of(&cycle), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("Location")
        .to_owned();
    let draft = body(response).await;
    let id = id_of(&draft);
    assert_eq!(location, format!("/v1/applications/{id}"));
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["cycle_id"], cycle["id"]);
    assert_eq!(draft["member_id"], ada.id.to_string());
    assert_eq!(draft["region"], "europe");
    assert_eq!(draft["why_apply"], request["why_apply"]);
    assert_eq!(draft["participation"], request["participation"]);
    assert_eq!(draft["ideas"], request["ideas"]);
    assert_eq!(draft["links"], request["links"]);
    assert_eq!(draft["submitted_at"], Value::Null);
    assert_eq!(draft["decision_reason"], Value::Null);
    assert_eq!(draft["scores"], json!({"reviews": 0, "means": null}));
    assert!(draft.get("reviews").is_none(), "{draft}");
    let response = app.get(&location, Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, draft);
    assert_eq!(count(&app.db, "applications").await, 1);
    assert_eq!(
        app.audited(&staff, "application", "application.created")
            .await,
        1
    );
}

#[tokio::test]
async fn answers_of_exactly_50_and_5000_characters_and_10_links_are_accepted() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    let links: Vec<String> = (0..10)
        .map(|i| format!("https://example.org/{i}"))
        .collect();
    let response = apply(
        &app,
        &ada,
        &id_of(&cycle),
        &json!({
            "region": "europe",
            "why_apply": answer(50),
            "participation": answer(5000),
            "ideas": format!("  {}  ", answer(50)),
            "links": links,
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let draft = body(response).await;
    assert_eq!(draft["ideas"], answer(50), "answers are trimmed");
    assert_eq!(draft["links"].as_array().map(Vec::len), Some(10));
}

#[tokio::test]
async fn applying_twice_to_one_cycle_is_409_already_applied() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    let first = app.application(&ada, &id_of(&cycle), "europe").await;
    let audit_before = count(&app.db, "audit_log").await;
    // Another region does not make it a second application.
    for region in ["europe", "asia"] {
        let response = apply(&app, &ada, &id_of(&cycle), &application_request(region)).await;
        assert_problem(response, 409, "already_applied").await;
    }
    assert_eq!(count(&app.db, "applications").await, 1);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let mine = body(app.get("/v1/me/applications", Some(&ada.token)).await).await;
    assert_eq!(ids(&mine), [id_of(&first)]);
    // Another member still applies.
    let bob = app.member("Bob").await;
    app.application(&bob, &id_of(&cycle), "europe").await;
    assert_eq!(count(&app.db, "applications").await, 2);
}

#[tokio::test]
async fn a_region_outside_the_cycle_is_422_naming_region_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let cycle = app.cycle(&staff, Some(&[("europe", 2)]), None).await;
    let ada = app.member("Ada").await;
    for region in ["asia", "atlantis"] {
        let response = apply(&app, &ada, &id_of(&cycle), &application_request(region)).await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(error_fields(&problem), ["region"]);
    }
    assert_eq!(count(&app.db, "applications").await, 0);
    let mine = body(app.get("/v1/me/applications", Some(&ada.token)).await).await;
    assert_eq!(mine["items"], json!([]));
}

#[tokio::test]
async fn answers_outside_50_to_5000_characters_and_11_links_are_422_naming_each_field() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    let audit_before = count(&app.db, "audit_log").await;
    let links: Vec<String> = (0..11)
        .map(|i| format!("https://example.org/{i}"))
        .collect();
    let response = apply(
        &app,
        &ada,
        &id_of(&cycle),
        &json!({
            "region": "europe",
            "why_apply": answer(49),
            "participation": answer(200),
            "ideas": answer(5001),
            "links": links,
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["why_apply", "ideas", "links"]);
    // Padding does not count; a link must be an http(s) URL; a bad region is named too.
    let response = apply(
        &app,
        &ada,
        &id_of(&cycle),
        &json!({
            "region": "atlantis",
            "why_apply": answer(100),
            "participation": format!("{}{}", " ".repeat(30), answer(20)),
            "ideas": answer(100),
            "links": ["https://example.org", "ftp://example.org/file"],
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["participation", "links[1]", "region"]
    );
    assert_eq!(count(&app.db, "applications").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn applying_to_a_cycle_that_is_not_open_is_409_cycle_closed() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let now = Utc::now().trunc_subsecs(0);
    let mut windows = Vec::new();
    for (opens, closes) in [
        (now + Duration::days(1), now + Duration::days(30)),
        (now - Duration::days(30), now - Duration::days(1)),
    ] {
        let mut request = open_cycle_request(None, None);
        request["opens_at"] = json!(opens);
        request["closes_at"] = json!(closes);
        let response = app
            .post("/v1/ambassador-cycles", Some(&staff.token), &request)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let cycle = body(response).await;
        assert_eq!(cycle["open"], false);
        windows.push(cycle);
    }
    let ada = app.member("Ada").await;
    for cycle in &windows {
        let response = apply(&app, &ada, &id_of(cycle), &application_request("europe")).await;
        assert_problem(response, 409, "cycle_closed").await;
    }
    assert_eq!(count(&app.db, "applications").await, 0);
}

#[tokio::test]
async fn applying_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let response = app
        .post(
            &format!("/v1/ambassador-cycles/{}/applications", id_of(&cycle)),
            None,
            &application_request("europe"),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(count(&app.db, "applications").await, 0);
}

// --- a cycle's applications ------------------------------------------------------

#[tokio::test]
async fn staff_and_active_ambassadors_list_a_cycles_applications_with_filters() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "asia").await;
    let cycle = app.cycle(&staff, None, None).await;
    let cycle_id = id_of(&cycle);
    let ada = app.member("Ada").await;
    let bob = app.member("Bob").await;
    let cho = app.member("Cho").await;
    let draft = app.application(&ada, &cycle_id, "europe").await;
    let europe = app.submitted_application(&bob, &cycle_id, "europe").await;
    let asia = app.submitted_application(&cho, &cycle_id, "asia").await;
    let path = format!("/v1/ambassador-cycles/{cycle_id}/applications");
    // Staff see drafts too; an ambassador sees submitted work only.
    for (token, expected) in [
        (
            &staff.token,
            vec![id_of(&draft), id_of(&europe), id_of(&asia)],
        ),
        (&ambassador.token, vec![id_of(&europe), id_of(&asia)]),
    ] {
        let response = app.get(&path, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        assert_eq!(ids(&page), expected, "oldest first");
        assert_eq!(page["next_cursor"], Value::Null);
        assert!(page["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|a| a.get("reviews").is_none()));
    }
    let page = body(
        app.get(&format!("{path}?status=draft"), Some(&ambassador.token))
            .await,
    )
    .await;
    assert_eq!(page["items"], json!([]));
    let page = body(
        app.get(&format!("{path}?status=draft"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&draft)]);
    let page = body(
        app.get(&format!("{path}?region=europe"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&draft), id_of(&europe)]);
    let page = body(
        app.get(&format!("{path}?status=submitted"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&europe), id_of(&asia)]);
    let page = body(
        app.get(
            &format!("{path}?region=europe&status=submitted"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&europe)]);
    let page = body(
        app.get(&format!("{path}?limit=2"), Some(&staff.token))
            .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&draft), id_of(&europe)]);
    let cursor = page["next_cursor"].as_str().expect("cursor");
    let page = body(
        app.get(
            &format!("{path}?limit=2&cursor={cursor}"),
            Some(&staff.token),
        )
        .await,
    )
    .await;
    assert_eq!(ids(&page), [id_of(&asia)]);
}

#[tokio::test]
async fn members_may_not_list_a_cycles_applications() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    app.submitted_application(&ada, &id_of(&cycle), "europe")
        .await;
    let path = format!("/v1/ambassador-cycles/{}/applications", id_of(&cycle));
    // Not even an applicant: they read their own at /v1/me/applications.
    assert_problem(app.get(&path, Some(&ada.token)).await, 403, "forbidden").await;
    let bob = app.member("Bob").await;
    assert_problem(app.get(&path, Some(&bob.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn an_unknown_status_filter_on_a_cycles_applications_is_400() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = app.cycle(&staff, None, None).await;
    let path = format!("/v1/ambassador-cycles/{}/applications", id_of(&cycle));
    assert_problem(
        app.get(&format!("{path}?status=bogus"), Some(&staff.token))
            .await,
        400,
        "malformed_request",
    )
    .await;
}

// --- the proposal -----------------------------------------------------------

/// A cycle whose `europe` region has 2 seats and an affiliation cap of 1,
/// weights 2/1/1, with (by expected order) submitted applications:
/// `ana` (Acme, two reviews, score 4.25), `ben` ("acme", 4.0), `cleo`
/// (independent, 3.0), `dev` (Globex, 2.0, submitted before `fay`), `fay`
/// (Initech, 2.0, applied before `dev`), `eve` (no reviews); plus a draft
/// and a withdrawn application that never appear.
struct ProposalFixture {
    staff: Member,
    cycle: String,
    ana: String,
    ben: String,
    cleo: String,
    dev: String,
    fay: String,
    eve: String,
}

async fn proposal_fixture(app: &TestApp) -> ProposalFixture {
    let staff = app.staff().await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    app.region(&staff, "europe", &["FR"], 5).await;
    let cycle = id_of(&app.cycle(&staff, Some(&[("europe", 2)]), Some(1)).await);
    let mut people = Vec::new();
    for (name, affiliation) in [
        ("Ana", Some("Acme")),
        ("Ben", Some("acme")),
        ("Cleo", Some("independent")),
        ("Fay", Some("Initech")),
        ("Dev", Some("Globex")),
        ("Eve", None),
    ] {
        let member = app.member(name).await;
        if let Some(affiliation) = affiliation {
            app.set_affiliation(&member, affiliation).await;
        }
        people.push(member);
    }
    let mut drafts = Vec::new();
    for member in &people {
        drafts.push(id_of(&app.application(member, &cycle, "europe").await));
    }
    // Dev submits before Fay although Fay applied first.
    for i in [0, 1, 2, 4, 3, 5] {
        app.submit(&people[i], &drafts[i]).await;
    }
    let [ana, ben, cleo, fay, dev, eve] = <[String; 6]>::try_from(drafts).expect("six");
    app.review(&staff, &ana, (5, 5, 5)).await;
    app.review(&kim, &ana, (5, 3, 1)).await;
    app.review(&staff, &ben, (4, 4, 4)).await;
    app.review(&staff, &cleo, (3, 3, 3)).await;
    app.review(&staff, &dev, (2, 2, 2)).await;
    app.review(&staff, &fay, (2, 2, 2)).await;
    // Neither a draft nor a withdrawn application is ranked.
    let drafter = app.member("Dora").await;
    app.application(&drafter, &cycle, "europe").await;
    let quitter = app.member("Quinn").await;
    let withdrawn = app.submitted_application(&quitter, &cycle, "europe").await;
    let response = app
        .post(
            &format!("/v1/applications/{}/withdraw", id_of(&withdrawn)),
            Some(&quitter.token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    ProposalFixture {
        staff,
        cycle,
        ana,
        ben,
        cleo,
        dev,
        fay,
        eve,
    }
}

/// The proposal as staff read it.
async fn read_proposal(app: &TestApp, staff: &Member, cycle: &str) -> Value {
    let response = app
        .get(
            &format!("/v1/ambassador-cycles/{cycle}/proposal"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}

/// `(application_id, rank, score, proposed, reason)` of a proposal row.
type Row = (String, Value, Value, bool, String);

/// The rows of a region's proposal.
fn rows(region: &Value) -> Vec<Row> {
    region["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["application_id"].as_str().expect("id").to_owned(),
                r["rank"].clone(),
                r["score"].clone(),
                r["proposed"].as_bool().expect("proposed"),
                r["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect()
}

fn row(id: &str, rank: Value, score: Value, proposed: bool, reason: &str) -> Row {
    (id.to_owned(), rank, score, proposed, reason.to_owned())
}

#[tokio::test]
async fn the_proposal_ranks_by_weighted_score_fills_the_seats_and_skips_a_capped_affiliation() {
    let app = TestApp::spawn().await;
    let f = proposal_fixture(&app).await;
    let proposal = read_proposal(&app, &f.staff, &f.cycle).await;
    assert_eq!(proposal["cycle_id"], f.cycle.as_str());
    assert_eq!(proposal["max_per_affiliation"], 1);
    let regions = proposal["regions"].as_array().expect("regions");
    assert_eq!(regions.len(), 1);
    let europe = &regions[0];
    assert_eq!(europe["region"], "europe");
    assert_eq!(europe["seats"], 2);
    assert_eq!(europe["selected"], 0);
    assert_eq!(
        rows(europe),
        [
            row(&f.ana, json!(1), json!(4.25), true, "rank 1, 2 seats"),
            row(
                &f.ben,
                json!(2),
                json!(4.0),
                false,
                "skipped: affiliation cap of 1 reached"
            ),
            row(&f.cleo, json!(3), json!(3.0), true, "rank 3, 2 seats"),
            // A tie: the earlier submission first, although Fay applied first.
            row(
                &f.dev,
                json!(4),
                json!(2.0),
                false,
                "rank 4: all 2 seats filled"
            ),
            row(
                &f.fay,
                json!(5),
                json!(2.0),
                false,
                "rank 5: all 2 seats filled"
            ),
            row(
                &f.eve,
                Value::Null,
                Value::Null,
                false,
                "unranked: no reviews"
            ),
        ]
    );
    let first = &europe["rows"][0];
    assert_eq!(first["reviews"], 2);
    assert_eq!(
        first["means"],
        json!({"track_record": 5.0, "geography": 4.0, "impact": 3.0})
    );
    assert_eq!(first["affiliation"], "Acme");
    let unranked = &europe["rows"][5];
    assert_eq!(unranked["reviews"], 0);
    assert_eq!(unranked["means"], Value::Null);
    // Reading is repeatable.
    assert_eq!(read_proposal(&app, &f.staff, &f.cycle).await, proposal);
}

#[tokio::test]
async fn the_proposal_counts_selected_applications_against_the_seats_and_the_cap() {
    let app = TestApp::spawn().await;
    let f = proposal_fixture(&app).await;
    app.decide(&f.staff, &f.ana, "selected").await;
    let proposal = read_proposal(&app, &f.staff, &f.cycle).await;
    let europe = &proposal["regions"][0];
    assert_eq!(europe["selected"], 1);
    assert_eq!(
        rows(europe),
        [
            row(
                &f.ben,
                json!(1),
                json!(4.0),
                false,
                "skipped: affiliation cap of 1 reached"
            ),
            row(&f.cleo, json!(2), json!(3.0), true, "rank 2, 2 seats"),
            row(
                &f.dev,
                json!(3),
                json!(2.0),
                false,
                "rank 3: all 2 seats filled"
            ),
            row(
                &f.fay,
                json!(4),
                json!(2.0),
                false,
                "rank 4: all 2 seats filled"
            ),
            row(
                &f.eve,
                Value::Null,
                Value::Null,
                false,
                "unranked: no reviews"
            ),
        ]
    );
}

#[tokio::test]
async fn only_staff_read_the_proposal() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let cycle = app.cycle(&staff, None, None).await;
    let ada = app.member("Ada").await;
    app.submitted_application(&ada, &id_of(&cycle), "europe")
        .await;
    let path = format!("/v1/ambassador-cycles/{}/proposal", id_of(&cycle));
    assert_problem(
        app.get(&path, Some(&ambassador.token)).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get(&path, Some(&ada.token)).await, 403, "forbidden").await;
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    let proposal = read_proposal(&app, &staff, &id_of(&cycle)).await;
    assert_eq!(
        proposal["regions"][0]["rows"][0]["reason"],
        "unranked: no reviews"
    );
}

#[tokio::test]
async fn opening_a_cycle_twice_with_one_idempotency_key_opens_one() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let open = open_cycle_request(None, None);
    let mut replies = Vec::new();
    for _ in 0..2 {
        let response = app
            .call(Method::POST, "/v1/ambassador-cycles", Some(&staff.token))
            .header("Idempotency-Key", "open-2027")
            .json(&open)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::CREATED);
        replies.push(body(response).await);
    }
    assert_eq!(replies[0], replies[1]);
    assert_eq!(count(&app.db, "ambassador_cycles").await, 1);
}

#[tokio::test]
async fn applying_twice_with_one_idempotency_key_makes_one_draft() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let ada = app.member("Ada").await;
    let request = application_request("europe");
    let mut drafts = Vec::new();
    for _ in 0..2 {
        let response = app
            .call(
                Method::POST,
                &format!("/v1/ambassador-cycles/{cycle}/applications"),
                Some(&ada.token),
            )
            .header("Idempotency-Key", "apply-once")
            .json(&request)
            .send()
            .await
            .expect("request");
        // The retry replays the draft instead of meeting `already_applied`.
        assert_eq!(response.status(), StatusCode::CREATED);
        drafts.push(body(response).await);
    }
    assert_eq!(drafts[0], drafts[1]);
    assert_eq!(count(&app.db, "applications").await, 1);
    assert_eq!(
        app.audited(&staff, "application", "application.created")
            .await,
        1
    );
}

#[tokio::test]
async fn null_removes_a_cycles_affiliation_cap_and_absence_keeps_it() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    let cycle = id_of(&app.cycle(&staff, None, Some(2)).await);
    let path = format!("/v1/ambassador-cycles/{cycle}");
    let response = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"term_months": 6}),
        )
        .await;
    assert_eq!(body(response).await["max_per_affiliation"], 2);
    let response = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"max_per_affiliation": null}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cycle = body(app.get(&path, None).await).await;
    assert_eq!(cycle["max_per_affiliation"], Value::Null);
    assert_eq!(cycle["term_months"], 6);
}
