use actix_web::{delete, post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_persistence::{feedback, groups};

use super::json::{ItemView, VoteRequest};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::OptionalJson;
use crate::state::AppState;

/// Votes for an item (members), once: voting again is a no-op. A vote on a duplicate counts for its canonical item.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    request_body(content = Option<VoteRequest>, description = "Optional (a request without a body is a plain vote): on behalf of a group the voter organizes"),
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 200, description = "The item as it counts now (the canonical item for a duplicate)", body = ItemView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such item"),
        (status = 422, description = "A group the voter does not organize (`group_id`)")
    )
)]
#[post("/feedback/{id}/votes")]
pub async fn vote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: OptionalJson<VoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let group = body.0.group_id;
    let cmd = Command::open(&state.db, &caller).await?;
    let item = feedback::find(cmd.txn(), *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(g) = group {
        if !groups::is_organizer(cmd.txn(), g, me).await? {
            return Err(ApiError::invalid_field(
                "group_id",
                "not_an_organizer",
                "only a group's organizers vote on its behalf",
            ));
        }
    }
    if feedback::vote(cmd.txn(), item.id, me, group).await? {
        let event = AuditEvent::new(
            "feedback.voted",
            "feedback",
            item.canonical_id,
            json!({"group_id": group}),
        );
        cmd.audit(event).await?;
    }
    let counted = feedback::find(cmd.txn(), item.canonical_id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&ItemView::from(counted))?).await
}

/// Withdraws the caller's vote (members); withdrawing none is a no-op.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 204, description = "No vote of the caller counts for the item now"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such item")
    )
)]
#[delete("/feedback/{id}/votes")]
pub async fn withdraw_vote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let cmd = Command::open(&state.db, &caller).await?;
    let item = feedback::find(cmd.txn(), *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    if feedback::unvote(cmd.txn(), item.id, me).await? > 0 {
        let event = AuditEvent::new(
            "feedback.vote_withdrawn",
            "feedback",
            item.canonical_id,
            json!({}),
        );
        cmd.audit(event).await?;
    }
    cmd.finish(Reply::no_content()).await
}
