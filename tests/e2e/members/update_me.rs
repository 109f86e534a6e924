//! `PATCH /v1/me`: changing the own profile, `If-Match`, validation and races.

use liaison_tests::{api_key, assert_problem, body, error_fields, etag, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{me, patch_me};

#[tokio::test]
async fn changing_ones_own_profile_needs_a_signed_in_member() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = app
        .send_json(Method::PATCH, "/v1/me", None, &json!({"city": "Lyon"}))
        .await;
    assert_problem(response, 401, "unauthenticated").await;
    let key = api_key(&app, &["passes:read"], &[]).await;
    let response = app
        .send_json(
            Method::PATCH,
            "/v1/me",
            Some(&key),
            &json!({"city": "Lyon"}),
        )
        .await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(me(&app, &ada).await["city"], Value::Null);
}

#[tokio::test]
async fn patching_ones_profile_changes_the_fields_sent_and_keeps_the_others() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({
            "city": "  Lyon ", "affiliation": "independent", "bio": "Runs the Lyon meetup.",
            "languages": ["fr", "en", "pt-BR", "fr"], "skills": ["Translation", "speaking"]
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let returned_tag = etag(&response);
    let patched = body(response).await;
    assert_eq!(patched["city"], "Lyon");
    assert_eq!(patched["languages"], json!(["fr", "en", "pt-BR"]));
    assert_eq!(patched["skills"], json!(["translation", "speaking"]));
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(etag(&response), returned_tag);
    let profile = body(response).await;
    assert_eq!(profile, patched);
    assert_eq!(profile["display_name"], "Ada");
    assert_eq!(profile["country"], "FR");
    assert_eq!(profile["affiliation"], "independent");
    assert_eq!(profile["bio"], "Runs the Lyon meetup.");
}

#[tokio::test]
async fn null_clears_a_profile_field_while_an_absent_field_stays() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({"city": "Lyon", "affiliation": "independent"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch_me(&app, &ada, None, &json!({"city": null, "country": null})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let profile = me(&app, &ada).await;
    assert_eq!(profile["city"], Value::Null);
    assert_eq!(profile["country"], Value::Null);
    assert_eq!(profile["affiliation"], "independent");
}

#[tokio::test]
async fn a_stale_if_match_on_ones_profile_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let stale = etag(&app.get("/v1/me", Some(&ada.token)).await);
    // Another device changes the profile meanwhile.
    let response = patch_me(&app, &ada, None, &json!({"city": "Lyon"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let current = etag(&response);
    assert_ne!(current, stale);
    let response = patch_me(&app, &ada, Some(&stale), &json!({"city": "Paris"})).await;
    assert_problem(response, 412, "precondition_failed").await;
    let response = app.get("/v1/me", Some(&ada.token)).await;
    assert_eq!(etag(&response), current);
    assert_eq!(body(response).await["city"], "Lyon");
}

#[tokio::test]
async fn the_current_etag_lets_a_patch_through() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let current = etag(&app.get("/v1/me", Some(&ada.token)).await);
    let response = patch_me(&app, &ada, Some(&current), &json!({"city": "Paris"})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let next = etag(&response);
    assert_ne!(next, current);
    // The new tag works for the next change; the old one no longer does.
    let response = patch_me(&app, &ada, Some(&next), &json!({"bio": "Hello."})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = patch_me(&app, &ada, Some(&current), &json!({"bio": "Bye."})).await;
    assert_problem(response, 412, "precondition_failed").await;
    let profile = me(&app, &ada).await;
    assert_eq!(profile["city"], "Paris");
    assert_eq!(profile["bio"], "Hello.");
}

#[tokio::test]
async fn an_invalid_profile_patch_names_every_bad_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({
            "city": "Lyon", "country": "XX", "languages": ["fr", "not a tag!"], "skills": ["no spaces"]
        }),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(
        error_fields(&problem),
        ["country", "languages[1]", "skills[0]"]
    );
    assert_eq!(me(&app, &ada).await, before);
    let response = patch_me(
        &app,
        &ada,
        None,
        &json!({"display_name": "", "bio": "b".repeat(2001)}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["display_name", "bio"]);
    assert_eq!(me(&app, &ada).await, before);
}

#[tokio::test]
async fn a_blank_display_name_is_refused_like_at_registration() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    // Registration trims and refuses an empty name; a patch must not sneak one in.
    let response = patch_me(&app, &ada, None, &json!({"display_name": "   "})).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["display_name"]);
    assert_eq!(me(&app, &ada).await["display_name"], "Ada");
}

#[tokio::test]
async fn concurrent_profile_patches_with_one_etag_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let tag = etag(&app.get("/v1/me", Some(&ada.token)).await);
    let changes: Vec<Value> = (0..10)
        .map(|i| json!({"city": format!("City {i}")}))
        .collect();
    let calls = changes.iter().map(|c| patch_me(&app, &ada, Some(&tag), c));
    let responses = futures_util::future::join_all(calls).await;
    let mut winner = None;
    for (i, response) in responses.into_iter().enumerate() {
        if response.status() == StatusCode::OK {
            assert!(
                winner.is_none(),
                "a second writer got through with a stale ETag"
            );
            winner = Some(format!("City {i}"));
        } else {
            assert_problem(response, 412, "precondition_failed").await;
        }
    }
    let winner = winner.expect("one writer wins");
    assert_eq!(me(&app, &ada).await["city"], winner.as_str());
}
