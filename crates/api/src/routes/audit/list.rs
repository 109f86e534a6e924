use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use uuid::Uuid;

use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::audit::{self, AuditFilter};

use super::json::{AuditCsv, AuditEntryView, AuditQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// The audit log, newest first (staff). `Accept: text/csv` streams every matching entry.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery, PageParams),
    responses(
        (status = 200, description = "One page (JSON), or every matching entry (CSV)", content(
            (Page<AuditEntryView> = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "Bad filter, `limit` or `cursor`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff")
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    query: web::Query<AuditQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    if !can(&caller.actor, Action::Read, Resource::AuditLog) {
        return Err(ApiError::forbidden("only staff read the audit log"));
    }
    let query = query.into_inner();
    let filter = AuditFilter {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        actor: query.actor,
        since: query.since,
        until: query.until,
    };
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "audit-log.csv",
            &[
                "id",
                "occurred_at",
                "actor_type",
                "actor_id",
                "action",
                "entity_type",
                "entity_id",
                "summary",
                "request_id",
            ],
            move |mut sink: csv_export::CsvSink| async move {
                let mut rows = audit::stream(&db, &filter).await?;
                while let Some(row) = rows.next().await {
                    let e = row?;
                    sink.write(&AuditCsv {
                        id: e.id,
                        occurred_at: e.occurred_at,
                        actor_type: e.actor_type,
                        actor_id: e.actor_id,
                        action: e.action,
                        entity_type: e.entity_type,
                        entity_id: e.entity_id,
                        summary: e.summary.to_string(),
                        request_id: e.request_id,
                    })
                    .await?;
                }
                drop(rows);
                Ok(sink)
            },
        ));
    }
    let limit = page.limit()?;
    let rows = audit::list(&state.db, &filter, page.cursor::<Uuid>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |e| e.id,
        AuditEntryView::from,
    ))
}
