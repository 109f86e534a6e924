use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::account::{check_password, TokenPurpose};
use liaison_domain::audit::AuditEvent;
use liaison_domain::values::Email;
use liaison_persistence::{members, rate_limits};

use super::json::{PasswordResetConfirm, PasswordResetRequest};
use super::mail::{mail_token, spend_token};
use crate::auth::{secrets, Caller};
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::rate_limit::client_of;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// An hour, the window of the reset limits.
const HOUR: i64 = 3600;

/// Asks for a password-reset mail.
///
/// Always 202, whether or not the email has an account, so that nobody can
/// probe which emails exist (the work done is the same either way, and the
/// mail leaves later, from the outbox). At most
/// `LIAISON_RESET_PER_EMAIL_PER_HOUR` mails go to one address in an hour;
/// further requests are answered alike and mail nothing.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted: if the email has an account, a token valid one hour is on its way"),
        (status = 429, description = "Too many reset requests from this client address in the hour (`rate_limited`, with `Retry-After`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:rate_limited", "title": "Too Many Requests", "status": 429, "detail": "too many requests; retry in 1800 s", "code": "rate_limited", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"}))
    )
)]
#[post("/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    // Not an address at all (or longer than any address): 422, as on
    // registration. That says nothing about which addresses have accounts.
    let email = Email::parse("email", &body.email)?;
    let accounts = &state.settings.accounts;
    // One transaction that writes on both paths (the counters), so a known
    // and an unknown email cost the same commit.
    let cmd = Command::open(&state.db, &caller).await?;
    let client = client_of(&req, &state.settings.trusted_proxies);
    let from_client = rate_limits::hit(cmd.txn(), &format!("reset-client:{client}"), HOUR).await?;
    if from_client.hits as u32 > accounts.resets_per_client {
        return Err(ApiError::RateLimited {
            limit: accounts.resets_per_client,
            reset_in: from_client.reset_in.max(1) as u32,
        });
    }
    // Counted by the address's hash: the limiter keeps no email in clear.
    let email = email.as_str();
    let bucket = format!("reset-email:{}", hex::encode(secrets::digest(email)));
    let to_email = rate_limits::hit(cmd.txn(), &bucket, HOUR).await?;
    if to_email.hits as u32 <= accounts.resets_per_email {
        mail_token(&cmd, accounts, email, TokenPurpose::ResetPassword).await?;
    }
    cmd.finish(Reply::accepted()).await
}

/// Sets a new password with a mailed reset token.
///
/// The token works once, within one hour. Every refresh token of the member
/// is revoked, and access tokens issued before are refused: every device
/// signs in again.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; every session is signed out"),
        (status = 422, description = "The token is unknown, used or expired (field `token`, code `invalid_token`), or the password breaks the policy (field `password`: `length`, `common_password`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:validation_failed", "title": "Unprocessable Entity", "status": 422, "detail": "password: must be between 12 and 256 characters", "code": "validation_failed", "errors": [{"field": "password", "code": "length", "message": "must be between 12 and 256 characters"}], "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 429, description = "Too many requests from this client address (`rate_limited`)"),
        (status = 503, description = "Every password worker stayed busy for the whole bounded wait (`unavailable`, with `Retry-After`)")
    )
)]
#[post("/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    // Checked first without spending it, so that a password the policy
    // refuses leaves the token usable, and hashed outside the transaction.
    let peek = {
        let cmd = Command::open(&state.db, &caller).await?;
        let member = spend_token(&cmd, &body.token, TokenPurpose::ResetPassword).await?;
        // Dropped: rolled back, the token stays live.
        members::find(cmd.txn(), member)
            .await?
            .ok_or(ApiError::NotFound)?
    };
    check_password("password", &body.password, &peek.email)?;
    let hash = state.passwords.hash(body.password.clone()).await?;
    let cmd = Command::open(&state.db, &caller).await?;
    let member = spend_token(&cmd, &body.token, TokenPurpose::ResetPassword).await?;
    members::change_password(cmd.txn(), member, hash).await?;
    let event = AuditEvent::new("member.password_reset", "member", member, json!({}));
    cmd.audit_as(&caller.audit_for(member), event).await?;
    cmd.finish(Reply::no_content()).await
}
