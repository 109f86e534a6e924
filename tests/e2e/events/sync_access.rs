//! `PUT /v1/groups/{id}/events/sync`: who may sync a group.

use liaison_tests::{api_key, assert_problem, count};
use serde_json::json;
use uuid::Uuid;

use super::{
    a_pending_groups_event, batch, counts, events_by_external_id, pending_group, site_events, sync,
    synced, world, World,
};

#[tokio::test]
async fn a_strangers_sync_of_a_pending_group_is_404() {
    let (app, _, _, stranger, group, _) = a_pending_groups_event().await;
    let response = sync(
        &app,
        Some(&stranger.token),
        &group,
        Some("k1"),
        &batch("meetup", "upsert", &site_events("m", 1)),
    )
    .await;
    assert_problem(response, 404, "not_found").await;
    assert_eq!(count(&app.db, "events").await, 1);
}

#[tokio::test]
async fn a_sync_key_finds_no_pending_group_it_does_not_list() {
    let World {
        app,
        staff,
        organizer: _,
        group,
    } = world().await;
    let other = app.member("Pam Pending").await;
    let pending = pending_group(&app, &other, "pending-operators").await;
    let key = api_key(&app, &["groups:sync"], &[&group]).await;
    let request = batch("meetup", "upsert", &site_events("m", 1));
    // Exactly as for an id that does not exist: nothing to tell them apart.
    let unknown = Uuid::new_v4().to_string();
    for target in [&pending, &unknown] {
        assert_problem(
            sync(&app, Some(&key), target, Some("k1"), &request).await,
            404,
            "not_found",
        )
        .await;
    }
    // A public group the key does not list is visible, so that is a 403.
    let public = app
        .approved_group(&staff, &other, "public-operators", "FR")
        .await;
    assert_problem(
        sync(&app, Some(&key), &public, Some("k1"), &request).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
}

#[tokio::test]
async fn only_the_groups_organizers_and_its_sync_key_may_sync_it() {
    let World {
        app,
        staff,
        organizer: _,
        group,
    } = world().await;
    let other_organizer = app.member("Otto Other").await;
    let other_group = app
        .approved_group(&staff, &other_organizer, "berlin-operators", "FR")
        .await;
    let stranger = app.member("Sid Stranger").await;
    let own_key = api_key(&app, &["groups:sync"], &[&group]).await;
    let other_groups_key = api_key(&app, &["groups:sync"], &[&other_group]).await;
    let wrong_scope_key = api_key(&app, &["passes:read"], &[]).await;
    let request = batch("meetup", "upsert", &site_events("m", 3));
    assert_problem(
        sync(&app, None, &group, Some("k1"), &request).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_problem(
        sync(
            &app,
            Some("lia_not-a-real-key"),
            &group,
            Some("k1"),
            &request,
        )
        .await,
        401,
        "unauthenticated",
    )
    .await;
    // Permission comes before the batch's own errors: a stranger learns nothing from a 422.
    let mut invalid_events = site_events("m", 3);
    invalid_events[1]["country"] = json!("XX");
    let invalid = batch("meetup", "upsert", &invalid_events);
    assert_problem(
        sync(&app, None, &group, Some("k1"), &invalid).await,
        401,
        "unauthenticated",
    )
    .await;
    for token in [
        &stranger.token,
        &other_organizer.token,
        &other_groups_key,
        &wrong_scope_key,
    ] {
        for request in [&request, &invalid] {
            assert_problem(
                sync(&app, Some(token), &group, Some("k1"), request).await,
                403,
                "forbidden",
            )
            .await;
        }
    }
    let unknown = Uuid::new_v4().to_string();
    assert_problem(
        sync(&app, Some(&own_key), &unknown, Some("k1"), &request).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(count(&app.db, "events").await, 0);
    assert_eq!(count(&app.db, "event_changes").await, 0);
    assert_eq!(count(&app.db, "idempotency_keys").await, 0);
}

#[tokio::test]
async fn an_organizer_and_the_groups_sync_key_sync_it_by_id_or_slug() {
    let World {
        app,
        staff,
        organizer,
        group,
    } = world().await;
    let own_key = api_key(&app, &["groups:sync"], &[&group]).await;
    let request = batch("meetup", "upsert", &site_events("m", 3));
    assert_eq!(
        synced(&app, &organizer.token, &group, "k1", &request).await,
        counts(3, 0, 0, 0)
    );
    let more = batch("meetup", "upsert", &site_events("n", 2));
    assert_eq!(
        synced(&app, &own_key, "lyon-operators", "k1", &more).await,
        counts(2, 0, 0, 0)
    );
    let events = events_by_external_id(&app, &group).await;
    assert_eq!(
        events.keys().collect::<Vec<_>>(),
        ["m-0", "m-1", "m-2", "n-0", "n-1"]
    );
    assert!(events.values().all(|e| e["source"] == "meetup"));
    assert_eq!(count(&app.db, "events").await, 5);
    assert_eq!(app.audited(&staff, "group", "events.synced").await, 2);
}
