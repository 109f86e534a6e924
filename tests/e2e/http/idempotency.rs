//! `Idempotency-Key` on creating `POST`s: a retry replays the first answer without acting again.

use liaison_tests::{
    assert_problem, body, count, error_fields, region_request, Member, TestApp, PASSWORD,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// `POST` with an `Idempotency-Key`.
async fn post_with_key(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    key: &str,
    request: &Value,
) -> Response {
    app.call(Method::POST, path, token)
        .header("Idempotency-Key", key)
        .json(request)
        .send()
        .await
        .expect("request")
}

/// Status, `Location` and the raw body of a response.
async fn parts(response: Response) -> (StatusCode, Option<String>, Vec<u8>) {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await.expect("body").to_vec();
    (status, location, bytes)
}

async fn create_existing(app: &TestApp, staff: &Member) {
    let response = app
        .post(
            "/v1/regions",
            Some(&staff.token),
            &region_request("europe", &["FR"]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

/// Sends `request` twice with one key: the same status, `Location` and
/// body both times, and `table` grows by exactly one row.
async fn acts_once(app: &TestApp, path: &str, token: &str, request: &Value, table: &str) {
    let before = count(&app.db, table).await;
    // Keys belong to the caller, not to a path: one key per call.
    let key = format!("once:{path}");
    let first = parts(post_with_key(app, path, Some(token), &key, request).await).await;
    let second = parts(post_with_key(app, path, Some(token), &key, request).await).await;
    assert!(
        first.0.is_success(),
        "{path}: {}",
        String::from_utf8_lossy(&first.2)
    );
    assert_eq!(first, second, "{path} replays its first answer");
    assert_eq!(count(&app.db, table).await, before + 1, "{path} acted once");
}

/// A summit with an `acc` quota of 10, created by staff; returns its id.
async fn key_summit(app: &TestApp, staff: &Member) -> String {
    let today = chrono::Utc::now().date_naive();
    let summit = body(
        app.post(
            "/v1/summits",
            Some(&staff.token),
            &json!({"name": "Key summit", "city": "Lisbon", "starts_on": today + chrono::Duration::days(90),
                    "ends_on": today + chrono::Duration::days(92), "eligibility_cutoff": today,
                    "programs": [{"program": "acc", "quota": 10}]}),
        )
        .await,
    )
    .await;
    summit["id"].as_str().expect("summit id").to_owned()
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_replays_the_first_response() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request = region_request("europe", &["FR", "DE"]);
    let first =
        parts(post_with_key(&app, "/v1/regions", Some(&staff.token), "k1", &request).await).await;
    let second =
        parts(post_with_key(&app, "/v1/regions", Some(&staff.token), "k1", &request).await).await;
    assert_eq!(first.0, StatusCode::CREATED);
    assert_eq!(second.0, StatusCode::CREATED);
    assert_eq!(first.1.as_deref(), Some("/v1/regions/europe"));
    assert_eq!(second.1, first.1);
    assert_eq!(second.2, first.2, "byte-identical bodies");
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(app.audited(&staff, "region", "region.created").await, 1);
    // Without a key, the same request is a new attempt and meets the taken slug.
    assert_problem(
        app.post("/v1/regions", Some(&staff.token), &request).await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn the_same_key_with_another_body_is_409_and_acts_not() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k1",
        &region_request("europe", &["FR"]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k1",
        &region_request("asia", &["JP"]),
    )
    .await;
    assert_problem(response, 409, "idempotency_key_reused").await;
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_problem(app.get("/v1/regions/asia", None).await, 404, "not_found").await;
    assert_eq!(app.audited(&staff, "region", "region.created").await, 1);
}

#[tokio::test]
async fn idempotency_keys_belong_to_their_caller() {
    let app = TestApp::spawn().await;
    let sam = app.staff().await;
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&sam.token),
        "k1",
        &region_request("europe", &["FR"]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&kim.token),
        "k1",
        &region_request("asia", &["JP"]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let asia = body(response).await;
    assert_eq!(asia["slug"], "asia");
    assert_eq!(count(&app.db, "regions").await, 2);
    // Kim's key k1 now replays Kim's answer, not Sam's.
    let replay = post_with_key(
        &app,
        "/v1/regions",
        Some(&kim.token),
        "k1",
        &region_request("asia", &["JP"]),
    )
    .await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(body(replay).await, asia);
    assert_eq!(count(&app.db, "regions").await, 2);
}

#[tokio::test]
async fn a_failed_request_does_not_burn_its_key() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    create_existing(&app, &staff).await;
    // 422: the body is fixed and sent again with the same key.
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k2",
        &region_request("asia", &["JP", "XX"]),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["countries[1]"]);
    assert_eq!(count(&app.db, "regions").await, 1);
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k2",
        &region_request("asia", &["JP"]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    // 409: a country of another region; fixed, the same key goes through.
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k3",
        &region_request("west", &["ES", "FR"]),
    )
    .await;
    assert_problem(response, 409, "country_taken").await;
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        "k3",
        &region_request("west", &["ES"]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(count(&app.db, "regions").await, 3);
}

#[tokio::test]
async fn a_refused_caller_does_not_burn_the_key_either() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let request = region_request("europe", &["FR"]);
    assert_problem(
        post_with_key(&app, "/v1/regions", None, "k1", &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        post_with_key(&app, "/v1/regions", Some(&ada.token), "k1", &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "regions").await, 0);
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/members/{}/roles", ada.id),
            Some(&admin.token),
            &json!({"roles": ["staff"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = post_with_key(&app, "/v1/regions", Some(&ada.token), "k1", &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(count(&app.db, "regions").await, 1);
}

#[tokio::test]
async fn concurrent_twins_with_one_key_act_once_and_answer_alike() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request = region_request("europe", &["FR"]);
    let calls =
        (0..20).map(|_| post_with_key(&app, "/v1/regions", Some(&staff.token), "race", &request));
    let responses = futures_util::future::join_all(calls).await;
    let mut answers = Vec::new();
    for response in responses {
        answers.push(parts(response).await);
    }
    let statuses: Vec<u16> = answers.iter().map(|a| a.0.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let first = &answers[0];
    assert!(answers.iter().all(|a| a.1 == first.1 && a.2 == first.2));
    assert_eq!(count(&app.db, "regions").await, 1);
    assert_eq!(count(&app.db, "region_countries").await, 1);
    assert_eq!(app.audited(&staff, "region", "region.created").await, 1);
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_400_and_acts_not() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request = region_request("europe", &["FR"]);
    for key in ["k".repeat(300), String::new(), "has space".to_owned()] {
        let response = post_with_key(&app, "/v1/regions", Some(&staff.token), &key, &request).await;
        let problem = assert_problem(response, 400, "malformed_request").await;
        assert_eq!(error_fields(&problem), ["idempotency-key"], "key {key:?}");
    }
    assert_eq!(count(&app.db, "regions").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
    // 255 visible characters are fine.
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        &"k".repeat(255),
        &request,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn registering_twice_with_one_key_creates_one_member() {
    let app = TestApp::spawn().await;
    let request = json!({"email": "ada@example.org", "password": PASSWORD, "display_name": "Ada", "country": "GB"});
    let first =
        parts(post_with_key(&app, "/v1/auth/register", None, "signup-1", &request).await).await;
    let second =
        parts(post_with_key(&app, "/v1/auth/register", None, "signup-1", &request).await).await;
    assert_eq!(first.0, StatusCode::CREATED);
    assert_eq!(second.0, StatusCode::CREATED);
    assert_eq!(second.1, first.1);
    assert_eq!(second.2, first.2, "byte-identical bodies");
    assert_eq!(count(&app.db, "members").await, 1);
    let other = json!({"email": "bob@example.org", "password": PASSWORD, "display_name": "Bob"});
    assert_problem(
        post_with_key(&app, "/v1/auth/register", None, "signup-1", &other).await,
        409,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(count(&app.db, "members").await, 1);
    // The member exists once and can sign in.
    let response = app
        .post(
            "/v1/auth/token",
            None,
            &json!({"email": "ada@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn creating_a_service_account_twice_with_one_key_returns_the_same_api_key() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let request = json!({"name": "summit pass script", "scopes": ["passes:issue"]});
    let first = post_with_key(
        &app,
        "/v1/service-accounts",
        Some(&admin.token),
        "sa-1",
        &request,
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let second = post_with_key(
        &app,
        "/v1/service-accounts",
        Some(&admin.token),
        "sa-1",
        &request,
    )
    .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second = body(second).await;
    assert_eq!(second, first);
    let key = first["api_key"].as_str().expect("api key");
    assert!(key.starts_with("lia_"));
    assert_eq!(count(&app.db, "service_accounts").await, 1);
    // The replayed key is the live one.
    assert_problem(app.get("/v1/me", Some(key)).await, 403, "forbidden").await;
    let other = json!({"name": "another script", "scopes": ["passes:issue"]});
    assert_problem(
        post_with_key(
            &app,
            "/v1/service-accounts",
            Some(&admin.token),
            "sa-1",
            &other,
        )
        .await,
        409,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(count(&app.db, "service_accounts").await, 1);
}

#[tokio::test]
async fn adding_a_contribution_kind_twice_with_one_key_adds_it_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    acts_once(
        &app,
        "/v1/contribution-kinds",
        &staff.token,
        &json!({"slug": "podcast_hosted", "name": "Podcast hosted", "description": "An episode"}),
        "contribution_kinds",
    )
    .await;
}

#[tokio::test]
async fn creating_a_programme_twice_with_one_key_creates_it_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let rules = json!({"window_days": 180, "threshold_points": 6, "kinds": [
        {"kind": "mentoring", "points": 2, "max_count": 6}]});
    acts_once(
        &app,
        "/v1/recognition-programs",
        &staff.token,
        &json!({"slug": "amc", "name": "Active Mentor Contributor", "description": "For mentors", "rules": rules}),
        "recognition_programs",
    )
    .await;
}

#[tokio::test]
async fn publishing_rules_twice_with_one_key_publishes_them_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let rules = json!({"window_days": 180, "threshold_points": 6, "kinds": [
        {"kind": "mentoring", "points": 2, "max_count": 6}]});
    let response = app
        .post(
            "/v1/recognition-programs",
            Some(&staff.token),
            &json!({"slug": "amc", "name": "Active Mentor Contributor", "description": "For mentors", "rules": rules}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    acts_once(
        &app,
        "/v1/recognition-programs/amc/rules",
        &staff.token,
        &json!({"window_days": 365, "threshold_points": 6, "kinds": [
            {"kind": "mentoring", "points": 3, "max_count": 6}]}),
        "program_rules",
    )
    .await;
}

#[tokio::test]
async fn adding_an_organizer_twice_with_one_key_adds_them_once() {
    let app = TestApp::spawn().await;
    let member = app.member("Kay Key").await;
    let group = app.group(&member, "key-holders", "FR").await;
    let co = app.member("Cody Co").await;
    acts_once(
        &app,
        &format!(
            "/v1/groups/{}/organizers",
            group["id"].as_str().expect("id")
        ),
        &member.token,
        &json!({"member_id": co.id}),
        "group_organizers",
    )
    .await;
}

#[tokio::test]
async fn a_manual_pass_issued_twice_with_one_key_is_issued_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let co = app.member("Cody Co").await;
    let summit = key_summit(&app, &staff).await;
    acts_once(
        &app,
        &format!("/v1/summits/{summit}/passes"),
        &staff.token,
        &json!({"member_id": co.id, "program": "acc", "reason": "Keynote speaker"}),
        "passes",
    )
    .await;
}

#[tokio::test]
async fn an_appeal_filed_twice_with_one_key_is_filed_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Kay Key").await;
    let summit = key_summit(&app, &staff).await;
    acts_once(
        &app,
        &format!("/v1/summits/{summit}/appeals"),
        &member.token,
        &json!({"program": "acc", "message": "My meetups were on luma, not on meetup."}),
        "appeals",
    )
    .await;
}

/// Found by schemathesis: the header was documented as any string, and a
/// key of spaces or of 300 characters is a 400.
#[tokio::test]
async fn the_key_is_documented_as_the_visible_ascii_the_server_takes() {
    let doc = liaison_tests::document();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "Idempotency-Key" {
                    seen += 1;
                    assert_eq!(p["schema"]["pattern"], "^[!-~]{1,255}$", "{method} {path}");
                }
            }
        }
    }
    assert!(seen >= 20, "{seen}");
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let request = region_request("atlantis", &["IS"]);
    for key in ["two words", &"k".repeat(256)] {
        let response = post_with_key(&app, "/v1/regions", Some(&staff.token), key, &request).await;
        let problem = assert_problem(response, 400, "malformed_request").await;
        assert_eq!(problem["errors"][0]["field"], "idempotency-key", "{key}");
    }
    let response = post_with_key(
        &app,
        "/v1/regions",
        Some(&staff.token),
        &"k".repeat(255),
        &request,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
