use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use liaison_domain::values::{CountryCode, Slug};
use liaison_persistence::events::{self, SearchFilter};

use super::json::EventView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::routes::groups::access::viewer_of;
use crate::state::AppState;

/// Filters of the event search; each narrows the result.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventSearch {
    /// Region slug: events of that region's groups (a well-formed slug of no region matches nothing).
    #[param(pattern = r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$", example = "europe")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 of the event.
    #[param(value_type = Option<crate::openapi_values::CountryCode>, example = "FR")]
    pub country: Option<String>,
    /// Events still running at or after this time (RFC 3339).
    #[param(example = "2026-12-01T00:00:00Z")]
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this time (RFC 3339).
    #[param(example = "2027-01-01T00:00:00Z")]
    pub to: Option<DateTime<Utc>>,
    /// Only online (`true`) or only in-person (`false`) events.
    pub online: Option<bool>,
    /// Words in the title, description, venue or city (case-insensitive).
    #[param(max_length = 200, example = "upgrades")]
    pub q: Option<String>,
}

/// Searches the events of every group the caller may see, by start time.
#[utoipa::path(
    tag = "events",
    params(EventSearch, PageParams),
    responses(
        (status = 200, description = "One page", body = Page<EventView>),
        (status = 400, description = "A bad `region`, `country`, `from`, `to` (or `from` after `to`), `online`, `q`, `limit` or `cursor`"),
        (status = 401, description = "A bad token (the search needs none)")
    )
)]
#[get("/events")]
pub async fn search_events(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<EventSearch>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let filter = filter_of(query.into_inner())?;
    let limit = page.limit()?;
    let rows = events::search(
        &state.db,
        &viewer_of(&caller.actor),
        &filter,
        page.cursor::<(DateTime<Utc>, Uuid)>()?,
        limit + 1,
    )
    .await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |e| (e.starts_at, e.id),
        EventView::from,
    ))
}

/// The query's filters checked, or 400 naming the first bad one.
fn filter_of(q: EventSearch) -> Result<SearchFilter, ApiError> {
    let region = match q.region.as_deref() {
        Some(raw) => Some(
            Slug::parse("region", raw)
                .map_err(|_| ApiError::bad_param("region", "not a region slug"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let country = match q.country.as_deref() {
        Some(raw) => Some(
            CountryCode::parse("country", raw)
                .map_err(|_| ApiError::bad_param("country", "not an ISO 3166-1 alpha-2 code"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if from > to {
            return Err(ApiError::bad_param("from", "must not be after `to`"));
        }
    }
    let text = q.q.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::bad_param("q", "at most 200 characters"));
    }
    Ok(SearchFilter {
        region,
        country,
        from: q.from,
        to: q.to,
        online: q.online,
        q: text,
    })
}
