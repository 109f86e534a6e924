use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::group::GroupSpec;
use liaison_persistence::groups::{self, NewGroup};

use super::json::{GroupView, RegisterGroup};
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Registers a group: it starts `pending` and the caller is its lead organizer.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = RegisterGroup,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Registered, pending review", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 409, description = "Slug taken (`already_exists`)"),
        (status = 422, description = "Invalid fields (slug pattern, unknown country, …)")
    )
)]
#[post("/groups")]
pub async fn register_group(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<RegisterGroup>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let spec = GroupSpec::parse(
        &body.slug,
        &body.name,
        &body.country,
        &body.city,
        &body.description,
        &body.links,
        body.coc_accepted,
    )?;
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    let id = groups::insert(
        txn,
        NewGroup {
            slug: spec.slug.as_str().to_owned(),
            name: spec.name,
            country: spec.country.as_str().to_owned(),
            city: spec.city,
            description: spec.description,
            links: spec.links,
            coc_accepted: spec.coc_accepted,
        },
        me.id,
    )
    .await
    .on_constraint("groups_slug_key", || {
        ApiError::conflict("already_exists", "a group with this slug exists")
    })?;
    let g = groups::find(txn, &id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.audit(AuditEvent::new(
        "group.registered",
        "group",
        id,
        json!({"slug": g.slug, "country": g.country, "region": g.region_slug}),
    ))
    .await?;
    let reply = Reply::created(&GroupView::from(g), format!("/v1/groups/{id}"))?;
    cmd.finish(reply).await
}
