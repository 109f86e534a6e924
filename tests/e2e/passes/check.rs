//! `POST /v1/passes/check`: the desk looks at a pass before it acts; nothing changes.

use liaison_tests::{assert_problem, body, string_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

use super::{redeem, two_passes_and_a_door, unknown_code, with_wrong_check};

async fn check(app: &TestApp, token: Option<&str>, code: &str) -> reqwest::Response {
    app.post("/v1/passes/check", token, &json!({"code": code}))
        .await
}

#[tokio::test]
async fn a_check_shows_the_pass_in_any_status_and_redeems_nothing() {
    let app = TestApp::spawn().await;
    let (staff, door, _, _, pass, other) = two_passes_and_a_door(&app).await;
    let code = string_of(&pass["code"]);
    // However it is typed.
    let typed = code.to_lowercase().replace('-', " ");
    for token in [door.as_str(), staff.token.as_str()] {
        let response = check(&app, Some(token), &typed).await;
        assert_eq!(response.status(), StatusCode::OK);
        let seen = body(response).await;
        assert_eq!(seen["id"], pass["id"]);
        assert_eq!(seen["status"], "issued");
    }
    // Still redeemable: the checks redeemed nothing.
    let response = redeem(&app, &door, &code).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = body(check(&app, Some(&door), &code).await).await;
    assert_eq!(seen["status"], "redeemed");
    // A revoked pass is shown as revoked.
    let response = app
        .post(
            &format!("/v1/passes/{}/revoke", string_of(&other["id"])),
            Some(&staff.token),
            &json!({"reason": "Duplicate registration"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = body(check(&app, Some(&door), &string_of(&other["code"])).await).await;
    assert_eq!(seen["status"], "revoked");
}

#[tokio::test]
async fn only_staff_and_door_keys_check_and_bad_codes_are_refused() {
    let app = TestApp::spawn().await;
    let (_, door, reader, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = string_of(&pass["code"]);
    assert_problem(check(&app, None, &code).await, 401, "unauthenticated").await;
    for token in [&holder.token, &reader] {
        assert_problem(check(&app, Some(token), &code).await, 403, "forbidden").await;
    }
    assert_problem(
        check(&app, Some(&door), &unknown_code()).await,
        404,
        "not_found",
    )
    .await;
    let problem = assert_problem(
        check(&app, Some(&door), &with_wrong_check(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "code");
    // The holder's pass is untouched.
    let seen = body(check(&app, Some(&door), &code).await).await;
    assert_eq!(seen["status"], "issued");
}
