//! `GET /v1/me/calendar.ics?token=`: the groups a member organises.

use liaison_tests::{assert_problem, id_of};
use reqwest::{Method, StatusCode};

use super::{
    assert_calendar, calendar_token, create, event_at, feed_text, next_year, parsed_feed, world,
    World,
};

#[tokio::test]
async fn the_personal_feed_holds_the_events_of_every_group_one_organises() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let second = id_of(&app.group(&organizer, "olga-second", "FR").await);
    let other_organizer = app.member("Bernd Berliner").await;
    let other = app
        .approved_group(&staff, &other_organizer, "berlin-operators", "DE")
        .await;
    create(
        &app,
        &organizer,
        &group,
        &event_at("Mine", next_year(1, 18), "Europe/Paris"),
    )
    .await;
    create(
        &app,
        &organizer,
        &second,
        &event_at("Mine too", next_year(2, 18), "Europe/Paris"),
    )
    .await;
    create(
        &app,
        &other_organizer,
        &other,
        &event_at("Not mine", next_year(1, 19), "Europe/Berlin"),
    )
    .await;

    let token = calendar_token(&app, &organizer).await;
    // The token alone: no Authorization header, as calendar clients send.
    let path = format!("/v1/me/calendar.ics?token={token}");
    let (tag, feed) = parsed_feed(&app, &path, None).await;
    assert_calendar(&feed, "Olga Organizer's groups");
    let summaries: Vec<&str> = feed["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["summary"].as_str().expect("summary"))
        .collect();
    assert_eq!(summaries, ["Mine", "Mine too"]);
    let again = app
        .call(Method::GET, &path, None)
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("conditional GET");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_personal_feed_needs_a_current_token() {
    let World { app, organizer, .. } = world().await;
    assert_problem(
        app.get("/v1/me/calendar.ics", None).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        app.get("/v1/me/calendar.ics?token=cal_made-up", None).await,
        401,
        "unauthenticated",
    )
    .await;
    // A member's access token is no calendar token.
    assert_problem(
        app.get("/v1/me/calendar.ics", Some(&organizer.token)).await,
        401,
        "unauthenticated",
    )
    .await;

    let first = calendar_token(&app, &organizer).await;
    let second = calendar_token(&app, &organizer).await;
    assert_ne!(first, second);
    // A new token replaces the old one.
    assert_problem(
        app.get(&format!("/v1/me/calendar.ics?token={first}"), None)
            .await,
        401,
        "unauthenticated",
    )
    .await;
    feed_text(
        app.get(&format!("/v1/me/calendar.ics?token={second}"), None)
            .await,
    )
    .await;

    let revoked = app
        .call(
            Method::DELETE,
            "/v1/me/calendar-token",
            Some(&organizer.token),
        )
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get(&format!("/v1/me/calendar.ics?token={second}"), None)
            .await,
        401,
        "unauthenticated",
    )
    .await;
}
