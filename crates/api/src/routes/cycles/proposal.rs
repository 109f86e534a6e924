use actix_web::{get, web, HttpResponse};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

use liaison_domain::ambassador::{self, affiliation_key, Candidate, Means, Weights};
use liaison_domain::application::ApplicationStatus;
use liaison_domain::policy::{can, Action, Resource};
use liaison_persistence::applications;
use liaison_persistence::cycles::{self, Cycle, CycleRegion};

use super::json::{ProposalRowView, ProposalView, RegionProposal, WeightsDto};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::reply;
use crate::routes::applications::json::MeansView;
use crate::state::AppState;

/// The ranked proposal per region (staff).
///
/// Per region: submitted applications by weighted score (desc), then earlier
/// submission, then id; seats filled in order (less those already selected),
/// skipping an application whose affiliation has reached the cap in the cycle.
#[utoipa::path(
    tag = "ambassador programme",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "Per region: ranked rows with `score`, `proposed` and `reason`", body = ProposalView),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not staff"),
        (status = 404, description = "No such cycle")
    )
)]
#[get("/ambassador-cycles/{id}/proposal")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.member()?;
    if !can(&caller.actor, Action::Read, Resource::Proposal) {
        return Err(ApiError::forbidden("only staff read the proposal"));
    }
    let cycle = cycles::find(&state.db, *id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let regions = cycles::regions_of(&state.db, vec![cycle.id]).await?;
    let ranked = applications::cycle_means(&state.db, cycle.id).await?;
    reply::resource(&build_proposal(&cycle, &regions, ranked))
}

/// Builds the proposal from the one aggregate query (pure, after the IO).
pub fn build_proposal(
    cycle: &Cycle,
    regions: &[CycleRegion],
    ranked: Vec<applications::Ranked>,
) -> ProposalView {
    let weights = Weights {
        track_record: cycle.weight_track_record,
        geography: cycle.weight_geography,
        impact: cycle.weight_impact,
    };
    let cap = cycle.max_per_affiliation.map(|c| c as usize);
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut selected_in_region: HashMap<Uuid, i64> = HashMap::new();
    for r in ranked
        .iter()
        .filter(|r| r.status == ApplicationStatus::Selected)
    {
        *selected_in_region.entry(r.region_id).or_default() += 1;
        if let Some(key) = affiliation_key(r.affiliation.as_deref()) {
            *taken.entry(key).or_default() += 1;
        }
    }
    let by_id: HashMap<Uuid, &applications::Ranked> = ranked.iter().map(|r| (r.id, r)).collect();
    let means_of = |r: &applications::Ranked| match (r.track_record, r.geography, r.impact) {
        (Some(track_record), Some(geography), Some(impact)) if r.reviews > 0 => Some(Means {
            track_record,
            geography,
            impact,
        }),
        _ => None,
    };
    let out = regions
        .iter()
        .map(|region| {
            let candidates: Vec<Candidate> = ranked
                .iter()
                .filter(|r| {
                    r.region_id == region.region_id && r.status == ApplicationStatus::Submitted
                })
                .map(|r| Candidate {
                    id: r.id,
                    affiliation: affiliation_key(r.affiliation.as_deref()),
                    submitted_at: r.submitted_at.unwrap_or(cycle.closes_at),
                    score: means_of(r).map(|m| ambassador::score(&weights, &m)),
                })
                .collect();
            let selected = selected_in_region
                .get(&region.region_id)
                .copied()
                .unwrap_or(0);
            let rows = ambassador::propose(
                candidates,
                region.seats.max(0) as usize,
                cap,
                &mut taken,
                selected as usize,
            )
            .into_iter()
            .filter_map(|row| {
                let r = by_id.get(&row.application_id)?;
                Some(ProposalRowView {
                    application_id: row.application_id,
                    member_id: r.member_id,
                    affiliation: r.affiliation.clone(),
                    submitted_at: r.submitted_at,
                    reviews: r.reviews,
                    means: means_of(r).map(MeansView::from),
                    score: row.score,
                    rank: row.rank,
                    proposed: row.proposed,
                    reason: row.reason,
                })
            })
            .collect();
            RegionProposal {
                region: region.slug.clone(),
                seats: region.seats,
                selected,
                rows,
            }
        })
        .collect();
    ProposalView {
        cycle_id: cycle.id,
        weights: WeightsDto {
            track_record: weights.track_record,
            geography: weights.geography,
            impact: weights.impact,
        },
        max_per_affiliation: cycle.max_per_affiliation,
        regions: out,
    }
}
