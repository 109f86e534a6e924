use actix_web::{patch, web, HttpRequest, HttpResponse};

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::group;
use liaison_domain::policy::{can, Action};
use liaison_domain::values::{text_len, CountryCode};
use liaison_persistence::groups::{self, GroupChanges};

use super::access::visible_group;
use super::json::{GroupPatch, GroupView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::http::etag;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Edits a group (its organizers, or staff). Honours `If-Match`.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    request_body = GroupPatch,
    params(("id_or_slug" = String, Path, description = "Group id or slug"), ("If-Match" = Option<String>, Header, description = "ETag as last read")),
    responses(
        (status = 200, description = "The changed group", body = GroupView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an organizer"),
        (status = 404, description = "No such group"),
        (status = 412, description = "Changed since read"),
        (status = 422, description = "Invalid fields")
    )
)]
#[patch("/groups/{id_or_slug}")]
pub async fn update_group(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id_or_slug: web::Path<String>,
    body: Json<GroupPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let mut errors = Errors::new();
    let changes = GroupChanges {
        name: body
            .name
            .as_deref()
            .and_then(|n| errors.take(text_len("name", n, 2, 120))),
        country: body
            .country
            .as_deref()
            .and_then(|c| errors.take(CountryCode::parse("country", c)))
            .map(|c| c.as_str().to_owned()),
        city: body
            .city
            .as_deref()
            .and_then(|c| errors.take(text_len("city", c, 1, 100))),
        description: body
            .description
            .as_deref()
            .and_then(|d| errors.take(text_len("description", d, 0, 5000))),
        links: body
            .links
            .as_deref()
            .and_then(|l| errors.take(group::parse_links(l))),
        coc_accepted: body.coc_accepted,
    };
    errors.finish()?;
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let (g, resource) = visible_group(txn, &caller, &id_or_slug, true).await?;
    if !can(&caller.actor, Action::Update, resource) {
        return Err(ApiError::forbidden("only the group's organizers edit it"));
    }
    etag::check_if_match(&req, &etag::of_value(&GroupView::from(g.clone()))?)?;
    groups::update(txn, g.id, changes).await?;
    cmd.audit(AuditEvent::new(
        "group.updated",
        "group",
        g.id,
        serde_json::to_value(&*body).unwrap_or_default(),
    ))
    .await?;
    let updated = groups::find(txn, &g.id.to_string(), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    cmd.finish(Reply::ok(&GroupView::from(updated))?).await
}
