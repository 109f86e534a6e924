//! `PATCH /v1/messages/{id}`: the author and staff edit, honouring `If-Match`.

use liaison_tests::{assert_problem, body, error_fields, etag, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_author_edits_a_message_honouring_if_match() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let (ambassador, _) = app.ambassador(&staff, "Amina", "europe").await;
    let message = id_of(&app.message(&ambassador, json!(["europe"])).await);
    let path = format!("/v1/messages/{message}");
    let tag = etag(&app.get(&path, Some(&ambassador.token)).await);
    let change = json!({"title": "The 2027.1 release: upgrade guide", "body": "# New\n", "link": null,
                        "expires_at": null, "languages": ["FR", "pt-br"]});
    assert_problem(
        app.patch_if_match(&path, &ambassador.token, Some("\"stale\""), &change)
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let response = app
        .patch_if_match(&path, &ambassador.token, Some(&tag), &change)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let changed = body(response).await;
    assert_eq!(changed["title"], "The 2027.1 release: upgrade guide");
    assert_eq!(changed["body"], "# New\n");
    assert_eq!(changed["link"], json!(null));
    assert_eq!(changed["expires_at"], json!(null));
    assert_eq!(changed["languages"], json!(["fr", "pt-BR"]));
    assert_eq!(changed["audience"], json!(["europe"]));
    let staff_edit = app
        .patch_if_match(
            &path,
            &staff.token,
            None,
            &json!({"link": "https://example.org/guide"}),
        )
        .await;
    assert_eq!(staff_edit.status(), StatusCode::OK);
    let read = body(app.get(&path, None).await).await;
    assert_eq!(read["link"], "https://example.org/guide");
    assert_eq!(read["title"], "The 2027.1 release: upgrade guide");
    assert_eq!(app.audited(&staff, "message", "message.updated").await, 2);
}

#[tokio::test]
async fn only_the_author_and_staff_edit() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = id_of(&app.message(&staff, json!("all")).await);
    let path = format!("/v1/messages/{message}");
    let change = json!({"title": "Hijacked title"});
    let anonymous = app
        .call(reqwest::Method::PATCH, &path, None)
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_problem(anonymous, 401, "unauthenticated").await;
    let other = app.member("Mallory").await;
    assert_problem(
        app.patch_if_match(&path, &other.token, None, &change).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.patch_if_match(
            &format!("/v1/messages/{}", uuid::Uuid::now_v7()),
            &staff.token,
            None,
            &change,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        body(app.get(&path, None).await).await["title"],
        "The 2027.1 release is out"
    );
}

#[tokio::test]
async fn an_invalid_edit_names_each_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let message = app.message(&staff, json!("all")).await;
    let path = format!("/v1/messages/{}", id_of(&message));
    let bad = json!({"title": "Hey", "body": "", "link": "javascript:alert(1)",
                     "expires_at": chrono::Utc::now() - chrono::Duration::hours(1), "languages": ["fr", "not a tag"]});
    let problem = assert_problem(
        app.patch_if_match(&path, &staff.token, None, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        error_fields(&problem),
        ["title", "body", "link", "expires_at", "languages[1]"]
    );
    let read = body(app.get(&path, Some(&staff.token)).await).await;
    assert_eq!(read, message, "nothing changed");
}
