use actix_web::{get, web, HttpResponse};

use liaison_persistence::recognition;

use super::json::KindView;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// Every contribution kind.
#[utoipa::path(tag = "recognition", responses((status = 200, description = "Kinds by slug", body = Vec<KindView>)))]
#[get("/contribution-kinds")]
pub async fn list_kinds(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let kinds: Vec<KindView> = recognition::kinds(&state.db)
        .await?
        .into_iter()
        .map(|k| KindView {
            slug: k.slug,
            name: k.name,
            description: k.description,
        })
        .collect();
    reply::list(&kinds)
}
