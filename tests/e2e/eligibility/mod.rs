//! Eligibility for a summit's passes.

mod list;
mod member;

use chrono::{Duration, NaiveDate};
use liaison_tests::{cutoff, exec, id_of, summit, Member, TestApp};
use serde_json::json;
use uuid::Uuid;

// Arranging and reading back, for the files of this folder.

/// A contribution of `member`, `kind`, on `day`, with `status`.
async fn contribution(app: &TestApp, member: Uuid, kind: &str, day: NaiveDate, status: &str) {
    exec(
        &app.db,
        &format!(
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
             VALUES (gen_random_uuid(), '{member}', '{kind}', DATE '{day}', 'arranged', '{status}')"
        ),
    )
    .await;
}

/// The day `before` days before the cutoff.
fn before_cutoff(before: i64) -> NaiveDate {
    cutoff() - Duration::days(before)
}

/// Eve, with verified organized events on the window's edges, six verified
/// talks (four count), two pending talks (one in the window) and a rejected
/// documentation; and a summit with an `acc` quota of 10: `(eve, summit id)`.
async fn eve_on_the_edges(app: &TestApp, staff: &Member) -> (Member, String) {
    let eve = app.member("Eve Edge").await;
    // event_organized (2 points, max 12): the window is (cutoff − 365, cutoff].
    for d in [
        before_cutoff(365),
        before_cutoff(364),
        before_cutoff(0),
        before_cutoff(-1),
    ] {
        contribution(app, eve.id, "event_organized", d, "verified").await;
    }
    // talk_given (3 points, max 4): six in the window, the four most recent count.
    for before in [300, 250, 200, 150, 100, 50] {
        contribution(app, eve.id, "talk_given", before_cutoff(before), "verified").await;
    }
    contribution(app, eve.id, "talk_given", before_cutoff(10), "pending").await;
    contribution(app, eve.id, "talk_given", before_cutoff(400), "pending").await;
    contribution(app, eve.id, "documentation", before_cutoff(5), "rejected").await;
    let id = id_of(&summit(app, staff, json!([{"program": "acc", "quota": 10}])).await);
    (eve, id)
}
