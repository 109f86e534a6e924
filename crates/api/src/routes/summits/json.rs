//! A summit as clients send and read it.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::pass::remaining;
use liaison_persistence::summits::{self, Quota, Summit};

use crate::error::ApiError;

/// A programme's quota at a summit.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaView {
    pub program: String,
    /// The rules version this summit uses (fixed at creation).
    pub rules_version: i32,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub quota: i32,
    pub used: i64,
    pub remaining: i64,
}

impl From<&Quota> for QuotaView {
    fn from(q: &Quota) -> Self {
        Self {
            program: q.program.clone(),
            rules_version: q.rules_version,
            quota: q.quota,
            used: q.used,
            remaining: remaining(q.quota, q.used),
        }
    }
}

/// A summit.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70", "name": "Summit 2027", "city": "Lisbon", "starts_on": "2027-05-10",
    "ends_on": "2027-05-12", "eligibility_cutoff": "2027-03-31",
    "programs": [{"program": "acc", "rules_version": 1, "quota": 300, "used": 120, "remaining": 180}],
    "created_at": "2026-11-23T10:00:00Z"
}))]
pub struct SummitView {
    pub id: Uuid,
    pub name: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Contributions count up to this day.
    pub eligibility_cutoff: NaiveDate,
    pub programs: Vec<QuotaView>,
    pub created_at: DateTime<Utc>,
}

impl SummitView {
    /// The summit with those of `quotas` that are its own.
    pub fn new(s: Summit, quotas: &[Quota]) -> Self {
        Self {
            programs: quotas
                .iter()
                .filter(|q| q.summit_id == s.id)
                .map(QuotaView::from)
                .collect(),
            id: s.id,
            name: s.name,
            city: s.city,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            eligibility_cutoff: s.eligibility_cutoff,
            created_at: s.created_at,
        }
    }

    /// The summit `id` as readers see it now; 404 when there is none.
    pub async fn load(db: &impl ConnectionTrait, id: Uuid) -> Result<Self, ApiError> {
        let s = summits::find(db, id).await?.ok_or(ApiError::NotFound)?;
        let q = summits::quotas(db, vec![id]).await?;
        Ok(Self::new(s, &q))
    }
}

/// A programme offered at a summit.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SummitProgramInput {
    pub program: String,
    /// Default: the programme's newest version.
    #[schema(minimum = 1)]
    pub rules_version: Option<i32>,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub quota: i32,
}

/// A summit to create.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"name": "Summit 2027", "city": "Lisbon", "starts_on": "2027-05-10", "ends_on": "2027-05-12",
  "eligibility_cutoff": "2027-03-31", "programs": [{"program": "acc", "quota": 300}, {"program": "aoc", "quota": 100}]}))]
pub struct CreateSummit {
    #[schema(min_length = 2, max_length = 200)]
    pub name: String,
    #[schema(min_length = 1, max_length = 100)]
    pub city: String,
    pub starts_on: NaiveDate,
    /// Not before `starts_on`.
    pub ends_on: NaiveDate,
    pub eligibility_cutoff: NaiveDate,
    #[schema(min_items = 1)]
    pub programs: Vec<SummitProgramInput>,
}

/// New quotas for programmes already offered at the summit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"programs": [{"program": "acc", "quota": 350}]}))]
pub struct SummitPatch {
    pub programs: Vec<QuotaChange>,
}

/// One quota change.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct QuotaChange {
    pub program: String,
    /// Not below the passes already issued.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub quota: i32,
}
