//! `PATCH /v1/summits/{id}`: quotas, never below the passes already issued.

use liaison_tests::{
    assert_problem, body, error_fields, id_of, manual_pass, programme_quota, send_manual_pass,
    summit, Member, TestApp,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

/// A summit with an `acc` quota of 5 and two manual passes; returns its id.
async fn five_places_two_taken(app: &TestApp, staff: &Member) -> String {
    let created = summit(app, staff, json!([{"program": "acc", "quota": 5}])).await;
    let id = id_of(&created);
    for _ in 0..2 {
        let holder = app.member("Holder").await;
        manual_pass(app, staff, &id, holder.id).await;
    }
    id
}

/// The quota of [`five_places_two_taken`] as it was arranged.
fn five_with_two_used() -> Value {
    json!({"program": "acc", "rules_version": 1, "quota": 5, "used": 2, "remaining": 3})
}

#[tokio::test]
async fn only_staff_change_a_summit() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let id = five_places_two_taken(&app, &staff).await;
    let path = format!("/v1/summits/{id}");
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    assert_problem(
        app.send_json(Method::PATCH, &path, None, &lower).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.send_json(Method::PATCH, &path, Some(&member.token), &lower)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
}

#[tokio::test]
async fn a_quota_never_goes_below_the_passes_already_issued() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let member = app.member("Mia Member").await;
    let id = five_places_two_taken(&app, &staff).await;
    let path = format!("/v1/summits/{id}");
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    let problem = assert_problem(
        app.send_json(Method::PATCH, &path, Some(&staff.token), &lower)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["programs[0].quota"]);
    assert_eq!(problem["errors"][0]["code"], "quota_below_issued");
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
    // Exactly the passes issued is fine, and so is more.
    let exact = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 2}]}),
        )
        .await;
    assert_eq!(exact.status(), StatusCode::OK);
    assert_eq!(body(exact).await["programs"][0]["remaining"], 0);
    assert_problem(
        send_manual_pass(&app, &staff, &id, member.id, "acc").await,
        409,
        "quota_exhausted",
    )
    .await;
    let raised = app
        .send_json(
            Method::PATCH,
            &path,
            Some(&staff.token),
            &json!({"programs": [{"program": "acc", "quota": 40}]}),
        )
        .await;
    assert_eq!(raised.status(), StatusCode::OK);
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        json!({"program": "acc", "rules_version": 1, "quota": 40, "used": 2, "remaining": 38})
    );
}

#[tokio::test]
async fn a_quota_for_a_programme_the_summit_lacks_is_422() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = five_places_two_taken(&app, &staff).await;
    let unknown = assert_problem(
        app.send_json(
            Method::PATCH,
            &format!("/v1/summits/{id}"),
            Some(&staff.token),
            &json!({"programs": [{"program": "aoc", "quota": 3}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&unknown), ["programs[0].program"]);
    assert_eq!(
        programme_quota(&app, &id, "acc").await,
        five_with_two_used(),
        "nothing changed"
    );
}

#[tokio::test]
async fn changing_an_unknown_summit_is_404() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let lower = json!({"programs": [{"program": "acc", "quota": 1}]});
    assert_problem(
        app.send_json(
            Method::PATCH,
            &format!("/v1/summits/{}", Uuid::now_v7()),
            Some(&staff.token),
            &lower,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_stale_if_match_on_a_summit_is_412_and_changes_no_quota() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let response = app.get(&format!("/v1/summits/{id}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    let before = body(response).await;
    let change = json!({"programs": [{"program": "acc", "quota": 20}]});
    let path = format!("/v1/summits/{id}");
    assert_problem(
        app.patch_if_match(&path, &staff.token, Some("\"stale\""), &change)
            .await,
        412,
        "precondition_failed",
    )
    .await;
    assert_eq!(
        body(app.get(&format!("/v1/summits/{id}"), None).await).await,
        before
    );
    let changed = app
        .patch_if_match(&path, &staff.token, Some(&tag), &change)
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(body(changed).await, before);
}
