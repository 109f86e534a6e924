use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::webhooks;

use super::json::DeliveryView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The delivery log of a subscription, newest first, kept 30 days: status, attempts and the
/// latest response code of each (its owner, admins).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Subscription id"), PageParams),
    responses(
        (status = 200, description = "One page", body = Page<DeliveryView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key"),
        (status = 404, description = "No such subscription, or not the caller's")
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let sub = super::managed(&state.db, &caller, *id, false).await?;
    let limit = page.limit()?;
    let before: Option<Uuid> = page.cursor()?;
    let rows = webhooks::deliveries(&state.db, sub.id, before, limit + 1).await?;
    reply::list(&Page::from_rows(rows, limit, |d| d.id, DeliveryView::from))
}
