//! Auth as clients send and read them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new member.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.org", "password": "correct horse battery", "display_name": "Ada Lovelace", "country": "GB"}))]
pub struct RegisterRequest {
    /// Unique, case-insensitively.
    #[schema(max_length = 254)]
    pub email: String,
    /// 10–256 characters.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(pattern = r"^\s*[A-Za-z]{2}\s*$")]
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
