//! Auth as clients send and read them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new member.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.org", "password": "correct horse battery", "display_name": "Ada Lovelace", "country": "GB"}))]
pub struct RegisterRequest {
    /// Unique, case-insensitively.
    #[schema(value_type = crate::openapi_values::EmailAddress)]
    pub email: String,
    /// 12–256 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(value_type = Option<crate::openapi_values::CountryCode>)]
    pub country: Option<String>,
}

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.org", "password": "correct horse battery"}))]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
}

/// A refresh token to exchange or revoke.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"refresh_token": "q3ZsVb1kq0H1n5r6V2cR1wJtY8dE3mN9aB4cD7eF0gH"}))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A pair of tokens.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzIn0.c2ln", "token_type": "Bearer", "expires_in": 900, "refresh_token": "q3ZsVb1kq0H1n5r6V2cR1wJtY8dE3mN9aB4cD7eF0gH"}))]
pub struct TokenResponse {
    /// A JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange at `/v1/auth/refresh` for a new pair; single use.
    pub refresh_token: String,
}

/// A token from an account mail.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"token": "4kT9vQ2mZx7LbN3aR8sD1fG6hJ0pW5eYc2uV9iO4nM7qB3xL"}))]
pub struct TokenBody {
    /// As the mail gives it (48 characters).
    #[schema(min_length = 48, max_length = 48)]
    pub token: String,
}

/// A verified email address.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "email_verified_at": "2026-12-01T14:03:00Z"}))]
pub struct EmailVerified {
    pub member_id: uuid::Uuid,
    pub email_verified_at: chrono::DateTime<chrono::Utc>,
}

/// Whose password to reset.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.org"}))]
pub struct PasswordResetRequest {
    #[schema(value_type = crate::openapi_values::EmailAddress)]
    pub email: String,
}

/// A reset token and the new password.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"token": "4kT9vQ2mZx7LbN3aR8sD1fG6hJ0pW5eYc2uV9iO4nM7qB3xL", "password": "a new and long passphrase"}))]
pub struct PasswordResetConfirm {
    #[schema(min_length = 48, max_length = 48)]
    pub token: String,
    /// 12–256 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 12, max_length = 256)]
    pub password: String,
}
