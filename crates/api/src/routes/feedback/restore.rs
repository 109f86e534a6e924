use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::feedback::FeedbackStatus;
use liaison_domain::policy::may_triage;
use liaison_domain::webhook::WebhookEvent;
use liaison_persistence::feedback;
use liaison_persistence::webhooks::{Published, Regions};

use super::json::ItemView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::state::AppState;

/// Undoes a duplicate marking: the item takes back its status and its own votes (an ambassador of its region, or staff).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 200, description = "The item restored", body = ItemView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither staff nor an ambassador of the item's region, or its author"),
        (status = 404, description = "No such item"),
        (status = 409, description = "Not a duplicate (`invalid_transition`)")
    )
)]
#[post("/feedback/{id}/restore")]
pub async fn restore_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let peek = feedback::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit_trusted(
        may_triage(&caller.actor, peek.region_id, peek.author_id),
        "only staff or an ambassador of the item's region restore it, never its author",
    )?;
    // The item and the one it duplicates, in id order, as a marking takes them.
    feedback::lock_pair(txn, peek.id, peek.duplicate_of.unwrap_or(peek.id)).await?;
    let item = feedback::find(txn, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    if item.status != FeedbackStatus::Duplicate {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("a {} item is not a duplicate", item.status),
        ));
    }
    let back = feedback::restore(txn, &item, Some(me)).await?;
    let event = AuditEvent::new(
        "feedback.restored",
        "feedback",
        item.id,
        json!({"from": item.duplicate_of, "to": back}),
    );
    cmd.audit(event).await?;
    let restored = feedback::find(txn, item.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let told = Published {
        group_id: restored.group_id,
        regions: match restored.region_id {
            Some(r) => Regions::These(vec![r]),
            None => Regions::OfGroup,
        },
        data: json!({"feedback_id": restored.id, "title": restored.title, "from": item.status, "to": restored.status}),
    };
    cmd.publish(WebhookEvent::FeedbackStatusChanged, &[told])
        .await?;
    cmd.finish(Reply::ok(&ItemView::from(restored))?).await
}
