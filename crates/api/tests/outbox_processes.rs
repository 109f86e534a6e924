//! The outbox across processes: several `liaison worker` processes share one
//! backlog without two holding a row at once, and a process killed in the
//! middle of dispatching loses nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

mod common;

use common::{drop_database, liaison, migrated_database, scalar, Serve};

/// `n` mails queued for one member, as changes would queue them.
async fn backlog(db: &DatabaseConnection, n: usize) {
    db.execute_unprepared(&format!(
        "INSERT INTO members (id, email, password_hash, display_name) VALUES (gen_random_uuid(), 'mia@example.org', 'x', 'Mia');
         INSERT INTO outbox (id, channel, topic, member_id, payload)
         SELECT uuid_generate_v7(), 'mail', 'pass.issued', (SELECT id FROM members WHERE email = 'mia@example.org'),
                jsonb_build_object('code', 'CODE-' || g, 'summit', 'Summit', 'city', 'Lisbon', 'starts_on', '2027-05-01',
                                   'ends_on', '2027-05-03', 'program_name', 'Active Community Contributor')
         FROM generate_series(1, {n}) g"
    ))
    .await
    .expect("queue the backlog");
}

fn worker(url: &str, mail_dir: &Path, lease_secs: u64) -> Serve {
    Serve(
        liaison(url, &["worker"], 0)
            .env("LIAISON_MAIL_DIR", mail_dir)
            .env("LIAISON_OUTBOX_POLL_MS", "50")
            .env("LIAISON_OUTBOX_LEASE_SECS", lease_secs.to_string())
            .spawn()
            .expect("start liaison worker"),
    )
}

fn mails_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    })
}

async fn wait_until_sent(db: &DatabaseConnection, n: i64, within: Duration) {
    let start = Instant::now();
    loop {
        let sent = scalar(db, "SELECT count(*) AS n FROM outbox WHERE status = 'sent'").await;
        if sent >= n {
            return;
        }
        assert!(
            start.elapsed() < within,
            "only {sent} of {n} sent after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn three_workers_share_a_backlog_of_ten_thousand_and_deliver_each_row_once() {
    let (name, url) = migrated_database("liaison_outbox_three").await;
    let db = Database::connect(url.clone()).await.expect("connect");
    backlog(&db, 10_000).await;
    let dir = std::env::temp_dir().join(format!("{name}-mail"));
    let _workers: Vec<Serve> = (0..3).map(|_| worker(&url, &dir, 60)).collect();
    wait_until_sent(&db, 10_000, Duration::from_secs(180)).await;
    // One attempt per row: no row was held by two processes at once.
    assert_eq!(
        scalar(&db, "SELECT count(*) AS n FROM outbox_attempts").await,
        10_000
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) AS n FROM (SELECT outbox_id FROM outbox_attempts GROUP BY 1 HAVING count(*) > 1) t").await,
        0
    );
    let workers = scalar(
        &db,
        "SELECT count(DISTINCT worker) AS n FROM outbox_attempts",
    )
    .await;
    assert!(workers >= 2, "the work was shared ({workers} worker)");
    assert_eq!(mails_in(&dir), 10_000);
    let _ = std::fs::remove_dir_all(&dir);
    drop(db);
    drop_database(&name).await;
}

#[tokio::test]
async fn a_worker_killed_mid_dispatch_loses_nothing() {
    let (name, url) = migrated_database("liaison_outbox_kill").await;
    let db = Database::connect(url.clone()).await.expect("connect");
    backlog(&db, 3_000).await;
    let dir = std::env::temp_dir().join(format!("{name}-mail"));
    let mut first = worker(&url, &dir, 2);
    // Kill it (SIGKILL: no graceful stop) once it has started but not finished.
    let start = Instant::now();
    loop {
        let sent = scalar(
            &db,
            "SELECT count(*) AS n FROM outbox WHERE status = 'sent'",
        )
        .await;
        if sent > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the first worker never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.0.kill().expect("SIGKILL the worker");
    let _ = first.0.wait();
    let left = scalar(
        &db,
        "SELECT count(*) AS n FROM outbox WHERE status <> 'sent'",
    )
    .await;
    assert!(left > 0, "killed before the end");
    // A new worker takes up everything, the dead one's leased rows once the lease runs out.
    let _second = worker(&url, &dir, 2);
    wait_until_sent(&db, 3_000, Duration::from_secs(120)).await;
    // At least once, under a stable id: one file per delivery id, however often sent.
    assert_eq!(mails_in(&dir), 3_000);
    let _ = std::fs::remove_dir_all(&dir);
    drop(db);
    drop_database(&name).await;
}
