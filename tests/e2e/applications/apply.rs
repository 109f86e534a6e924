//! `POST /v1/ambassador-cycles/{id}/applications`: a draft application to an open cycle.

use chrono::{Duration, SubsecRound, Utc};
use liaison_tests::{
    answer, application_request, assert_problem, body, count, error_fields, id_of,
    open_cycle_request, page_ids, Member, TestApp,
};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

/// `POST /v1/ambassador-cycles/{id}/applications`.
async fn apply(app: &TestApp, member: &Member, cycle: &str, request: &Value) -> Response {
    app.post(
        &format!("/v1/ambassador-cycles/{cycle}/applications"),
        Some(&member.token),
        request,
    )
    .await
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
    assert_eq!(page_ids(&mine), [id_of(&first)]);
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
