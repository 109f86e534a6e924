//! Feedback: filing items, voting and triaging as clients do.

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::{body, Member, TestApp};

/// A valid item to file, with `title`.
pub fn feedback_request(title: &str) -> Value {
    json!({"kind": "bug", "component": "compute", "title": title,
           "body": "It fails every time on our 120-node cloud.", "severity": "high",
           "release": "2026.1", "node_count": 120, "distribution": "Ubuntu 24.04", "tags": ["live-migration"]})
}

impl TestApp {
    /// Files an item as `author`, asserting 201; answers it.
    pub async fn feedback(&self, author: &Member, title: &str) -> Value {
        let response = self
            .post(
                "/v1/feedback",
                Some(&author.token),
                &feedback_request(title),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "file {title}");
        body(response).await
    }

    /// Votes for item `id` as `voter`.
    pub async fn vote(&self, voter: &Member, id: &str) -> Response {
        self.post(
            &format!("/v1/feedback/{id}/votes"),
            Some(&voter.token),
            &json!({}),
        )
        .await
    }

    /// Triages item `id` as `who` with `decision`.
    pub async fn triage(&self, who: &Member, id: &str, decision: Value) -> Response {
        self.post(
            &format!("/v1/feedback/{id}/triage"),
            Some(&who.token),
            &decision,
        )
        .await
    }

    /// The item `id`'s votes, read back.
    pub async fn votes_of(&self, reader: &Member, id: &str) -> i64 {
        let response = self
            .get(&format!("/v1/feedback/{id}"), Some(&reader.token))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "read {id}");
        body(response).await["votes"].as_i64().expect("votes")
    }
}
