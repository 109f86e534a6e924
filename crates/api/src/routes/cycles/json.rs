//! Cycles as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use liaison_domain::ambassador;
use liaison_persistence::cycles::{self, Cycle, CycleRegion};

use crate::error::ApiError;
use crate::routes::applications::json::MeansView;

/// Criterion weights (non-negative, not all zero).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"track_record": 2.0, "geography": 1.0, "impact": 1.0}))]
pub struct WeightsDto {
    #[schema(minimum = 0, maximum = 1000)]
    pub track_record: f64,
    #[schema(minimum = 0, maximum = 1000)]
    pub geography: f64,
    #[schema(minimum = 0, maximum = 1000)]
    pub impact: f64,
}

/// A region of a cycle and its seats.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleRegionView {
    /// Region slug.
    pub region: String,
    pub name: String,
    pub seats: i32,
}

/// An ambassador cycle.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "name": "2027 ambassadors", "opens_at": "2026-12-01T00:00:00Z",
    "closes_at": "2027-01-15T00:00:00Z", "open": false, "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0},
    "max_per_affiliation": 2, "term_months": 12, "regions": [{"region": "europe", "name": "Europe", "seats": 3}],
    "created_at": "2026-11-23T10:00:00Z", "updated_at": "2026-11-23T10:00:00Z"
}))]
pub struct CycleView {
    pub id: Uuid,
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Whether applications are accepted now.
    pub open: bool,
    pub weights: WeightsDto,
    /// Most proposed or selected ambassadors with one affiliation across the cycle.
    pub max_per_affiliation: Option<i32>,
    pub term_months: i32,
    pub regions: Vec<CycleRegionView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn render(cycle: Cycle, regions: &[CycleRegion]) -> CycleView {
    CycleView {
        id: cycle.id,
        name: cycle.name,
        open: ambassador::is_open(cycle.opens_at, cycle.closes_at, Utc::now()),
        opens_at: cycle.opens_at,
        closes_at: cycle.closes_at,
        weights: WeightsDto {
            track_record: cycle.weight_track_record,
            geography: cycle.weight_geography,
            impact: cycle.weight_impact,
        },
        max_per_affiliation: cycle.max_per_affiliation,
        term_months: cycle.term_months,
        regions: regions
            .iter()
            .filter(|r| r.cycle_id == cycle.id)
            .map(|r| CycleRegionView {
                region: r.slug.clone(),
                name: r.name.clone(),
                seats: r.seats,
            })
            .collect(),
        created_at: cycle.created_at,
        updated_at: cycle.updated_at,
    }
}

pub(crate) async fn load_view(
    db: &impl sea_orm::ConnectionTrait,
    id: Uuid,
) -> Result<CycleView, ApiError> {
    let cycle = cycles::find(db, id, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let regions = cycles::regions_of(db, vec![id]).await?;
    Ok(render(cycle, &regions))
}

/// Seats of one region in a cycle; omit `seats` for the region's `ambassador_seats`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CycleRegionInput {
    /// Region slug.
    pub region: String,
    /// 0–1000.
    #[schema(minimum = 0, maximum = 1000)]
    pub seats: Option<i32>,
}

/// A cycle to open.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[schema(example = json!({
    "name": "2027 ambassadors", "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2027-01-15T00:00:00Z",
    "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0}, "max_per_affiliation": 2, "term_months": 12,
    "regions": [{"region": "europe", "seats": 3}, {"region": "africa"}]
}))]
pub struct CreateCycle {
    #[validate(length(min = 2, max = 200))]
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub weights: WeightsDto,
    #[schema(minimum = 1, maximum = 1000)]
    pub max_per_affiliation: Option<i32>,
    #[schema(minimum = 1, maximum = 60)]
    pub term_months: i32,
    /// Regions recruited in; omitted: every region with its default seats.
    pub regions: Option<Vec<CycleRegionInput>>,
}

/// Changes to a cycle; absent fields stay. `regions` sets seats (adding regions).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"closes_at": "2027-01-31T00:00:00Z", "regions": [{"region": "europe", "seats": 4}]}))]
pub struct CyclePatch {
    #[schema(min_length = 2, max_length = 200)]
    pub name: Option<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub weights: Option<WeightsDto>,
    /// `null` removes the cap.
    #[serde(
        default,
        deserialize_with = "crate::routes::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub max_per_affiliation: Option<Option<i32>>,
    #[schema(minimum = 1, maximum = 60)]
    pub term_months: Option<i32>,
    pub regions: Option<Vec<CycleRegionInput>>,
}

/// One application in a region's proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalRowView {
    pub application_id: Uuid,
    pub member_id: Uuid,
    /// The affiliation counted against the cap (as submitted).
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Number of reviews.
    pub reviews: i64,
    /// Mean per criterion; null without reviews.
    pub means: Option<MeansView>,
    /// Weighted score; null without reviews.
    pub score: Option<f64>,
    /// 1-based rank among ranked applications.
    pub rank: Option<usize>,
    pub proposed: bool,
    /// Plain-language reason, e.g. "rank 2, 3 seats".
    pub reason: String,
}

/// One region's ranked applications.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionProposal {
    pub region: String,
    pub seats: i32,
    /// Already selected in this region.
    pub selected: i64,
    pub rows: Vec<ProposalRowView>,
}

/// A cycle's proposal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20", "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0}, "max_per_affiliation": 2,
    "regions": [{"region": "europe", "seats": 2, "selected": 0, "rows": [
        {"application_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e21", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "affiliation": "Acme Cloud",
         "submitted_at": "2026-12-02T09:00:00Z", "reviews": 3, "means": {"track_record": 4.3, "geography": 3.0, "impact": 4.0}, "score": 3.9,
         "rank": 1, "proposed": true, "reason": "rank 1, 2 seats"},
        {"application_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e22", "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "affiliation": null,
         "submitted_at": "2026-12-03T09:00:00Z", "reviews": 0, "means": null, "score": null, "rank": null, "proposed": false, "reason": "unranked: no reviews"}
    ]}]
}))]
pub struct ProposalView {
    pub cycle_id: Uuid,
    pub weights: WeightsDto,
    pub max_per_affiliation: Option<i32>,
    /// Regions by slug; the affiliation cap runs across them in this order.
    pub regions: Vec<RegionProposal>,
}
