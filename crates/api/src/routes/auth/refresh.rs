use actix_web::{post, web, HttpResponse};
use chrono::Utc;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::refresh_tokens;

use super::json::{RefreshRequest, TokenResponse};
use super::token::issue_pair;
use crate::auth::{secrets, Caller};
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Rotates a refresh token: the old one is spent, a new pair is returned.
///
/// Presenting a spent token revokes every token of its family.
#[utoipa::path(
    tag = "accounts",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token")
    )
)]
#[post("/refresh")]
pub async fn rotate_refresh_token(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let stored = refresh_tokens::find_for_update(txn, &secrets::digest(body.refresh_token.trim()))
        .await?
        .ok_or_else(|| ApiError::Unauthenticated("unknown refresh token".into()))?;
    let actor = caller.audit_for(stored.member_id);
    if stored.revoked_at.is_some() {
        return Err(ApiError::Unauthenticated(
            "the refresh token was revoked".into(),
        ));
    }
    if stored.used_at.is_some() {
        let revoked = refresh_tokens::revoke_family(txn, stored.family_id).await?;
        cmd.audit_as(
            &actor,
            AuditEvent::new(
                "session.reuse_detected",
                "member",
                stored.member_id,
                json!({"family_id": stored.family_id, "tokens_revoked": revoked}),
            ),
        )
        .await?;
        return cmd.refuse_after_commit(ApiError::Unauthenticated(
            "the refresh token was already used; every session token of this sign-in is now revoked".into(),
        )).await;
    }
    if stored.expires_at < Utc::now() {
        return Err(ApiError::Unauthenticated(
            "the refresh token has expired".into(),
        ));
    }
    refresh_tokens::mark_used(txn, stored.id).await?;
    let pair = issue_pair(&state, txn, stored.member_id, stored.family_id).await?;
    cmd.audit_as(
        &actor,
        AuditEvent::new(
            "session.refreshed",
            "member",
            stored.member_id,
            json!({"family_id": stored.family_id}),
        ),
    )
    .await?;
    cmd.finish(Reply::ok(&pair)?).await
}
