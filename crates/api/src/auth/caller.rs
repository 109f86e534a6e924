//! The `Caller` extractor: `Authorization: Bearer <jwt>` for members,
//! `Authorization: Bearer lia_…` for service accounts, nothing for anonymous.
//! Roles are read from the database for every write, and for reads kept in
//! memory until PostgreSQL says they changed (`known.rs`), so a role change
//! or a revoked key takes effect at once.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{http::header, web, FromRequest, HttpMessage, HttpRequest, ResponseError};
use uuid::Uuid;

use liaison_domain::actor::{MemberActor, ServiceActor};
use liaison_domain::{Actor, Role, Scope};
use liaison_persistence::audit::AuditActor;
use liaison_persistence::{members, service_accounts};

use crate::auth::secrets::{digest, API_KEY_PREFIX};
use crate::error::ApiError;
use crate::request_id::RequestId;
use crate::state::AppState;

/// The authenticated (or anonymous) caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who is acting.
    pub actor: Actor,
    /// The request id, for the audit log.
    pub request_id: Option<String>,
}

impl Caller {
    /// The member acting, or 401 when the caller is not a member.
    pub fn member(&self) -> Result<&MemberActor, ApiError> {
        match &self.actor {
            Actor::Member(m) => Ok(m),
            Actor::Anonymous => Err(ApiError::Unauthenticated(
                "sign in: this needs a member's access token".into(),
            )),
            Actor::Service(_) => Err(ApiError::forbidden(
                "API keys cannot do this; it needs a member",
            )),
        }
    }

    /// The member acting, when they are staff: 401 for no member, 403 otherwise.
    /// `what` completes "only staff …" in the problem's detail.
    pub fn require_staff(&self, what: &str) -> Result<&MemberActor, ApiError> {
        self.permit(
            liaison_domain::policy::is_staff(&self.actor),
            format!("only staff {what}"),
        )?;
        self.member()
    }

    /// 401 for an anonymous caller, 403 with `detail` for one the policy
    /// does not allow.
    pub fn permit(&self, allowed: bool, detail: impl Into<String>) -> Result<(), ApiError> {
        match (&self.actor, allowed) {
            (_, true) => Ok(()),
            (Actor::Anonymous, false) => {
                Err(ApiError::Unauthenticated("credentials required".into()))
            }
            (_, false) => Err(ApiError::forbidden(detail)),
        }
    }

    /// As [`Caller::permit`], for an act of trust (verifying a claim,
    /// triaging, reviewing, deciding): a member who has not verified their
    /// email is told that this is what stands in the way (403 `email_unverified`).
    pub fn permit_trusted(&self, allowed: bool, detail: impl Into<String>) -> Result<(), ApiError> {
        if !allowed && !liaison_domain::policy::is_trusted(&self.actor) {
            if let Actor::Member(_) = self.actor {
                return Err(ApiError::Forbidden {
                    code: "email_unverified",
                    detail: "verify your email address first: follow the mail sent at registration, or ask for another with POST /v1/auth/verify-email/resend".into(),
                });
            }
        }
        self.permit(allowed, detail)
    }

    /// For what the path names when the caller may not see it: 404 for a
    /// member, as if it did not exist (domain.md), 401 for anonymous, and
    /// 403 for an API key, whose scopes say plainly what it may reach.
    /// Checked before what the caller may do with it.
    pub fn require_visible(&self, visible: bool) -> Result<(), ApiError> {
        match (&self.actor, visible) {
            (_, true) => Ok(()),
            (Actor::Anonymous, false) => {
                Err(ApiError::Unauthenticated("credentials required".into()))
            }
            (Actor::Service(_), false) => {
                Err(ApiError::forbidden("this API key's scopes do not reach it"))
            }
            (Actor::Member(_), false) => Err(ApiError::NotFound),
        }
    }

    /// 401 unless the caller presented credentials.
    pub fn require_authenticated(&self) -> Result<(), ApiError> {
        match self.actor {
            Actor::Anonymous => Err(ApiError::Unauthenticated("credentials required".into())),
            _ => Ok(()),
        }
    }

    /// Staff, or an API key holding `scope` (the policy's
    /// [`staff_or_scope`](liaison_domain::policy::staff_or_scope)); 401/403 otherwise.
    pub fn require_staff_or_scope(&self, scope: Scope) -> Result<(), ApiError> {
        self.permit(
            liaison_domain::policy::staff_or_scope(&self.actor, scope),
            format!("staff or an API key with `{scope}` only"),
        )
    }

    /// Who to record in the audit log.
    pub fn audit(&self) -> AuditActor {
        let (actor_type, actor_id) = self.actor.audit_identity();
        AuditActor {
            actor_type,
            actor_id,
            request_id: self.request_id.clone(),
        }
    }

    /// The key under which this caller's idempotency keys are kept.
    pub fn idempotency_scope(&self) -> String {
        match self.actor.audit_identity() {
            (kind, Some(id)) => format!("{kind}:{id}"),
            (kind, None) => kind.to_owned(),
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| ApiError::Unauthenticated("the Authorization header is not text".into()))?;
    match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::Unauthenticated(
            "use `Authorization: Bearer <token>`".into(),
        )),
    }
}

/// Loads the actor behind a bearer token; for a read (`GET`, `HEAD`) a
/// member's facts may come from memory.
pub async fn resolve(state: &AppState, token: &str, reading: bool) -> Result<Actor, ApiError> {
    if token.starts_with(API_KEY_PREFIX) {
        let account = service_accounts::find_live_by_key_hash(&state.db, &digest(token))
            .await?
            .ok_or_else(|| ApiError::Unauthenticated("unknown or revoked API key".into()))?;
        return Ok(Actor::Service(ServiceActor {
            id: account.id,
            scopes: account
                .scopes
                .iter()
                .filter_map(|s| s.parse::<Scope>().ok())
                .collect(),
            group_ids: account.group_ids.into_iter().collect(),
        }));
    }
    let claims = state.tokens.verify(token)?;
    // Roles and ambassadorships are read with one query, or for a read kept
    // until a change is heard: a role change, a removal or an ended term
    // takes effect at once.
    let today = chrono::Utc::now().date_naive();
    let kept = reading
        .then(|| state.known.get(claims.sub, today))
        .flatten();
    let facts = match kept {
        Some(facts) => facts,
        None => {
            let generation = state.known.generation();
            let facts = members::actor_facts(&state.db, claims.sub, today)
                .await?
                .ok_or_else(|| {
                    ApiError::Unauthenticated("the token's member no longer exists".into())
                })?;
            if reading {
                state
                    .known
                    .keep(claims.sub, today, facts.clone(), generation);
            }
            facts
        }
    };
    if facts
        .tokens_valid_from
        .is_some_and(|from| (claims.iat as i64) < from)
    {
        return Err(ApiError::Unauthenticated(
            "the password was changed since this token was issued: sign in again".into(),
        ));
    }
    Ok(Actor::Member(MemberActor {
        id: claims.sub,
        roles: facts
            .roles
            .iter()
            .filter_map(|r| r.parse::<Role>().ok())
            .collect(),
        ambassador_of: facts.ambassador_of.into_iter().collect::<BTreeSet<Uuid>>(),
        verified: facts.verified,
    }))
}

/// Works out the caller of a request from its `Authorization` header.
async fn caller_of(req: &HttpRequest) -> Result<Caller, ApiError> {
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let actor = match bearer(req)? {
        None => Actor::Anonymous,
        Some(token) => {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal("app state missing".into()))?;
            let reading = matches!(
                *req.method(),
                actix_web::http::Method::GET | actix_web::http::Method::HEAD
            );
            resolve(state, &token, reading).await?
        }
    };
    Ok(Caller { actor, request_id })
}

/// Signing in, registering and refreshing take no access token: a stale one
/// a client still sends must not stand in the way.
fn ignores_credentials(path: &str) -> bool {
    matches!(
        path,
        "/v1/auth/register"
            | "/v1/auth/token"
            | "/v1/auth/refresh"
            | "/v1/auth/verify-email"
            | "/v1/auth/password-reset"
            | "/v1/auth/password-reset/confirm"
    )
}

/// Middleware on `/v1`: resolves the credentials of every request once, so a
/// missing-but-malformed, expired or revoked credential is a 401 even on
/// public reads (api.md), and handlers get the caller from the extensions.
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let caller = if ignores_credentials(req.path()) {
        Ok(Caller {
            actor: Actor::Anonymous,
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        })
    } else {
        caller_of(req.request()).await
    };
    match caller {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        }
        Err(err) => Ok(req
            .into_response(err.error_response())
            .map_into_right_body()),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(caller) = req.extensions().get::<Caller>().cloned() {
            return Box::pin(async move { Ok(caller) });
        }
        let req = req.clone();
        Box::pin(async move { caller_of(&req).await })
    }
}

impl Caller {
    /// Audit identity for actions a member takes with credentials other than
    /// an access token (a refresh token): recorded as that member.
    pub fn audit_for(&self, member: Uuid) -> AuditActor {
        AuditActor {
            actor_type: "member",
            actor_id: Some(member),
            request_id: self.request_id.clone(),
        }
    }
}
