//! Key messages: publishing, acknowledging, translating and deciding, as
//! clients do.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, id_of, Member, TestApp};

/// A valid message to publish to `audience` (`json!("all")` or `json!(["europe"])`),
/// written in English, asking for French and German.
pub fn message_request(audience: Value) -> Value {
    json!({
        "title": "The 2027.1 release is out",
        "body": "## What changed\n\n- Live migration of large instances\n",
        "link": "https://example.org/releases/2027.1",
        "language": "en",
        "audience": audience,
        "expires_at": chrono::Utc::now() + chrono::Duration::days(30),
        "languages": ["fr", "de"],
    })
}

/// A valid French translation.
pub fn translation_request(language: &str) -> Value {
    json!({"language": language, "title": "La version 2027.1 est sortie",
           "body": "## Ce qui change\n\n- Migration à chaud des grandes instances\n"})
}

impl TestApp {
    /// `POST /v1/messages` with a fresh `Idempotency-Key`.
    pub async fn publish(&self, author: Option<&Member>, request: &Value) -> Response {
        self.call(
            Method::POST,
            "/v1/messages",
            author.map(|a| a.token.as_str()),
        )
        .header("Idempotency-Key", Uuid::new_v4().to_string())
        .json(request)
        .send()
        .await
        .expect("request")
    }

    /// Publishes [`message_request`] to `audience` as `author`, asserting 201; answers it.
    pub async fn message(&self, author: &Member, audience: Value) -> Value {
        let response = self.publish(Some(author), &message_request(audience)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "publish");
        body(response).await
    }

    /// `POST /v1/messages/{id}/acknowledgements` for `group` as `organizer`.
    pub async fn acknowledge(&self, organizer: &Member, message: &str, group: &str) -> Response {
        self.post(
            &format!("/v1/messages/{message}/acknowledgements"),
            Some(&organizer.token),
            &json!({"group_id": group}),
        )
        .await
    }

    /// `POST /v1/messages/{id}/translations` with [`translation_request`].
    pub async fn propose(&self, translator: &Member, message: &str, language: &str) -> Response {
        self.post(
            &format!("/v1/messages/{message}/translations"),
            Some(&translator.token),
            &translation_request(language),
        )
        .await
    }

    /// A proposed translation into `language`, asserting 201; answers it.
    pub async fn translation(&self, translator: &Member, message: &str, language: &str) -> Value {
        let response = self.propose(translator, message, language).await;
        assert_eq!(response.status(), StatusCode::CREATED, "propose");
        body(response).await
    }

    /// `POST /v1/translations/{id}/decision` with `outcome`.
    pub async fn decide_translation(
        &self,
        who: &Member,
        translation: &str,
        outcome: &str,
    ) -> Response {
        self.post(
            &format!("/v1/translations/{translation}/decision"),
            Some(&who.token),
            &json!({"outcome": outcome, "note": "Thanks!"}),
        )
        .await
    }

    /// A translation accepted by `who`; answers it.
    pub async fn accepted_translation(
        &self,
        who: &Member,
        translator: &Member,
        message: &str,
        language: &str,
    ) -> Value {
        let t = self.translation(translator, message, language).await;
        let response = self.decide_translation(who, &id_of(&t), "accepted").await;
        assert_eq!(response.status(), StatusCode::OK, "accept");
        body(response).await
    }

    /// `GET` with an `Accept-Language` header.
    pub async fn get_in(&self, path: &str, token: Option<&str>, languages: &str) -> Response {
        self.call(Method::GET, path, token)
            .header("Accept-Language", languages)
            .send()
            .await
            .expect("request")
    }
}
