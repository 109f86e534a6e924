//! The ambassador programme arranged through the API, as a client would:
//! regions, cycles, applications, reviews, decisions and ambassadors.

use reqwest::{Method, Response, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::{application_request, body, id_of, open_cycle_request, Member, TestApp};

impl TestApp {
    /// Creates a region as `staff`, asserting 201; returns it.
    pub async fn region(
        &self,
        staff: &Member,
        slug: &str,
        countries: &[&str],
        seats: i32,
    ) -> Value {
        let response = self
            .post(
                "/v1/regions",
                Some(&staff.token),
                &json!({"slug": slug, "name": format!("Region {slug}"), "countries": countries, "ambassador_seats": seats}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create region {slug}"
        );
        body(response).await
    }

    /// Opens a cycle as `staff` (see [`open_cycle_request`]), asserting 201; returns it.
    pub async fn cycle(
        &self,
        staff: &Member,
        regions: Option<&[(&str, i32)]>,
        max_per_affiliation: Option<i32>,
    ) -> Value {
        let request = open_cycle_request(regions, max_per_affiliation);
        let response = self
            .post("/v1/ambassador-cycles", Some(&staff.token), &request)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "open cycle {request}"
        );
        body(response).await
    }

    /// A draft application by `member` to `region` of a cycle, asserting 201; returns it.
    pub async fn application(&self, member: &Member, cycle_id: &str, region: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/ambassador-cycles/{cycle_id}/applications"),
                Some(&member.token),
                &application_request(region),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "apply");
        body(response).await
    }

    /// Submits an application as its applicant, asserting 200; returns it.
    pub async fn submit(&self, member: &Member, application_id: &str) -> Value {
        let response = self
            .post(
                &format!("/v1/applications/{application_id}/submit"),
                Some(&member.token),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "submit");
        body(response).await
    }

    /// A submitted application by `member`; returns it.
    pub async fn submitted_application(
        &self,
        member: &Member,
        cycle_id: &str,
        region: &str,
    ) -> Value {
        let draft = self.application(member, cycle_id, region).await;
        self.submit(member, &id_of(&draft)).await
    }

    /// `PUT /v1/applications/{id}/review` with `(track_record, geography, impact)`.
    pub async fn send_review(
        &self,
        reviewer: &Member,
        application_id: &str,
        scores: (i64, i64, i64),
    ) -> Response {
        self.send_json(
            Method::PUT,
            &format!("/v1/applications/{application_id}/review"),
            Some(&reviewer.token),
            &json!({
                "scores": {"track_record": scores.0, "geography": scores.1, "impact": scores.2},
                "comment": "Reviewed in the test suite.",
            }),
        )
        .await
    }

    /// A review that must succeed (200 or 201); returns it.
    pub async fn review(
        &self,
        reviewer: &Member,
        application_id: &str,
        scores: (i64, i64, i64),
    ) -> Value {
        let response = self.send_review(reviewer, application_id, scores).await;
        assert!(
            matches!(response.status(), StatusCode::OK | StatusCode::CREATED),
            "review answered {}",
            response.status()
        );
        body(response).await
    }

    /// `POST /v1/applications/{id}/decision`.
    pub async fn send_decision(
        &self,
        staff: &Member,
        application_id: &str,
        outcome: &str,
        reason: &str,
    ) -> Response {
        self.post(
            &format!("/v1/applications/{application_id}/decision"),
            Some(&staff.token),
            &json!({"outcome": outcome, "reason": reason}),
        )
        .await
    }

    /// A decision that must succeed; returns the decided application.
    pub async fn decide(&self, staff: &Member, application_id: &str, outcome: &str) -> Value {
        let response = self
            .send_decision(staff, application_id, outcome, "Decided in the test suite.")
            .await;
        assert_eq!(response.status(), StatusCode::OK, "decide {outcome}");
        body(response).await
    }

    /// The ambassadorship created for an application, from `GET /v1/ambassadors`.
    pub async fn ambassadorship_of(&self, member: &Member) -> Value {
        let response = self.get("/v1/ambassadors?limit=200", None).await;
        assert_eq!(response.status(), StatusCode::OK, "list ambassadors");
        body(response).await["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| a["member_id"] == member.id.to_string())
            .cloned()
            .unwrap_or_else(|| panic!("an ambassadorship of {}", member.id))
    }

    /// A new active ambassador of `region`, made the only way there is: a
    /// cycle of its own (only that region, 1000 seats), an application,
    /// submission, and staff selecting it. Returns the member and the
    /// ambassadorship.
    pub async fn ambassador(&self, staff: &Member, name: &str, region: &str) -> (Member, Value) {
        let member = self.member(name).await;
        let cycle = self.cycle(staff, Some(&[(region, 1000)]), None).await;
        let application = self
            .submitted_application(&member, &id_of(&cycle), region)
            .await;
        self.decide(staff, &id_of(&application), "selected").await;
        let ambassadorship = self.ambassadorship_of(&member).await;
        assert_eq!(ambassadorship["status"], "active");
        (member, ambassadorship)
    }

    /// Moves an ambassadorship's term into the past (it began 400 days ago
    /// and ended 35 days ago): terms end with time, which a test cannot wait for.
    pub async fn age_the_term(&self, ambassadorship: &Value) {
        self.db
            .execute_unprepared(&format!(
                "UPDATE ambassadorships SET term_start = current_date - 400, term_end = current_date - 35 WHERE id = '{}'",
                id_of(ambassadorship)
            ))
            .await
            .expect("age the term");
    }
}
