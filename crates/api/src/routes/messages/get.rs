use actix_web::{get, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use liaison_persistence::messages;

use super::json::MessageView;
use super::render;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// One key message (anyone), in the accepted translation that best matches `Accept-Language`, else
/// the original; `Content-Language` and `language` say which. Its author and staff also get
/// `acknowledgements`: per targeted region, its active groups, how many acknowledged, and which did not.
#[utoipa::path(
    tag = "key messages",
    params(("id" = Uuid, Path, description = "Message id"), ("Accept-Language" = Option<String>, Header, description = "Preferred languages, e.g. `fr-CA, fr;q=0.9, en;q=0.5`")),
    responses(
        (status = 200, description = "The message, with `ETag`, `Content-Language` (when its language is known) and `Vary: Accept-Language`", body = MessageView),
        (status = 404, description = "No such message")
    )
)]
#[get("/messages/{id}")]
pub async fn get_message(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let message = messages::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = render::single(&state.db, &caller, render::accept_language(&req), message).await?;
    let language = view.language.clone();
    Ok(render::with_language(
        reply::resource(&view)?,
        language.as_deref(),
    ))
}
