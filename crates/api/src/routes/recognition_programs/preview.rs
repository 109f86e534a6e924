use actix_web::{post, web, HttpRequest, HttpResponse};
use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};

use liaison_domain::error::Errors;
use liaison_domain::preview::{self, Change, Standing};
use liaison_domain::FieldError;
use liaison_persistence::{database, eligibility, recognition_programs, summits};

use super::create::check_rules;
use super::json::{ChangedMember, PreviewRequest, PreviewView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Tries a draft rules version against a summit's data before it is adopted
/// (staff): who is eligible under the summit's current version and under
/// the draft, who gains and who loses, per region and in total, with the
/// points' quartiles under each. Nothing is written. With `Accept:
/// text/csv`, the members who gain or lose, one per row.
///
/// One statement holds both eligibility computations, and it is the
/// eligibility SQL the pass issuance runs, so the two cannot disagree.
#[utoipa::path(
    tag = "recognition",
    security(("bearer" = [])),
    request_body = PreviewRequest,
    params(("slug" = String, Path, description = "Programme slug")),
    responses(
        (status = 200, description = "The comparison (JSON), or the members who gain or lose (CSV)", content(
            (PreviewView = "application/json"),
            (String = "text/csv", example = json!("member_id,display_name,region,change,current_points,draft_points\n0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11,Marie Dubois,europe,gained,9,12\n"))
        )),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such programme"),
        (status = 422, description = "Invalid rules (`rules.…`), an unknown summit or one that does not offer the programme (`summit_id`)")
    )
)]
#[post("/recognition-programs/{slug}/rules/preview")]
pub async fn preview_rules(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    slug: web::Path<String>,
    body: Json<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff("preview rules")?;
    // A snapshot, read only: the two versions see the same contributions.
    let txn = state
        .db
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    recognition_programs::find(&txn, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut errors = Errors::new();
    let draft = check_rules(&txn, &body.rules, "rules.", &mut errors).await?;
    let quota = match summits::find(&txn, body.summit_id).await? {
        None => {
            errors.push(FieldError::new(
                "summit_id",
                "unknown_summit",
                "no such summit",
            ));
            None
        }
        Some(_) => {
            let quota = summits::quotas(&txn, vec![body.summit_id])
                .await?
                .into_iter()
                .find(|q| q.program == *slug);
            if quota.is_none() {
                errors.push(FieldError::new(
                    "summit_id",
                    "program_not_offered",
                    format!("the summit does not offer `{slug}`"),
                ));
            }
            quota
        }
    };
    errors.finish()?;
    let (draft, quota) = draft
        .zip(quota)
        .ok_or_else(|| ApiError::Internal("checked preview lost".into()))?;
    database::allow_bulk_statements(&txn, state.settings.limits.bulk_statement_timeout).await?;
    let rows = eligibility::compare(&txn, body.summit_id, &slug, &draft).await?;
    txn.commit().await?;

    let standing = |points, eligible| Standing { points, eligible };
    let (total, regions) = preview::tally(rows.iter().map(|r| {
        (
            r.region.as_deref(),
            standing(r.current_points, r.current_eligible),
            standing(r.draft_points, r.draft_eligible),
        )
    }));
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for r in rows {
        let change = Change::of(
            standing(r.current_points, r.current_eligible),
            standing(r.draft_points, r.draft_eligible),
        );
        let member = ChangedMember {
            member_id: r.member_id,
            display_name: r.display_name,
            region: r.region,
            change,
            current_points: r.current_points,
            draft_points: r.draft_points,
        };
        match change {
            Change::Gained => gained.push(member),
            Change::Lost => lost.push(member),
            Change::Unchanged => {}
        }
    }
    if csv_export::wants_csv(&req) {
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "rules-preview.csv",
            &[
                "member_id",
                "display_name",
                "region",
                "change",
                "current_points",
                "draft_points",
            ],
            move |mut sink: csv_export::CsvSink| async move {
                for m in gained.iter().chain(&lost) {
                    sink.write(&(
                        m.member_id,
                        &m.display_name,
                        m.region.as_deref().unwrap_or(""),
                        m.change.as_str(),
                        m.current_points,
                        m.draft_points,
                    ))
                    .await?;
                }
                Ok(sink)
            },
        ));
    }
    let view = PreviewView {
        program: slug.into_inner(),
        summit_id: body.summit_id,
        current_version: quota.rules_version,
        total,
        regions,
        gained,
        lost,
    };
    Ok(Reply::ok(&view)?.into_response())
}
