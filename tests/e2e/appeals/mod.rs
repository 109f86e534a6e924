//! Appeals against a summit's eligibility.

mod decide;
mod file;
mod list;

use liaison_tests::{body, file_appeal, id_of, summit, Member, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// Mia and Otto, and a summit with an `acc` quota of 3: `(staff, mia, otto, summit id)`.
async fn a_summit_to_appeal_at(app: &TestApp) -> (Member, Member, Member, String) {
    let staff = app.staff().await;
    let mia = app.member("Mia Member").await;
    let other = app.member("Otto Other").await;
    let id = id_of(&summit(app, &staff, json!([{"program": "acc", "quota": 3}])).await);
    (staff, mia, other, id)
}

/// Mia's appeal at the summit, asserting 201; returns it.
async fn filed(app: &TestApp, mia: &Member, summit: &str) -> Value {
    let response = file_appeal(app, mia, summit, "acc").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await
}
