use actix_web::{get, web, HttpResponse};
use chrono::Utc;
use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};

use liaison_domain::ambassador::AmbassadorStatus;
use liaison_domain::group::{health_flags, Activity};
use liaison_domain::report::Quarter;
use liaison_persistence::ambassadorships::{self, AmbassadorFilter};
use liaison_persistence::{dashboard, regions};

use super::json::{
    DashboardView, FlaggedGroupView, MessageRef, Panel, PendingClaimView, PendingGroupView,
    ReportStatusView, UnacknowledgedView, UntriagedView,
};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::state::AppState;

/// Rows listed per panel.
const LISTED: u64 = 50;

/// What waits on the region's ambassadors (they and staff): pending
/// registrations, flagged groups, untriaged feedback, claims to verify,
/// unacknowledged messages per group and each ambassador's report status.
/// Eight statements whatever the region's size, in one read-only snapshot.
#[utoipa::path(
    tag = "regions",
    security(("bearer" = [])),
    params(("slug" = String, Path, description = "Region slug")),
    responses(
        (status = 200, description = "The dashboard", body = DashboardView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Neither an active ambassador of the region nor staff"),
        (status = 404, description = "No such region")
    )
)]
#[get("/regions/{slug}/dashboard")]
pub async fn region_dashboard(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let me = caller.member()?;
    let txn = state
        .db
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?;
    let region = regions::find_by_slug(&txn, &slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    caller.permit(
        me.is_staff() || me.is_ambassador_of(region.id),
        "only the region's ambassadors and staff read its dashboard",
    )?;
    let now = Utc::now();
    let due = Quarter::last_due(now);
    let pending = dashboard::pending_groups(&txn, region.id, LISTED).await?;
    let flagged: Vec<FlaggedGroupView> = dashboard::group_activity(&txn, region.id)
        .await?
        .into_iter()
        .filter_map(|g| {
            let flags = health_flags(Activity {
                held_last_180_days: g.held_last_180_days,
                upcoming: g.upcoming,
                organizers: g.organizers,
            });
            (!flags.is_empty()).then(|| FlaggedGroupView {
                id: g.id,
                slug: g.slug,
                name: g.name,
                flags: flags.into_iter().map(str::to_owned).collect(),
            })
        })
        .collect();
    let untriaged = dashboard::untriaged_feedback(&txn, region.id, LISTED).await?;
    let claims = dashboard::pending_claims(&txn, region.id, LISTED).await?;
    let unacknowledged = dashboard::unacknowledged(&txn, region.id, LISTED)
        .await?
        .into_iter()
        .map(|r| {
            let messages: Vec<MessageRef> = serde_json::from_value(r.messages)
                .map_err(|e| ApiError::Internal(format!("unacknowledged messages: {e}")))?;
            Ok((
                r.total,
                UnacknowledgedView {
                    group_id: r.group_id,
                    slug: r.slug,
                    name: r.name,
                    messages,
                },
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let serving = ambassadorships::list(
        &txn,
        &AmbassadorFilter {
            region: Some(region.slug.clone()),
            status: Some(AmbassadorStatus::Active),
            serving_on: Some(now.date_naive()),
            overdue: None,
        },
        due,
        None,
        // Seats are few; a region never has this many serving at once.
        1000,
    )
    .await?;
    let ids: Vec<_> = serving.iter().map(|s| s.id).collect();
    let last = dashboard::last_reports(&txn, &ids).await?;
    txn.commit().await?;

    let flagged_total = flagged.len() as i64;
    let view = DashboardView {
        region: region.slug,
        pending_registrations: Panel::of(
            pending,
            |r| r.total,
            |r| PendingGroupView {
                id: r.id,
                slug: r.slug,
                name: r.name,
                country: r.country,
                city: r.city,
                created_at: r.created_at,
            },
        ),
        flagged_groups: Panel {
            total: flagged_total,
            items: flagged.into_iter().take(LISTED as usize).collect(),
        },
        untriaged_feedback: Panel::of(
            untriaged,
            |r| r.total,
            |r| UntriagedView {
                id: r.id,
                title: r.title,
                kind: r.kind,
                component: r.component,
                severity: r.severity,
                created_at: r.created_at,
            },
        ),
        pending_contributions: Panel::of(
            claims,
            |r| r.total,
            |r| PendingClaimView {
                id: r.id,
                member_id: r.member_id,
                display_name: r.display_name,
                kind: r.kind,
                title: r.title,
                occurred_on: r.occurred_on,
                group_id: r.group_id,
                created_at: r.created_at,
            },
        ),
        unacknowledged_messages: Panel::of(unacknowledged, |r| r.0, |r| r.1),
        ambassadors: serving
            .into_iter()
            .map(|s| ReportStatusView {
                ambassador_id: s.id,
                member_id: s.member_id,
                display_name: s.display_name,
                due_period: due.to_string(),
                last_report_period: last
                    .iter()
                    .find(|(id, _)| *id == s.id)
                    .map(|(_, p)| p.clone()),
                overdue: s.overdue,
            })
            .collect(),
    };
    reply::resource(&view)
}
