use std::collections::BTreeSet;

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use sea_orm::TransactionTrait;
use serde_json::{json, Value};
use uuid::Uuid;

use liaison_domain::actor::{Actor, Scope};
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::import::{self, ImportRow, RowInput, MAX_IMPORT_ROWS};
use liaison_domain::{FieldError, Invalid};
use liaison_persistence::contributions::{self, ImportCounts, Importer};
use liaison_persistence::{contribution_kinds, database};

use super::json::{ImportRequest, ImportResult, UnknownMember};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::batch::BatchItem;
use crate::http::command::{Begun, Command, Key};
use crate::http::extract::bulk_body;
use crate::http::reply::Reply;
use crate::http::screen;
use crate::state::AppState;

/// Imports contributions from another tool in one batch (staff, `contributions:import` keys).
///
/// Rows are identified by (`source`, `external_id`): a repeated batch changes
/// nothing and a changed row updates its contribution. Imported
/// contributions are `verified`, with the importer recorded as verifier.
/// Members are matched by id or by email (case-insensitively); a row whose
/// member is unknown is listed in `unknown_members` and skipped. The batch is
/// atomic: one invalid row rejects it with a 422 naming
/// `contributions[i].field` for every error (at most 100 listed), and nothing
/// is written. `Idempotency-Key` is required, except on a dry run, which
/// writes nothing, not even its key (so a script may dry-run with the key of
/// the real call).
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = ImportRequest,
    params(("Idempotency-Key" = String, Header, description = "Required (except on a dry run); replays the first response for 24 h")),
    responses(
        (status = 200, description = "Counts of what changed (or would change, on a dry run), and the rows skipped for an unknown member", body = ImportResult),
        (status = 400, description = "Missing Idempotency-Key, or a body that is not JSON"),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a key with `contributions:import`"),
        (status = 409, description = "Idempotency-Key reused with another body"),
        (status = 413, description = "Body over 10 MiB"),
        (status = 422, description = "Every invalid field of every row, by index; more than 5,000 rows is a 422 naming `contributions`", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:validation_failed", "title": "Unprocessable Entity", "status": 422,
           "detail": "2 fields are invalid", "code": "validation_failed", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11",
           "errors": [{"field": "contributions[3].occurred_on", "code": "in_future", "message": "a contribution cannot have happened after today"},
                      {"field": "contributions[7].kind", "code": "unknown_kind", "message": "no contribution kind `karma`"}]}))
    )
)]
#[post("/contributions/import")]
pub async fn import_contributions(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::ContributionsImport)?;
    let importer = match &caller.actor {
        Actor::Member(m) => Importer::Member(m.id),
        Actor::Service(s) => Importer::ServiceAccount(s.id),
        Actor::Anonymous => return Err(ApiError::Unauthenticated("credentials required".into())),
    };
    // Bounded before the body is read: at most `LIAISON_MAX_SYNCS` bulk
    // bodies of up to 10 MiB are held at once (shared with event syncs).
    let _place = state.gates.syncs.enter().await?;
    let (body, read) = read_batch(&req, payload).await?;
    if body.dry_run {
        let txn = state.db.begin().await?;
        database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
        let (source, rows) = check(&txn, read).await?;
        let counts = contributions::import(&txn, &source, importer, &rows, true).await?;
        // Dropped, not committed: a dry run writes nothing.
        return Ok(Reply::ok(&result(counts, &rows))?.into_response());
    }
    let cmd = match Command::begin(&state.db, &req, &caller, &body, Key::Required).await? {
        Begun::Fresh(cmd) => cmd,
        Begun::Replay(done) => return Ok(done),
    };
    let txn = cmd.txn();
    database::allow_bulk_statements(txn, state.settings.limits.bulk_statement_timeout).await?;
    let (source, rows) = check(txn, read).await?;
    let counts = contributions::import(txn, &source, importer, &rows, false).await?;
    let answer = result(counts, &rows);
    cmd.audit(AuditEvent::new(
        "contributions.imported",
        "contribution_source",
        &source,
        json!({"created": answer.created, "updated": answer.updated, "unchanged": answer.unchanged,
               "unknown_members": answer.unknown_members.len()}),
    ))
    .await?;
    cmd.finish(Reply::ok(&answer)?).await
}

/// The answer: counts, and for each skipped row the id or email it named
/// (trimmed and lower-cased). Known members are never listed, so their
/// emails are never echoed.
fn result(counts: ImportCounts, rows: &[ImportRow]) -> ImportResult {
    let unknown: BTreeSet<usize> = counts.unknown.iter().map(|i| *i as usize).collect();
    let unknown_members = rows
        .iter()
        .filter(|r| unknown.contains(&r.index))
        .map(|r| {
            let (email, member_id) = match &r.member {
                import::MemberRef::Email(e) => (Some(e.as_str().to_owned()), None),
                import::MemberRef::Id(id) => (None, Some(*id)),
            };
            UnknownMember {
                index: r.index,
                email,
                member_id,
            }
        })
        .collect();
    ImportResult {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        unknown_members,
    }
}

/// The batch as read: its source, the rows that could be read, how many
/// there were, and every field that could not be read (reported with the
/// rules' errors, in one 422).
struct Read {
    source: Result<String, Invalid>,
    rows: Vec<(usize, RowInput)>,
    total: usize,
    unreadable: Vec<FieldError>,
}

/// Checks the rows' rules against the known kinds and groups (one query
/// each for the whole batch): 422 naming every bad field.
async fn check(
    txn: &sea_orm::DatabaseTransaction,
    read: Read,
) -> Result<(String, Vec<ImportRow>), ApiError> {
    let Read {
        source,
        rows,
        total,
        unreadable,
    } = read;
    let known: Vec<String> = contribution_kinds::list(txn)
        .await?
        .into_iter()
        .map(|k| k.slug)
        .collect();
    let wanted: BTreeSet<Uuid> = rows.iter().filter_map(|(_, r)| r.group_id).collect();
    let groups: BTreeSet<Uuid> = if wanted.is_empty() {
        BTreeSet::new()
    } else {
        contributions::existing_groups(txn, wanted.into_iter().collect())
            .await?
            .into_iter()
            .collect()
    };
    let mut errors = Errors::new();
    unreadable.into_iter().for_each(|e| errors.push(e));
    let source = errors.take(source);
    let rows = errors.take(import::check_batch(
        rows,
        total,
        &known,
        &groups,
        Utc::now().date_naive(),
    ));
    errors.finish()?;
    match (source, rows) {
        (Some(source), Some(rows)) => Ok((source, rows)),
        _ => Err(ApiError::Internal("a checked batch was lost".into())),
    }
}

/// Reads the body (up to 10 MiB) and each row field by field, so a field of
/// the wrong type is named (`contributions[6].occurred_on`) and the other
/// rows are still read; a body that is not the expected JSON is answered
/// at once.
async fn read_batch(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(ImportRequest, Read), ApiError> {
    let bytes = bulk_body(req, payload).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::malformed("the body is not UTF-8 JSON"))?;
    screen::refuse_nul(text)?;
    let body: ImportRequest = screen::typed(text)?;
    let mut errors = Errors::new();
    let total = body.contributions.len();
    // Over the limit, the rows are not read at all: the 422 names the array.
    let rows: Vec<(usize, RowInput)> = if total > MAX_IMPORT_ROWS {
        vec![]
    } else {
        body.contributions
            .iter()
            .enumerate()
            .filter_map(|(i, v)| read_row(i, v, &mut errors).map(|r| (i, r)))
            .collect()
    };
    let read = Read {
        source: import::parse_source(&body.source),
        rows,
        total,
        unreadable: errors.finish().err().map(|e| e.0).unwrap_or_default(),
    };
    Ok((body, read))
}

/// One row of the batch, or `None` with its unreadable fields recorded.
fn read_row(i: usize, value: &Value, errors: &mut Errors) -> Option<RowInput> {
    let mut item = BatchItem::of("contributions", i, value, "each contribution", errors)?;
    let mut text =
        |field: &str, required: bool, errors: &mut Errors| item.text(field, required, errors);
    let external_id = text("external_id", true, errors);
    let member_raw = text("member_id", false, errors);
    let email = text("email", false, errors);
    let kind = text("kind", true, errors);
    let date_raw = text("occurred_on", true, errors);
    let title = text("title", true, errors);
    let evidence_url = text("evidence_url", false, errors);
    let group_raw = text("group_id", false, errors);
    let unreadable = |field: &str, message: &str, errors: &mut Errors| {
        item.reject(field, "invalid_type", message, errors)
    };
    let uuid = |field: &str, raw: Option<String>, errors: &mut Errors| match raw
        .map(|r| Uuid::parse_str(&r))
    {
        None => Ok(None),
        Some(Ok(id)) => Ok(Some(id)),
        Some(Err(_)) => {
            unreadable(field, "must be a UUID", errors);
            Err(())
        }
    };
    let member_id = uuid("member_id", member_raw, errors);
    let group_id = uuid("group_id", group_raw, errors);
    let occurred_on = date_raw.and_then(|d| match NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            unreadable("occurred_on", "must be a date, YYYY-MM-DD", errors);
            None
        }
    });
    match (
        item.ok,
        external_id,
        member_id,
        kind,
        occurred_on,
        title,
        group_id,
    ) {
        (
            true,
            Some(external_id),
            Ok(member_id),
            Some(kind),
            Some(occurred_on),
            Some(title),
            Ok(group_id),
        ) => Some(RowInput {
            external_id,
            member_id,
            email,
            kind,
            occurred_on,
            title,
            evidence_url,
            group_id,
        }),
        _ => None,
    }
}
