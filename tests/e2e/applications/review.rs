//! `PUT /v1/applications/{id}/review`: staff and ambassadors score, without conflicts of interest.

use liaison_tests::{assert_problem, body, count, error_fields, id_of, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{act, read, setup};

#[tokio::test]
async fn staff_review_a_submitted_application_and_a_resent_review_replaces_it() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app.send_review(&staff, &id, (4, 3, 5)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.headers()["location"],
        format!("/v1/applications/{id}/review").as_str()
    );
    let review = body(response).await;
    assert_eq!(review["reviewer_id"], staff.id.to_string());
    assert_eq!(
        review["scores"],
        json!({"track_record": 4, "geography": 3, "impact": 5})
    );
    assert_eq!(review["comment"], "Reviewed in the test suite.");
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            Some(&staff.token),
            &json!({"scores": {"track_record": 2, "geography": 0, "impact": 1}, "comment": "  On second thoughts.  "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let replaced = body(response).await;
    assert_eq!(
        replaced["scores"],
        json!({"track_record": 2, "geography": 0, "impact": 1})
    );
    assert_eq!(replaced["comment"], "On second thoughts.");
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    let seen = read(&app, &staff, &id).await;
    assert_eq!(seen["reviews"], json!([replaced]));
    assert_eq!(seen["my_review"], replaced);
    assert_eq!(
        seen["scores"],
        json!({"reviews": 1, "means": {"track_record": 2.0, "geography": 0.0, "impact": 1.0}})
    );
    assert_eq!(
        app.audited(&staff, "application", "application.reviewed")
            .await,
        1
    );
    assert_eq!(
        app.audited(&staff, "application", "application.review_replaced")
            .await,
        1
    );
}

#[tokio::test]
async fn an_active_ambassador_may_review_and_sees_only_their_own_review() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let response = app.send_review(&ambassador, &id, (5, 4, 3)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mine = body(response).await;
    app.review(&staff, &id, (1, 2, 3)).await;
    let seen = read(&app, &ambassador, &id).await;
    assert_eq!(seen["my_review"], mine);
    assert!(seen.get("reviews").is_none(), "{seen}");
    let text = seen.to_string();
    assert!(!text.contains(&staff.id.to_string()), "{text}");
    assert_eq!(seen["scores"]["reviews"], 2);
    assert_eq!(count(&app.db, "application_reviews").await, 2);
}

#[tokio::test]
async fn a_plain_member_may_not_review() {
    let app = TestApp::spawn().await;
    let (_, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let bob = app.member("Bob").await;
    // Bob cannot see Ada's application at all; Ada sees hers but is no reviewer.
    assert_problem(
        app.send_review(&bob, &id, (5, 5, 5)).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send_review(&ada, &id, (5, 5, 5)).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            None,
            &json!({"scores": {"track_record": 5, "geography": 5, "impact": 5}}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    assert_eq!(read(&app, &ada, &id).await["scores"]["reviews"], 0);
}

#[tokio::test]
async fn reviewing_ones_own_application_is_403_conflict_of_interest() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    // Staff who applied.
    let own = id_of(&app.submitted_application(&staff, &cycle, "europe").await);
    let problem = assert_problem(
        app.send_review(&staff, &own, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("own")));
    // An ambassador applying again in another cycle.
    let (ambassador, _) = app.ambassador(&staff, "Amir Ambassador", "europe").await;
    let again = id_of(
        &app.submitted_application(&ambassador, &cycle, "europe")
            .await,
    );
    assert_problem(
        app.send_review(&ambassador, &again, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    // Each may still review the other's.
    app.review(&staff, &again, (3, 3, 3)).await;
    app.review(&ambassador, &own, (3, 3, 3)).await;
    assert_eq!(count(&app.db, "application_reviews").await, 2);
}

#[tokio::test]
async fn sharing_the_applicants_affiliation_in_any_case_is_403_conflict_of_interest() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    app.set_affiliation(&staff, "Acme").await;
    let ada = app.member("Ada").await;
    app.set_affiliation(&ada, "acme ").await;
    let ada_app = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let problem = assert_problem(
        app.send_review(&staff, &ada_app, (5, 5, 5)).await,
        403,
        "conflict_of_interest",
    )
    .await;
    assert!(problem["detail"]
        .as_str()
        .is_some_and(|d| d.contains("affiliation")));
    // A reviewer of another company is fine.
    let bob = app.member("Bob").await;
    app.set_affiliation(&bob, "Globex").await;
    let bob_app = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    assert_eq!(
        app.send_review(&staff, &bob_app, (4, 4, 4)).await.status(),
        StatusCode::CREATED
    );
    // Two independents are not colleagues.
    let kim = app.member_with_roles("Kim Staff", &["staff"]).await;
    app.set_affiliation(&kim, "Independent").await;
    let cleo = app.member("Cleo").await;
    app.set_affiliation(&cleo, "independent").await;
    let cleo_app = id_of(&app.submitted_application(&cleo, &cycle, "europe").await);
    assert_eq!(
        app.send_review(&kim, &cleo_app, (3, 3, 3)).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(count(&app.db, "application_reviews").await, 2);
    assert_eq!(read(&app, &staff, &ada_app).await["reviews"], json!([]));
}

#[tokio::test]
async fn scores_outside_0_to_5_are_422_naming_each_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let audit_before = count(&app.db, "audit_log").await;
    let problem = assert_problem(
        app.send_review(&staff, &id, (6, -1, 5)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["scores.track_record", "scores.geography"]
    );
    let response = app
        .send_json(
            Method::PUT,
            &format!("/v1/applications/{id}/review"),
            Some(&staff.token),
            &json!({"scores": {"track_record": 0, "geography": 5, "impact": 99}, "comment": "x".repeat(5001)}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["scores.impact", "comment"]);
    assert_eq!(count(&app.db, "application_reviews").await, 0);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let seen = read(&app, &staff, &id).await;
    assert_eq!(seen["reviews"], json!([]));
    assert_eq!(seen["scores"], json!({"reviews": 0, "means": null}));
}

#[tokio::test]
async fn reviewing_a_draft_or_a_withdrawn_application_is_409_invalid_transition() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let draft = id_of(&app.application(&ada, &cycle, "europe").await);
    assert_problem(
        app.send_review(&staff, &draft, (3, 3, 3)).await,
        409,
        "invalid_transition",
    )
    .await;
    let bob = app.member("Bob").await;
    let withdrawn = id_of(&app.submitted_application(&bob, &cycle, "europe").await);
    assert_eq!(
        act(&app, Some(&bob.token), &withdrawn, "withdraw")
            .await
            .status(),
        StatusCode::OK
    );
    assert_problem(
        app.send_review(&staff, &withdrawn, (3, 3, 3)).await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(count(&app.db, "application_reviews").await, 0);
}

#[tokio::test]
async fn concurrent_reviews_by_one_reviewer_leave_one_review() {
    let app = TestApp::spawn().await;
    let (staff, cycle) = setup(&app).await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.submitted_application(&ada, &cycle, "europe").await);
    let scores: Vec<(i64, i64, i64)> = (0..10).map(|i| (i % 6, (i + 1) % 6, (i + 2) % 6)).collect();
    let calls = scores.iter().map(|s| app.send_review(&staff, &id, *s));
    let responses = futures_util::future::join_all(calls).await;
    let mut created = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("a review answered {other}: {}", body(response).await),
        }
    }
    assert_eq!(created, 1, "one review is new, the others replace it");
    assert_eq!(count(&app.db, "application_reviews").await, 1);
    let seen = read(&app, &staff, &id).await;
    let reviews = seen["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 1);
    let last = &reviews[0]["scores"];
    assert!(
        scores
            .iter()
            .any(|s| *last == json!({"track_record": s.0, "geography": s.1, "impact": s.2})),
        "the stored review is one of those sent: {last}"
    );
    assert_eq!(seen["scores"]["reviews"], 1);
}
