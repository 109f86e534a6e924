//! Passes and appeals: issuing in bulk or by hand, reading them back, and
//! the checks every issued code must pass.

use liaison_domain::pass;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, scalar, Member, TestApp};

/// `POST /v1/summits/{id}/passes/issue` on the server at `base`.
pub async fn issue_passes_at(
    app: &TestApp,
    base: &str,
    token: &str,
    summit: &str,
    key: Option<&str>,
    request: &Value,
) -> Response {
    let mut builder = app
        .client
        .post(format!("{base}/v1/summits/{summit}/passes/issue"))
        .json(request);
    if !token.is_empty() {
        builder = builder.bearer_auth(token);
    }
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.send().await.expect("issue passes")
}

/// An issuance on the main server that must answer 200; returns its body.
pub async fn issue_passes(
    app: &TestApp,
    token: &str,
    summit: &str,
    key: &str,
    request: &Value,
) -> Value {
    let response = issue_passes_at(app, &app.address, token, summit, Some(key), request).await;
    assert_eq!(response.status(), StatusCode::OK, "issue passes {request}");
    body(response).await
}

/// The member ids of an issuance, in the order answered.
pub fn issued_members(result: &Value) -> Vec<String> {
    result["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .map(|i| i["member_id"].as_str().expect("member id").to_owned())
        .collect()
}

/// A manual pass as staff.
pub async fn send_manual_pass(
    app: &TestApp,
    staff: &Member,
    summit: &str,
    member: Uuid,
    program: &str,
) -> Response {
    app.post(
        &format!("/v1/summits/{summit}/passes"),
        Some(&staff.token),
        &json!({"member_id": member, "program": program, "reason": "Keynote speaker"}),
    )
    .await
}

/// A manual pass that must be created; returns it.
pub async fn manual_pass(app: &TestApp, staff: &Member, summit: &str, member: Uuid) -> Value {
    let response = send_manual_pass(app, staff, summit, member, "acc").await;
    assert_eq!(response.status(), StatusCode::CREATED, "manual pass");
    body(response).await
}

/// Live (not revoked) passes of a summit, counted in SQL.
pub async fn live_passes(app: &TestApp, summit: &str, program: Option<&str>) -> i64 {
    let program = program
        .map(|p| format!(" AND program = '{p}'"))
        .unwrap_or_default();
    scalar(
        &app.db,
        &format!("SELECT count(*)::bigint AS n FROM passes WHERE summit_id = '{summit}' AND status <> 'revoked'{program}"),
    )
    .await
}

/// A pass code as shown: 19 characters, `XXXX-XXXX-XXXX-XXXX`, Crockford
/// base32, with a valid check character.
pub fn assert_code_shape(code: &str) {
    assert_eq!(code.len(), 19, "{code}");
    for (i, c) in code.chars().enumerate() {
        if [4, 9, 14].contains(&i) {
            assert_eq!(c, '-', "{code}");
        } else {
            assert!(
                pass::ALPHABET.contains(&(c as u8)),
                "{c} of {code} is Crockford base32"
            );
        }
    }
    assert_eq!(
        pass::parse(code).ok(),
        Some(code.replace('-', "")),
        "{code} carries a valid check character"
    );
}

/// Files an appeal as `member`.
pub async fn file_appeal(app: &TestApp, member: &Member, summit: &str, program: &str) -> Response {
    app.post(
        &format!("/v1/summits/{summit}/appeals"),
        Some(&member.token),
        &json!({"program": program, "message": "My meetups were on luma, not on meetup."}),
    )
    .await
}

/// A summit's appeals as staff read them.
pub async fn appeals_of(app: &TestApp, staff: &Member, summit: &str) -> Vec<Value> {
    let response = app
        .get(
            &format!("/v1/summits/{summit}/appeals?limit=200"),
            Some(&staff.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "list appeals");
    body(response).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

/// A member's own passes.
pub async fn my_passes(app: &TestApp, member: &Member) -> Vec<Value> {
    let response = app.get("/v1/me/passes", Some(&member.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "my passes");
    body(response).await["items"]
        .as_array()
        .expect("a page of passes")
        .clone()
}

/// A pass without its `delivery`, which moves on its own (pending, then
/// sent) as the mail goes out: for comparing a pass read at two moments.
pub fn without_delivery(pass: &Value) -> Value {
    let mut pass = pass.clone();
    if let Some(map) = pass.as_object_mut() {
        map.remove("delivery");
    }
    pass
}
