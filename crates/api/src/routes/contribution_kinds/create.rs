use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::values::text_len;
use liaison_domain::{error::Errors, FieldError};
use liaison_persistence::contribution_kinds;

use super::json::KindView;
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Adds a contribution kind (staff).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = KindView,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Added", body = KindView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields")
    )
)]
#[post("/contribution-kinds")]
pub async fn create_kind(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<KindView>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("add contribution kinds")?;
    let mut errors = Errors::new();
    let slug_ok = body.slug.len() >= 2
        && body.slug.len() <= 64
        && body.slug.starts_with(|c: char| c.is_ascii_lowercase())
        && body
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !slug_ok {
        errors.push(FieldError::new(
            "slug",
            "invalid_slug",
            "2–64 characters of a-z, 0-9 and '_', starting with a letter",
        ));
    }
    let name = errors.take(text_len("name", &body.name, 2, 100));
    let description = errors.take(text_len("description", &body.description, 0, 1000));
    errors.finish()?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let (name, description) = (name.unwrap_or_default(), description.unwrap_or_default());
    contribution_kinds::insert(txn, &body.slug, &name, &description)
        .await
        .on_constraint("contribution_kinds_pkey", || {
            ApiError::conflict("already_exists", "a kind with this slug exists")
        })?;
    cmd.audit(AuditEvent::new(
        "contribution_kind.created",
        "contribution_kind",
        &body.slug,
        json!({"name": name}),
    ))
    .await?;
    let view = KindView {
        slug: body.slug.clone(),
        name,
        description,
    };
    cmd.finish(Reply::created(&view, "/v1/contribution-kinds".into())?)
        .await
}
