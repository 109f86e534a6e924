//! Accounts: register, sign in, rotate refresh tokens, sign out.
//!
//! Refresh tokens rotate on every use. Presenting one that was already used
//! means it was copied: the whole family (every token descended from the same
//! sign-in) is revoked, so the thief's copy dies with the victim's.

use actix_web::middleware::from_fn;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::{scope, service_config::ServiceConfig};
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::member::Registration;
use liaison_persistence::audit::AuditActor;
use liaison_persistence::{members, refresh_tokens};

use crate::auth::{secrets, Caller};
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::rate_limit::limit_auth;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::routes::members::json::MemberView;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope::scope("/auth")
            .wrap(from_fn(limit_auth))
            .service(register)
            .service(issue_token)
            .service(rotate_refresh_token)
            .service(logout),
    );
}

/// A new member.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.org", "password": "correct horse battery", "display_name": "Ada Lovelace", "country": "GB"}))]
pub struct RegisterRequest {
    /// Unique, case-insensitively.
    pub email: String,
    /// 10–256 characters.
    pub password: String,
    /// 1–100 characters.
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
}

/// Registers a member.
///
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
    let reply = Reply::created(
        &MemberView::private(&member),
        format!("/v1/members/{}", member.id),
    )?;
    cmd.finish(reply).await
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

async fn issue_pair(
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

fn wrong_credentials() -> ApiError {
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
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let pair = issue_pair(&state, txn, member.id, Uuid::now_v7()).await?;
    let event = AuditEvent::new("member.signed_in", "member", member.id, json!({}));
    cmd.audit_as(&caller.audit_for(member.id), event).await?;
    cmd.finish(Reply::ok(&pair)?).await
}

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
