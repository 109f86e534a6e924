use actix_web::{post, web, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::refresh_tokens;

use super::json::RefreshRequest;
use crate::auth::{secrets, Caller};
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Signs out: revokes the refresh token and every token of its family.
#[utoipa::path(
    tag = "accounts",
    request_body = RefreshRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out (also when the token was unknown or already revoked)"),
        (status = 401, description = "No valid access token")
    )
)]
#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let member = caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    if let Some(stored) =
        refresh_tokens::find_for_update(txn, &secrets::digest(body.refresh_token.trim())).await?
    {
        // Someone else's token is left alone: the answer is the same, so it tells nothing.
        if stored.member_id == member.id && stored.revoked_at.is_none() {
            refresh_tokens::revoke_family(txn, stored.family_id).await?;
            cmd.audit(AuditEvent::new(
                "member.signed_out",
                "member",
                member.id,
                json!({"family_id": stored.family_id}),
            ))
            .await?;
        }
    }
    cmd.finish(Reply::no_content()).await
}
