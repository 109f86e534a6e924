//! Ambassadorships: the public list, a region's ambassadors, and staff ending or removing one.

mod get;
mod list;
mod region;
mod update;

use liaison_tests::{body, id_of, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// `PATCH /v1/ambassadors/{id}`.
async fn change(app: &TestApp, token: Option<&str>, id: &str, request: &Value) -> Response {
    app.send_json(
        Method::PATCH,
        &format!("/v1/ambassadors/{id}"),
        token,
        request,
    )
    .await
}

/// The member ids of a list of ambassadorships, asserting 200.
async fn listed(app: &TestApp, path: &str) -> Vec<String> {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["member_id"].as_str().expect("member_id").to_owned())
        .collect()
}

/// Ana and Ben in `europe`, then Cho in `asia`; Ben's ambassadorship ended.
/// Returns their member ids.
async fn three_ambassadors_one_ended(app: &TestApp, staff: &Member) -> (String, String, String) {
    let (ana, _) = app.ambassador(staff, "Ana", "europe").await;
    let (ben, bens) = app.ambassador(staff, "Ben", "europe").await;
    let (cho, _) = app.ambassador(staff, "Cho", "asia").await;
    let response = change(
        app,
        Some(&staff.token),
        &id_of(&bens),
        &json!({"status": "ended", "reason": "Stepped down."}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    (ana.id.to_string(), ben.id.to_string(), cho.id.to_string())
}
