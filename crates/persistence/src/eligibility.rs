//! Eligibility: who qualifies for a summit programme under its rules
//! version, computed in one set-based statement.

use chrono::NaiveDate;
use liaison_domain::recognition::ContributionStatus;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::Error;
use crate::stmt;

/// An eligible member.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Eligible {
    pub member_id: Uuid,
    pub display_name: String,
    pub points: i64,
    pub reached_on: NaiveDate,
    /// Whether the member already holds a live pass at this summit.
    pub has_pass: bool,
    /// Whether the member ever held a pass here, revoked ones included: bulk
    /// issuance skips them, so re-running it never undoes a revocation.
    pub ever_held: bool,
}

/// Every member eligible for (summit, programme) under the summit's rules
/// version, in one set-based statement: verified contributions in
/// (cutoff − window_days, cutoff]; per kind the most recent `max_count`
/// (window function); points summed; the day the running total reached the
/// threshold. Ordered as issuance takes them: points desc, reached_on, member id.
pub(crate) const ELIGIBLE: &str = "
WITH sp AS (SELECT rules_version, (SELECT eligibility_cutoff FROM summits WHERE id = $1) AS cutoff
            FROM summit_programs WHERE summit_id = $1 AND program = $2),
     r AS (SELECT pr.window_days, pr.threshold_points, sp.cutoff FROM program_rules pr JOIN sp ON pr.version = sp.rules_version
           WHERE pr.program = $2),
     k AS (SELECT rk.kind, rk.points, rk.max_count FROM program_rule_kinds rk JOIN sp ON rk.version = sp.rules_version
           WHERE rk.program = $2),
     ranked AS (
       SELECT c.member_id, c.occurred_on, c.id, k.points, k.max_count,
              row_number() OVER (PARTITION BY c.member_id, c.kind ORDER BY c.occurred_on DESC, c.id DESC) AS rn
       FROM contributions c JOIN k ON k.kind = c.kind CROSS JOIN r
       WHERE c.status = 'verified' AND c.occurred_on > r.cutoff - r.window_days AND c.occurred_on <= r.cutoff
         AND ($3::uuid IS NULL OR c.member_id = $3)
     ),
     counted AS (
       SELECT member_id, occurred_on, points,
              sum(points) OVER (PARTITION BY member_id ORDER BY occurred_on, id ROWS UNBOUNDED PRECEDING) AS running
       FROM ranked WHERE rn <= max_count
     ),
     totals AS (
       SELECT member_id, sum(points)::bigint AS points,
              min(occurred_on) FILTER (WHERE running >= (SELECT threshold_points FROM r)) AS reached_on
       FROM counted GROUP BY member_id
     )
SELECT t.member_id, m.display_name, t.points, t.reached_on,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id AND p.status <> 'revoked') AS has_pass,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id) AS ever_held
FROM totals t JOIN members m ON m.id = t.member_id
WHERE t.points >= (SELECT threshold_points FROM r)
ORDER BY t.points DESC, t.reached_on, t.member_id";

/// Every eligible member (or just `member`), in issuance order.
pub async fn eligible(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Option<Uuid>,
) -> Result<Vec<Eligible>, Error> {
    Ok(Eligible::find_by_statement(stmt(
        ELIGIBLE,
        vec![summit.into(), program.into(), member.into()],
    ))
    .all(db)
    .await?)
}

/// A contribution as an explanation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberContribution {
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub status: ContributionStatus,
}

row!(MemberContribution { kind, occurred_on } named { status });

/// A member's verified and pending contributions up to the cutoff.
pub async fn member_contributions(
    db: &impl ConnectionTrait,
    member: Uuid,
    cutoff: NaiveDate,
) -> Result<Vec<MemberContribution>, Error> {
    Ok(MemberContribution::find_by_statement(stmt(
        "SELECT kind, occurred_on, status FROM contributions WHERE member_id = $1 AND status IN ('verified', 'pending') AND occurred_on <= $2",
        vec![member.into(), cutoff.into()],
    ))
    .all(db)
    .await?)
}
