//! `POST, GET /v1/messages/{id}/translations`: members propose, anyone reads.

use liaison_tests::{
    api_key, assert_problem, body, count, error_fields, id_of, page_ids, translation_request,
    TestApp,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_member_proposes_a_translation_and_anyone_lists_them() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let response = app.propose(&camille, &message, "FR").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let french = body(response).await;
    assert_eq!(location, format!("/v1/translations/{}", id_of(&french)));
    assert_eq!(french["status"], "proposed");
    assert_eq!(french["language"], "fr", "canonical case");
    assert_eq!(french["translator_id"], camille.id.to_string());
    assert_eq!(
        french["body"],
        "## Ce qui change\n\n- Migration à chaud des grandes instances\n"
    );
    let german = app.translation(&camille, &message, "de").await;
    app.decide_translation(&staff, &id_of(&german), "rejected")
        .await;
    let path = format!("/v1/messages/{message}/translations");
    let all = body(app.get(&path, None).await).await;
    assert_eq!(page_ids(&all), [id_of(&french), id_of(&german)]);
    let proposed = body(app.get(&format!("{path}?status=proposed"), None).await).await;
    assert_eq!(page_ids(&proposed), [id_of(&french)]);
    let first = body(app.get(&format!("{path}?limit=1"), None).await).await;
    assert!(first["next_cursor"].is_string());
    assert_eq!(
        app.get(&format!("{path}?status=maybe"), None)
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_problem(
        app.get(
            &format!("/v1/messages/{}/translations", uuid::Uuid::now_v7()),
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_translation_names_each_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    let path = format!("/v1/messages/{message}/translations");
    let problem = assert_problem(
        app.post(
            &path,
            Some(&camille.token),
            &json!({"language": "??", "title": "Hey", "body": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["language", "title", "body"]);
    let problem = assert_problem(
        app.post(&path, Some(&camille.token), &translation_request("EN"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["language"]);
    assert_eq!(problem["errors"][0]["code"], "same_as_original");
    let problem = assert_problem(
        app.post(
            &path,
            Some(&camille.token),
            &json!({"title": "Bonjour à tous", "body": "Salut"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["language"]);
    assert_eq!(count(&app.db, "message_translations").await, 0);
}

#[tokio::test]
async fn only_members_propose_translations() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let path = format!("/v1/messages/{message}/translations");
    assert_problem(
        app.post(&path, None, &translation_request("fr")).await,
        401,
        "unauthenticated",
    )
    .await;
    let key = api_key(&app, &["feedback:read"], &[]).await;
    assert_problem(
        app.post(&path, Some(&key), &translation_request("fr"))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "message_translations").await, 0);
}

#[tokio::test]
async fn a_language_with_an_accepted_translation_takes_no_more_proposals() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let camille = app.member("Camille").await;
    app.accepted_translation(&staff, &camille, &message, "fr")
        .await;
    let other = app.member("Other").await;
    assert_problem(
        app.propose(&other, &message, "fr").await,
        409,
        "already_exists",
    )
    .await;
    assert_eq!(count(&app.db, "message_translations").await, 1);
}
