//! `GET /v1/groups/{id}/health`: figures and flags that follow the group's data.

use liaison_tests::{body, id_of, remove_organizer, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{flags, health};

#[tokio::test]
async fn health_figures_and_flags_follow_the_groups_data() {
    // Arrange: a new group with no events and one organizer.
    let app = TestApp::spawn().await;
    let staff = app.staff_with_two_regions().await;
    let ada = app.member("Ada").await;
    let ben = app.member("Ben").await;
    let group = app
        .provisional_group(&staff, &ada, "lyon-operators", "FR")
        .await;
    let id = id_of(&group);
    let fresh = health(&app, None, &id).await;
    assert_eq!(
        fresh,
        json!({
            "held_last_90_days": 0, "held_last_365_days": 0, "average_attendance": null, "organizers": 1,
            "last_event_at": null, "next_event_at": null, "feedback_last_365_days": 0,
            "flags": ["no_event_180d", "single_organizer", "no_upcoming_event"],
        })
    );
    // Old events only: still no event in 180 days.
    app.group_event(&ada, &id, -200, "held", Some(10)).await;
    app.group_event(&ada, &id, -500, "held", Some(90)).await;
    let old = health(&app, None, &id).await;
    assert_eq!(old["held_last_90_days"], 0);
    assert_eq!(old["held_last_365_days"], 1);
    assert_eq!(old["average_attendance"], 10.0);
    assert!(flags(&old).contains(&"no_event_180d".to_owned()), "{old}");
    // Act: recent held events, an upcoming one, a co-organizer.
    let recent = app.group_event(&ada, &id, -10, "held", Some(30)).await;
    app.group_event(&ada, &id, -100, "held", Some(51)).await;
    app.group_event(&ada, &id, -15, "cancelled", None).await;
    let after_held = health(&app, None, &id).await;
    assert_eq!(
        flags(&after_held),
        ["single_organizer", "no_upcoming_event"],
        "{after_held}"
    );
    let next = app.group_event(&ada, &id, 20, "scheduled", None).await;
    app.group_event(&ada, &id, 40, "scheduled", None).await;
    app.group_event(&ada, &id, 5, "cancelled", None).await;
    app.add_co_organizer(&ada, &id, &ben).await;
    // Assert
    let healthy = health(&app, None, &id).await;
    assert_eq!(healthy["held_last_90_days"], 1);
    assert_eq!(healthy["held_last_365_days"], 3);
    // (10 + 30 + 51) / 3, rounded to one decimal.
    assert_eq!(healthy["average_attendance"], 30.3);
    assert_eq!(healthy["organizers"], 2);
    assert_eq!(healthy["last_event_at"], recent["starts_at"]);
    assert_eq!(healthy["next_event_at"], next["starts_at"]);
    assert_eq!(flags(&healthy), Vec::<String>::new());
    // The flags come back when the data changes: the upcoming events are cancelled.
    let events = body(
        app.get(&format!("/v1/groups/{id}/events?limit=200"), None)
            .await,
    )
    .await;
    for event in events["items"].as_array().expect("items") {
        if event["status"] == "scheduled" {
            let response = app
                .send_json(
                    Method::PATCH,
                    &format!("/v1/events/{}", id_of(event)),
                    Some(&ben.token),
                    &json!({"status": "cancelled"}),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    }
    let response = remove_organizer(&app, Some(&ben.token), &id, ben.id).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let again = health(&app, None, &id).await;
    assert_eq!(flags(&again), ["single_organizer", "no_upcoming_event"]);
    assert_eq!(again["next_event_at"], Value::Null);
}
