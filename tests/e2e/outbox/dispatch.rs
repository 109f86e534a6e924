//! The dispatcher: rows claimed by one process at a time, a dead process's
//! rows taken up after its lease, failures retried with backoff. The rows
//! read back are the test's own (`pass.issued`), not the verification mail
//! each registration queues.

use std::time::Duration;

use liaison_tests::{exec, scalar, TestApp};

/// Queues `n` mails to `member` straight in the outbox, as a change would.
async fn queue(app: &TestApp, member: uuid::Uuid, n: usize) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO outbox (id, channel, topic, member_id, payload)
             SELECT uuid_generate_v7(), 'mail', 'pass.issued', '{member}',
                    jsonb_build_object('code', 'CODE-' || g, 'summit', 'Summit', 'city', 'Lisbon', 'starts_on', '2027-05-01',
                                       'ends_on', '2027-05-03', 'program_name', 'Active Community Contributor')
             FROM generate_series(1, {n}) g"
        ),
    )
    .await;
}

#[tokio::test]
async fn two_servers_share_a_backlog_and_deliver_each_row_once() {
    let app = TestApp::spawn().await;
    let _second = app.second_server().await;
    let member = app.member("Mia").await;
    queue(&app, member.id, 300).await;
    let mails = app.wait_for_mails(300).await;
    assert_eq!(mails.len(), 300);
    // Let any late duplicate show itself.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        scalar(
            &app.db,
            "SELECT count(*) AS n FROM outbox_attempts JOIN outbox o ON o.id = outbox_id AND o.topic = 'pass.issued'"
        )
        .await,
        300,
        "one attempt per row"
    );
    let workers = scalar(
        &app.db,
        "SELECT count(DISTINCT worker) AS n FROM outbox_attempts JOIN outbox o ON o.id = outbox_id AND o.topic = 'pass.issued'",
    )
    .await;
    assert!(workers >= 1);
    let pending = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox WHERE topic = 'pass.issued' AND status <> 'sent'",
    )
    .await;
    assert_eq!(pending, 0);
}

#[tokio::test]
async fn a_row_held_by_a_process_that_died_is_delivered_once_its_lease_runs_out() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia").await;
    // Queued and claimed in one transaction by a worker that is gone, its
    // lease running for two more seconds (the live dispatcher is woken at
    // commit, when the row is already held).
    exec(
        &app.db,
        &format!(
            "BEGIN;
             INSERT INTO outbox (id, channel, topic, member_id, payload, claimed_by, claimed_until)
             VALUES (uuid_generate_v7(), 'mail', 'pass.issued', '{}', '{{\"code\": \"CODE-1\"}}', 'dead-worker',
                     now() + interval '2 seconds');
             COMMIT;",
            member.id
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(app.mails().is_empty(), "not taken while the lease holds");
    let mails = app.wait_for_mails(1).await;
    assert_eq!(mails.len(), 1);
    let worker = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox_attempts JOIN outbox o ON o.id = outbox_id AND o.topic = 'pass.issued' WHERE worker <> 'dead-worker' AND ok",
    )
    .await;
    assert_eq!(worker, 1);
}

#[tokio::test]
async fn a_failing_delivery_is_recorded_and_retried_later() {
    // The mail folder is a file: every write fails.
    let blocker =
        std::env::temp_dir().join(format!("liaison-not-a-folder-{}", uuid::Uuid::new_v4()));
    std::fs::write(&blocker, b"not a folder").expect("a file");
    let path = blocker.clone();
    let app = TestApp::spawn_with(move |s| s.outbox.mail_dir = path.join("mail")).await;
    let member = app.member("Mia").await;
    queue(&app, member.id, 1).await;
    let start = std::time::Instant::now();
    while scalar(&app.db, "SELECT count(*) AS n FROM outbox_attempts JOIN outbox o ON o.id = outbox_id AND o.topic = 'pass.issued'").await == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no attempt recorded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let waiting = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox WHERE topic = 'pass.issued' AND status = 'pending' AND attempts = 1 AND last_error IS NOT NULL
           AND next_attempt_at > now() AND claimed_by IS NULL",
    )
    .await;
    assert_eq!(waiting, 1, "pending, with its error and a later retry");
    let failed_attempt = scalar(
        &app.db,
        "SELECT count(*) AS n FROM outbox_attempts JOIN outbox o ON o.id = outbox_id AND o.topic = 'pass.issued' WHERE NOT ok",
    )
    .await;
    assert_eq!(failed_attempt, 1);
    let _ = std::fs::remove_file(&blocker);
}
