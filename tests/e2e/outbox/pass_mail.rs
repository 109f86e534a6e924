//! A pass holder gets the code by mail, however the pass was issued; a
//! refused issuance mails nothing.

use liaison_tests::{
    count, id_of, issue_passes, manual_pass, my_passes, organizer, scalar, send_manual_pass,
    string_of, summit, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_manual_pass_mails_its_code_to_the_holder_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    assert_eq!(
        pass["delivery"]["status"], "pending",
        "queued with the pass"
    );
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1, "one mail");
    // The holder sees that the mail went out, and when.
    let mine = my_passes(&app, &holder).await;
    assert_eq!(mine[0]["delivery"]["status"], "sent");
    assert!(mine[0]["delivery"]["at"].is_string());
    let mail = &mails[0];
    assert!(mail.to.contains(&holder.email), "{}", mail.to);
    assert_eq!(mail.subject, "Your pass for Summit 2027");
    assert!(
        mail.body.contains(&string_of(&pass["code"])),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("Hello Hana Holder"));
    assert!(mail.body.contains("Active Community Contributor"));
    // The Message-ID is the stable delivery id, and the row is sent after one attempt.
    let row = scalar(
        &app.db,
        &format!(
            "SELECT count(*) AS n FROM outbox WHERE '<' || id || '@liaison>' = '{}' AND status = 'sent' AND attempts = 1
               AND topic = 'pass.issued' AND member_id = '{}'",
            mail.message_id, holder.id
        ),
    )
    .await;
    assert_eq!(row, 1);
    assert_eq!(count(&app.db, "outbox_attempts").await, 1);
}

#[tokio::test]
async fn bulk_issuance_mails_every_holder_their_own_code() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let mut holders = Vec::new();
    for i in 0..12 {
        holders.push(organizer(&app, &format!("Organizer {i}"), 10, 6).await);
    }
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let result = issue_passes(
        &app,
        &staff.token,
        &id,
        "bulk-mail",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(result["issued_count"], 10);
    let mails = app.wait_for_mails(10).await;
    assert_eq!(mails.len(), 10);
    for issued in result["issued"].as_array().expect("issued") {
        let code = string_of(&issued["pass"]["code"]);
        let member = holders
            .iter()
            .find(|h| h.id.to_string() == issued["member_id"])
            .expect("a holder");
        let theirs: Vec<_> = mails.iter().filter(|m| m.body.contains(&code)).collect();
        assert_eq!(theirs.len(), 1, "one mail holds {code}");
        assert!(theirs[0].to.contains(&member.email));
    }
}

#[tokio::test]
async fn a_refused_issuance_queues_no_mail() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    manual_pass(&app, &staff, &id, holder.id).await;
    // A second pass for the same member, and one over the quota: both refused.
    let again = send_manual_pass(&app, &staff, &id, holder.id, "acc").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let other = app.member("Otto Other").await;
    let over = send_manual_pass(&app, &staff, &id, other.id, "acc").await;
    assert_eq!(over.status(), StatusCode::CONFLICT);
    assert_eq!(
        count(&app.db, "outbox").await,
        1,
        "only the issued pass's mail"
    );
    assert_eq!(app.wait_for_mails(1).await.len(), 1);
}
