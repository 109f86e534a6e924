use actix_web::{get, web, HttpResponse};
use uuid::Uuid;

use liaison_domain::message::canonical_language;
use liaison_domain::policy::may_manage_message;
use liaison_persistence::messages;

use super::json::{TranslatorQuery, TranslatorView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Volunteers who could translate a key message into `language` (its author, staff): members with a
/// public profile, that language and the `translation` skill, whose country is in a targeted region
/// (any region for an all-region message). By member id.
#[utoipa::path(
    tag = "key messages",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Message id"), TranslatorQuery, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<TranslatorView>),
        (status = 400, description = "No or a malformed `language`, bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither the message's author nor staff"),
        (status = 404, description = "No such message")
    )
)]
#[get("/messages/{id}/translators")]
pub async fn message_translators(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<TranslatorQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let message = messages::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit(
        may_manage_message(&caller.actor, message.author_id),
        "only the message's author and staff look for its translators",
    )?;
    let language = canonical_language("language", &query.language)
        .map_err(|_| ApiError::bad_param("language", "not a BCP 47 language tag"))?;
    let limit = page.limit()?;
    let rows = messages::translators(
        &state.db,
        message.id,
        &language,
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |t| t.id,
        TranslatorView::from,
    ))
}
