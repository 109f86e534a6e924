use actix_web::{get, web, HttpRequest, HttpResponse};

use liaison_domain::feed::{Position, Snapshot};
use liaison_persistence::events::{self, ChangeFilter, Event};

use super::json::{ChangePage, ChangeView, ChangesQuery, EventView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{self, PageParams};
use crate::http::reply;
use crate::routes::groups::access::viewer_of;
use crate::state::AppState;

/// Any other method on the feed's path: 405 naming `GET`. Without it the
/// `/events/{id}` routes take `PATCH` and `DELETE` and answer that no event
/// is called `changes`.
pub async fn other_methods(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed {
        method: req.method().as_str().chars().take(32).collect(),
        allow: vec!["GET".to_owned()],
    })
}

/// The change feed of visible groups' events, in the order their
/// transactions became visible.
///
/// A client that keeps following `next_cursor` sees every change exactly
/// once, even while writers commit concurrently. The cursor holds the
/// reader's last snapshot, and a page returns the changes committed since,
/// so a commit is readable at once, however long another transaction on the
/// server stays open.
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
    let position = match query.cursor.as_deref() {
        None => Position::start(),
        Some(c) => {
            let page = PageParams {
                limit: None,
                cursor: Some(c.to_owned()),
            };
            // Cursors of the older (xid, id) form keep working.
            match page.cursor::<Position>() {
                Ok(Some(p)) => p,
                _ => page
                    .cursor::<(u64, i64)>()?
                    .map(|(xid, id)| Position::legacy(xid, id))
                    .ok_or_else(|| ApiError::bad_param("cursor", "not a cursor this API issued"))?,
            }
        }
    };
    let (rows, now) = {
        let _place = state.gates.feed_reads.enter().await?;
        let filter = ChangeFilter {
            group: query.group,
            region: query.region.clone(),
        };
        // Mid-way through a snapshot's changes, the page keeps to it.
        let now = match &position.upto {
            Some(upto) => upto.clone(),
            None => events::current_snapshot(&state.db)
                .await?
                .parse::<Snapshot>()
                .map_err(|_| ApiError::Internal("PostgreSQL printed an unknown snapshot".into()))?,
        };
        let rows = events::changes(
            &state.db,
            &position.seen.to_string(),
            &now.to_string(),
            position.after,
            &viewer_of(&caller.actor),
            &filter,
            limit,
        )
        .await?;
        (rows, now)
    };
    let last = rows
        .last()
        .map(|c| (c.xid.parse::<u64>().unwrap_or_default(), c.id));
    let next = position.next(now, rows.len(), limit as usize, last);
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
        next_cursor: pagination::encode(&next),
    })
}
