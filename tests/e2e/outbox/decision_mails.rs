//! The people a decision concerns are told by mail, unless they turned that mail off.

use liaison_tests::{body, claim, claim_request, file_appeal, id_of, scalar, summit, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn verify(app: &TestApp, token: &str, id: &str) {
    let response = app
        .post(
            &format!("/v1/contributions/{id}/verification"),
            Some(token),
            &json!({"decision": "verified", "note": "Seen it on the stream"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_verified_claim_mails_its_contributor_unless_they_turned_it_off() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let first = id_of(&claim(&app, &ada, &claim_request("talk_given")).await);
    verify(&app, &staff.token, &first).await;
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to.contains(&ada.email));
    assert_eq!(mails[0].subject, "Your contribution was verified");
    assert!(mails[0].body.contains("Seen it on the stream"));
    // Turned off: the next decision queues nothing for her.
    let off = json!({"mail": {"contribution.decided": false}});
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            Some(&ada.token),
            &off,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let second = id_of(&claim(&app, &ada, &claim_request("talk_given")).await);
    verify(&app, &staff.token, &second).await;
    let queued = scalar(
        &app.db,
        &format!("SELECT count(*) AS n FROM outbox WHERE topic = 'contribution.decided' AND member_id = '{}'", ada.id),
    )
    .await;
    assert_eq!(queued, 1, "only the first decision's mail");
}

#[tokio::test]
async fn a_reviewed_group_mails_its_organizers() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let owner = app.member("Owner").await;
    app.approved_group(&staff, &owner, "lyon-ops", "FR").await;
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to.contains(&owner.email));
    assert!(
        mails[0].subject.ends_with("registration approved"),
        "{}",
        mails[0].subject
    );
}

#[tokio::test]
async fn a_triaged_item_mails_each_of_its_voters_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (marie, _) = app.ambassador(&staff, "Marie", "europe").await;
    let author = app.member("Author").await;
    let item = id_of(
        &app.feedback(&author, "Live migration fails with NUMA")
            .await,
    );
    let (vic, val) = (app.member("Vic").await, app.member("Val").await);
    for voter in [&vic, &val] {
        assert_eq!(app.vote(voter, &item).await.status(), StatusCode::OK);
    }
    let before = app.wait_for_mails(0).await.len();
    let response = app
        .triage(
            &marie,
            &item,
            json!({"status": "triaged", "note": "Reproduced"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mails = app.wait_for_mails(before + 2).await;
    let told: Vec<_> = mails
        .iter()
        .filter(|m| m.subject == "Feedback you voted for is now triaged")
        .collect();
    assert_eq!(told.len(), 2, "one mail per voter");
    for voter in [&vic, &val] {
        assert_eq!(
            told.iter().filter(|m| m.to.contains(&voter.email)).count(),
            1
        );
    }
    assert!(told[0].body.contains("moved from new to triaged"));
}

#[tokio::test]
async fn a_decided_application_and_a_decided_appeal_mail_their_authors() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ana, _) = app.ambassador(&staff, "Ana", "europe").await;
    let mails = app.wait_for_mails(1).await;
    let selected: Vec<_> = mails.iter().filter(|m| m.to.contains(&ana.email)).collect();
    assert_eq!(selected.len(), 1);
    assert_eq!(selected[0].subject, "Your ambassador application: selected");

    let summit_id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 5}])).await);
    let ben = app.member("Ben").await;
    let appeal = body(file_appeal(&app, &ben, &summit_id, "acc").await).await;
    let response = app
        .post(
            &format!("/v1/appeals/{}/decision", id_of(&appeal)),
            Some(&staff.token),
            &json!({"outcome": "denied", "reason": "No verified contribution in the window."}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mails = app.wait_for_mails(2).await;
    let denied: Vec<_> = mails.iter().filter(|m| m.to.contains(&ben.email)).collect();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].subject, "Your appeal for Summit 2027: denied");
    assert!(denied[0]
        .body
        .contains("No verified contribution in the window."));
}
