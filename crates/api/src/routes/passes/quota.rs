//! Issuing one pass within its quota: the one place a manual pass and an
//! appeal's grant take a place.

use rand::{rngs::OsRng, Rng};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use liaison_domain::pass::{remaining, PassCode, PassOrigin};
use liaison_persistence::passes::{self, Pass};
use liaison_persistence::{members, summits};

use crate::error::{ApiError, OnConstraint};

/// A fresh pass code from the OS CSPRNG.
pub fn new_code() -> PassCode {
    let mut values = [0u8; 15];
    OsRng.fill(&mut values);
    for v in values.iter_mut() {
        *v &= 31;
    }
    PassCode::from_random(&values)
}

/// Issues one pass to `member` under the quota row's lock: 409
/// `quota_exhausted` when no place is left, `already_has_pass` when the
/// member holds one.
pub async fn issue_one(
    txn: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
    origin: PassOrigin,
    reason: &str,
) -> Result<Pass, ApiError> {
    let q = summits::lock_quota(txn, summit, program)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field("program", "unknown_program", "not offered at this summit")
        })?;
    if remaining(q.quota, q.used) == 0 {
        return Err(ApiError::conflict(
            "quota_exhausted",
            format!("all {} passes of {program} are issued", q.quota),
        ));
    }
    // Locked, so an erasure running at once waits or is waited for.
    let holder = members::find_for_update(txn, member)
        .await?
        .filter(|m| m.erased_at.is_none())
        .ok_or_else(|| ApiError::invalid_field("member_id", "unknown_member", "no such member"))?;
    if holder.email_verified_at.is_none() {
        return Err(ApiError::conflict(
            "email_unverified",
            "the member has not verified their email address; no pass is issued until they do",
        ));
    }
    passes::issue_one(txn, summit, program, member, &new_code(), origin, reason)
        .await
        .on_constraint("passes_one_per_member_key", || {
            ApiError::conflict(
                "already_has_pass",
                "the member already holds a pass for this summit",
            )
        })
}
