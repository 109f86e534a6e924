use actix_web::{post, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::feedback::FeedbackStatus;
use liaison_domain::outbox::Topic;
use liaison_domain::policy::may_triage;
use liaison_domain::recognition::Derivation;
use liaison_domain::values::{http_url, text_len};
use liaison_domain::webhook::WebhookEvent;
use liaison_domain::FieldError;
use liaison_persistence::contributions;
use liaison_persistence::feedback::{self, Item, StatusChange};
use liaison_persistence::webhooks::{Published, Regions};

use super::json::{ItemView, TriageRequest};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Moves an item along triaged → forwarded → acknowledged → resolved, or marks it `duplicate` or `rejected`
/// (an active ambassador of its region, or staff; never its author). Forwarding earns the author a
/// `feedback_submitted` contribution.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    request_body = TriageRequest,
    params(("id" = Uuid, Path, description = "Item id")),
    responses(
        (status = 200, description = "The item after the change", body = ItemView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither staff nor an ambassador of the item's region, or its author"),
        (status = 404, description = "No such item"),
        (status = 409, description = "Not a step the item's status allows (`invalid_transition`)"),
        (status = 422, description = "Missing note (rejected), upstream_url (forwarded) or duplicate_of (duplicate); a duplicate_of that is the item or would close a cycle; an unknown component")
    )
)]
#[post("/feedback/{id}/triage")]
pub async fn triage_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<TriageRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let change = StatusChange {
        actor: Some(me),
        note: body
            .note
            .as_deref()
            .map(|n| text_len("note", n, 1, 2000))
            .transpose()?,
        upstream_url: body
            .upstream_url
            .as_deref()
            .map(|u| http_url("upstream_url", u))
            .transpose()?,
        component: body.component.clone(),
    };
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let item = feedback::find(txn, *id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit_trusted(
        may_triage(&caller.actor, item.region_id, item.author_id),
        "only staff or an ambassador of the item's region triage it, never its author",
    )?;
    let to = body.status;
    if !item.status.can_become(to) {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!("a {} item cannot become {to}", item.status),
        ));
    }
    required(to, &body, &change)?;
    if let Some(component) = &change.component {
        if !feedback::components(txn)
            .await?
            .iter()
            .any(|c| &c.slug == component)
        {
            return Err(ApiError::invalid_field(
                "component",
                "unknown_component",
                "not in /v1/components",
            ));
        }
    }
    match (to, body.duplicate_of) {
        (FeedbackStatus::Duplicate, Some(of)) => mark_duplicate(txn, &item, of, &change).await?,
        _ => feedback::set_status(txn, &item, to, &change).await?,
    }
    if to == FeedbackStatus::Forwarded {
        contributions::derive(txn, &Derivation::FeedbackForwarded(item.id)).await?;
    }
    let event = AuditEvent::new(
        "feedback.triaged",
        "feedback",
        item.id,
        json!({"from": item.status, "to": to, "note": change.note, "duplicate_of": body.duplicate_of}),
    );
    cmd.audit(event).await?;
    cmd.mail_voters(
        Topic::FeedbackStatusChanged,
        item.id,
        json!({"title": item.title, "from": item.status, "to": to, "note": change.note}),
    )
    .await?;
    let updated = feedback::find(txn, item.id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let told = Published {
        group_id: updated.group_id,
        regions: match updated.region_id {
            Some(r) => Regions::These(vec![r]),
            None => Regions::OfGroup,
        },
        data: json!({"feedback_id": updated.id, "title": updated.title, "from": item.status, "to": updated.status}),
    };
    cmd.publish(WebhookEvent::FeedbackStatusChanged, &[told])
        .await?;
    cmd.finish(Reply::ok(&ItemView::from(updated))?).await
}

/// What each target status needs beside itself.
fn required(
    to: FeedbackStatus,
    body: &TriageRequest,
    change: &StatusChange,
) -> Result<(), ApiError> {
    let missing = match to {
        FeedbackStatus::Rejected if change.note.is_none() => Some(("note", "a rejection says why")),
        FeedbackStatus::Forwarded if change.upstream_url.is_none() => {
            Some(("upstream_url", "say where the item went upstream"))
        }
        FeedbackStatus::Duplicate if body.duplicate_of.is_none() => {
            Some(("duplicate_of", "name the item this one duplicates"))
        }
        _ => None,
    };
    match missing {
        Some((field, message)) => Err(ApiError::Validation {
            code: "validation_failed",
            errors: vec![FieldError::new(field, "required", message)],
        }),
        None => Ok(()),
    }
}

/// Folds `item` into `of`'s canonical item, both rows locked in id order;
/// 422 when `of` is the item or already counts for it (a cycle).
async fn mark_duplicate(
    txn: &sea_orm::DatabaseTransaction,
    item: &Item,
    of: Uuid,
    change: &StatusChange,
) -> Result<(), ApiError> {
    let cycle = || {
        ApiError::invalid_field(
            "duplicate_of",
            "cycle",
            "the item cannot duplicate itself, directly or through others",
        )
    };
    if of == item.id {
        return Err(cycle());
    }
    feedback::lock_pair(txn, item.id, of).await?;
    let target = feedback::find(txn, of, false)
        .await?
        .ok_or_else(|| ApiError::invalid_field("duplicate_of", "unknown_item", "no such item"))?;
    if target.canonical_id == item.id {
        return Err(cycle());
    }
    feedback::mark_duplicate(txn, item, &target, change).await?;
    Ok(())
}
