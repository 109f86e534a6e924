use actix_web::http::{header, StatusCode};
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use liaison_domain::feedback::parse_group_by;
use liaison_persistence::feedback::{self, SummaryFilter};

use super::json::{BucketView, SummaryQuery};
use crate::error::ApiError;
use crate::http::reply::Reply;
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
/// Duplicates count in their canonical item. A summary is computed once for every caller asking the same
/// question within `Cache-Control`'s `max-age` (`LIAISON_SUMMARY_CACHE_SECS`, 10 s by default), so it may be
/// that many seconds old.
#[utoipa::path(
    tag = "feedback",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The buckets", body = SummaryView, headers(
            ("Cache-Control" = String, description = "`public, max-age=N`: how old the summary may be"),
            ("ETag" = String, description = "Entity tag of the body")
        )),
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
    // Dashboards ask the same questions over and over: one computation
    // answers them all for `summary_cache` (the statement reads every item
    // and vote).
    let question = format!("{names:?} {filter:?}");
    let answer = state
        .summaries
        .answer(question, || async {
            let buckets = feedback::summary(&state.db, &fields, &filter).await?;
            let view = SummaryView {
                group_by: names.iter().map(|n| (*n).to_owned()).collect(),
                buckets: buckets
                    .into_iter()
                    .map(|b| BucketView::new(b, &names))
                    .collect(),
            };
            Ok(Reply::ok(&view)?.body)
        })
        .await?;
    let mut response = Reply {
        status: StatusCode::OK,
        body: answer.to_vec(),
        location: None,
    }
    .into_response();
    let max_age = state.summaries.ttl().as_secs();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_str(&format!("public, max-age={max_age}"))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(response)
}
