//! Mail over SMTP: a real server process (aiosmtpd) receives the pass code.

use liaison_api::settings::Secret;
use liaison_tests::{id_of, manual_pass, string_of, summit, SmtpServer, TestApp};
use serde_json::json;

#[tokio::test]
async fn with_an_smtp_url_the_code_arrives_at_a_real_smtp_server() {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let app = TestApp::spawn_with(move |s| s.outbox.smtp_url = Some(Secret(url))).await;
    let staff = app.staff().await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 10}])).await);
    let pass = manual_pass(&app, &staff, &id, holder.id).await;
    let received = smtp.wait_for("pass.issued", 1).await;
    assert_eq!(received.len(), 1, "one message at the SMTP server");
    let message = &received[0];
    assert!(message.contains(&holder.email), "{message}");
    assert!(
        message.contains("Subject: Your pass for Summit 2027"),
        "{message}"
    );
    assert!(message.contains(&string_of(&pass["code"])), "{message}");
    assert_eq!(app.wait_for_sent(1).await, 1);
    assert!(
        app.mails().is_empty(),
        "nothing in the mail folder when SMTP is configured"
    );
}
