use actix_web::{put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::event::{self, EventInput, EventStatus};
use liaison_domain::policy::{can, may_sync, may_sync_group, Action};
use liaison_domain::recognition::Derivation;
use liaison_domain::{FieldError, Invalid};
use liaison_persistence::database;
use liaison_persistence::events::{self, EventFields, SyncMode};
use liaison_persistence::groups::{self, Group};

use super::json::{fields_of, SyncModeDto, SyncRequest, SyncResult};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::batch::BatchItem;
use crate::http::command::{Begun, Command, Key};
use crate::http::extract::bulk_body;
use crate::http::reply::Reply;
use crate::http::screen;
use crate::routes::groups::access::resource_of;
use crate::state::AppState;

/// Reads one event of a batch field by field, so that a field of the wrong
/// type is named (`events[6].starts_at`) and the others are still checked.
pub(crate) fn read_event(
    i: usize,
    value: serde_json::Value,
    errors: &mut Errors,
) -> Option<EventInput> {
    use serde_json::Value;
    let mut item = BatchItem::of("events", i, &value, "each event", errors)?;
    let mut text =
        |field: &str, required: bool, errors: &mut Errors| item.text(field, required, errors);
    let external_id = text("external_id", false, errors);
    let title = text("title", true, errors);
    let description = text("description", false, errors);
    let venue = text("venue", false, errors);
    let city = text("city", false, errors);
    let country = text("country", false, errors);
    let url = text("url", false, errors);
    let starts_raw = text("starts_at", true, errors);
    let ends_raw = text("ends_at", true, errors);
    let status_raw = text("status", false, errors);
    let timezone = text("timezone", false, errors);
    let time = |field: &str, raw: Option<String>, errors: &mut Errors| {
        raw.and_then(|r| match DateTime::parse_from_rfc3339(&r) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                item.reject(
                    field,
                    "invalid_type",
                    "must be an RFC 3339 timestamp",
                    errors,
                );
                None
            }
        })
    };
    let starts_at = time("starts_at", starts_raw, errors);
    let ends_at = time("ends_at", ends_raw, errors);
    let status = match status_raw.as_deref() {
        None => Some(EventStatus::Scheduled),
        Some(s) => EventStatus::parse(s).or_else(|| {
            item.reject(
                "status",
                "invalid_value",
                "one of scheduled, held, cancelled",
                errors,
            );
            None
        }),
    };
    let online = match item.get("online") {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            item.reject("online", "invalid_type", "must be true or false", errors);
            None
        }
    };
    let count = |field: &str, errors: &mut Errors| -> Result<Option<i32>, ()> {
        match item.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
                Some(n) => Ok(Some(n)),
                None => {
                    item.reject(field, "invalid_type", "must be a whole number", errors);
                    Err(())
                }
            },
        }
    };
    let rsvp_count = count("rsvp_count", errors);
    let attendee_count = count("attendee_count", errors);
    match (
        item.ok,
        title,
        starts_at,
        ends_at,
        status,
        online,
        rsvp_count,
        attendee_count,
    ) {
        (
            true,
            Some(title),
            Some(starts_at),
            Some(ends_at),
            Some(status),
            Some(online),
            Ok(rsvp_count),
            Ok(attendee_count),
        ) => Some(EventInput {
            external_id,
            title,
            description,
            starts_at,
            ends_at,
            venue,
            city,
            country,
            online,
            url,
            status,
            rsvp_count,
            attendee_count,
            timezone,
        }),
        _ => None,
    }
}

/// Pushes a group website's events in bulk (organizers, or a `groups:sync` key listing the group).
///
/// Atomic: one invalid event rejects the whole batch (422 naming
/// `events[i].field` for every error) and writes nothing. Sending the same
/// batch again changes nothing. `Idempotency-Key` is required.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = SyncRequest,
    params(("id" = String, Path, description = "Group id or slug"), ("Idempotency-Key" = String, Header, description = "Required; replays the first response for 24 h")),
    responses(
        (status = 200, description = "Counts of what changed", body = SyncResult),
        (status = 400, description = "Missing Idempotency-Key, or a body that is not the expected JSON"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Not an organizer, or a key without `groups:sync` for this (visible) group"),
        (status = 404, description = "No such group, or one the caller may not see (a pending group a key does not list)"),
        (status = 409, description = "Idempotency-Key reused with another body"),
        (status = 413, description = "Body over 10 MiB"),
        (status = 422, description = "Every invalid field of every event, by index", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:validation_failed", "title": "Unprocessable Entity", "status": 422,
           "detail": "2 fields are invalid", "code": "validation_failed", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "events[3].ends_at", "code": "before_starts_at", "message": "must be after starts_at"},
                      {"field": "events[7].country", "code": "unknown_country", "message": "`XX` is not an ISO 3166-1 alpha-2 country code"}]}))
    )
)]
#[put("/groups/{id}/events/sync")]
pub async fn sync_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_authenticated()?;
    // Bounded before the body is read, so a flood of syncs holds at most
    // `LIAISON_MAX_SYNCS` bodies of up to 10 MiB.
    let _place = state.gates.syncs.enter().await?;
    let (body, batch) = read_batch(&req, payload).await?;
    // Permission comes before the batch's own errors are reported, so a
    // stranger learns nothing about the group from a 422.
    let cmd = match Command::begin(&state.db, &req, &caller, &body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    database::allow_bulk_statements(txn, state.settings.limits.bulk_statement_timeout).await?;
    let g = group_to_sync(txn, &caller, &id).await?;
    // Only now, to those allowed: the batch's own errors.
    let (source, batch) = batch?;
    let mode = match body.mode {
        SyncModeDto::Upsert => SyncMode::Upsert,
        SyncModeDto::Snapshot => SyncMode::Snapshot,
    };
    let counts = events::sync(txn, g.id, &source, mode, batch).await?;
    // Organizers earn `event_organized` for events this sync marked held, in
    // the same transaction as the sync.
    liaison_persistence::contributions::derive(txn, &Derivation::EventsHeld(counts.held.clone()))
        .await?;
    let result = SyncResult {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        cancelled: counts.cancelled,
    };
    cmd.publish_event_changes().await?;
    cmd.audit(AuditEvent::new(
        "events.synced",
        "group",
        g.id,
        json!({"source": source, "mode": body.mode, "result": result}),
    ))
    .await?;
    let reply = Reply::ok(&result)?;
    cmd.finish(reply).await
}

/// A batch as read: its source and events, each checked.
type Checked = Result<(String, Vec<EventFields>), Invalid>;

/// Reads and parses the body; the batch's own errors are kept for after the
/// permission check, so a stranger learns nothing about the group from a 422.
async fn read_batch(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(SyncRequest, Checked), ApiError> {
    let bytes = bulk_body(req, payload).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::malformed("the body is not UTF-8 JSON"))?;
    screen::refuse_nul(text)?;
    let body: SyncRequest = screen::typed(text)?;
    let mut errors = Errors::new();
    let source = errors.take(event::parse_source(&body.source));
    if body.source == "manual" {
        errors.push(FieldError::new(
            "source",
            "reserved",
            "`manual` is for events created one by one",
        ));
    }
    let total = body.events.len();
    let readable: Vec<(usize, EventInput)> = if total > event::MAX_SYNC_EVENTS {
        vec![]
    } else {
        body.events
            .iter()
            .cloned()
            .enumerate()
            .filter_map(|(i, v)| read_event(i, v, &mut errors).map(|e| (i, e)))
            .collect()
    };
    let inputs = errors.take(event::check_indexed(readable, total));
    let checked = errors.finish().and_then(|()| match (source, inputs) {
        (Some(source), Some(valid)) => Ok((source, valid)),
        _ => Err(Invalid::one(
            "events",
            "invalid",
            "the batch could not be read",
        )),
    });
    let checked = checked.map(|(source, valid)| {
        let batch = valid
            .into_iter()
            .map(|v| {
                let external_id = v.0.external_id.clone().unwrap_or_default();
                fields_of(v.0, external_id)
            })
            .collect();
        (source, batch)
    });
    Ok((body, checked))
}

/// The group `id` if the caller may sync it: 404 for what they may not see
/// (for a key as for a member, so a key cannot probe for pending groups it
/// does not list), 403 for what they see but may not sync.
async fn group_to_sync(
    txn: &DatabaseTransaction,
    caller: &Caller,
    id: &str,
) -> Result<Group, ApiError> {
    let g = groups::find(txn, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(txn, caller, &g).await?;
    let organizes = matches!(
        resource,
        liaison_domain::policy::Resource::Group {
            caller_organizes: true,
            ..
        }
    );
    if !can(&caller.actor, Action::Read, resource) && !may_sync_group(&caller.actor, g.id) {
        return Err(ApiError::NotFound);
    }
    caller.permit(
        may_sync(&caller.actor, g.id, organizes),
        "only the group's organizers or a groups:sync key listing the group sync its events",
    )?;
    Ok(g)
}
