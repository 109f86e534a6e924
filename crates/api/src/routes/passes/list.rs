use actix_web::{get, web, HttpRequest, HttpResponse};
use std::collections::HashMap;
use uuid::Uuid;

use liaison_domain::policy::may_see_emails;
use liaison_domain::Scope;
use liaison_persistence::passes::{self, PassFilter};
use liaison_persistence::{members, summits};

use super::json::{PassCsv, PassQuery, PassView, PASS_CSV_COLUMNS};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export::{self, CsvSink};
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Passes the export reads per query.
const BATCH: u64 = 1000;

/// A summit's passes (staff, `passes:read` keys), oldest first. `Accept: text/csv` streams every pass, with the member's email for staff and `members:email` keys (empty otherwise).
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Summit id"), PassQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON) or every pass (CSV)", content(
            (Page<PassView> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Unknown status, bad `limit` or `cursor`"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:read` key"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/passes")]
pub async fn list_passes(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PassQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::PassesRead)?;
    summits::find(&state.db, *id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let filter = PassFilter {
        summit: Some(*id),
        member: None,
        program: query.program.clone(),
        status: query.status,
    };
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        // The column stays, so scripts read one shape; it is empty unless
        // the caller may see emails (staff, or a `members:email` key).
        let with_emails = may_see_emails(&caller.actor);
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "passes.csv",
            PASS_CSV_COLUMNS,
            move |mut sink: CsvSink| async move {
                let mut after = None;
                loop {
                    let rows = passes::list(&db, &filter, after, Some(BATCH)).await?;
                    let done = rows.len() < BATCH as usize;
                    after = rows.last().map(|p| p.id);
                    let ids = rows.iter().map(|p| p.member_id).collect();
                    let people: HashMap<Uuid, (String, String)> = members::contacts(&db, ids)
                        .await?
                        .into_iter()
                        .map(|c| (c.id, (c.email, c.display_name)))
                        .collect();
                    for p in rows {
                        let (email, name) = people.get(&p.member_id).cloned().unwrap_or_default();
                        sink.write(&PassCsv {
                            id: p.id,
                            member_id: p.member_id,
                            email: if with_emails { email } else { String::new() },
                            display_name: name,
                            program: p.program,
                            code: p.code.to_string(),
                            status: p.status,
                            points: p.points,
                            origin: p.origin,
                            issued_at: p.issued_at,
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
    let rows = passes::list(&state.db, &filter, page.cursor::<Uuid>()?, Some(limit + 1)).await?;
    reply::list(&Page::from_rows(rows, limit, |p| p.id, PassView::from))
}
