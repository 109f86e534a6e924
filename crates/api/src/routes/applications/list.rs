use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_persistence::applications::{self, ApplicationFilter};
use liaison_persistence::cycles;

use super::json::ApplicationQuery;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::routes::applications::json::ApplicationView;
use crate::routes::applications::view::render_applications;
use crate::state::AppState;

/// A cycle's applications (staff and active ambassadors), oldest first.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cycle id"), ApplicationQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<ApplicationView>),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither staff nor an active ambassador"),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ApplicationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    if !me.is_staff() && me.ambassador_of.is_empty() {
        return Err(ApiError::forbidden(
            "only staff and active ambassadors read applications",
        ));
    }
    let cycle = cycles::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = page.limit()?;
    let filter = ApplicationFilter {
        region: query.region.clone(),
        status: query.status.map(|s| s.as_str().to_owned()),
        exclude_drafts: !me.is_staff(),
    };
    let rows = applications::list_for_cycle(
        &state.db,
        cycle.id,
        &filter,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    let page = Page::from_rows(rows, limit, |a| a.id, |a| a);
    let items = render_applications(&state.db, page.items).await?;
    reply::list(&Page {
        items,
        next_cursor: page.next_cursor,
    })
}
