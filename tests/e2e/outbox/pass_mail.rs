//! A pass holder gets the code by mail, however the pass was issued; a
//! refused issuance mails nothing.

use liaison_tests::{
    exec, id_of, issue_passes, manual_pass, my_passes, organizer, scalar, send_manual_pass,
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
    let attempts = scalar(
        &app.db,
        &format!(
            "SELECT count(*) AS n FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id
             WHERE '<' || o.id || '@liaison>' = '{}'",
            mail.message_id
        ),
    )
    .await;
    assert_eq!(attempts, 1, "one attempt at the mail");
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
    assert_eq!(app.wait_for_mails(1).await.len(), 1);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM outbox WHERE channel = 'mail' AND topic = 'pass.issued'"
        )
        .await,
        1,
        "only the issued pass's mail"
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM outbox WHERE channel = 'batch'"
        )
        .await,
        1,
        "the refused calls queued nothing"
    );
}

#[tokio::test]
async fn a_bulk_issuance_queues_one_row_that_becomes_a_mail_per_pass() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    for i in 0..6 {
        organizer(&app, &format!("Organizer {i}"), 10, 6).await;
    }
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let result = issue_passes(
        &app,
        &staff.token,
        &id,
        "bulk-batch",
        &json!({"program": "acc"}),
    )
    .await;
    assert_eq!(result["issued_count"], 6);
    assert_eq!(app.wait_for_mails(6).await.len(), 6);
    assert_eq!(app.wait_for_sent(6).await, 6, "its 6 mails");
    // The issuing transaction wrote one row; the dispatcher expanded it
    // once, into one mail per pass, each naming its pass.
    let batch = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox WHERE channel = 'batch' AND status = 'sent' AND attempts = 1
           AND jsonb_array_length(payload->'pass_ids') = 6",
    )
    .await;
    assert_eq!(batch, 1);
    let mails = scalar(
        &app.db,
        &format!(
            "SELECT count(DISTINCT o.payload->>'pass_id') AS n FROM outbox o JOIN passes p ON p.id::text = o.payload->>'pass_id'
             WHERE o.channel = 'mail' AND p.summit_id = '{id}' AND o.member_id = p.member_id"
        ),
    )
    .await;
    assert_eq!(mails, 6);
}

#[tokio::test]
async fn a_pass_shows_its_batch_pending_until_it_is_expanded() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    app.wait_for_mails(1).await;
    // The same pass queued again in a batch that a process which died
    // still holds for two seconds: the pass shows it pending meanwhile.
    exec(
        &app.db,
        &format!(
            "DELETE FROM outbox WHERE channel = 'mail';
             INSERT INTO outbox (id, channel, topic, payload, claimed_by, claimed_until)
             VALUES (uuid_generate_v7(), 'batch', 'pass.issued', '{{\"pass_ids\": [\"{}\"]}}', 'dead-worker',
                     now() + interval '2 seconds');",
            string_of(&pass["id"])
        ),
    )
    .await;
    let mine = my_passes(&app, &holder).await;
    assert_eq!(mine[0]["delivery"]["status"], "pending");
    // Once the lease runs out, the live dispatcher expands it and the code goes out.
    let mails = app.wait_for_mails(2).await;
    assert_eq!(mails.len(), 2);
    assert!(mails
        .iter()
        .all(|m| m.body.contains(&string_of(&pass["code"]))));
    assert_eq!(app.wait_for_sent(1).await, 1, "the new mail");
    let mine = my_passes(&app, &holder).await;
    assert_eq!(mine[0]["delivery"]["status"], "sent");
}
