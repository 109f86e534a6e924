//! Contributions: claims, lists, verification, those derived from held
//! events, and batches imported from other tools.

mod claim;
mod import;
mod list;
mod mine;
mod verify;

use liaison_tests::{body, claim_request, id_of, patch_event, Member, TestApp};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

// Arranging and reading back, for the files of this folder.

/// A claim of `kind` linked to a group (and optionally an event).
fn linked_claim(kind: &str, group: &str, event: Option<&str>) -> Value {
    let mut request = claim_request(kind);
    request["group_id"] = json!(group);
    if let Some(event) = event {
        request["event_id"] = json!(event);
    }
    request
}

/// `POST /v1/contributions/{id}/verification`.
async fn verify(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    decision: &str,
    note: Option<&str>,
) -> Response {
    app.post(
        &format!("/v1/contributions/{id}/verification"),
        token,
        &json!({"decision": decision, "note": note}),
    )
    .await
}

/// The items of `path` (a contribution list) read by `token`, asserting 200.
async fn items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status(), StatusCode::OK, "list {path}");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// `GET /v1/contributions` with a query, by `member`.
async fn listed(app: &TestApp, member: &Member, query: &str) -> Vec<Value> {
    items(
        app,
        &member.token,
        &format!("/v1/contributions?limit=200{query}"),
    )
    .await
}

/// `GET /v1/me/contributions`, by `member`.
async fn mine(app: &TestApp, member: &Member) -> Vec<Value> {
    items(app, &member.token, "/v1/me/contributions?limit=200").await
}

/// The ids of some contributions, sorted.
fn ids(list: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = list.iter().map(id_of).collect();
    ids.sort();
    ids
}

/// The ids of some resources, sorted.
fn ids_of(resources: &[&Value]) -> Vec<String> {
    let mut ids: Vec<String> = resources.iter().map(|r| id_of(r)).collect();
    ids.sort();
    ids
}

/// The `event_organized` contributions a member holds.
async fn organized(app: &TestApp, member: &Member) -> Vec<Value> {
    mine(app, member)
        .await
        .into_iter()
        .filter(|c| c["kind"] == "event_organized")
        .collect()
}

/// A patch that must answer 200; returns the event.
async fn patched(app: &TestApp, member: &Member, event: &str, changes: &Value) -> Value {
    let response = patch_event(app, Some(&member.token), event, None, changes).await;
    assert_eq!(response.status(), StatusCode::OK, "patch {changes}");
    body(response).await
}

/// Sets a member's country with `PATCH /v1/me`.
async fn set_country(app: &TestApp, member: &Member, country: &str) {
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&member.token),
            &json!({ "country": country }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "set country");
}

/// Staff, Lea leading an approved group with Cory as co-organizer, and a
/// scheduled event three days ago: `(staff, lea, cory, group, event)`.
async fn a_past_scheduled_event(app: &TestApp) -> (Member, Member, Member, String, Value) {
    let staff = app.staff().await;
    let lead = app.member("Lea Lead").await;
    let co = app.member("Cory Co").await;
    let group = app.approved_group(&staff, &lead, "lyon-ops", "FR").await;
    app.add_co_organizer(&lead, &group, &co).await;
    let event = app.group_event(&lead, &group, -3, "scheduled", None).await;
    (staff, lead, co, group, event)
}
