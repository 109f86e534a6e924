use actix_web::{post, web, HttpResponse};
use serde_json::json;

use liaison_domain::account::TokenPurpose;
use liaison_domain::audit::AuditEvent;
use liaison_persistence::{account_tokens, members};

use super::json::{EmailVerified, TokenBody};
use super::mail::{mail_token, spend_token};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Verifies the email address with the token mailed to it.
///
/// The token works once, within 24 hours. No sign-in is needed: holding the
/// mail is the proof.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenBody,
    responses(
        (status = 200, description = "Verified (a second token of an already verified member keeps the first time)", body = EmailVerified),
        (status = 422, description = "The token is unknown, used or expired (`validation_failed`, field `token`, code `invalid_token`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:validation_failed", "title": "Unprocessable Entity", "status": 422, "detail": "token: this token is unknown, used or expired; ask for a new mail", "code": "validation_failed", "errors": [{"field": "token", "code": "invalid_token", "message": "this token is unknown, used or expired; ask for a new mail"}], "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 429, description = "Too many requests from this client address (`rate_limited`)")
    )
)]
#[post("/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let cmd = Command::open(&state.db, &caller).await?;
    let member = spend_token(&cmd, &body.token, TokenPurpose::VerifyEmail).await?;
    account_tokens::mark_verified(cmd.txn(), member).await?;
    let verified = members::find(cmd.txn(), member)
        .await?
        .and_then(|m| m.email_verified_at)
        .ok_or_else(|| ApiError::Internal("verified member lost".into()))?;
    let event = AuditEvent::new("member.email_verified", "member", member, json!({}));
    cmd.audit_as(&caller.audit_for(member), event).await?;
    cmd.finish(Reply::ok(&EmailVerified {
        member_id: member,
        email_verified_at: verified,
    })?)
    .await
}

/// Mails a new verification token to the signed-in member.
///
/// Earlier tokens keep working until they expire or one is used.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Mailed"),
        (status = 401, description = "No valid access token"),
        (status = 409, description = "The email is verified already (`already_verified`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:already_verified", "title": "Conflict", "status": 409, "detail": "your email address is verified already", "code": "already_verified", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 429, description = "Too many requests from this client address (`rate_limited`)")
    )
)]
#[post("/verify-email/resend")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let member = members::find(cmd.txn(), me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if member.email_verified_at.is_some() {
        return Err(ApiError::conflict(
            "already_verified",
            "your email address is verified already",
        ));
    }
    mail_token(
        &cmd,
        &state.settings.accounts,
        &member.email,
        TokenPurpose::VerifyEmail,
    )
    .await?;
    cmd.finish(Reply::accepted()).await
}
