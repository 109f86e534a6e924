use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use liaison_domain::feedback::parse_group_by;
use liaison_persistence::feedback::{self, SummaryFilter};

use super::json::{BucketView, SummaryQuery};
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// The summary: aggregates only, never an author.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    /// The fields, as asked.
    pub group_by: Vec<String>,
    /// Buckets, most items first.
    pub buckets: Vec<BucketView>,
}

/// Feedback rolled up from every group (anyone): per bucket of one or two of `component`, `region`, `kind`,
/// `status`, `month`, `group`, the items, votes, distinct groups and regions, and the top 3 items by votes.
/// Duplicates count in their canonical item.
#[utoipa::path(
    tag = "feedback",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The buckets", body = SummaryView),
        (status = 400, description = "A `group_by` with an unknown field or three fields, `since` after `until`, an unknown kind")
    )
)]
#[get("/feedback/summary")]
pub async fn feedback_summary(
    state: web::Data<AppState>,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let fields = parse_group_by(&query.group_by).map_err(|m| ApiError::bad_param("group_by", m))?;
    if let (Some(since), Some(until)) = (query.since, query.until) {
        if since > until {
            return Err(ApiError::bad_param("since", "must not be after `until`"));
        }
    }
    let filter = SummaryFilter {
        since: query.since,
        until: query.until,
        region: query.region.clone(),
        kind: query.kind,
    };
    let names: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
    let buckets = feedback::summary(&state.db, &fields, &filter).await?;
    reply::resource(&SummaryView {
        group_by: names.iter().map(|n| (*n).to_owned()).collect(),
        buckets: buckets
            .into_iter()
            .map(|b| BucketView::new(b, &names))
            .collect(),
    })
}
