//! `POST /v1/ambassador-cycles`: opening a cycle with its regions and seats.

use chrono::{Duration, SubsecRound, Utc};
use liaison_tests::{
    assert_problem, at, body, count, error_fields, id_of, open_cycle_request, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::read;

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
