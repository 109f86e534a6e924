//! `seed-demo --scale large` loads the realistic data set in minutes, with
//! its counts, consistent (`liaison check`), and a second run changes nothing.

use sea_orm::Database;

mod common;

use common::{drop_database, liaison, migrated_database, scalar};

#[tokio::test]
async fn the_large_data_set_loads_with_its_counts_consistent_and_once() {
    let (name, url) = migrated_database("liaison_seed_large").await;
    let started = std::time::Instant::now();
    let seeded = liaison(&url, &["seed-demo", "--scale", "large"], 0)
        .output()
        .expect("run seed-demo");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert!(
        started.elapsed().as_secs() < 600,
        "minutes, not hours: {:?}",
        started.elapsed()
    );
    let db = Database::connect(url.clone()).await.expect("connect");
    let count = |sql: &'static str| {
        let db = &db;
        async move { scalar(db, sql).await }
    };
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM members WHERE email LIKE '%@scale.example'").await,
        100_000
    );
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM regions WHERE slug LIKE 'scale-%'").await,
        20
    );
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM groups WHERE slug LIKE 'scale-group-%'").await,
        2_000
    );
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM events WHERE source = 'scale'").await,
        50_000
    );
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM feedback").await,
        200_000
    );
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM contributions c JOIN members m ON m.id = c.member_id WHERE m.email LIKE '%@scale.example'").await,
        1_000_000
    );
    let checked = liaison(&url, &["check"], 0).output().expect("run check");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let again = liaison(&url, &["seed-demo", "--scale", "large"], 0)
        .output()
        .expect("run seed-demo again");
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("there already"));
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM feedback").await,
        200_000
    );
    db.close().await.expect("close");
    drop_database(&name).await;
}
