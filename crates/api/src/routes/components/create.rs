use actix_web::{post, web, HttpRequest, HttpResponse};
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::values::{text_len, Slug};
use liaison_persistence::feedback::{self, Component};

use super::json::ComponentView;
use crate::auth::Caller;
use crate::error::{ApiError, OnConstraint};
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Adds a component (staff).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    request_body = ComponentView,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 201, description = "Added", body = ComponentView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 409, description = "The slug is taken (`already_exists`)"),
        (status = 422, description = "Invalid slug, name or description")
    )
)]
#[post("/components")]
pub async fn create_component(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: Json<ComponentView>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("add components")?;
    let mut errors = Errors::new();
    let slug = errors.take(Slug::parse("slug", &body.slug));
    let name = errors.take(text_len("name", &body.name, 2, 100));
    let description = errors.take(text_len("description", &body.description, 0, 1000));
    errors.finish()?;
    let component = Component {
        slug: slug.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        name: name.unwrap_or_default(),
        description: description.unwrap_or_default(),
    };
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Optional).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    feedback::insert_component(cmd.txn(), &component)
        .await
        .on_constraint("components_pkey", || {
            ApiError::conflict("already_exists", "a component with this slug exists")
        })?;
    let event = AuditEvent::new(
        "component.created",
        "component",
        &component.slug,
        json!({"name": component.name}),
    );
    cmd.audit(event).await?;
    let location = format!("/v1/components/{}", component.slug);
    cmd.finish(Reply::created(&ComponentView::from(component), location)?)
        .await
}
