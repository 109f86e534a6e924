//! `POST /v1/feedback/{id}/triage`: the region's ambassadors and staff move items along.

use futures_util::future::join_all;
use liaison_tests::{assert_problem, body, error_fields, id_of, scalar, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_ambassador_moves_an_item_up_to_resolved_and_forwarding_earns_its_author_a_contribution()
{
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let triaged = app
        .triage(
            &marie,
            &id,
            json!({"status": "triaged", "component": "networking"}),
        )
        .await;
    assert_eq!(triaged.status(), StatusCode::OK);
    assert_eq!(body(triaged).await["component"], "networking");
    let forwarded = app
        .triage(&marie, &id, json!({"status": "forwarded", "upstream_url": "https://bugs.example.org/1", "note": "Filed"}))
        .await;
    assert_eq!(forwarded.status(), StatusCode::OK);
    let forwarded = body(forwarded).await;
    assert_eq!(forwarded["status"], "forwarded");
    assert_eq!(forwarded["upstream_url"], "https://bugs.example.org/1");
    let derived = format!("SELECT count(*) AS n FROM contributions WHERE member_id = '{}' AND kind = 'feedback_submitted' AND status = 'verified'", ada.id);
    assert_eq!(scalar(&app.db, &derived).await, 1);
    for status in ["acknowledged", "resolved"] {
        assert_eq!(
            app.triage(&staff, &id, json!({"status": status}))
                .await
                .status(),
            StatusCode::OK,
            "{status}"
        );
    }
    assert_eq!(scalar(&app.db, &derived).await, 1, "derived once");
    assert_eq!(app.audited(&staff, "feedback", "feedback.triaged").await, 4);
}

#[tokio::test]
async fn nobody_triages_their_own_item_nor_outside_their_region() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (kenji, _) = app.ambassador(&staff, "Kenji", "asia").await;
    let ada = app.member("Ada").await;
    let own = id_of(&app.feedback(&staff, "Staff's own item about quotas").await);
    let theirs = id_of(&app.feedback(&ada, "Live migration times out").await);
    assert_problem(
        app.triage(&staff, &own, json!({"status": "triaged"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.triage(&kenji, &theirs, json!({"status": "triaged"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.triage(&ada, &theirs, json!({"status": "triaged"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/v1/feedback/{theirs}/triage"),
            None,
            &json!({"status": "triaged"}),
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    let read = body(
        app.get(&format!("/v1/feedback/{theirs}"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(read["status"], "new");
}

#[tokio::test]
async fn a_skipped_step_is_409_and_a_missing_reason_is_422_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    assert_problem(
        app.triage(
            &staff,
            &id,
            json!({"status": "forwarded", "upstream_url": "https://x.example/1"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let problem = assert_problem(
        app.triage(&staff, &id, json!({"status": "rejected"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["note"]);
    assert_eq!(
        app.triage(&staff, &id, json!({"status": "triaged"}))
            .await
            .status(),
        StatusCode::OK
    );
    let problem = assert_problem(
        app.triage(&staff, &id, json!({"status": "forwarded"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["upstream_url"]);
    let problem = assert_problem(
        app.triage(
            &staff,
            &id,
            json!({"status": "forwarded", "upstream_url": "ftp://x"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["upstream_url"]);
    let read = body(
        app.get(&format!("/v1/feedback/{id}"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(read["status"], "triaged");
    let history = body(
        app.get(&format!("/v1/feedback/{id}/history"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(history["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn race_two_triagers_moving_one_item_one_wins_the_other_gets_409() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let ada = app.member("Ada").await;
    let id = id_of(&app.feedback(&ada, "Live migration times out").await);
    let answers = join_all([
        app.triage(&staff, &id, json!({"status": "triaged"})),
        app.triage(&marie, &id, json!({"status": "triaged"})),
    ])
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let history = body(
        app.get(&format!("/v1/feedback/{id}/history"), Some(&ada.token))
            .await,
    )
    .await;
    assert_eq!(history["items"].as_array().map(Vec::len), Some(1));
}
