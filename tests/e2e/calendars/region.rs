//! `GET /v1/regions/{slug}/events.ics`.

use liaison_tests::{assert_problem, id_of};

use super::{assert_calendar, create, event_at, event_of, next_year, parsed_feed, world, World};

#[tokio::test]
async fn a_regions_feed_holds_its_visible_groups_events_in_their_zones() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let berlin_organizer = app.member("Bernd Berliner").await;
    let berlin = app
        .approved_group(&staff, &berlin_organizer, "berlin-operators", "DE")
        .await;
    let lyon = create(
        &app,
        &organizer,
        &group,
        &event_at("Lyon", next_year(1, 18), "Europe/Paris"),
    )
    .await;
    let in_berlin = create(
        &app,
        &berlin_organizer,
        &berlin,
        &event_at("Berlin", next_year(1, 17), "Europe/Berlin"),
    )
    .await;
    // A pending group of the region stays out of the public feed.
    let pending = id_of(&app.group(&organizer, "pending-group", "FR").await);
    create(
        &app,
        &organizer,
        &pending,
        &event_at("Hidden", next_year(1, 20), "Europe/Paris"),
    )
    .await;

    let (_, feed) = parsed_feed(&app, "/v1/regions/europe/events.ics", None).await;
    assert_calendar(&feed, "Region europe");
    let summaries: Vec<&str> = feed["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["summary"].as_str().expect("summary"))
        .collect();
    assert_eq!(summaries, ["Berlin", "Lyon"]);
    let b = event_of(&feed, &in_berlin);
    assert_eq!(b["start"]["tzid"], "Europe/Berlin");
    assert!(b["start"]["local"]
        .as_str()
        .is_some_and(|t| t.ends_with("T18:00:00")));
    assert!(event_of(&feed, &lyon)["start"]["local"]
        .as_str()
        .is_some_and(|t| t.ends_with("T19:00:00")));

    // Staff see every group, pending ones too.
    let (_, as_staff) =
        parsed_feed(&app, "/v1/regions/europe/events.ics", Some(&staff.token)).await;
    assert_eq!(as_staff["events"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn an_unknown_regions_feed_is_404() {
    let World { app, .. } = world().await;
    assert_problem(
        app.get("/v1/regions/atlantis/events.ics", None).await,
        404,
        "not_found",
    )
    .await;
}
