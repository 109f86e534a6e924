use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde_json::json;

use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::report::{Quarter, ReportText};
use liaison_domain::FieldError;
use liaison_persistence::reports;
use uuid::Uuid;

use super::json::{FileReport, ReportView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::command::{Begun, Command, Key};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Files the ambassador's report for a quarter (the ambassador), with the
/// quarter's figures as they stand now. One per quarter: a second is 409.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = FileReport,
    params(
        ("id" = Uuid, Path, description = "Ambassadorship id"),
        ("Idempotency-Key" = String, Header, description = "Required; replays the first response for 24 h")
    ),
    responses(
        (status = 201, description = "Filed", body = ReportView),
        (status = 400, description = "No `Idempotency-Key`"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not this ambassador"),
        (status = 404, description = "No such ambassadorship"),
        (status = 409, description = "The quarter has a report (`already_exists`)"),
        (status = 422, description = "`period` malformed, not begun or outside the term; `summary` or `highlights` out of bounds")
    )
)]
#[post("/ambassadors/{id}/reports")]
pub async fn file_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<FileReport>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.id;
    let mut errors = Errors::new();
    let period = errors.take(Quarter::parse_begun("period", &body.period, Utc::now()));
    let text = errors.take(ReportText::parse(&body.summary, &body.highlights));
    let cmd = match Command::begin(&state.db, &req, &caller, &*body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    // The row lock makes concurrent filings of one quarter take turns, so
    // the second sees the first and answers 409.
    let ambassadorship = super::ambassadorship(txn, *id, true).await?;
    caller.permit(
        me == ambassadorship.member_id,
        "only the ambassador files their report",
    )?;
    if let Some(period) = period {
        if !period.overlaps_term(ambassadorship.term_start, ambassadorship.term_end) {
            errors.push(FieldError::new(
                "period",
                "outside_term",
                format!(
                    "{period} is outside the term {} to {}",
                    ambassadorship.term_start, ambassadorship.term_end
                ),
            ));
        }
    }
    errors.finish()?;
    let (period, text) = period
        .zip(text)
        .ok_or_else(|| ApiError::Internal("checked report lost".into()))?;
    if reports::find_for_period(txn, ambassadorship.id, period)
        .await?
        .is_some()
    {
        return Err(ApiError::conflict(
            "already_exists",
            format!("{period} already has a report"),
        ));
    }
    let metrics = reports::metrics(txn, ambassadorship.region_id, period).await?;
    let report = reports::insert(
        txn,
        ambassadorship.id,
        period,
        &text.summary,
        &text.highlights,
        &metrics,
    )
    .await?;
    cmd.audit(AuditEvent::new(
        "report.filed",
        "activity_report",
        report.id,
        json!({"ambassadorship_id": ambassadorship.id, "period": report.period}),
    ))
    .await?;
    let location = format!(
        "/v1/ambassadors/{}/reports/{}",
        ambassadorship.id, report.period
    );
    cmd.finish(Reply::created(&ReportView::from(report), location)?)
        .await
}
