//! Ambassadorships: the public list and a region's active ambassadors; staff
//! end or remove one with a reason; an ambassador's powers follow their
//! ambassadorship at once, on the next request.

use liaison_tests::{assert_problem, body, count, error_fields, id_of, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

/// `PATCH /v1/ambassadors/{id}`.
async fn change(app: &TestApp, token: Option<&str>, id: &str, request: &Value) -> Response {
    app.send_json(
        Method::PATCH,
        &format!("/v1/ambassadors/{id}"),
        token,
        request,
    )
    .await
}

/// The member ids of a list of ambassadorships, asserting 200.
async fn listed(app: &TestApp, path: &str) -> Vec<String> {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["member_id"].as_str().expect("member_id").to_owned())
        .collect()
}

/// Staff and two regions, `europe` (FR) and `asia` (JP).
async fn setup(app: &TestApp) -> Member {
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR"], 3).await;
    app.region(&staff, "asia", &["JP"], 3).await;
    staff
}

/// Ana and Ben in `europe`, then Cho in `asia`; Ben's ambassadorship ended.
/// Returns their member ids.
async fn three_ambassadors_one_ended(app: &TestApp, staff: &Member) -> (String, String, String) {
    let (ana, _) = app.ambassador(staff, "Ana", "europe").await;
    let (ben, bens) = app.ambassador(staff, "Ben", "europe").await;
    let (cho, _) = app.ambassador(staff, "Cho", "asia").await;
    let response = change(
        app,
        Some(&staff.token),
        &id_of(&bens),
        &json!({"status": "ended", "reason": "Stepped down."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    (ana.id.to_string(), ben.id.to_string(), cho.id.to_string())
}

#[tokio::test]
async fn anyone_lists_ambassadors_newest_first_filtered_by_region_and_status() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ben, cho) = three_ambassadors_one_ended(&app, &staff).await;
    assert_eq!(
        listed(&app, "/v1/ambassadors").await,
        [cho.clone(), ben.clone(), ana.clone()],
        "newest first"
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=europe").await,
        [ben.clone(), ana.clone()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?status=active").await,
        [cho.clone(), ana.clone()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=europe&status=ended").await,
        [ben.as_str()]
    );
    assert_eq!(
        listed(&app, "/v1/ambassadors?region=nowhere").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_regions_page_lists_its_active_ambassadors_only() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, _, cho) = three_ambassadors_one_ended(&app, &staff).await;
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        [ana.as_str()]
    );
    assert_eq!(listed(&app, "/v1/regions/asia/ambassadors").await, [cho]);
}

#[tokio::test]
async fn the_ambassador_list_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, _, _) = three_ambassadors_one_ended(&app, &staff).await;
    let response = app.get("/v1/ambassadors?limit=2", None).await;
    let page = body(response).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let cursor = page["next_cursor"].as_str().expect("cursor");
    assert_eq!(
        listed(&app, &format!("/v1/ambassadors?limit=2&cursor={cursor}")).await,
        [ana]
    );
}

#[tokio::test]
async fn an_unknown_status_or_a_garbage_cursor_on_the_ambassador_list_is_400() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    app.ambassador(&staff, "Ana", "europe").await;
    assert_problem(
        app.get("/v1/ambassadors?status=bogus", None).await,
        400,
        "malformed_request",
    )
    .await;
    assert_problem(
        app.get("/v1/ambassadors?cursor=garbage", None).await,
        400,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn the_ambassadors_of_an_unknown_region_are_404() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    app.ambassador(&staff, "Ana", "europe").await;
    assert_problem(
        app.get("/v1/regions/nowhere/ambassadors", None).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn staff_end_an_ambassadorship_with_a_reason() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = change(
        &app,
        Some(&staff.token),
        &id,
        &json!({"status": "ended", "reason": "  Stepped down to focus on the Lyon meetup.  "}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ended = body(response).await;
    assert_eq!(ended["status"], "ended");
    assert_eq!(
        ended["status_reason"],
        "Stepped down to focus on the Lyon meetup."
    );
    assert_eq!(ended["term_start"], ambassadorship["term_start"]);
    assert_eq!(ended["term_end"], ambassadorship["term_end"]);
    assert_eq!(app.ambassadorship_of(&ana).await, ended);
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        Vec::<String>::new()
    );
    let response = app
        .get(
            &format!("/v1/audit-log?entity_type=ambassadorship&entity_id={id}"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let actions: Vec<String> = body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        actions,
        ["ambassadorship.status_changed", "ambassadorship.created"]
    );
}

#[tokio::test]
async fn staff_remove_an_ambassador_and_their_powers_end_at_once() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (amir, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let ada = app.member("Ada").await;
    let application = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    let other = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    let list = format!("/v1/ambassador-cycles/{cycle}/applications");
    // Active: they list, read and review applications.
    assert_eq!(
        app.get(&list, Some(&amir.token)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.send_review(&amir, &application, (4, 4, 4))
            .await
            .status(),
        StatusCode::CREATED
    );
    let response = change(
        &app,
        Some(&staff.token),
        &id_of(&ambassadorship),
        &json!({"status": "removed", "reason": "Breach of the code of conduct."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["status"], "removed");
    // Removed: the same token no longer carries an ambassador's powers.
    assert_problem(app.get(&list, Some(&amir.token)).await, 403, "forbidden").await;
    assert_problem(
        app.get(&format!("/v1/applications/{other}"), Some(&amir.token))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&amir, &other, (1, 1, 1)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&amir, &application, (1, 1, 1)).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    assert_eq!(
        listed(&app, "/v1/ambassadors?status=removed").await,
        [amir.id.to_string()]
    );
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn anyone_reads_an_ambassadorship_with_an_etag() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (_, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = app.get(&format!("/v1/ambassadors/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("etag").is_some());
    assert_eq!(body(response).await, ambassadorship);
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_the_current_etag_ends_the_ambassadorship() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = app.get(&format!("/v1/ambassadors/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    assert_eq!(body(response).await, ambassadorship);
    let change = json!({"status": "ended", "reason": "Term served."});
    let path = format!("/v1/ambassadors/{id}");
    assert_problem(
        app.patch_if_match(&path, &staff.token, Some("\"stale\""), &change)
            .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(
        app.ambassadorship_of(&ana).await,
        ambassadorship,
        "unchanged"
    );
    let ended = app
        .patch_if_match(&path, &staff.token, Some(&tag), &change)
        .await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(body(ended).await["status"], "ended");
}

#[tokio::test]
async fn ending_an_ambassadorship_twice_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let response = change(
        &app,
        Some(&staff.token),
        &id,
        &json!({"status": "ended", "reason": "Term served."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let ended = body(response).await;
    for status in ["ended", "removed"] {
        assert_problem(
            change(
                &app,
                Some(&staff.token),
                &id,
                &json!({"status": status, "reason": "Again."}),
            )
            .await,
            409,
            "invalid_transition",
        )
        .await;
    }
    assert_eq!(app.ambassadorship_of(&ana).await, ended);
}

#[tokio::test]
async fn an_invalid_change_is_422_naming_status_and_reason_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let id = id_of(&ambassadorship);
    let audit_before = count(&app.db, "audit_log").await;
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "active", "reason": "  "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status", "reason"]);
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "removed", "reason": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["reason"]);
    let problem = assert_problem(
        change(
            &app,
            Some(&staff.token),
            &id,
            &json!({"status": "retired", "reason": "Unknown status."}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"]);
    assert_eq!(app.ambassadorship_of(&ana).await, ambassadorship);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
}

#[tokio::test]
async fn only_staff_end_or_remove_ambassadorships() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (ana, ambassadorship) = app.ambassador(&staff, "Ana", "europe").await;
    let (ben, _) = app.ambassador(&staff, "Ben", "europe").await;
    let id = id_of(&ambassadorship);
    let request = json!({"status": "removed", "reason": "Not my call."});
    let member = app.member("Mia").await;
    for caller in [&member, &ana, &ben] {
        assert_problem(
            change(&app, Some(&caller.token), &id, &request).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        change(&app, None, &id, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        change(
            &app,
            Some(&staff.token),
            &uuid::Uuid::now_v7().to_string(),
            &request,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.ambassadorship_of(&ana).await, ambassadorship);
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await.len(),
        2
    );
}

/// Moves an ambassadorship's term into the past: terms end with time, which
/// a test cannot wait for.
async fn age_the_term(app: &TestApp, ambassadorship: &Value) {
    app.db
        .execute_unprepared(&format!(
            "UPDATE ambassadorships SET term_start = current_date - 400, term_end = current_date - 35 WHERE id = '{}'",
            id_of(ambassadorship)
        ))
        .await
        .expect("age the term");
}

#[tokio::test]
async fn a_term_that_has_run_out_is_not_on_its_regions_page() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (_, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    assert_eq!(
        listed(&app, "/v1/regions/europe/ambassadors").await.len(),
        1
    );
    age_the_term(&app, &ambassadorship).await;
    let serving = body(app.get("/v1/regions/europe/ambassadors", None).await).await;
    assert_eq!(
        serving["items"].as_array().map(Vec::len),
        Some(0),
        "{serving}"
    );
}

#[tokio::test]
async fn an_ambassador_whose_term_has_run_out_may_not_list_applications() {
    let app = TestApp::spawn().await;
    let staff = setup(&app).await;
    let (amir, ambassadorship) = app.ambassador(&staff, "Amir", "europe").await;
    let cycle = id_of(&app.cycle(&staff, None, None).await);
    let list = format!("/v1/ambassador-cycles/{cycle}/applications");
    assert_eq!(
        app.get(&list, Some(&amir.token)).await.status(),
        StatusCode::OK
    );
    age_the_term(&app, &ambassadorship).await;
    assert_problem(app.get(&list, Some(&amir.token)).await, 403, "forbidden").await;
}
