//! The audit log, for staff: who changed what, when, in which request.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::audit::{self, AuditEntry, AuditFilter};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_log);
}

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e14", "occurred_at": "2026-11-23T10:00:00Z", "actor_type": "member",
    "actor_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "action": "region.created", "entity_type": "region",
    "entity_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e13", "summary": {"slug": "europe"}, "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e15"
}))]
pub struct AuditEntryView {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// `member`, `service_account`, `anonymous` or `system`.
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    /// e.g. `region.created`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// What changed.
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    pub request_id: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            summary: e.summary,
            request_id: e.request_id,
        }
    }
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// e.g. `region`, `member`, `service_account`.
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// A member or service account id.
    pub actor: Option<Uuid>,
    /// Entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub until: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct AuditCsv {
    id: Uuid,
    occurred_at: DateTime<Utc>,
    actor_type: String,
    actor_id: Option<Uuid>,
    action: String,
    entity_type: String,
    entity_id: String,
    summary: String,
    request_id: Option<String>,
}

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
