use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::account::TokenPurpose;
use liaison_domain::audit::AuditEvent;
use liaison_domain::member::Registration;
use liaison_persistence::audit::AuditActor;
use liaison_persistence::members;

use super::json::RegisterRequest;
use super::mail::mail_token;
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::members::json::MemberView;
use crate::state::AppState;

/// Registers a member.
///
/// A verification mail goes to the address (a token valid 24 hours, for
/// `POST /v1/auth/verify-email`); until it is used, the member cannot
/// verify others' claims, triage, review, or be issued a pass.
/// Accepts an optional `Idempotency-Key`.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Registered; the member's private view", body = MemberView),
        (status = 409, description = "The email is taken (`already_exists`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:already_exists", "title": "Conflict", "status": 409, "detail": "an account with this email already exists", "code": "already_exists", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 422, description = "Invalid fields"),
        (status = 503, description = "Every password worker stayed busy for the whole bounded wait (`unavailable`, with `Retry-After`), or the database is away", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:unavailable", "title": "Service Unavailable", "status": 503, "detail": "every password worker is busy; retry shortly", "code": "unavailable", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"}))
    )
)]
#[post("/register")]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let registration = Registration::parse(
        &body.email,
        &body.password,
        &body.display_name,
        body.country.as_deref(),
    )?;
    // Hashed before the transaction, so that no database connection is held
    // while the request waits for a password worker.
    let password_hash = state.passwords.hash(registration.password.clone()).await?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let member = members::insert(
        txn,
        members::NewMember {
            email: registration.email.as_str().to_owned(),
            password_hash,
            display_name: registration.display_name,
            country: registration.country.map(|c| c.as_str().to_owned()),
            roles: vec![],
            verified: false,
        },
    )
    .await
    .on_constraint("members_email_key", || {
        ApiError::conflict(
            "already_exists",
            "an account with this email already exists",
        )
    })?;
    cmd.audit_as(
        &AuditActor {
            actor_type: "member",
            actor_id: Some(member.id),
            request_id: caller.request_id.clone(),
        },
        AuditEvent::new(
            "member.registered",
            "member",
            member.id,
            json!({"display_name": member.display_name}),
        ),
    )
    .await?;
    mail_token(
        &cmd,
        &state.settings.accounts,
        &member.email,
        TokenPurpose::VerifyEmail,
    )
    .await?;
    let reply = Reply::created(
        &MemberView::private(&member),
        format!("/v1/members/{}", member.id),
    )?;
    cmd.finish(reply).await
}
