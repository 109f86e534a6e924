//! Eligibility as clients read it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::recognition::{Explanation, KindLine};
use liaison_persistence::eligibility::Eligible;

/// Which programme.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// Programme slug, e.g. `acc`.
    pub program: String,
}

/// One kind's line of an explanation.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindLineView {
    pub kind: String,
    pub verified: i64,
    pub counted: i64,
    pub capped: i64,
    pub points_each: i32,
    pub points: i64,
}

impl From<KindLine> for KindLineView {
    fn from(k: KindLine) -> Self {
        Self {
            kind: k.kind,
            verified: k.verified,
            counted: k.counted,
            capped: k.capped,
            points_each: k.points_each,
            points: k.points,
        }
    }
}

/// Why a member is or is not eligible.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "program": "acc", "rules_version": 1, "eligible": true,
    "points": 24, "threshold_points": 10, "points_missing": 0, "window_start": "2026-04-01", "cutoff": "2027-03-31",
    "reached_on": "2026-08-12", "pending": 1, "has_pass": false, "email_verified": true, "blocked_by": [],
    "kinds": [{"kind": "event_organized", "verified": 12, "counted": 12, "capped": 0, "points_each": 2, "points": 24}]
}))]
pub struct ExplanationView {
    pub member_id: Uuid,
    pub program: String,
    pub rules_version: i32,
    pub eligible: bool,
    pub points: i64,
    pub threshold_points: i32,
    pub points_missing: i64,
    pub window_start: NaiveDate,
    pub cutoff: NaiveDate,
    pub reached_on: Option<NaiveDate>,
    /// Pending claims in the window: they count once verified.
    pub pending: i64,
    /// Whether the member already holds a pass at this summit.
    pub has_pass: bool,
    /// Whether the member verified their email: until then `eligible` is
    /// false, whatever the points.
    pub email_verified: bool,
    /// What stands in the way besides points, in words (e.g. the email not
    /// verified yet).
    pub blocked_by: Vec<String>,
    pub kinds: Vec<KindLineView>,
}

impl ExplanationView {
    /// `member`'s explanation for `program` under `version`.
    pub fn new(member: Uuid, program: &str, version: i32, e: Explanation, has_pass: bool) -> Self {
        Self {
            member_id: member,
            program: program.to_owned(),
            rules_version: version,
            eligible: e.eligible,
            points: e.points,
            threshold_points: e.threshold_points,
            points_missing: e.points_missing,
            window_start: e.window_start,
            cutoff: e.cutoff,
            reached_on: e.reached_on,
            pending: e.pending,
            has_pass,
            email_verified: e.email_verified,
            blocked_by: e.blocked_by,
            kinds: e.kinds.into_iter().map(KindLineView::from).collect(),
        }
    }
}

/// An eligible member.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibleView {
    pub member_id: Uuid,
    pub display_name: String,
    pub points: i64,
    /// The day their counted contributions reached the threshold.
    pub reached_on: NaiveDate,
    pub has_pass: bool,
}

impl From<Eligible> for EligibleView {
    fn from(e: Eligible) -> Self {
        Self {
            member_id: e.member_id,
            display_name: e.display_name,
            points: e.points,
            reached_on: e.reached_on,
            has_pass: e.has_pass,
        }
    }
}
