use actix_web::{get, web, HttpRequest, HttpResponse};

use liaison_domain::values::CountryCode;
use liaison_persistence::groups::{self, GroupFilter};

use super::access::viewer_of;
use super::json::{health_of, list_item, GroupCsv, GroupListItem, GroupQuery, GROUP_CSV_HEADER};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Lists the groups the caller may see, by slug, each with its health.
/// `Accept: text/csv` streams every matching group.
#[utoipa::path(
    tag = "groups",
    params(GroupQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON) or every row (CSV)", content(
            (Page<GroupListItem> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Unknown status, bad country, `limit` or `cursor`")
    )
)]
#[get("/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: web::Query<GroupQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let country = match query.country.as_deref() {
        Some(c) => Some(
            CountryCode::parse("country", c)
                .map_err(|_| ApiError::bad_param("country", "not an ISO 3166-1 alpha-2 code"))?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let filter = GroupFilter {
        region: query.region.clone(),
        country,
        status: query.status.map(|s| s.as_str().to_owned()),
        q: query
            .q
            .clone()
            .filter(|q| !q.trim().is_empty())
            .map(|q| q.trim().to_owned()),
    };
    let viewer = viewer_of(&caller.actor);
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "groups.csv",
            GROUP_CSV_HEADER,
            move |mut sink: csv_export::CsvSink| async move {
                // Pages of 500 keep memory bounded whatever the number of groups.
                let mut after: Option<String> = None;
                loop {
                    let rows =
                        groups::list(&db, &viewer, &filter, after.clone(), Some(500)).await?;
                    let done = rows.len() < 500;
                    after = rows.last().map(|g| g.slug.clone());
                    for g in rows {
                        let health = health_of(&g);
                        sink.write(&GroupCsv {
                            id: g.id,
                            slug: g.slug,
                            name: g.name,
                            status: g.status,
                            country: g.country,
                            city: g.city,
                            region: g.region_slug,
                            organizers: g.organizers,
                            held_last_90_days: g.held_last_90_days,
                            held_last_365_days: g.held_last_365_days,
                            average_attendance: health.average_attendance,
                            last_event_at: g.last_event_at,
                            next_event_at: g.next_event_at,
                            flags: health.flags.join(" "),
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
    let rows = groups::list(
        &state.db,
        &viewer,
        &filter,
        page.cursor::<String>()?,
        Some(limit + 1),
    )
    .await?;
    reply::list(&Page::from_rows(rows, limit, |g| g.slug.clone(), list_item))
}
