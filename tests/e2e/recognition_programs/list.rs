//! `GET /v1/recognition-programs`: the seeded programmes with their first rules.

use liaison_tests::{body, TestApp};
use reqwest::StatusCode;

use super::weight;

#[tokio::test]
async fn anyone_lists_the_seeded_programmes_with_their_first_rules() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/recognition-programs", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let programs = body(response).await;
    let programs = programs["items"].as_array().expect("a page of programmes");
    let slugs: Vec<&str> = programs
        .iter()
        .map(|p| p["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(slugs, ["acc", "aoc"]);

    let acc = &programs[0];
    assert_eq!(acc["name"], "Active Community Contributor");
    assert_eq!(acc["current_version"], 1);
    let rules = acc["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["version"], 1);
    assert_eq!(rules[0]["window_days"], 365);
    assert_eq!(rules[0]["threshold_points"], 10);
    assert!(rules[0]["published_at"].is_string());
    assert_eq!(rules[0]["kinds"].as_array().map(Vec::len), Some(11));
    assert_eq!(weight(&rules[0], "event_organized"), (2, 12));
    assert_eq!(weight(&rules[0], "talk_given"), (3, 4));
    assert_eq!(weight(&rules[0], "user_group_leadership"), (4, 1));
    assert_eq!(weight(&rules[0], "other"), (1, 2));

    let aoc = &programs[1];
    assert_eq!(aoc["name"], "Active Ops Contributor");
    assert_eq!(aoc["current_version"], 1);
    let rules = aoc["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["window_days"], 365);
    assert_eq!(rules[0]["threshold_points"], 8);
    assert_eq!(rules[0]["kinds"].as_array().map(Vec::len), Some(6));
    assert_eq!(weight(&rules[0], "ops_meetup_moderated"), (3, 6));
    assert_eq!(weight(&rules[0], "event_organized"), (2, 6));
    assert_eq!(weight(&rules[0], "question_answered"), (1, 10));
}
