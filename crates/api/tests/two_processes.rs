//! Quotas hold across server processes: two `liaison serve` processes on one
//! database, 50 concurrent bulk issuances split between them, never more
//! passes than the quota and never two passes for one member.
//!
//! This lives beside the binary (not in `tests/`) because only here does
//! Cargo hand a test the path of the built `liaison` executable.

use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

mod common;

use common::{
    admin_token, drop_database, free_port, liaison, migrated_database, scalar, wait_ready, Serve,
};

#[tokio::test]
async fn two_server_processes_racing_never_exceed_a_quota() {
    // `migrate` creates the database and applies every migration.
    let (name, url) = migrated_database("liaison_two_processes").await;
    let admin = liaison(&url, &["create-admin", "--email", "root@example.org"], 0)
        .env("LIAISON_ADMIN_PASSWORD", "correct horse battery")
        .output()
        .expect("create admin");
    assert!(admin.status.success());

    let db = Database::connect(url.clone()).await.expect("connect");
    // Sixty members with four verified talks each (12 points under acc v1).
    db.execute_unprepared(
        "INSERT INTO members (id, email, password_hash, display_name, country)
           SELECT gen_random_uuid(), 'm' || g || '@example.org', 'x', 'Member ' || g, 'FR' FROM generate_series(1, 60) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
         INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
           SELECT gen_random_uuid(), m.id, 'talk_given', current_date - 10 - n, 'A talk', 'verified'
           FROM members m CROSS JOIN generate_series(1, 4) n WHERE m.email LIKE 'm%@example.org';",
    )
    .await
    .expect("arrange members");

    let (port_a, port_b) = (free_port(), free_port());
    let _a = Serve(
        liaison(&url, &["serve"], port_a)
            .spawn()
            .expect("start server A"),
    );
    let _b = Serve(
        liaison(&url, &["serve"], port_b)
            .spawn()
            .expect("start server B"),
    );
    let (a, b) = (
        format!("http://127.0.0.1:{port_a}"),
        format!("http://127.0.0.1:{port_b}"),
    );
    wait_ready(&a).await;
    wait_ready(&b).await;

    let client = reqwest::Client::new();
    let token = admin_token(&client, &a).await;
    let today = chrono::Utc::now().date_naive();
    let summit: Value = client
        .post(format!("{a}/v1/summits"))
        .bearer_auth(&token)
        .json(
            &json!({"name": "Race summit", "city": "Lisbon", "starts_on": today, "ends_on": today,
                      "eligibility_cutoff": today, "programs": [{"program": "acc", "quota": 25}]}),
        )
        .send()
        .await
        .expect("create summit")
        .json()
        .await
        .expect("summit");
    let summit = summit["id"].as_str().expect("summit id").to_owned();

    let calls = (0..50).map(|i| {
        let base = if i % 2 == 0 { &a } else { &b };
        client
            .post(format!("{base}/v1/summits/{summit}/passes/issue"))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("race-{i}"))
            .json(&json!({"program": "acc", "max": 3}))
            .send()
    });
    let responses = futures_util::future::join_all(calls).await;
    let mut issued = 0;
    for response in responses {
        let response = response.expect("issue");
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let result: Value = response.json().await.expect("result");
        issued += result["issued_count"].as_i64().expect("issued_count");
    }
    assert_eq!(issued, 25, "the calls together issued exactly the quota");
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*)::bigint AS n FROM passes WHERE status <> 'revoked'"
        )
        .await,
        25
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*)::bigint AS n FROM (SELECT member_id FROM passes WHERE status <> 'revoked' GROUP BY 1 HAVING count(*) > 1) d"
        )
        .await,
        0,
        "no member holds two passes"
    );
    db.close().await.expect("close");
    drop((_a, _b));
    drop_database(&name).await;
}
