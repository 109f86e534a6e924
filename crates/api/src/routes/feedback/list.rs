use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use liaison_domain::feedback::{FeedbackKind, FeedbackStatus, Severity};
use liaison_domain::policy::may_read_feedback;
use liaison_persistence::feedback::{self, ItemFilter, ItemOrder};

use super::json::{ItemQuery, ItemSort, ItemView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export::{self, CsvSink};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// A row of the feedback export.
#[derive(Serialize)]
struct ItemCsv {
    id: Uuid,
    kind: FeedbackKind,
    component: String,
    title: String,
    severity: Severity,
    status: FeedbackStatus,
    region: Option<String>,
    votes: i64,
    created_at: DateTime<Utc>,
}

/// Items the export reads per query.
const BATCH: u64 = 1000;

const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "component",
    "title",
    "severity",
    "status",
    "region",
    "votes",
    "created_at",
];

/// Feedback items (members, `feedback:read` keys): filters, `sort=recent` (default) or `votes`. CSV with `Accept: text/csv`.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(ItemQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON) or every item (CSV)", content(
            (Page<ItemView> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Unknown kind, status or sort, bad `limit` or `cursor`"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "A key without `feedback:read`")
    )
)]
#[get("/feedback")]
pub async fn list_feedback(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: web::Query<ItemQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.permit(
        may_read_feedback(&caller.actor),
        "members and `feedback:read` keys only",
    )?;
    let filter = ItemFilter {
        region: query.region.clone(),
        component: query.component.clone(),
        kind: query.kind,
        status: query.status,
        group: query.group,
        q: query.q.clone(),
    };
    let order = match query.sort.unwrap_or(ItemSort::Recent) {
        ItemSort::Recent => ItemOrder::Recent,
        ItemSort::Votes => ItemOrder::Votes,
    };
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "feedback.csv",
            COLUMNS,
            move |mut sink: CsvSink| async move {
                // In batches, as the pass export reads, so memory stays flat.
                let mut after = None;
                loop {
                    let rows = feedback::list(&db, &filter, order, after, Some(BATCH)).await?;
                    let done = rows.len() < BATCH as usize;
                    after = rows.last().map(|i| (i.votes, i.id));
                    for i in rows {
                        sink.write(&ItemCsv {
                            id: i.id,
                            kind: i.kind,
                            component: i.component,
                            title: i.title,
                            severity: i.severity,
                            status: i.status,
                            region: i.region_slug,
                            votes: i.votes,
                            created_at: i.created_at,
                        })
                        .await?;
                    }
                    if done {
                        return Ok(sink);
                    }
                }
            },
        ));
    }
    let limit = page.limit()?;
    let after = page.cursor::<(i64, Uuid)>()?;
    let rows = feedback::list(&state.db, &filter, order, after, Some(limit + 1)).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |i| (i.votes, i.id),
        ItemView::from,
    ))
}
