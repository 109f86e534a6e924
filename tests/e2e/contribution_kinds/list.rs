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
    let kinds = kinds.as_array().expect("an array of kinds");
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
