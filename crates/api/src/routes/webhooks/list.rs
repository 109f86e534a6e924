use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::{groups, webhooks};

use super::json::WebhookView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Subscriptions, oldest first: every one for admins, a member's own otherwise.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<WebhookView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key (webhooks belong to members), or a member who organises no group")
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let owner = (!me.is_admin()).then_some(me.id);
    // Admins see every webhook; organizers those they made for their groups.
    if owner.is_some() && groups::organised_by(&state.db, me.id).await?.is_empty() {
        return Err(ApiError::forbidden(
            "webhooks are for admins and the organizers of a group",
        ));
    }
    let limit = page.limit()?;
    let after: Option<Uuid> = page.cursor()?;
    let rows = webhooks::list(&state.db, owner, after, limit + 1).await?;
    reply::list(&Page::from_rows(rows, limit, |s| s.id, WebhookView::from))
}
