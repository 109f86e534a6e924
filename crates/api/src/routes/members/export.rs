use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};

use liaison_persistence::personal_data;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Everything Liaison holds about the signed-in member, as one JSON
/// document (the right of access): profile and roles, applications (with
/// their reviews' means, never the reviewers), reviews written,
/// ambassadorships, organizer roles, contributions, passes, appeals,
/// feedback, votes, messages, translations, acknowledgements, webhooks and
/// the audit entries where they are the actor.
///
/// Sent with `Content-Disposition: attachment`, so a browser saves it as a
/// file. `docs/privacy.md` lists every field.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The document (`liaison-export/1`), as a download", content_type = "application/json", body = Object,
         headers(("Content-Disposition" = String, description = "`attachment; filename=\"liaison-export-<member id>.json\"`")),
         example = json!({"format": "liaison-export/1", "exported_at": "2026-12-01T15:00:00Z",
                          "profile": {"id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "email": "ada@example.org", "display_name": "Ada Lovelace", "roles": []},
                          "applications": [], "reviews_written": [], "ambassadorships": [], "organizer_roles": [], "contributions": [],
                          "passes": [], "appeals": [], "feedback": [], "votes": [], "messages": [], "translations": [],
                          "acknowledgements": [], "webhooks": [], "calendar_token_created_at": null, "audit": []})),
        (status = 401, description = "No valid access token")
    )
)]
#[get("/me/export")]
pub async fn export_me(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let document = personal_data::export(&state.db, me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "liaison-export-{}.json",
                me.id
            ))],
        })
        .insert_header(("cache-control", "no-store"))
        .json(document))
}
