use actix_web::{put, web, HttpResponse};
use serde_json::json;
use uuid::Uuid;

use liaison_domain::ambassador::{conflict_of_interest, Conflict, Scores};
use liaison_domain::application::ApplicationEvent;
use liaison_domain::audit::AuditEvent;
use liaison_domain::error::Errors;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::applications;
use liaison_persistence::members;

use super::access::{transition, visible};
use super::json::{ReviewRequest, ReviewView};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::command::Command;
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Stores the caller's review (staff, active ambassadors); re-sent, it replaces the earlier one.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    request_body = ReviewRequest,
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 201, description = "First review by this reviewer", body = ReviewView),
        (status = 200, description = "The reviewer's earlier review, replaced", body = ReviewView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a reviewer (`forbidden`), or own application / same affiliation (`conflict_of_interest`)", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:liaison:problem:conflict_of_interest", "title": "Forbidden", "status": 403, "detail": "you share the applicant's affiliation", "code": "conflict_of_interest", "request_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11"})),
        (status = 404, description = "No such application"),
        (status = 409, description = "Not submitted (`invalid_transition`)"),
        (status = 422, description = "Scores outside 0–5")
    )
)]
#[put("/applications/{id}/review")]
pub async fn review_application(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ReviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?.clone();
    let mut errors = Errors::new();
    let scores = errors.take(Scores::parse(
        body.scores.track_record,
        body.scores.geography,
        body.scores.impact,
    ));
    if body.comment.chars().count() > 5000 {
        errors.push(liaison_domain::FieldError::new(
            "comment",
            "length",
            "at most 5000 characters",
        ));
    }
    errors.finish()?;
    let Some(scores) = scores else {
        return Err(ApiError::Internal("validated scores lost".into()));
    };
    let cmd = Command::open(&state.db, &caller).await?;
    let txn = cmd.txn();
    let a = visible(txn, &caller, *id, true).await?;
    caller.permit_trusted(
        can(
            &caller.actor,
            Action::Review,
            Resource::Application {
                applicant: a.member_id,
            },
        ),
        "only staff and active ambassadors review applications",
    )?;
    let reviewer = members::find(txn, me.id).await?.ok_or(ApiError::NotFound)?;
    let applicant_affiliation = match a.affiliation.clone() {
        Some(aff) => Some(aff),
        None => members::find(txn, a.member_id)
            .await?
            .and_then(|m| m.affiliation),
    };
    if let Some(conflict) = conflict_of_interest(
        me.id,
        reviewer.affiliation.as_deref(),
        a.member_id,
        applicant_affiliation.as_deref(),
    ) {
        return Err(ApiError::Forbidden {
            code: "conflict_of_interest",
            detail: match conflict {
                Conflict::OwnApplication => "you cannot review your own application".into(),
                Conflict::SameAffiliation => "you share the applicant's affiliation".into(),
            },
        });
    }
    transition(&a, ApplicationEvent::Review)?;
    let (review, inserted) = applications::upsert_review(
        txn,
        a.id,
        me.id,
        (scores.track_record, scores.geography, scores.impact),
        body.comment.trim(),
    )
    .await?;
    cmd.audit(AuditEvent::new(
        if inserted {
            "application.reviewed"
        } else {
            "application.review_replaced"
        },
        "application",
        a.id,
        json!({"scores": scores}),
    ))
    .await?;
    let view = ReviewView::from(review);
    // A first review is created at the URL it was put to.
    let reply = if inserted {
        Reply::created(&view, format!("/v1/applications/{}/review", a.id))?
    } else {
        Reply::ok(&view)?
    };
    cmd.finish(reply).await
}
