//! `GET /v1/contribution-kinds`: the seeded kinds.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

/// The kinds the migration seeds.
const SEEDED_KINDS: [&str; 11] = [
    "documentation",
    "event_organized",
    "feedback_submitted",
    "localization",
    "mentoring",
    "ops_meetup_moderated",
    "other",
    "question_answered",
    "talk_given",
    "user_group_leadership",
    "working_group",
];

#[tokio::test]
async fn anyone_lists_the_eleven_seeded_kinds() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/contribution-kinds", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let kinds = body(response).await;
    let kinds = kinds["items"].as_array().expect("a page of kinds");
    let slugs: Vec<&str> = kinds
        .iter()
        .map(|k| k["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, SEEDED_KINDS);
    assert!(
        kinds
            .iter()
            .all(|k| k["name"].as_str().is_some_and(|n| !n.is_empty())
                && k["description"].is_string())
    );
    let organized = kinds
        .iter()
        .find(|k| k["slug"] == "event_organized")
        .expect("event_organized");
    assert_eq!(organized["name"], "Event organized");
}

#[tokio::test]
async fn the_kinds_page_by_slug_with_a_cursor() {
    let app = TestApp::spawn().await;
    let mut slugs = Vec::new();
    let mut path = "/v1/contribution-kinds?limit=4".to_owned();
    loop {
        let page = body(app.get(&path, None).await).await;
        let items = page["items"].as_array().expect("a page of kinds");
        assert!(items.len() <= 4);
        slugs.extend(
            items
                .iter()
                .map(|k| k["slug"].as_str().unwrap_or_default().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/contribution-kinds?limit=4&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(slugs, SEEDED_KINDS);
}
