use actix_web::{get, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_persistence::messages::{self, MessageFilter};

use super::json::{MessageQuery, MessageView};
use super::render;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Key messages, newest first (anyone: messages are public). Each in the language `Accept-Language`
/// chooses (`language` says which).
#[utoipa::path(
    tag = "key messages",
    params(MessageQuery, PageParams, ("Accept-Language" = Option<String>, Header, description = "Preferred languages, e.g. `fr-CA, fr;q=0.9, en;q=0.5`")),
    responses(
        (status = 200, description = "One page", body = Page<MessageView>),
        (status = 400, description = "Bad `active`, `limit` or `cursor`")
    )
)]
#[get("/messages")]
pub async fn list_messages(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<MessageQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit()?;
    let filter = MessageFilter {
        region: query.region.clone(),
        active: query.active,
    };
    let rows = messages::list(&state.db, &filter, page.cursor::<Uuid>()?, limit + 1).await?;
    let views = render::views(&state.db, render::accept_language(&req), rows).await?;
    let page = Page::from_rows(views, limit, |v| v.id, |v| v);
    Ok(render::with_language(reply::list(&page)?, None))
}
