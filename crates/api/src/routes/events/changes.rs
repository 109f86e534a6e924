use actix_web::{get, web, HttpResponse};

use liaison_persistence::events::{self, ChangeFilter, Event};

use super::json::{ChangePage, ChangeView, ChangesQuery, EventView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{self, PageParams};
use crate::http::reply;
use crate::routes::groups::access::viewer_of;
use crate::state::AppState;

/// The change feed of visible groups' events, in commit order.
///
/// A client that keeps following `next_cursor` sees every change exactly
/// once, even while writers commit concurrently: changes are read only
/// below the oldest transaction still running.
#[utoipa::path(
    tag = "events",
    params(ChangesQuery),
    responses(
        (status = 200, description = "Changes after the cursor", body = ChangePage),
        (status = 400, description = "Bad cursor or limit"),
        (status = 503, description = "Too many feed reads at once (`unavailable`, with `Retry-After`), or the database is away")
    )
)]
#[get("/events/changes")]
pub async fn event_changes(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ChangesQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = match query.limit {
        None => 200,
        Some(n) if (1..=1000).contains(&n) => n as u64,
        Some(_) => return Err(ApiError::bad_param("limit", "must be between 1 and 1000")),
    };
    let after: Option<(u64, i64)> = match query.cursor.as_deref() {
        None => None,
        Some(c) => Some(
            PageParams {
                limit: None,
                cursor: Some(c.to_owned()),
            }
            .cursor::<(u64, i64)>()?
            .ok_or_else(|| ApiError::bad_param("cursor", "not a cursor this API issued"))?,
        ),
    };
    let rows = {
        let _place = state.gates.feed_reads.enter().await?;
        let filter = ChangeFilter {
            group: query.group,
            region: query.region.clone(),
        };
        events::changes(&state.db, after, &viewer_of(&caller.actor), &filter, limit).await?
    };
    let last = rows
        .last()
        .map(|c| (c.xid.parse::<u64>().unwrap_or_default(), c.id))
        .or(after)
        .unwrap_or((0, 0));
    let items = rows
        .into_iter()
        .map(|c| ChangeView {
            id: c.id,
            kind: c.kind,
            event_id: c.event_id,
            group_id: c.group_id,
            changed_at: c.changed_at,
            event: c
                .event
                .and_then(|v| serde_json::from_value::<Event>(v).ok())
                .map(EventView::from),
        })
        .collect();
    reply::list(&ChangePage {
        items,
        next_cursor: pagination::encode(&last),
    })
}
