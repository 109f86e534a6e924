//! `POST /v1/passes/redeem`: a code is redeemed once, however it is typed.

use futures_util::future::join_all;
use liaison_tests::{
    api_key, assert_problem, body, count, error_fields, id_of, manual_pass, my_passes, string_of,
    summit, TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

use super::{post_at, redeem, two_passes_and_a_door, unknown_code, with_wrong_check};

#[tokio::test]
async fn only_staff_and_passes_redeem_keys_redeem_a_code() {
    let app = TestApp::spawn().await;
    let (_, _, reader, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = string_of(&pass["code"]);
    assert_problem(
        app.post("/v1/passes/redeem", None, &json!({"code": code}))
            .await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [&holder.token, &reader] {
        assert_problem(redeem(&app, token, &code).await, 403, "forbidden").await;
    }
    assert_eq!(
        my_passes(&app, &holder).await[0]["status"],
        "issued",
        "nothing redeemed"
    );
}

#[tokio::test]
async fn a_mistyped_or_garbage_code_is_422_and_an_unknown_one_404() {
    let app = TestApp::spawn().await;
    let (_, door, _, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = string_of(&pass["code"]);
    let mistyped = assert_problem(
        redeem(&app, &door, &with_wrong_check(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(error_fields(&mistyped), ["code"]);
    for garbage in [
        "",
        "hello",
        "ABCD-EFGH",
        "UUUU-UUUU-UUUU-UUUU",
        "ABCD-EFGH-JKMN-PQR!",
    ] {
        assert_problem(redeem(&app, &door, garbage).await, 422, "invalid_code").await;
    }
    assert_problem(redeem(&app, &door, &unknown_code()).await, 404, "not_found").await;
    assert_eq!(
        my_passes(&app, &holder).await[0]["status"],
        "issued",
        "nothing redeemed yet"
    );
}

#[tokio::test]
async fn a_code_is_redeemed_once_however_it_is_typed() {
    let app = TestApp::spawn().await;
    let (staff, door, _, holder, pass, _) = two_passes_and_a_door(&app).await;
    let code = string_of(&pass["code"]);
    // Lower case, spaces instead of dashes, stray spaces: still the code.
    let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
    let response = redeem(&app, &door, &typed).await;
    assert_eq!(response.status(), StatusCode::OK);
    let redeemed = body(response).await;
    assert_eq!(redeemed["id"], pass["id"]);
    assert_eq!(redeemed["status"], "redeemed");
    assert!(redeemed["redeemed_at"].is_string());
    assert_eq!(my_passes(&app, &holder).await[0]["status"], "redeemed");
    let again = assert_problem(
        redeem(&app, &staff.token, &code.replace('-', "")).await,
        409,
        "already_redeemed",
    )
    .await;
    assert!(again["detail"].is_string());
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 1);
}

#[tokio::test]
async fn a_revoked_pass_is_gone_at_the_door() {
    let app = TestApp::spawn().await;
    let (staff, _, _, _, _, revoked_pass) = two_passes_and_a_door(&app).await;
    let revoke = app
        .post(
            &format!("/v1/passes/{}/revoke", id_of(&revoked_pass)),
            Some(&staff.token),
            &json!({"reason": "issued to the wrong person"}),
        )
        .await;
    assert_eq!(revoke.status(), StatusCode::OK);
    assert_problem(
        redeem(&app, &staff.token, &string_of(&revoked_pass["code"])).await,
        410,
        "revoked",
    )
    .await;
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 0);
}

#[tokio::test]
async fn a_wrong_check_character_is_refused_before_any_lookup() {
    // No pass exists at all: a well-formed code is looked up (404), a
    // mistyped one never is (422).
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    assert_eq!(count(&app.db, "passes").await, 0);
    let code = unknown_code();
    assert_problem(redeem(&app, &staff.token, &code).await, 404, "not_found").await;
    let problem = assert_problem(
        redeem(&app, &staff.token, &with_wrong_check(&code)).await,
        422,
        "invalid_code",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "invalid_code");
    assert_eq!(count(&app.db, "passes").await, 0);
}

#[tokio::test]
async fn race_twenty_redemptions_of_one_code_redeem_it_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let second = app.second_server().await;
    let door = api_key(&app, &["passes:redeem"], &[]).await;
    let holder = app.member("Hana Holder").await;
    let id = id_of(&summit(&app, &staff, json!([{"program": "acc", "quota": 1}])).await);
    let code = string_of(&manual_pass(&app, &staff, &id, holder.id).await["code"]);
    let app_ref = &app;
    let calls = (0..20).map(|i| {
        let base = if i % 2 == 0 {
            app_ref.address.clone()
        } else {
            second.clone()
        };
        let token = if i % 3 == 0 {
            staff.token.clone()
        } else {
            door.clone()
        };
        let code = code.clone();
        async move {
            post_at(
                app_ref,
                &base,
                &token,
                "/v1/passes/redeem",
                None,
                &json!({"code": code}),
            )
            .await
        }
    });
    let responses = join_all(calls).await;
    let ok = responses
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(ok, 1, "{responses:?}");
    for (status, answer) in responses.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["code"], "already_redeemed");
    }
    assert_eq!(my_passes(&app, &holder).await[0]["status"], "redeemed");
    assert_eq!(app.audited(&staff, "pass", "pass.redeemed").await, 1);
}
