//! Eligibility: who qualifies for a summit programme under its rules
//! version, computed in one set-based statement.

use chrono::NaiveDate;
use liaison_domain::recognition::{ContributionStatus, Rules};
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

/// Eligibility, written once for every source of rules: `$rules` defines
/// the CTEs `r (window_days, threshold_points, cutoff)` and `k (kind,
/// points, max_count)`; `$select` reads `totals (member_id, points,
/// reached_on)` and `r`. Verified contributions in (cutoff − window_days,
/// cutoff]; per kind the most recent `max_count` (window function); points
/// summed; the day the running total reached the threshold. `$3` narrows to
/// one member when not null.
macro_rules! eligibility {
    ($rules:expr, $select:expr) => {
        concat!(
            "WITH ",
            $rules,
            ",
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
",
            $select
        )
    };
}

/// The rules version the summit pinned for programme `$2` (summit `$1`).
macro_rules! summit_rules {
    () => {
        "sp AS (SELECT rules_version, (SELECT eligibility_cutoff FROM summits WHERE id = $1) AS cutoff
            FROM summit_programs WHERE summit_id = $1 AND program = $2),
     r AS (SELECT pr.window_days, pr.threshold_points, sp.cutoff FROM program_rules pr JOIN sp ON pr.version = sp.rules_version
           WHERE pr.program = $2),
     k AS (SELECT rk.kind, rk.points, rk.max_count FROM program_rule_kinds rk JOIN sp ON rk.version = sp.rules_version
           WHERE rk.program = $2)"
    };
}

/// Rules given as parameters (a draft): `$4` window days, `$5` threshold,
/// `$6`–`$8` kinds, points and max counts, at summit `$1`'s cutoff.
macro_rules! draft_rules {
    () => {
        "r AS (SELECT $4::int AS window_days, $5::int AS threshold_points,
                  (SELECT eligibility_cutoff FROM summits WHERE id = $1) AS cutoff),
     k AS (SELECT * FROM unnest($6::text[], $7::int[], $8::int[]) AS k(kind, points, max_count))"
    };
}

/// Every member's points and whether they reach the threshold.
macro_rules! points_of_all {
    () => {
        "SELECT member_id, points, points >= (SELECT threshold_points FROM r) AS eligible FROM totals"
    };
}

/// Every member eligible for (summit, programme) under the summit's rules
/// version, in one set-based statement, ordered as issuance takes them:
/// points desc, reached_on, member id.
pub(crate) const ELIGIBLE: &str = eligibility!(
    summit_rules!(),
    "SELECT t.member_id, m.display_name, t.points, t.reached_on,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id AND p.status <> 'revoked') AS has_pass,
       EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = t.member_id) AS ever_held
FROM totals t JOIN members m ON m.id = t.member_id
-- No pass before a verified email, and none for an erased member.
WHERE t.points >= (SELECT threshold_points FROM r) AND m.email_verified_at IS NOT NULL AND m.erased_at IS NULL
ORDER BY t.points DESC, t.reached_on, t.member_id"
);

/// A member eligible under the summit's rules version or a draft, with
/// their points under each.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Compared {
    pub member_id: Uuid,
    pub display_name: String,
    /// Region slug, by the member's country.
    pub region: Option<String>,
    pub current_points: i64,
    pub current_eligible: bool,
    pub draft_points: i64,
    pub draft_eligible: bool,
}

/// Every member eligible for (summit, programme) under its current rules or
/// under `draft`, with points under both: one statement holding the two
/// eligibility computations, the same SQL as [`ELIGIBLE`]'s.
pub async fn compare(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    draft: &Rules,
) -> Result<Vec<Compared>, Error> {
    const COMPARE: &str = concat!(
        "WITH cur AS (",
        eligibility!(summit_rules!(), points_of_all!()),
        "), draft AS (",
        eligibility!(draft_rules!(), points_of_all!()),
        ")
SELECT m.id AS member_id, m.display_name, g.slug AS region,
       COALESCE(c.points, 0) AS current_points, COALESCE(c.eligible, false) AS current_eligible,
       COALESCE(d.points, 0) AS draft_points, COALESCE(d.eligible, false) AS draft_eligible
FROM cur c FULL JOIN draft d ON d.member_id = c.member_id
JOIN members m ON m.id = COALESCE(c.member_id, d.member_id)
LEFT JOIN region_countries rc ON rc.country = m.country LEFT JOIN regions g ON g.id = rc.region_id
WHERE (COALESCE(c.eligible, false) OR COALESCE(d.eligible, false))
  AND m.email_verified_at IS NOT NULL AND m.erased_at IS NULL
ORDER BY m.id"
    );
    let kinds: Vec<String> = draft.kinds.keys().cloned().collect();
    let points: Vec<i32> = draft.kinds.values().map(|k| k.points).collect();
    let max_counts: Vec<i32> = draft.kinds.values().map(|k| k.max_count).collect();
    Ok(Compared::find_by_statement(stmt(
        COMPARE,
        vec![
            summit.into(),
            program.into(),
            Option::<Uuid>::None.into(),
            draft.window_days.into(),
            draft.threshold_points.into(),
            kinds.into(),
            points.into(),
            max_counts.into(),
        ],
    ))
    .all(db)
    .await?)
}

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
