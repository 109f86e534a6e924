use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::policy::may_read_feedback;
use liaison_persistence::feedback;

use super::json::HistoryView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// An item's status changes, oldest first: who, when, from, to, note (members, `feedback:read` keys).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Item id"), PageParams),
    responses(
        (status = 200, description = "One page of changes", body = Page<HistoryView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "A key without `feedback:read`"),
        (status = 404, description = "No such item")
    )
)]
#[get("/feedback/{id}/history")]
pub async fn feedback_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        may_read_feedback(&caller.actor),
        "members and `feedback:read` keys only",
    )?;
    feedback::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rows = feedback::history_of(&state.db, *id).await?;
    let key = |h: &feedback::HistoryEntry| (h.changed_at, h.id);
    reply::list(&Page::from_sorted(rows, &page, key, HistoryView::from)?)
}
