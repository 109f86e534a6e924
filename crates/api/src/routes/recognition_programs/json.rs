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
