//! Programmes and rules as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use liaison_persistence::recognition_programs;
use liaison_persistence::recognition_programs::RuleKind;
use liaison_persistence::recognition_programs::RuleVersion;

use crate::error::ApiError;

/// Points of one kind in a rules version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KindPoints {
    pub kind: String,
    /// Points per counted contribution.
    #[schema(minimum = 0, maximum = 1000)]
    pub points: i32,
    /// How many of the most recent contributions of this kind count.
    #[schema(minimum = 1, maximum = 1000)]
    pub max_count: i32,
}

/// A published rules version (immutable).
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesView {
    pub version: i32,
    pub window_days: i32,
    pub threshold_points: i32,
    pub kinds: Vec<KindPoints>,
    pub published_at: DateTime<Utc>,
}

/// A programme with all its rules versions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "slug": "acc", "name": "Active Community Contributor", "description": "For people who build the community",
    "current_version": 1,
    "rules": [{"version": 1, "window_days": 365, "threshold_points": 10, "published_at": "2026-11-23T10:00:00Z",
               "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}, {"kind": "talk_given", "points": 3, "max_count": 4}]}]
}))]
pub struct ProgramView {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The newest version; summits keep the version they were created with.
    pub current_version: Option<i32>,
    pub rules: Vec<RulesView>,
}

pub(crate) fn render_rules(
    program: &str,
    versions: &[RuleVersion],
    kinds: &[RuleKind],
) -> Vec<RulesView> {
    versions
        .iter()
        .filter(|v| v.program == program)
        .map(|v| RulesView {
            version: v.version,
            window_days: v.window_days,
            threshold_points: v.threshold_points,
            published_at: v.published_at,
            kinds: kinds
                .iter()
                .filter(|k| k.program == program && k.version == v.version)
                .map(|k| KindPoints {
                    kind: k.kind.clone(),
                    points: k.points,
                    max_count: k.max_count,
                })
                .collect(),
        })
        .collect()
}

pub(crate) async fn program_view(
    db: &impl sea_orm::ConnectionTrait,
    slug: &str,
) -> Result<ProgramView, ApiError> {
    let p = recognition_programs::find(db, slug, false)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (versions, kinds) = recognition_programs::rules(db, Some(vec![p.slug.clone()])).await?;
    let rules = render_rules(&p.slug, &versions, &kinds);
    Ok(ProgramView {
        current_version: rules.last().map(|r| r.version),
        slug: p.slug,
        name: p.name,
        description: p.description,
        rules,
    })
}

/// Rules to publish as a new version.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"window_days": 365, "threshold_points": 10,
  "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12}, {"kind": "talk_given", "points": 3, "max_count": 4}]}))]
pub struct RulesInput {
    #[schema(minimum = 1, maximum = 3660)]
    pub window_days: i32,
    #[schema(minimum = 1, maximum = 100000)]
    pub threshold_points: i32,
    /// At least one kind earns points.
    #[schema(min_items = 1)]
    pub kinds: Vec<KindPoints>,
}

/// A programme to create, with its first rules version.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"slug": "amc", "name": "Active Mentor Contributor", "description": "For mentors",
  "rules": {"window_days": 365, "threshold_points": 6, "kinds": [{"kind": "mentoring", "points": 2, "max_count": 6}]}}))]
pub struct CreateProgram {
    #[schema(
        pattern = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    #[schema(min_length = 2, max_length = 100, pattern = r"^\S([\s\S]*\S)?$")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: String,
    pub rules: RulesInput,
}

/// A draft rules version to try against a summit's data.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50",
  "rules": {"window_days": 365, "threshold_points": 12, "kinds": [{"kind": "event_organized", "points": 2, "max_count": 12},
            {"kind": "ops_meetup_moderated", "points": 3, "max_count": 4}]}}))]
pub struct PreviewRequest {
    /// The summit whose cutoff and current rules version the draft is compared with.
    pub summit_id: uuid::Uuid,
    /// The shape of a new rules version.
    pub rules: RulesInput,
}

/// A member the draft makes eligible or ineligible.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedMember {
    pub member_id: uuid::Uuid,
    pub display_name: String,
    /// Region slug, by the member's country.
    pub region: Option<String>,
    /// `gained` or `lost`.
    pub change: liaison_domain::preview::Change,
    /// Points under the summit's current rules version.
    pub current_points: i64,
    /// Points under the draft.
    pub draft_points: i64,
}

/// What a draft would change at a summit, per region and in total. Nothing is written.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
  "program": "acc", "summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e50", "current_version": 1,
  "total": {"region": null, "current": {"eligible": 412, "quartiles": {"q1": 11.0, "median": 14.0, "q3": 19.5}},
            "draft": {"eligible": 398, "quartiles": {"q1": 13.0, "median": 15.0, "q3": 21.0}}, "gained": 37, "lost": 51},
  "regions": [{"region": "europe", "current": {"eligible": 160, "quartiles": {"q1": 11.0, "median": 14.0, "q3": 18.0}},
               "draft": {"eligible": 171, "quartiles": {"q1": 12.0, "median": 15.0, "q3": 20.0}}, "gained": 20, "lost": 9}],
  "gained": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "display_name": "Marie Dubois", "region": "europe",
              "change": "gained", "current_points": 9, "draft_points": 12}],
  "lost": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "display_name": "Kenji Sato", "region": "asia",
            "change": "lost", "current_points": 10, "draft_points": 8}]
}))]
pub struct PreviewView {
    pub program: String,
    pub summit_id: uuid::Uuid,
    /// The rules version the summit applies now.
    pub current_version: i32,
    pub total: liaison_domain::preview::Tally,
    /// One per region with a member eligible under either version; members
    /// of no region last, as `region: null`.
    pub regions: Vec<liaison_domain::preview::Tally>,
    /// Eligible under the draft only, by member id.
    pub gained: Vec<ChangedMember>,
    /// Eligible under the current version only, by member id.
    pub lost: Vec<ChangedMember>,
}
