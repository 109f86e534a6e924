use actix_web::{post, web, HttpResponse};
use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::{members, refresh_tokens};

use super::json::{TokenRequest, TokenResponse};
use crate::auth::{secrets, Caller};
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

pub(crate) async fn issue_pair(
    state: &AppState,
    txn: &impl sea_orm::ConnectionTrait,
    member: Uuid,
    family: Uuid,
) -> Result<TokenResponse, ApiError> {
    let refresh_token = secrets::new_refresh_token();
    refresh_tokens::insert(
        txn,
        family,
        member,
        secrets::digest(&refresh_token),
        Utc::now() + Duration::days(state.settings.refresh_token_ttl_days),
    )
    .await?;
    Ok(TokenResponse {
        access_token: state.tokens.issue(member)?,
        token_type: "Bearer",
        expires_in: state.tokens.ttl_secs(),
        refresh_token,
    })
}

pub(crate) fn wrong_credentials() -> ApiError {
    ApiError::Unauthenticated("the email or the password is wrong".into())
}

/// Signs in with email and password.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password"),
        (status = 503, description = "Every password worker stayed busy for the whole bounded wait (`unavailable`, with `Retry-After`), or the database is away", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:unavailable", "title": "Service Unavailable", "status": 503, "detail": "every password worker is busy; retry shortly", "code": "unavailable", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"}))
    )
)]
#[post("/token")]
pub async fn issue_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let member = members::find_by_email(&state.db, body.email.trim()).await?;
    let Some(member) = member else {
        // One verification, as for a known email, so the answer's timing
        // does not reveal whether the email has an account.
        state.passwords.verify_decoy(body.password.clone()).await?;
        return Err(wrong_credentials());
    };
    if !state
        .passwords
        .verify(body.password.clone(), member.password_hash.clone())
        .await?
    {
        return Err(wrong_credentials());
    }
    // Hashed again (before the transaction) when the configured cost changed.
    let rehashed = if state.passwords.needs_rehash(&member.password_hash) {
        Some(state.passwords.hash(body.password.clone()).await?)
    } else {
        None
    };
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let id = member.id;
    if let Some(hash) = rehashed {
        members::set_password_hash(txn, member, hash).await?;
    }
    let pair = issue_pair(&state, txn, id, Uuid::now_v7()).await?;
    let event = AuditEvent::new("member.signed_in", "member", id, json!({}));
    cmd.audit_as(&caller.audit_for(id), event).await?;
    cmd.finish(Reply::ok(&pair)?).await
}
