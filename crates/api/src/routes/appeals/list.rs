use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::{appeals, summits};

use super::json::AppealView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// A summit's appeals (staff), oldest first.
#[utoipa::path(
    tag = "appeals",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Summit id"), PageParams),
    responses(
        (status = 200, description = "One page", body = Page<AppealView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/appeals")]
pub async fn list_appeals(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("read appeals")?;
    summits::find(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let rows = appeals::list(&state.db, *id, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(rows, limit, |a| a.id, AppealView::from))
}
