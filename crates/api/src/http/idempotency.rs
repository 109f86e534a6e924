//! `Idempotency-Key` for creating `POST`s (`api.md` "Idempotency").
//!
//! Use: begin the transaction, [`Idempotency::begin`], act, build the
//! [`Reply`], [`Idempotency::finish`], commit. The key row and the stored
//! response commit with the effect; an error rolls both back, so a failed
//! request (validation, conflict) can be retried with the same key.

use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use sha2::{Digest, Sha256};

use liaison_persistence::idempotency::{self, Claim};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply::Reply;

/// The header name.
pub const HEADER: &str = "idempotency-key";

/// What a request with (or without) a key should do.
pub enum Idempotency {
    /// No key: act normally.
    None,
    /// A fresh key: act, then store the reply.
    Fresh { scope: String, key: String },
    /// A key seen before with the same request: send this again.
    Replay(Reply),
}

/// The key sent with the request, if any; 400 when it is not 1–255 visible ASCII characters.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(Some(key.to_owned()))
    } else {
        Err(ApiError::Malformed {
            detail: "Idempotency-Key must be 1–255 visible ASCII characters".into(),
            errors: vec![liaison_domain::FieldError::new(
                HEADER,
                "invalid_header",
                "1–255 visible ASCII characters",
            )],
        })
    }
}

/// A fingerprint of the request: method, path and the parsed body.
fn fingerprint(req: &HttpRequest, body: &impl Serialize) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b" ");
    hasher.update(req.path());
    hasher.update(b"\n");
    hasher.update(serde_json::to_vec(body).unwrap_or_default());
    hasher.finalize().to_vec()
}

impl Idempotency {
    /// Claims the request's key (if any) inside `txn`. Blocks while a twin
    /// request with the same key is in flight, then replays its answer.
    pub async fn begin(
        txn: &impl ConnectionTrait,
        req: &HttpRequest,
        caller: &Caller,
        body: &impl Serialize,
        required: bool,
    ) -> Result<Self, ApiError> {
        let Some(key) = key_of(req)? else {
            if required {
                return Err(ApiError::Malformed {
                    detail: "this endpoint requires an Idempotency-Key header".into(),
                    errors: vec![liaison_domain::FieldError::new(
                        HEADER,
                        "required",
                        "send a unique key per operation",
                    )],
                });
            }
            return Ok(Self::None);
        };
        let scope = caller.idempotency_scope();
        match idempotency::claim(txn, &scope, &key, &fingerprint(req, body)).await? {
            Claim::Fresh => Ok(Self::Fresh { scope, key }),
            Claim::Replay {
                status,
                body,
                location,
            } => Ok(Self::Replay(Reply {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body,
                location,
            })),
            Claim::Mismatch => Err(ApiError::conflict(
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request",
            )),
        }
    }

    /// Stores the reply of a fresh key in the same transaction as the effect.
    pub async fn finish(&self, txn: &impl ConnectionTrait, reply: &Reply) -> Result<(), ApiError> {
        if let Self::Fresh { scope, key } = self {
            idempotency::store_response(
                txn,
                scope,
                key,
                reply.status.as_u16(),
                &reply.body,
                reply.location.as_deref(),
            )
            .await?;
        }
        Ok(())
    }
}
