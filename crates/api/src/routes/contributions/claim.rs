use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::recognition::Claim;
use liaison_domain::FieldError;
use liaison_persistence::contributions::NewClaim;
use liaison_persistence::{contribution_kinds, contributions};
use liaison_persistence::{events, groups};

use super::json::{ClaimRequest, ContributionView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Claims a contribution (pending until verified).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = ClaimRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Claimed, pending", body = ContributionView),
        (status = 401, description = "Not signed in"),
        (status = 422, description = "Unknown kind, future date, unknown group or event, …")
    )
)]
#[post("/contributions")]
pub async fn claim_contribution(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<ClaimRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let known: Vec<String> = contribution_kinds::list(txn)
        .await?
        .into_iter()
        .map(|k| k.slug)
        .collect();
    let mut errors = liaison_domain::error::Errors::new();
    let claim = errors.take(Claim::parse(
        &body.kind,
        body.occurred_on,
        &body.title,
        body.evidence_url.as_deref(),
        &known,
        Utc::now().date_naive(),
    ));
    if let Some(group) = body.group_id {
        if groups::find(txn, &group.to_string(), false)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                "group_id",
                "unknown_group",
                "no such group",
            ));
        }
    }
    if let Some(event) = body.event_id {
        match events::find(txn, event, false).await? {
            Some(e) if Some(e.group_id) == body.group_id => {}
            Some(_) => errors.push(FieldError::new(
                "event_id",
                "other_group",
                "the event belongs to another group",
            )),
            None => errors.push(FieldError::new(
                "event_id",
                "unknown_event",
                "no such event",
            )),
        }
    }
    errors.finish()?;
    let Some(claim) = claim else {
        return Err(ApiError::Internal("validated claim lost".into()));
    };
    let id = contributions::insert(
        txn,
        NewClaim {
            member_id: me.id,
            kind: claim.kind,
            occurred_on: claim.occurred_on,
            title: claim.title,
            evidence_url: claim.evidence_url,
            group_id: body.group_id,
            event_id: body.event_id,
        },
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "contribution.claimed",
        "contribution",
        id,
        json!({"kind": body.kind}),
    ))
    .await?;
    let created = contributions::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reply = Reply::created(
        &ContributionView::from(created),
        format!("/v1/contributions/{id}"),
    )?;
    cmd.finish(reply).await
}
