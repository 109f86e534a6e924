use actix_web::{get, web, HttpResponse};

use liaison_persistence::feedback;

use super::json::{SimilarQuery, SimilarView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::Page;
use crate::http::reply;
use crate::state::AppState;

/// Most items a lookup answers.
const MAX_SIMILAR: u64 = 10;

/// Items whose titles are similar to `q` (trigram similarity), most similar first (members).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(SimilarQuery),
    responses(
        (status = 200, description = "Up to 10 items, in one page", body = Page<SimilarView>),
        (status = 400, description = "`q` outside 3–200 characters"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "An API key")
    )
)]
#[get("/feedback/similar")]
pub async fn similar_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SimilarQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let q = query.q.trim();
    if !(3..=200).contains(&q.chars().count()) {
        return Err(ApiError::bad_param("q", "between 3 and 200 characters"));
    }
    let rows = feedback::similar(&state.db, q, None, MAX_SIMILAR).await?;
    reply::list(&Page {
        items: rows.into_iter().map(SimilarView::from).collect(),
        next_cursor: None,
    })
}
