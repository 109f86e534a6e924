//! An event's `timezone`: IANA names only, on create, update and sync.

use liaison_tests::{assert_problem, body, count, error_fields, id_of, patch_event};
use reqwest::StatusCode;
use serde_json::json;

use super::{batch, create_event, manual_event, read_event, site_event, sync, world, World};

#[tokio::test]
async fn an_event_defaults_to_utc_and_keeps_the_zone_it_is_given() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let plain = create_event(&app, &organizer, &group, &manual_event("Plain", 3)).await;
    assert_eq!(plain["timezone"], "UTC");
    let mut paris = manual_event("Paris", 4);
    paris["timezone"] = json!("Europe/Paris");
    let paris = create_event(&app, &organizer, &group, &paris).await;
    assert_eq!(
        read_event(&app, &id_of(&paris)).await.0["timezone"],
        "Europe/Paris"
    );
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &id_of(&paris),
        None,
        &json!({"timezone": "America/New_York"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["timezone"], "America/New_York");
    let listed = body(app.get(&format!("/v1/groups/{group}/events"), None).await).await;
    assert_eq!(listed["items"][1]["timezone"], "America/New_York");
}

#[tokio::test]
async fn a_made_up_zone_is_422_naming_the_field_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let mut bad = manual_event("Nowhere", 3);
    bad["timezone"] = json!("Mars/Olympus_Mons");
    let response = app
        .post(
            &format!("/v1/groups/{group}/events"),
            Some(&organizer.token),
            &bad,
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["timezone"]);
    assert_eq!(count(&app.db, "events").await, 0);

    let event = create_event(&app, &organizer, &group, &manual_event("Real", 3)).await;
    let (before, _) = read_event(&app, &id_of(&event)).await;
    let response = patch_event(
        &app,
        Some(&organizer.token),
        &id_of(&event),
        None,
        &json!({"timezone": "europe/paris", "title": "Renamed"}),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(error_fields(&problem), ["timezone"]);
    assert_eq!(read_event(&app, &id_of(&event)).await.0, before);
}

#[tokio::test]
async fn a_sync_names_the_bad_zone_by_index_and_writes_nothing() {
    let World {
        app,
        organizer,
        group,
        ..
    } = world().await;
    let good = site_event("a", 2);
    let mut zoned = site_event("b", 3);
    zoned["timezone"] = json!("Europe/Paris");
    let mut bad = site_event("c", 4);
    bad["timezone"] = json!("Paris");
    let mut wrong_type = site_event("d", 5);
    wrong_type["timezone"] = json!(1);
    let response = sync(
        &app,
        Some(&organizer.token),
        &group,
        Some("tz-1"),
        &batch(
            "meetup",
            "upsert",
            &[good.clone(), zoned.clone(), bad, wrong_type],
        ),
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["events[2].timezone", "events[3].timezone"]);
    assert_eq!(count(&app.db, "events").await, 0);

    let response = sync(
        &app,
        Some(&organizer.token),
        &group,
        Some("tz-2"),
        &batch("meetup", "upsert", &[good, zoned]),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let zones = body(app.get(&format!("/v1/groups/{group}/events"), None).await).await;
    assert_eq!(zones["items"][0]["timezone"], "UTC");
    assert_eq!(zones["items"][1]["timezone"], "Europe/Paris");
}
