//! Passes as clients send and read them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use liaison_domain::outbox::DeliveryStatus;
use liaison_domain::pass::{remaining, PassCode, PassOrigin, PassStatus};
use liaison_persistence::passes::Pass;
use liaison_persistence::summits::Quota;

/// A bulk issuance.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "dry_run": false, "max": 500}))]
pub struct IssueRequest {
    pub program: String,
    /// Show who would get a pass; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Issue at most this many in this call.
    #[schema(minimum = 1)]
    pub max: Option<i64>,
}

/// A pass.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e80", "summit_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e70", "program": "acc",
    "member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "code": "7KQ2-M9XD-4T1B-RH8K", "status": "issued", "points": 24,
    "origin": "bulk", "reason": null, "issued_at": "2026-11-23T10:00:00Z", "redeemed_at": null, "revoked_at": null, "revoke_reason": null,
    "delivery": {"status": "sent", "at": "2026-11-23T10:00:04Z"}
}))]
pub struct PassView {
    pub id: Uuid,
    pub summit_id: Uuid,
    pub program: String,
    pub member_id: Uuid,
    /// `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
    pub status: PassStatus,
    pub points: Option<i32>,
    pub origin: PassOrigin,
    pub reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    /// How the mail with the code fared: `pending` when just issued; `null`
    /// for passes issued before Liaison sent mail.
    pub delivery: Option<PassDelivery>,
}

/// How a pass's mail fared.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassDelivery {
    /// `pending` (queued or waiting for a retry), `sent`, or `failed` (given up after 3 days).
    pub status: DeliveryStatus,
    /// When it was sent, else last tried, else queued.
    pub at: Option<DateTime<Utc>>,
}

impl PassView {
    /// The view of a pass issued in this call, whose mail was queued in the
    /// same transaction (after the row the view was read from).
    pub fn just_issued(pass: Pass) -> Self {
        let mut view = Self::from(pass);
        // Queued in the same transaction, so at the pass's own time.
        let queued_at = view.issued_at;
        view.delivery.get_or_insert(PassDelivery {
            status: DeliveryStatus::Pending,
            at: Some(queued_at),
        });
        view
    }
}

impl From<Pass> for PassView {
    fn from(p: Pass) -> Self {
        Self {
            id: p.id,
            summit_id: p.summit_id,
            program: p.program,
            member_id: p.member_id,
            code: p.code.to_string(),
            status: p.status,
            points: p.points,
            origin: p.origin,
            reason: p.reason,
            issued_at: p.issued_at,
            redeemed_at: p.redeemed_at,
            revoked_at: p.revoked_at,
            revoke_reason: p.revoke_reason,
            delivery: p
                .delivery_status
                .and_then(|s| s.parse().ok())
                .map(|status| PassDelivery {
                    status,
                    at: p.delivery_at,
                }),
        }
    }
}

/// One member in an issuance.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedView {
    pub member_id: Uuid,
    pub points: i64,
    /// Null in a dry run.
    pub pass: Option<PassView>,
}

/// What an issuance did (or would do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"program": "acc", "dry_run": false, "quota": 300, "used": 300, "remaining": 0, "issued_count": 180,
  "issued": [{"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "points": 24, "pass": null}]}))]
pub struct IssueResult {
    pub program: String,
    pub dry_run: bool,
    pub quota: i32,
    /// Passes in the quota after this call.
    pub used: i64,
    pub remaining: i64,
    pub issued_count: usize,
    pub issued: Vec<IssuedView>,
}

impl IssueResult {
    /// The answer once `issued` are (or would be) given out of `quota`.
    pub fn after(
        request: &IssueRequest,
        dry_run: bool,
        quota: &Quota,
        issued: Vec<IssuedView>,
    ) -> Self {
        let n = issued.len() as i64;
        Self {
            program: request.program.clone(),
            dry_run,
            quota: quota.quota,
            used: quota.used + n,
            remaining: remaining(quota.quota, quota.used) - n,
            issued_count: issued.len(),
            issued,
        }
    }
}

/// A manual pass.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"member_id": "0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e11", "program": "acc", "reason": "Keynote speaker"}))]
pub struct ManualPass {
    pub member_id: Uuid,
    pub program: String,
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Filters of the pass list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PassQuery {
    pub program: Option<String>,
    pub status: Option<PassStatus>,
}

/// A row of the pass export.
#[derive(Serialize)]
pub struct PassCsv {
    pub id: Uuid,
    pub member_id: Uuid,
    /// Empty unless the caller may see emails.
    pub email: String,
    pub display_name: String,
    pub program: String,
    pub code: String,
    pub status: PassStatus,
    pub points: Option<i32>,
    pub origin: PassOrigin,
    pub issued_at: DateTime<Utc>,
}

/// The export's columns, in order.
pub const PASS_CSV_COLUMNS: &[&str] = &[
    "id",
    "member_id",
    "email",
    "display_name",
    "program",
    "code",
    "status",
    "points",
    "origin",
    "issued_at",
];

/// A code presented at the door.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"code": "7kq2 m9xd 4t1b rh8k"}))]
pub struct RedeemRequest {
    /// Case-insensitive; dashes and spaces ignored.
    #[schema(min_length = 16)]
    pub code: String,
}

impl RedeemRequest {
    /// The code, or 422 `invalid_code` (a wrong check character is caught
    /// here, before any lookup).
    pub fn code(&self) -> Result<PassCode, crate::error::ApiError> {
        PassCode::parse(&self.code).map_err(|liaison_domain::Invalid(errors)| {
            crate::error::ApiError::Validation {
                code: "invalid_code",
                errors,
            }
        })
    }
}

/// A reason.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"reason": "Issued to the wrong person"}))]
pub struct ReasonRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}
