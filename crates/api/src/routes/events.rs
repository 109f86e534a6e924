//! Events: organizers create and update them one by one; group websites
//! push them in bulk (`PUT …/events/sync`); anyone follows the change feed.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::event::{self, EventInput, EventStatus};
use liaison_domain::policy::{can, may_sync, may_sync_group, Action};
use liaison_domain::recognition::Derivation;
use liaison_domain::FieldError;
use liaison_persistence::database;
use liaison_persistence::events::{self, ChangeFilter, Event, EventFields, SyncMode};
use liaison_persistence::groups;

use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint, Problem};
use crate::http::command::{Begun, Command, Key};
use crate::http::etag;
use crate::http::extract::BULK_JSON_LIMIT;
use crate::http::pagination::{self, Page, PageParams};
use crate::http::reply::{self, Reply};
use crate::http::screen::{self, Json};
use crate::routes::groups::access::{resource_of, viewer_of, visible_group};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events)
        .service(create_event)
        .service(sync_events)
        .service(event_changes)
        .service(get_event)
        .service(update_event)
        .service(delete_event);
}

/// An event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40", "source": "meetup",
    "external_id": "305112233", "title": "Running upgrades without downtime", "description": "Talks and pizza.",
    "starts_at": "2026-12-10T18:00:00Z", "ends_at": "2026-12-10T21:00:00Z", "venue": "La Cordée", "city": "Lyon",
    "country": "FR", "online": false, "url": "https://example.org/events/305112233", "status": "scheduled",
    "rsvp_count": 84, "attendee_count": null, "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct EventView {
    pub id: Uuid,
    pub group_id: Uuid,
    /// `manual`, or the site the event comes from.
    pub source: String,
    /// The event's id on its site (generated for manual events).
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: bool,
    pub url: Option<String>,
    /// `scheduled`, `held` or `cancelled`.
    pub status: String,
    pub rsvp_count: Option<i32>,
    /// Set when held.
    pub attendee_count: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Event> for EventView {
    fn from(e: Event) -> Self {
        Self {
            id: e.id,
            group_id: e.group_id,
            source: e.source,
            external_id: e.external_id,
            title: e.title,
            description: e.description,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            venue: e.venue,
            city: e.city,
            country: e.country,
            online: e.online,
            url: e.url,
            status: e.status,
            rsvp_count: e.rsvp_count,
            attendee_count: e.attendee_count,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An event as sent by a client.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "external_id": "305112233", "title": "Running upgrades without downtime", "starts_at": "2026-12-10T18:00:00Z",
    "ends_at": "2026-12-10T21:00:00Z", "venue": "La Cordée", "city": "Lyon", "country": "FR",
    "url": "https://example.org/events/305112233", "status": "scheduled", "rsvp_count": 84
}))]
pub struct EventInputDto {
    /// The event's id on its site; required in a sync, generated for manual events.
    pub external_id: Option<String>,
    /// 1–200 characters.
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`.
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    #[serde(default)]
    pub online: bool,
    pub url: Option<String>,
    /// Default `scheduled`.
    pub status: Option<EventStatusDto>,
    pub rsvp_count: Option<i32>,
    /// Only on a held event.
    pub attendee_count: Option<i32>,
}

/// An event status.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventStatusDto {
    Scheduled,
    Held,
    Cancelled,
}

impl From<EventStatusDto> for EventStatus {
    fn from(s: EventStatusDto) -> Self {
        match s {
            EventStatusDto::Scheduled => Self::Scheduled,
            EventStatusDto::Held => Self::Held,
            EventStatusDto::Cancelled => Self::Cancelled,
        }
    }
}

impl From<EventInputDto> for EventInput {
    fn from(d: EventInputDto) -> Self {
        Self {
            external_id: d.external_id,
            title: d.title,
            description: d.description,
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            venue: d.venue,
            city: d.city,
            country: d.country,
            online: d.online,
            url: d.url,
            status: d
                .status
                .map(EventStatus::from)
                .unwrap_or(EventStatus::Scheduled),
            rsvp_count: d.rsvp_count,
            attendee_count: d.attendee_count,
        }
    }
}

fn fields_of(e: EventInput, external_id: String) -> EventFields {
    EventFields {
        external_id,
        title: e.title,
        description: e.description,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        venue: e.venue,
        city: e.city,
        country: e.country,
        online: e.online,
        url: e.url,
        status: e.status.as_str().to_owned(),
        rsvp_count: e.rsvp_count,
        attendee_count: e.attendee_count,
    }
}

/// A group's events, by start time.
#[utoipa::path(
    tag = "events",
    params(("id" = String, Path, description = "Group id or slug"), PageParams),
    responses(
        (status = 200, description = "One page, with an `ETag`", body = Page<EventView>),
        (status = 304, description = "Not modified: `If-None-Match` names the page's current `ETag`"),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 404, description = "No such group, or not visible")
    )
)]
#[get("/groups/{id}/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let (g, _) = visible_group(&state.db, &caller, &id, false).await?;
    let limit = page.limit()?;
    let rows = events::list_for_group(
        &state.db,
        g.id,
        page.cursor::<(DateTime<Utc>, Uuid)>()?,
        limit + 1,
    )
    .await?;
    // With an `ETag`, so that a group's site polls it with `If-None-Match`.
    reply::resource(&Page::from_rows(
        rows,
        limit,
        |e| (e.starts_at, e.id),
        EventView::from,
    ))
}

/// Creates one event (source `manual`; organizers).
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = EventInputDto,
    params(("id" = String, Path, description = "Group id or slug"), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Created", body = EventView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 422, description = "Invalid fields (e.g. `ends_at` before `starts_at`)")
    )
)]
#[post("/groups/{id}/events")]
pub async fn create_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: Json<EventInputDto>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let valid = event::check("", EventInput::from(body.clone()), false)?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id, false).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers create its events",
        ));
    }
    let external_id = valid
        .0
        .external_id
        .clone()
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    let created = events::insert(txn, g.id, "manual", fields_of(valid.0, external_id))
        .await
        .on_constraint("events_group_source_external_key", || {
            ApiError::conflict("already_exists", "an event with this external_id exists")
        })?;
    if created.status == "held" {
        liaison_persistence::recognition::derive(txn, &Derivation::EventsHeld(vec![created.id]))
            .await?;
    }
    cmd.audit(AuditEvent::new(
        "event.created",
        "event",
        created.id,
        json!({"group_id": g.id, "title": created.title}),
    ))
    .await?;
    let reply = Reply::created(
        &EventView::from(created.clone()),
        format!("/v1/events/{}", created.id),
    )?;
    cmd.finish(reply).await
}

/// One event (anyone who may see its group).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event, with an ETag", body = EventView),
        (status = 404, description = "No such event, or its group is not visible")
    )
)]
#[get("/events/{id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let e = events::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    visible_group(&state.db, &caller, &e.group_id.to_string(), false).await?;
    reply::resource(&EventView::from(e))
}

async fn organised_event(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
) -> Result<Event, ApiError> {
    let e = events::find(db, id, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (_, resource) = visible_group(db, caller, &e.group_id.to_string(), false).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden(
            "only the group's organizers change its events",
        ));
    }
    Ok(e)
}

/// Changes to an event; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "held", "attendee_count": 96}))]
pub struct EventPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: Option<bool>,
    pub url: Option<String>,
    pub status: Option<EventStatusDto>,
    pub rsvp_count: Option<i32>,
    pub attendee_count: Option<i32>,
}

/// Changes an event, e.g. marks it held with `attendee_count` (organizers). Honours `If-Match`.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    request_body = EventPatch,
    params(("id" = Uuid, Path, description = "Event id"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The changed event", body = EventView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer of its group"),
        (status = 404, description = "No such event"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/events/{id}")]
pub async fn update_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<EventPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = organised_event(txn, &caller, *id).await?;
    etag::check_if_match(&req, &etag::of_value(&EventView::from(current.clone()))?)?;
    let p = body.into_inner();
    let status = p
        .status
        .map(EventStatus::from)
        .or_else(|| EventStatus::parse(&current.status))
        .unwrap_or(EventStatus::Scheduled);
    let merged = EventInput {
        external_id: Some(current.external_id.clone()),
        title: p.title.unwrap_or(current.title.clone()),
        description: p.description.or(current.description.clone()),
        starts_at: p.starts_at.unwrap_or(current.starts_at),
        ends_at: p.ends_at.unwrap_or(current.ends_at),
        venue: p.venue.or(current.venue.clone()),
        city: p.city.or(current.city.clone()),
        country: p.country.or(current.country.clone()),
        online: p.online.unwrap_or(current.online),
        url: p.url.or(current.url.clone()),
        status,
        rsvp_count: p.rsvp_count.or(current.rsvp_count),
        // Leaving `held` drops the count: it only means something for a held event.
        attendee_count: if status == EventStatus::Held {
            p.attendee_count.or(current.attendee_count)
        } else {
            p.attendee_count
        },
    };
    let valid = event::check("", merged, false)?;
    let updated = events::update(
        txn,
        current.id,
        fields_of(valid.0, current.external_id.clone()),
        &current.status,
    )
    .await?;
    if updated.status == "held" && current.status != "held" {
        liaison_persistence::recognition::derive(txn, &Derivation::EventsHeld(vec![updated.id]))
            .await?;
    }
    cmd.audit(AuditEvent::new(
            "event.updated",
            "event",
            updated.id,
            json!({"from_status": current.status, "to_status": updated.status, "attendee_count": updated.attendee_count}),
        )).await?;
    cmd.finish(Reply::ok(&EventView::from(updated))?).await
}

/// Deletes an event (organizers); the deletion appears in the change feed.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer of its group"),
        (status = 404, description = "No such event")
    )
)]
#[delete("/events/{id}")]
pub async fn delete_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let current = organised_event(txn, &caller, *id).await?;
    events::delete(txn, &current).await?;
    cmd.audit(AuditEvent::new(
        "event.deleted",
        "event",
        current.id,
        json!({"group_id": current.group_id, "title": current.title}),
    ))
    .await?;
    cmd.finish(Reply::no_content()).await
}

/// A batch of events from a group's website.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "source": "meetup", "mode": "snapshot",
    "events": [{"external_id": "305112233", "title": "Running upgrades without downtime", "starts_at": "2026-12-10T18:00:00Z",
                "ends_at": "2026-12-10T21:00:00Z", "city": "Lyon", "country": "FR", "status": "scheduled", "rsvp_count": 84}]
}))]
pub struct SyncRequest {
    /// The site's name, e.g. `meetup` (not `manual`).
    pub source: String,
    /// `upsert`, or `snapshot` (future events of the source missing from the batch are cancelled).
    pub mode: SyncModeDto,
    /// Up to 1000 events, each with its `external_id`.
    #[schema(value_type = Vec<EventInputDto>)]
    pub events: Vec<serde_json::Value>,
}

/// How a sync treats events missing from the batch.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SyncModeDto {
    Upsert,
    Snapshot,
}

/// What a sync did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"created": 12, "updated": 1, "unchanged": 87, "cancelled": 2}))]
pub struct SyncResult {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub cancelled: i64,
}

/// Reads a JSON body of up to 10 MiB (bulk endpoints only).
async fn bulk_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > BULK_JSON_LIMIT) {
        return Err(ApiError::PayloadTooLarge(BULK_JSON_LIMIT));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::malformed(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > BULK_JSON_LIMIT {
            return Err(ApiError::PayloadTooLarge(BULK_JSON_LIMIT));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads one event of a batch field by field, so that a field of the wrong
/// type is named (`events[6].starts_at`) and the others are still checked.
fn read_event(i: usize, value: serde_json::Value, errors: &mut Errors) -> Option<EventInput> {
    use serde_json::Value;
    let serde_json::Value::Object(map) = value else {
        errors.push(FieldError::new(
            format!("events[{i}]"),
            "invalid_type",
            "each event is a JSON object",
        ));
        return None;
    };
    let mut ok = true;
    let mut bad = |field: &str, message: &str, errors: &mut Errors| {
        ok = false;
        errors.push(FieldError::new(
            format!("events[{i}].{field}"),
            "invalid_type",
            message,
        ));
    };
    let mut text = |field: &str, required: bool, errors: &mut Errors| -> Option<String> {
        match map.get(field) {
            Some(Value::String(s)) => Some(s.clone()),
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                bad(field, "required", errors);
                None
            }
            Some(_) => {
                bad(field, "must be a string", errors);
                None
            }
        }
    };
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
    let time = |field: &str, raw: Option<String>, errors: &mut Errors| {
        raw.and_then(|r| match DateTime::parse_from_rfc3339(&r) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                errors.push(FieldError::new(
                    format!("events[{i}].{field}"),
                    "invalid_type",
                    "must be an RFC 3339 timestamp",
                ));
                None
            }
        })
    };
    let starts_at = time("starts_at", starts_raw, errors);
    let ends_at = time("ends_at", ends_raw, errors);
    let status = match status_raw.as_deref() {
        None => Some(EventStatus::Scheduled),
        Some(s) => EventStatus::parse(s).or_else(|| {
            errors.push(FieldError::new(
                format!("events[{i}].status"),
                "invalid_value",
                "one of scheduled, held, cancelled",
            ));
            None
        }),
    };
    let online = match map.get("online") {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            errors.push(FieldError::new(
                format!("events[{i}].online"),
                "invalid_type",
                "must be true or false",
            ));
            None
        }
    };
    let count = |field: &str, errors: &mut Errors| -> Result<Option<i32>, ()> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
                Some(n) => Ok(Some(n)),
                None => {
                    errors.push(FieldError::new(
                        format!("events[{i}].{field}"),
                        "invalid_type",
                        "must be a whole number",
                    ));
                    Err(())
                }
            },
        }
    };
    let rsvp_count = count("rsvp_count", errors);
    let attendee_count = count("attendee_count", errors);
    match (
        ok,
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
    let bytes = bulk_body(&req, payload).await?;
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
    // Permission comes before the batch's own errors are reported, so a
    // stranger learns nothing about the group from a 422.
    let cmd = match Command::begin(&state.db, &req, &caller, &body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    database::allow_bulk_statements(txn, state.settings.limits.bulk_statement_timeout).await?;
    let g = groups::find(txn, &id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let resource = resource_of(txn, &caller, &g).await?;
    let organizes = matches!(
        resource,
        liaison_domain::policy::Resource::Group {
            caller_organizes: true,
            ..
        }
    );
    // What the caller may not see is absent (404), for a key as for a
    // member, so a key cannot probe for pending groups it does not list.
    if !can(&caller.actor, Action::Read, resource) && !may_sync_group(&caller.actor, g.id) {
        return Err(ApiError::NotFound);
    }
    caller.permit(
        may_sync(&caller.actor, g.id, organizes),
        "only the group's organizers or a groups:sync key listing the group sync its events",
    )?;
    errors.finish()?;
    let (Some(source), Some(valid)) = (source, inputs) else {
        return Err(ApiError::Internal("validated sync lost its parts".into()));
    };
    let batch: Vec<EventFields> = valid
        .into_iter()
        .map(|v| {
            let external_id = v.0.external_id.clone().unwrap_or_default();
            fields_of(v.0, external_id)
        })
        .collect();
    let mode = match body.mode {
        SyncModeDto::Upsert => SyncMode::Upsert,
        SyncModeDto::Snapshot => SyncMode::Snapshot,
    };
    let counts = events::sync(txn, g.id, &source, mode, batch).await?;
    // Organizers earn `event_organized` for events this sync marked held, in
    // the same transaction as the sync.
    liaison_persistence::recognition::derive(txn, &Derivation::EventsHeld(counts.held.clone()))
        .await?;
    let result = SyncResult {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        cancelled: counts.cancelled,
    };
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

/// One change in the feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 4711, "kind": "updated", "event_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "group_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e40",
    "changed_at": "2026-11-23T10:00:00Z", "event": {"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "status": "held"}
}))]
pub struct ChangeView {
    /// Unique and stable: the same change always has the same id, so a
    /// reader that re-reads a page can de-duplicate on it.
    pub id: i64,
    /// `created`, `updated`, `cancelled` or `deleted`.
    pub kind: String,
    pub event_id: Uuid,
    pub group_id: Uuid,
    pub changed_at: DateTime<Utc>,
    /// The event after the change; null for a deletion.
    pub event: Option<EventView>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    pub items: Vec<ChangeView>,
    /// Always present: pass it back to continue (also when `items` is empty).
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The `next_cursor` of the previous call; omit to start from the beginning.
    pub cursor: Option<String>,
    /// 1–1000 (default 200).
    pub limit: Option<i64>,
    /// Only this group's changes.
    pub group: Option<Uuid>,
    /// Only the changes of this region's groups (slug).
    pub region: Option<String>,
}

/// The change feed of visible groups' events, in commit order.
///
/// A client that keeps following `next_cursor` sees every change exactly
/// once, even while writers commit concurrently: changes are read only
/// below the oldest transaction still running.
#[utoipa::path(
    tag = "events",
    params(ChangesQuery),
    responses(
        (status = 200, description = "Changes after the cursor", body = ChangePage),
        (status = 400, description = "Bad cursor or limit"),
        (status = 503, description = "Too many feed reads at once (`unavailable`, with `Retry-After`), or the database is away")
    )
)]
#[get("/events/changes")]
pub async fn event_changes(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ChangesQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = match query.limit {
        None => 200,
        Some(n) if (1..=1000).contains(&n) => n as u64,
        Some(_) => return Err(ApiError::bad_param("limit", "must be between 1 and 1000")),
    };
    let after: Option<(u64, i64)> = match query.cursor.as_deref() {
        None => None,
        Some(c) => Some(
            PageParams {
                limit: None,
                cursor: Some(c.to_owned()),
            }
            .cursor::<(u64, i64)>()?
            .ok_or_else(|| ApiError::bad_param("cursor", "not a cursor this API issued"))?,
        ),
    };
    let rows = {
        let _place = state.gates.feed_reads.enter().await?;
        let filter = ChangeFilter {
            group: query.group,
            region: query.region.clone(),
        };
        events::changes(&state.db, after, &viewer_of(&caller.actor), &filter, limit).await?
    };
    let last = rows
        .last()
        .map(|c| (c.xid.parse::<u64>().unwrap_or_default(), c.id))
        .or(after)
        .unwrap_or((0, 0));
    let items = rows
        .into_iter()
        .map(|c| ChangeView {
            id: c.id,
            kind: c.kind,
            event_id: c.event_id,
            group_id: c.group_id,
            changed_at: c.changed_at,
            event: c
                .event
                .and_then(|v| serde_json::from_value::<Event>(v).ok())
                .map(EventView::from),
        })
        .collect();
    reply::list(&ChangePage {
        items,
        next_cursor: pagination::encode(&last),
    })
}
