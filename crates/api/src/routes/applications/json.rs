//! Applications as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa::ToSchema;
use uuid::Uuid;

use liaison_domain::ambassador::Means;
use liaison_domain::application::ApplicationStatus;
use liaison_persistence::applications::{Application, Review};

/// Mean of each criterion over an application's reviews.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct MeansView {
    pub track_record: f64,
    pub geography: f64,
    pub impact: f64,
}

impl From<Means> for MeansView {
    fn from(m: Means) -> Self {
        Self {
            track_record: m.track_record,
            geography: m.geography,
            impact: m.impact,
        }
    }
}

/// One reviewer's scores, 0–5 each.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ScoresView {
    pub track_record: i16,
    pub geography: i16,
    pub impact: i16,
}

/// The means of an application's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreSummary {
    /// Number of reviews.
    pub reviews: i64,
    /// Mean per criterion; null without reviews.
    pub means: Option<MeansView>,
}

/// A review (shown to staff, and to its own reviewer).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"reviewer_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e12", "scores": {"track_record": 4, "geography": 3, "impact": 5}, "comment": "Strong local record.", "updated_at": "2026-12-10T09:00:00Z"}))]
pub struct ReviewView {
    pub reviewer_id: Uuid,
    pub scores: ScoresView,
    pub comment: String,
    pub updated_at: DateTime<Utc>,
}

impl From<Review> for ReviewView {
    fn from(r: Review) -> Self {
        Self {
            reviewer_id: r.reviewer_id,
            scores: ScoresView {
                track_record: r.track_record,
                geography: r.geography,
                impact: r.impact,
            },
            comment: r.comment,
            updated_at: r.updated_at,
        }
    }
}

/// An application.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e21", "cycle_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e20",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "region": "europe", "status": "submitted",
    "why_apply": "I have run the Lyon operators meetup for three years and want to help other cities start theirs.",
    "participation": "Monthly meetups of 60–100 operators, two talks at the summit, French translation of the install guide.",
    "ideas": "A travelling workshop kit for first-time organisers, and a shared calendar of European meetups.",
    "links": ["https://example.org/lyon-operators"], "affiliation": "independent",
    "submitted_at": "2026-12-02T09:00:00Z", "decided_at": null, "decision_reason": null,
    "scores": {"reviews": 2, "means": {"track_record": 4.5, "geography": 3.0, "impact": 4.0}},
    "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-02T09:00:00Z"
}))]
pub struct ApplicationView {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub member_id: Uuid,
    /// Region slug.
    pub region: String,
    pub status: ApplicationStatus,
    pub why_apply: String,
    pub participation: String,
    pub ideas: String,
    pub links: Vec<String>,
    /// The applicant's affiliation (as submitted).
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Staff's reason for the decision.
    pub decision_reason: Option<String>,
    /// Review means (never who reviewed).
    pub scores: ScoreSummary,
    /// Every review: staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Vec<ReviewView>>,
    /// The caller's own review, when they reviewed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_review: Option<ReviewView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn base_view(a: Application, scores: ScoreSummary) -> ApplicationView {
    ApplicationView {
        id: a.id,
        cycle_id: a.cycle_id,
        member_id: a.member_id,
        region: a.region_slug,
        status: a.status,
        why_apply: a.why_apply,
        participation: a.participation,
        ideas: a.ideas,
        links: a.links,
        affiliation: a.affiliation,
        submitted_at: a.submitted_at,
        decided_at: a.decided_at,
        decision_reason: a.decision_reason,
        scores,
        reviews: None,
        my_review: None,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

pub(crate) fn summary(
    reviews: i64,
    tr: Option<f64>,
    geo: Option<f64>,
    imp: Option<f64>,
) -> ScoreSummary {
    let means = match (tr, geo, imp) {
        (Some(track_record), Some(geography), Some(impact)) if reviews > 0 => Some(MeansView {
            track_record,
            geography,
            impact,
        }),
        _ => None,
    };
    ScoreSummary { reviews, means }
}

/// Changes to a draft; absent fields stay.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"ideas": "A travelling workshop kit for first-time organisers, a shared calendar, and a mentoring rota."}))]
pub struct ApplicationPatch {
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub why_apply: Option<String>,
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub participation: Option<String>,
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub ideas: Option<String>,
    #[schema(max_items = 10, value_type = Option<Vec<crate::openapi_values::HttpUrl>>)]
    pub links: Option<Vec<String>>,
}

/// Scores 0–5 per criterion.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ScoresInput {
    #[schema(minimum = 0, maximum = 5)]
    pub track_record: i64,
    #[schema(minimum = 0, maximum = 5)]
    pub geography: i64,
    #[schema(minimum = 0, maximum = 5)]
    pub impact: i64,
}

/// A reviewer's review.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"scores": {"track_record": 4, "geography": 3, "impact": 5}, "comment": "Strong local record; ideas are concrete."}))]
pub struct ReviewRequest {
    pub scores: ScoresInput,
    /// Up to 5000 characters.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub comment: String,
}

/// Staff's decision.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"outcome": "selected", "reason": "Rank 1 in Europe; strong record running the Lyon meetup."}))]
pub struct DecisionRequest {
    /// `selected` or `declined`.
    pub outcome: Outcome,
    /// Required, 1–2000 characters; shown to the applicant.
    #[schema(min_length = 1, max_length = 2000, pattern = r"^\S([\s\S]*\S)?$")]
    pub reason: String,
}

/// A decision's outcome.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Selected,
    Declined,
}

/// An application to write.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "region": "europe",
    "why_apply": "I have run the Lyon operators meetup for three years and want to help other cities start theirs.",
    "participation": "Monthly meetups of 60–100 operators, two talks at the summit, French translation of the install guide.",
    "ideas": "A travelling workshop kit for first-time organisers, and a shared calendar of European meetups.",
    "links": ["https://example.org/lyon-operators"]
}))]
pub struct CreateApplication {
    /// Region slug; must be one of the cycle's regions.
    pub region: String,
    /// 50–5000 characters.
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub why_apply: String,
    /// 50–5000 characters.
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub participation: String,
    /// 50–5000 characters.
    #[schema(min_length = 50, max_length = 5000, pattern = r"^\S([\s\S]*\S)?$")]
    pub ideas: String,
    /// Up to 10 http(s) URLs.
    #[serde(default)]
    #[schema(max_items = 10, value_type = Vec<crate::openapi_values::HttpUrl>)]
    pub links: Vec<String>,
}

/// Filters of a cycle's applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Region slug.
    pub region: Option<String>,
    pub status: Option<ApplicationStatus>,
}
