//! `GET /v1/groups/{id}/events.ics`.

use liaison_tests::{assert_problem, id_of, patch_event};
use reqwest::StatusCode;
use serde_json::json;

use super::{
    assert_calendar, create, event_at, event_of, feed_text, next_year, parsed_feed, world, World,
};

#[tokio::test]
async fn a_groups_feed_parses_with_times_in_the_events_zone() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    // 18:00Z is 19:00 in Paris in winter; 17:00Z is 19:00 there in summer.
    let winter = create(
        &app,
        &organizer,
        &group,
        &event_at("Winter meetup", next_year(1, 18), "Europe/Paris"),
    )
    .await;
    let summer = create(
        &app,
        &organizer,
        &group,
        &event_at("Summer meetup", next_year(7, 17), "Europe/Paris"),
    )
    .await;
    let utc = create(
        &app,
        &organizer,
        &group,
        &event_at("In UTC", next_year(3, 9), "UTC"),
    )
    .await;
    let (_, feed) = parsed_feed(&app, &format!("/v1/groups/{group}/events.ics"), None).await;
    assert_calendar(&feed, "Group lyon-operators");
    assert_eq!(feed["events"].as_array().map(Vec::len), Some(3));

    let w = event_of(&feed, &winter);
    assert_eq!(w["start"]["tzid"], "Europe/Paris");
    assert_eq!(
        w["start"]["local"],
        format!("{}-01-15T19:00:00", next_year(1, 0).format("%Y"))
    );
    assert_eq!(
        w["start"]["utc"],
        next_year(1, 18).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    assert_eq!(
        w["end"]["utc"],
        next_year(1, 21).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    assert_eq!(w["summary"], "Winter meetup");
    assert_eq!(w["description"], "Talks; pizza, and a\nsecond line");
    assert_eq!(w["location"], "La Cordée, Lyon, FR");
    assert_eq!(w["url"], "https://example.org/events/1");
    assert_eq!(w["status"], "CONFIRMED");
    assert!(w["dtstamp"].is_string() && w["last_modified"].is_string());

    let s = event_of(&feed, &summer);
    assert_eq!(
        s["start"]["local"],
        format!("{}-07-15T19:00:00", next_year(7, 0).format("%Y"))
    );
    assert_eq!(
        s["start"]["utc"],
        next_year(7, 17).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );

    let u = event_of(&feed, &utc);
    assert_eq!(u["start"]["tzid"], serde_json::Value::Null);
    assert_eq!(
        u["start"]["utc"],
        next_year(3, 9).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
}

#[tokio::test]
async fn a_cancelled_event_stays_in_the_feed_as_cancelled() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let event = create(
        &app,
        &organizer,
        &group,
        &event_at("Called off", next_year(2, 18), "Europe/Berlin"),
    )
    .await;
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &id_of(&event),
        None,
        &json!({"status": "cancelled"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, feed) = parsed_feed(&app, "/v1/groups/lyon-operators/events.ics", None).await;
    assert_eq!(event_of(&feed, &event)["status"], "CANCELLED");
    assert_eq!(event_of(&feed, &event)["start"]["tzid"], "Europe/Berlin");
}

#[tokio::test]
async fn a_feed_answers_304_to_its_etag_until_an_event_changes() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    create(
        &app,
        &organizer,
        &group,
        &event_at("First", next_year(1, 18), "Europe/Paris"),
    )
    .await;
    let path = format!("/v1/groups/{group}/events.ics");
    let (tag, _) = feed_text(app.get(&path, None).await).await;
    let again = app
        .call(reqwest::Method::GET, &path, None)
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"].to_str().ok(), Some(tag.as_str()));
    assert!(again.bytes().await.expect("body").is_empty());

    create(
        &app,
        &organizer,
        &group,
        &event_at("Second", next_year(2, 18), "Europe/Paris"),
    )
    .await;
    let changed = app
        .call(reqwest::Method::GET, &path, None)
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(changed.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_pending_groups_feed_is_404_to_anonymous_and_open_to_its_organizer() {
    let World {
        app,
        staff,
        organizer,
        ..
    } = world().await;
    let pending = id_of(&app.group(&organizer, "pending-group", "FR").await);
    create(
        &app,
        &organizer,
        &pending,
        &event_at("Soon", next_year(1, 18), "Europe/Paris"),
    )
    .await;
    let path = format!("/v1/groups/{pending}/events.ics");
    assert_problem(app.get(&path, None).await, 404, "not_found").await;
    let stranger = app.member("Sid Stranger").await;
    assert_problem(
        app.get(&path, Some(&stranger.token)).await,
        404,
        "not_found",
    )
    .await;
    let (_, feed) = parsed_feed(&app, &path, Some(&organizer.token)).await;
    assert_eq!(feed["events"].as_array().map(Vec::len), Some(1));
    // Once approved, anyone subscribes.
    app.approve(&staff, &pending).await;
    let (_, feed) = parsed_feed(&app, &path, None).await;
    assert_eq!(feed["events"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_unknown_groups_feed_is_404() {
    let World { app, .. } = world().await;
    assert_problem(
        app.get("/v1/groups/no-such-group/events.ics", None).await,
        404,
        "not_found",
    )
    .await;
}
