//! User groups and their events arranged through the API, as a client would.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{body, event_request, group_request, Member, TestApp};

impl TestApp {
    /// Registers a group (see [`group_request`]) as `owner`, asserting 201; returns it.
    pub async fn group(&self, owner: &Member, slug: &str, country: &str) -> Value {
        let response = self
            .post(
                "/v1/groups",
                Some(&owner.token),
                &group_request(slug, country),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "register group {slug}"
        );
        body(response).await
    }

    /// Approves a pending group as `reviewer`, asserting 200; returns it.
    pub async fn approve(&self, reviewer: &Member, group_id: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/review"),
                Some(&reviewer.token),
                &json!({"decision": "approve", "reason": "Welcome!"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "approve group");
        body(response).await
    }

    /// Creates an event of a group as `organizer` (see [`event_request`]), asserting 201; returns it.
    pub async fn group_event(
        &self,
        organizer: &Member,
        group_id: &str,
        days_from_now: i64,
        status: &str,
        attendee_count: Option<i32>,
    ) -> Value {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/events"),
                Some(&organizer.token),
                &event_request(days_from_now, status, attendee_count),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create event");
        body(response).await
    }

    /// An event held `days_ago` days ago with 20 attendees; returns it.
    pub async fn held_event(&self, organizer: &Member, group_id: &str, days_ago: i64) -> Value {
        self.group_event(organizer, group_id, -days_ago, "held", Some(20))
            .await
    }

    /// Adds `member` as a co-organizer of a group, as `organizer`, asserting 201.
    pub async fn add_co_organizer(&self, organizer: &Member, group_id: &str, member: &Member) {
        let response = self
            .post(
                &format!("/v1/groups/{group_id}/organizers"),
                Some(&organizer.token),
                &json!({"member_id": member.id}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "add organizer");
    }
}
