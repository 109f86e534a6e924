//! Members: registering and signing in, roles granted as an operator would,
//! and profile changes through `PATCH /v1/me`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{body, TestApp};

/// Password of members created by [`TestApp::member`].
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in member.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: Uuid,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    /// Registers and signs in a member whose email is verified, as most
    /// tests need (verifying through the mailed token is the business of
    /// the account tests, which use [`TestApp::unverified_member`]).
    pub async fn member(&self, name: &str) -> Member {
        let member = self.unverified_member(name).await;
        crate::exec(
            &self.db,
            &format!(
                "UPDATE members SET email_verified_at = now() WHERE id = '{}'",
                member.id
            ),
        )
        .await;
        member
    }

    /// Registers and signs in a member who has not verified their email.
    pub async fn unverified_member(&self, name: &str) -> Member {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        let response = self
            .post(
                "/v1/auth/register",
                None,
                &json!({"email": email, "password": PASSWORD, "display_name": name, "country": "FR"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "register {name}");
        let id: Uuid = body(response).await["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("member id");
        self.sign_in(id, &email).await
    }

    /// Signs in an existing member.
    pub async fn sign_in(&self, id: Uuid, email: &str) -> Member {
        let response = self
            .post(
                "/v1/auth/token",
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign in {email}");
        let tokens = body(response).await;
        Member {
            id,
            email: email.to_owned(),
            token: tokens["access_token"]
                .as_str()
                .expect("access token")
                .to_owned(),
            refresh_token: tokens["refresh_token"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        }
    }

    /// Signs in with any email and password; returns the access token.
    pub async fn sign_in_with(&self, email: &str, password: &str) -> String {
        let response = self
            .post(
                "/v1/auth/token",
                None,
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign in {email}");
        body(response).await["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    /// A member with the given roles, granted the way an operator would:
    /// `liaison create-admin` for the first admin, then `PUT /v1/members/{id}/roles`.
    pub async fn member_with_roles(&self, name: &str, roles: &[&str]) -> Member {
        let admin = self.admin().await;
        let member = self.member(name).await;
        let response = self
            .send_json(
                Method::PUT,
                &format!("/v1/members/{}/roles", member.id),
                Some(&admin.token),
                &json!({ "roles": roles }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "grant roles");
        member
    }

    /// The admin created by the `create-admin` command.
    pub async fn admin(&self) -> Member {
        let email = "root@liaison.example";
        let id =
            liaison_api::commands::create_admin(&self.db, &self.settings, email, PASSWORD, "Root")
                .await
                .expect("create admin");
        self.sign_in(id, email).await
    }

    /// A staff member.
    pub async fn staff(&self) -> Member {
        self.member_with_roles("Sam Staff", &["staff"]).await
    }

    /// Sets a member's affiliation with `PATCH /v1/me`.
    pub async fn set_affiliation(&self, member: &Member, affiliation: &str) {
        let response = self
            .send_json(
                Method::PATCH,
                "/v1/me",
                Some(&member.token),
                &json!({ "affiliation": affiliation }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "set affiliation");
    }

    /// Sets a member's profile with `PATCH /v1/me`, asserting 200.
    pub async fn set_profile(&self, member: &Member, profile: &Value) {
        let response = self
            .send_json(Method::PATCH, "/v1/me", Some(&member.token), profile)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "set profile {profile}");
    }
}
