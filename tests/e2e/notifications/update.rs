//! A member turns optional mails off and on; pass codes always go.

use liaison_tests::{api_key, assert_problem, body, error_fields, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_member_reads_and_changes_their_mail_choices() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app.get("/v1/me/notifications", Some(&ada.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let choices = body(response).await;
    assert_eq!(
        choices["always"],
        json!([
            "pass.issued",
            "account.verify_email",
            "account.password_reset"
        ])
    );
    assert_eq!(
        choices["mail"]["feedback.status_changed"], true,
        "every optional mail starts on"
    );
    assert_eq!(choices["mail"].as_object().map(|m| m.len()), Some(5));
    let patch = json!({"mail": {"feedback.status_changed": false, "group.reviewed": false}});
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            Some(&ada.token),
            &patch,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed = body(response).await;
    assert_eq!(changed["mail"]["feedback.status_changed"], false);
    assert_eq!(changed["mail"]["group.reviewed"], false);
    assert_eq!(
        changed["mail"]["application.decided"], true,
        "left out: unchanged"
    );
    // Read back; then on again.
    let read = body(app.get("/v1/me/notifications", Some(&ada.token)).await).await;
    assert_eq!(read, changed);
    let again = json!({"mail": {"group.reviewed": true}});
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            Some(&ada.token),
            &again,
        )
        .await;
    let after = body(response).await;
    assert_eq!(after["mail"]["group.reviewed"], true);
    assert_eq!(after["mail"]["feedback.status_changed"], false);
}

#[tokio::test]
async fn pass_codes_cannot_be_turned_off_and_unknown_mails_are_named() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let bad = json!({"mail": {"pass.issued": false, "newsletter": false, "group.reviewed": false}});
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            Some(&ada.token),
            &bad,
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["mail.newsletter", "mail.pass.issued"]
    );
    // Nothing written, not even the valid change.
    let read = body(app.get("/v1/me/notifications", Some(&ada.token)).await).await;
    assert_eq!(read["mail"]["group.reviewed"], true);
    let not_bool = json!({"mail": {"group.reviewed": "no"}});
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            Some(&ada.token),
            &not_bool,
        )
        .await;
    assert_problem(response, 422, "validation_failed").await;
}

#[tokio::test]
async fn mail_choices_are_a_members_own() {
    let app = TestApp::spawn().await;
    assert_problem(
        app.get("/v1/me/notifications", None).await,
        401,
        "unauthenticated",
    )
    .await;
    let key = api_key(&app, &["passes:read"], &[]).await;
    assert_problem(
        app.get("/v1/me/notifications", Some(&key)).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me/notifications",
            None,
            &json!({"mail": {}}),
        )
        .await;
    assert_problem(response, 401, "unauthenticated").await;
}

/// Found by schemathesis: `mail` was documented as a map of any names, and
/// a name that is no optional mail is a 422.
#[tokio::test]
async fn the_document_names_exactly_the_mails_a_member_may_turn_off() {
    let doc = liaison_tests::document();
    let mail = &liaison_tests::component(&doc, "NotificationsPatch")["properties"]["mail"];
    assert_eq!(mail["additionalProperties"], false);
    let mut documented: Vec<String> = mail["properties"]
        .as_object()
        .expect("mails")
        .keys()
        .cloned()
        .collect();
    documented.sort();
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let choices = body(app.get("/v1/me/notifications", Some(&ada.token)).await).await;
    let mut optional: Vec<String> = choices["mail"]
        .as_object()
        .expect("mail")
        .keys()
        .cloned()
        .collect();
    optional.sort();
    assert_eq!(documented, optional);
    for name in ["", "pass.issued"] {
        let patch = json!({"mail": {name: false}});
        let response = app
            .send_json(
                Method::PATCH,
                "/v1/me/notifications",
                Some(&ada.token),
                &patch,
            )
            .await;
        assert_problem(response, 422, "validation_failed").await;
    }
}
