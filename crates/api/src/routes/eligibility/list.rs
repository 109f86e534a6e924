use actix_web::{get, web, HttpRequest, HttpResponse};
use sea_orm::TransactionTrait;
use uuid::Uuid;

use liaison_domain::Scope;
use liaison_persistence::{database, eligibility};

use super::json::{EligibleView, ProgramQuery};
use super::rules::summit_rules;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Every eligible member with points, in issuance order (staff, `passes:read` keys). CSV with `Accept: text/csv`.
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Summit id"), ProgramQuery, PageParams),
    responses(
        (status = 200, description = "Eligible members in issuance order: highest points first, then the earliest day the threshold was reached, then member id (one page of JSON, or every row as CSV)", content(
            (Page<EligibleView> = "application/json"),
            (String = "text/csv", example = json!("member_id,display_name,points,reached_on,has_pass\n0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11,Marie Dubois,24,2026-09-14,false\n"))
        )),
        (status = 400, description = "Programme not offered, bad `limit` or `cursor`"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:read` key"),
        (status = 404, description = "No such summit")
    )
)]
#[get("/summits/{id}/eligibility")]
pub async fn eligible_members(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<ProgramQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::PassesRead)?;
    summit_rules(&state.db, *id, &query.program).await?;
    // One statement over every contribution: bulk work, with its own time limit.
    let txn = state.db.begin().await?;
    database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
    let rows = eligibility::eligible(&txn, *id, &query.program, None).await?;
    txn.commit().await?;
    let views: Vec<EligibleView> = rows.into_iter().map(EligibleView::from).collect();
    if csv_export::wants_csv(&req) {
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "eligibility.csv",
            &[
                "member_id",
                "display_name",
                "points",
                "reached_on",
                "has_pass",
            ],
            move |mut sink: csv_export::CsvSink| async move {
                for v in views {
                    sink.write(&v).await?;
                }
                Ok(sink)
            },
        ));
    }
    // Issuance order, as the statement sorts it.
    let key = |v: &EligibleView| (-v.points, v.reached_on, v.member_id);
    reply::list(&Page::from_sorted(views, &page, key, |v| v)?)
}
