//! `GET /v1/groups/{id}/events`: a group's events by start time, in pages.

use liaison_tests::{assert_problem, body, Member, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

use super::{create_event, manual_event, world, World};

/// Five events of the world's group, created out of order, on days 5, 1, 4, 2 and 3.
async fn five_events(app: &TestApp, organizer: &Member, group: &str) {
    for day in [5, 1, 4, 2, 3] {
        create_event(
            app,
            organizer,
            group,
            &manual_event(&format!("Day {day}"), day),
        )
        .await;
    }
}

#[tokio::test]
async fn a_groups_events_are_listed_by_start_time_in_pages() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    five_events(&app, &organizer, &group).await;
    let mut titles = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/groups/{group}/events?limit=2&cursor={c}"),
            None => format!("/v1/groups/{group}/events?limit=2"),
        };
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body(response).await;
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        titles.extend(
            items
                .iter()
                .map(|e| e["title"].as_str().expect("title").to_owned()),
        );
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(titles, ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5"]);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn the_slug_names_the_group_in_its_event_list() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    five_events(&app, &organizer, &group).await;
    let by_slug = body(
        app.get("/v1/groups/lyon-operators/events?limit=50", None)
            .await,
    )
    .await;
    assert_eq!(by_slug["items"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn a_bad_limit_or_cursor_on_an_event_list_is_400() {
    let World { app, group, .. } = world().await;
    for bad in ["limit=0", "limit=201", "cursor=not-a-cursor"] {
        let response = app
            .get(&format!("/v1/groups/{group}/events?{bad}"), None)
            .await;
        assert_problem(response, 400, "malformed_request").await;
    }
}

#[tokio::test]
async fn the_events_of_an_unknown_group_are_404() {
    let app = TestApp::spawn().await;
    let unknown = Uuid::new_v4();
    assert_problem(
        app.get(&format!("/v1/groups/{unknown}/events"), None).await,
        404,
        "not_found",
    )
    .await;
}
