use actix_web::{get, web, HttpResponse};

use liaison_persistence::passes::{self, PassFilter};

use super::json::PassView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// The caller's passes.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All of them, oldest first", body = Vec<PassView>),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/me/passes")]
pub async fn my_passes(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let filter = PassFilter {
        member: Some(me.id),
        ..Default::default()
    };
    let rows = passes::list(&state.db, &filter, None, None).await?;
    reply::list(&rows.into_iter().map(PassView::from).collect::<Vec<_>>())
}
