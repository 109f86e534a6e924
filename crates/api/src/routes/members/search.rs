use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_persistence::members;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Filters of the volunteer search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolunteerQuery {
    /// e.g. `translation`, `mentoring`, `speaking`, `operations`.
    pub skill: Option<String>,
    /// BCP 47 tag; `pt` also finds `pt-BR`.
    pub language: Option<String>,
    /// Region slug.
    pub region: Option<String>,
}

/// A volunteer's public profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerView {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    pub affiliation: Option<String>,
    pub bio: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
}

/// People who volunteer a skill or speak a language (members only; public profiles only).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(VolunteerQuery, PageParams),
    responses(
        (status = 200, description = "One page of public profiles", body = Page<VolunteerView>),
        (status = 400, description = "Bad `limit` or `cursor`"),
        (status = 401, description = "Not signed in")
    )
)]
#[get("/members")]
pub async fn search_members(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<VolunteerQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    let limit = page.limit()?;
    let rows = members::search(
        &state.db,
        query.skill.clone().map(|s| s.trim().to_lowercase()),
        query.language.clone(),
        query.region.clone(),
        page.cursor::<Uuid>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |m| m.id,
        |m| VolunteerView {
            id: m.id,
            display_name: m.display_name,
            country: m.country,
            city: m.city,
            affiliation: m.affiliation,
            bio: m.bio,
            languages: m.languages,
            skills: m.skills,
        },
    ))
}
