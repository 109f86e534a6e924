//! Access tokens: short-lived JWTs (15 minutes by default) whose `exp`,
//! `iss` and `aud` are always checked.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;
use crate::settings::{JwtSigning, Settings};

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The member's id.
    pub sub: Uuid,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expires at (seconds since the epoch).
    pub exp: u64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Unique token id.
    pub jti: Uuid,
}

/// Keys and rules for signing and checking access tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    algorithm: Algorithm,
    issuer: String,
    audience: String,
    ttl_secs: u64,
}

/// A key that cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[error("JWT key: {0}")]
pub struct KeyError(String);

impl TokenKeys {
    /// Loads keys from the settings.
    pub fn from_settings(settings: &Settings) -> Result<Self, KeyError> {
        let (encoding, decoding, algorithm) = match &settings.jwt {
            JwtSigning::Hs256(secret) => (
                EncodingKey::from_secret(secret.0.as_bytes()),
                DecodingKey::from_secret(secret.0.as_bytes()),
                Algorithm::HS256,
            ),
            JwtSigning::Asymmetric {
                algorithm,
                private_pem,
                public_pem,
            } => {
                let bad = |e: jsonwebtoken::errors::Error| KeyError(e.to_string());
                if algorithm == "RS256" {
                    (
                        EncodingKey::from_rsa_pem(private_pem.0.as_bytes()).map_err(bad)?,
                        DecodingKey::from_rsa_pem(public_pem.as_bytes()).map_err(bad)?,
                        Algorithm::RS256,
                    )
                } else {
                    (
                        EncodingKey::from_ed_pem(private_pem.0.as_bytes()).map_err(bad)?,
                        DecodingKey::from_ed_pem(public_pem.as_bytes()).map_err(bad)?,
                        Algorithm::EdDSA,
                    )
                }
            }
        };
        Ok(Self {
            encoding,
            decoding,
            algorithm,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            ttl_secs: settings.access_token_ttl.as_secs(),
        })
    }

    /// Lifetime of an access token in seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// Signs an access token for `member`.
    pub fn issue(&self, member: Uuid) -> Result<String, ApiError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let claims = Claims {
            sub: member,
            iat: now,
            exp: now + self.ttl_secs,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: Uuid::now_v7(),
        };
        encode(&Header::new(self.algorithm), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("sign token: {e}")))
    }

    /// Checks signature, `exp` (no leeway), `iss` and `aud`.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = 0;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                ApiError::Unauthenticated(match e.kind() {
                    ErrorKind::ExpiredSignature => "the access token has expired".into(),
                    ErrorKind::InvalidSignature => "the access token's signature is invalid".into(),
                    ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                        "the access token was not issued for this API".into()
                    }
                    _ => "the access token is malformed".into(),
                })
            })
    }
}
