//! `POST /v1/contribution-kinds`: staff add a kind.

use liaison_tests::{
    assert_problem, body, claim, claim_request, count, error_fields, Member, TestApp,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// `POST /v1/contribution-kinds` of `podcast_hosted` by staff, asserting 201; returns it.
async fn add_podcast_kind(app: &TestApp, staff: &Member) -> Value {
    let response = app
        .post(
            "/v1/contribution-kinds",
            Some(&staff.token),
            &json!({"slug": "podcast_hosted", "name": "Podcast hosted", "description": "Hosted an episode"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await
}

#[tokio::test]
async fn staff_add_a_kind_that_anyone_then_lists() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let created = add_podcast_kind(&app, &staff).await;
    assert_eq!(
        created,
        json!({"slug": "podcast_hosted", "name": "Podcast hosted", "description": "Hosted an episode"})
    );
    let listed = body(app.get("/v1/contribution-kinds", None).await).await["items"].clone();
    let listed = listed.as_array().expect("kinds");
    assert_eq!(listed.len(), 12);
    assert!(listed.iter().any(|k| k["slug"] == "podcast_hosted"));
    assert_eq!(
        app.audited(&staff, "contribution_kind", "contribution_kind.created")
            .await,
        1
    );
}

#[tokio::test]
async fn a_kind_staff_just_added_can_be_claimed_at_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    add_podcast_kind(&app, &staff).await;
    let member = app.member("Pia Podcaster").await;
    let claimed = claim(&app, &member, &claim_request("podcast_hosted")).await;
    assert_eq!(claimed["kind"], "podcast_hosted");
}

#[tokio::test]
async fn a_taken_kind_slug_new_or_seeded_is_409_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    add_podcast_kind(&app, &staff).await;
    let audit_before = count(&app.db, "audit_log").await;
    for slug in ["podcast_hosted", "talk_given"] {
        assert_problem(
            app.post(
                "/v1/contribution-kinds",
                Some(&staff.token),
                &json!({"slug": slug, "name": "Another name"}),
            )
            .await,
            409,
            "already_exists",
        )
        .await;
    }
    assert_eq!(count(&app.db, "contribution_kinds").await, 12);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let podcast = body(app.get("/v1/contribution-kinds", None).await).await["items"].clone();
    let podcast = podcast
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["slug"] == "podcast_hosted")
        .cloned()
        .expect("podcast_hosted");
    assert_eq!(podcast["name"], "Podcast hosted", "the first one stays");
}

#[tokio::test]
async fn invalid_kinds_are_422_naming_each_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let kinds_before = count(&app.db, "contribution_kinds").await;
    let audit_before = count(&app.db, "audit_log").await;
    let cases = [
        (
            json!({"slug": "Bad Slug", "name": "Bad slug"}),
            vec!["slug"],
        ),
        (json!({"slug": "x", "name": "Too short"}), vec!["slug"]),
        (
            json!({"slug": "1st_kind", "name": "Digit first"}),
            vec!["slug"],
        ),
        (json!({"slug": "with-dash", "name": "Dash"}), vec!["slug"]),
        (
            json!({"slug": "a".repeat(65), "name": "Too long"}),
            vec!["slug"],
        ),
        (json!({"slug": "fine_kind", "name": "x"}), vec!["name"]),
        (
            json!({"slug": "fine_kind", "name": "Fine", "description": "d".repeat(1001)}),
            vec!["description"],
        ),
        (
            json!({"slug": "BAD", "name": "", "description": "d".repeat(1001)}),
            vec!["slug", "name", "description"],
        ),
    ];
    for (request, fields) in cases {
        let problem = assert_problem(
            app.post("/v1/contribution-kinds", Some(&staff.token), &request)
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{request}");
    }
    assert_eq!(count(&app.db, "contribution_kinds").await, kinds_before);
    assert_eq!(count(&app.db, "audit_log").await, audit_before);
    let listed = body(app.get("/v1/contribution-kinds", None).await).await["items"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(11));
}

#[tokio::test]
async fn only_staff_add_kinds() {
    let app = TestApp::spawn().await;
    let member = app.member("Mia Member").await;
    let request = json!({"slug": "podcast_hosted", "name": "Podcast hosted"});
    assert_problem(
        app.post("/v1/contribution-kinds", Some(&member.token), &request)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/v1/contribution-kinds", None, &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(count(&app.db, "contribution_kinds").await, 11);
    let listed = body(app.get("/v1/contribution-kinds", None).await).await["items"].clone();
    assert!(!listed
        .as_array()
        .expect("kinds")
        .iter()
        .any(|k| k["slug"] == "podcast_hosted"));
}
