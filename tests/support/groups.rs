//! User groups, their organizers and their events, arranged and changed
//! through the API as a client would.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, event_request, group_request, id_of, Member, TestApp};

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

    /// Staff and two regions: `europe` (FR, DE) and `asia` (JP), five seats each.
    pub async fn staff_with_two_regions(&self) -> Member {
        let staff = self.staff().await;
        self.region(&staff, "europe", &["FR", "DE"], 5).await;
        self.region(&staff, "asia", &["JP"], 5).await;
        staff
    }

    /// A group registered by `owner` (pending) and approved by `reviewer`:
    /// provisional, so anyone sees it; returns it.
    pub async fn provisional_group(
        &self,
        reviewer: &Member,
        owner: &Member,
        slug: &str,
        country: &str,
    ) -> Value {
        let group = self.group(owner, slug, country).await;
        assert_eq!(group["status"], "pending", "register {slug}");
        let approved = self.approve(reviewer, &id_of(&group)).await;
        assert_eq!(approved["status"], "provisional", "approve {slug}");
        approved
    }

    /// The id of a [`provisional_group`](Self::provisional_group).
    pub async fn approved_group(
        &self,
        reviewer: &Member,
        owner: &Member,
        slug: &str,
        country: &str,
    ) -> String {
        id_of(&self.provisional_group(reviewer, owner, slug, country).await)
    }
}

/// `PATCH /v1/groups/{id}` with an optional `If-Match`.
pub async fn patch_group(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/groups/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// `POST /v1/groups/{id}/status`.
pub async fn change_group_status(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    status: &str,
    reason: &str,
) -> Response {
    app.post(
        &format!("/v1/groups/{id}/status"),
        token,
        &json!({"status": status, "reason": reason}),
    )
    .await
}

/// The organizers of a group as `(member_id, role)`, asserting 200.
pub async fn organizers_of(app: &TestApp, token: Option<&str>, id: &str) -> Vec<(String, String)> {
    let response = app.get(&format!("/v1/groups/{id}/organizers"), token).await;
    assert_eq!(response.status(), StatusCode::OK, "list organizers");
    body(response).await["items"]
        .as_array()
        .expect("a page of organizers")
        .iter()
        .map(|o| {
            (
                o["member_id"].as_str().expect("member_id").to_owned(),
                o["role"].as_str().expect("role").to_owned(),
            )
        })
        .collect()
}

/// `DELETE /v1/groups/{id}/organizers/{member_id}`.
pub async fn remove_organizer(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    member: Uuid,
) -> Response {
    app.call(
        Method::DELETE,
        &format!("/v1/groups/{id}/organizers/{member}"),
        token,
    )
    .send()
    .await
    .expect("request")
}

/// `PATCH /v1/events/{id}` with an optional `If-Match`.
pub async fn patch_event(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    if_match: Option<&str>,
    changes: &Value,
) -> Response {
    let mut request = app.call(Method::PATCH, &format!("/v1/events/{id}"), token);
    if let Some(tag) = if_match {
        request = request.header("If-Match", tag);
    }
    request.json(changes).send().await.expect("request")
}

/// A region `europe` (FR, DE), staff, and Olga, organizer of the approved
/// (public) group `lyon-operators`: where the event and calendar tests start.
pub struct World {
    pub app: TestApp,
    pub staff: Member,
    pub organizer: Member,
    /// The group's id.
    pub group: String,
}

/// A fresh app arranged as [`World`] says.
pub async fn world() -> World {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    app.region(&staff, "europe", &["FR", "DE"], 3).await;
    let organizer = app.member("Olga Organizer").await;
    let group = app
        .approved_group(&staff, &organizer, "lyon-operators", "FR")
        .await;
    World {
        app,
        staff,
        organizer,
        group,
    }
}
