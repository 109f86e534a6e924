use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::applications;

use super::json::ApplicationView;
use super::view::render_applications;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The caller's own applications, newest first.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ApplicationView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/applications")]
pub async fn my_applications(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let limit = page.limit()?;
    let rows =
        applications::list_for_member(&state.db, me.id, page.cursor::<Uuid>()?, limit + 1).await?;
    let page = Page::from_rows(rows, limit, |a| a.id, |a| a);
    let items = render_applications(&state.db, page.items).await?;
    reply::list(&Page {
        items,
        next_cursor: page.next_cursor,
    })
}
