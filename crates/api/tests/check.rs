//! `liaison check` finds no half-applied change on a consistent database,
//! and names each broken rule (exit 1) on one that was tampered with.

use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

mod common;

use common::{drop_database, liaison, migrated_database};

fn check(url: &str) -> (bool, Value) {
    let output = liaison(url, &["check"], 0)
        .output()
        .expect("run liaison check");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    (output.status.success(), report)
}

fn violations(report: &Value, rule: &str) -> i64 {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["rule"] == rule)
        .and_then(|c| c["violations"].as_i64())
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

#[tokio::test]
async fn check_passes_a_consistent_database_and_names_what_was_tampered_with() {
    let (name, url) = migrated_database("liaison_check").await;
    let (ok, report) = check(&url);
    assert!(ok, "{report}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["checks"].as_array().map(Vec::len), Some(7));

    // Behind the API's back: a pass with no audit entry, over a quota of 0.
    let db = Database::connect(url.clone()).await.expect("connect");
    db.execute_unprepared(
        "INSERT INTO members (id, email, password_hash, display_name) VALUES ('00000000-0000-7000-8000-000000000001', 'x@example.org', 'x', 'X');
         INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff)
         VALUES ('00000000-0000-7000-8000-0000000000a1', 'S', 'Lisbon', current_date, current_date, current_date);
         INSERT INTO summit_programs (summit_id, program, rules_version, quota) VALUES ('00000000-0000-7000-8000-0000000000a1', 'acc', 1, 0);
         INSERT INTO passes (id, summit_id, program, member_id, code, status, origin, reason)
         VALUES (uuid_generate_v7(), '00000000-0000-7000-8000-0000000000a1', 'acc', '00000000-0000-7000-8000-000000000001',
                 '0123456789ABCDEF', 'issued', 'manual', 'by hand, unaudited');",
    )
    .await
    .expect("tamper");
    let (ok, report) = check(&url);
    assert!(!ok, "exit 1 on a broken rule");
    assert_eq!(report["ok"], false);
    assert_eq!(violations(&report, "every quota holds"), 1);
    assert_eq!(
        violations(&report, "every pass issued by hand or on appeal is audited"),
        1
    );
    assert_eq!(
        violations(&report, "no member holds two passes at a summit"),
        0
    );
    assert_eq!(
        report["checks"][0]["examples"][0],
        "00000000-0000-7000-8000-0000000000a1/acc"
    );
    db.close().await.expect("close");
    drop_database(&name).await;
}
