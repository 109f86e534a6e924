use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::service_accounts;

use super::create::admin_only;
use super::json::ServiceAccountView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Lists service accounts, oldest first.
#[utoipa::path(
    tag = "service accounts",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ServiceAccountView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not an admin")
    )
)]
#[get("/service-accounts")]
pub async fn list_service_accounts(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    admin_only(&caller)?;
    let limit = page.limit()?;
    let rows = service_accounts::list(&state.db, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |a| a.id,
        |a| ServiceAccountView::from(&a),
    ))
}
