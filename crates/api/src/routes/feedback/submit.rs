use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::feedback::FeedbackText;
use liaison_domain::FieldError;
use liaison_persistence::feedback::{self, NewItem};
use liaison_persistence::{events, groups};

use super::json::{FiledView, ItemView, SimilarView, SubmitFeedback};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// How many similar items a filing suggests.
const SUGGESTED: u64 = 5;

/// Files a feedback item (members). The answer lists `similar` items by title, to vote for instead.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    request_body = SubmitFeedback,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Filed", body = FiledView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 422, description = "Invalid fields: title, body, an unknown component, more than 10 tags, a group the author does not organize, an event of another group")
    )
)]
#[post("/feedback")]
pub async fn submit_feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<SubmitFeedback>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let mut errors = Errors::new();
    let text = errors.take(FeedbackText::parse(&body.title, &body.body, &body.tags));
    for (field, value) in [
        ("release", &body.release),
        ("distribution", &body.distribution),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 100) {
            errors.push(FieldError::new(field, "length", "at most 100 characters"));
        }
    }
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    if !feedback::components(txn)
        .await?
        .iter()
        .any(|c| c.slug == body.component)
    {
        errors.push(FieldError::new(
            "component",
            "unknown_component",
            "not in /v1/components",
        ));
    }
    if let Some(group) = body.group_id {
        if !groups::is_organizer(txn, group, me).await? {
            errors.push(FieldError::new(
                "group_id",
                "not_an_organizer",
                "only a group's organizers link feedback to it",
            ));
        }
    }
    if let Some(event) = body.event_id {
        let of_group = events::find(txn, event, false).await?.map(|e| e.group_id);
        if body.group_id.is_none() || of_group != body.group_id {
            errors.push(FieldError::new(
                "event_id",
                "not_of_group",
                "must be an event of `group_id`",
            ));
        }
    }
    errors.finish()?;
    let text = text.ok_or_else(|| ApiError::Internal("checked text lost".into()))?;
    let id = feedback::insert(
        txn,
        NewItem {
            author_id: me,
            group_id: body.group_id,
            event_id: body.event_id,
            kind: body.kind,
            component: body.component.clone(),
            title: text.title.clone(),
            body: text.body,
            severity: body.severity,
            release: body.release.clone(),
            node_count: body.node_count,
            distribution: body.distribution.clone(),
            tags: text.tags,
        },
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "feedback.submitted",
        "feedback",
        id,
        json!({"kind": body.kind, "component": body.component}),
    ))
    .await?;
    let item = feedback::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let similar = feedback::similar(txn, &text.title, Some(id), SUGGESTED).await?;
    let view = FiledView {
        item: ItemView::from(item),
        similar: similar.into_iter().map(SimilarView::from).collect(),
    };
    cmd.finish(Reply::created(&view, format!("/v1/feedback/{id}"))?)
        .await
}
