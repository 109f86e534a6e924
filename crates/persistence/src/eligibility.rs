//! Eligibility: who qualifies for a summit programme under its rules
//! version, computed in one set-based statement.

use chrono::NaiveDate;
use liaison_domain::recognition::{Counted, KindRule, Rules};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

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

/// Eligibility, written once for every set of rules: the rules are bound
/// parameters, named by the macro's arguments (window days, threshold,
/// kinds, their points and max counts as parallel arrays, cutoff), and
/// `$select` reads `totals (member_id, points, threshold_points,
/// reached_on)`. Verified contributions in (cutoff − window_days, cutoff];
/// per kind the most recent `max_count` (window function); points summed;
/// the day the running total reached the threshold. `$3` narrows to one
/// member when not null.
///
/// Speed: with the rules as values the planner sees how many rows the window
/// holds, and reads them from `contributions_standing_idx` already in window
/// order (member, kind, newest first): an index-only scan, no sort of a
/// million rows, and `counted` re-sorts only within each member (incremental
/// sort). Read from tables inside the statement, the rules were unknown at
/// planning, and it chose a bitmap scan and an on-disk sort instead.
macro_rules! eligibility {
    ($days:literal, $threshold:literal, $kinds:literal, $points:literal, $max:literal, $cutoff:literal, $select:expr) => {
        concat!(
            "WITH ranked AS (
       SELECT c.member_id, c.occurred_on, c.id,
              (", $points, "::int[])[array_position(", $kinds, "::text[], c.kind)] AS points,
              (", $max, "::int[])[array_position(", $kinds, "::text[], c.kind)] AS max_count,
              row_number() OVER (PARTITION BY c.member_id, c.kind ORDER BY c.occurred_on DESC, c.id DESC) AS rn
       FROM contributions c
       WHERE c.status = 'verified' AND c.kind = ANY(", $kinds, "::text[])
         AND c.occurred_on > ", $cutoff, "::date - ", $days, "::int AND c.occurred_on <= ", $cutoff, "::date
         AND ($3::uuid IS NULL OR c.member_id = $3)
     ),
     counted AS (
       SELECT member_id, occurred_on, points,
              sum(points) OVER (PARTITION BY member_id ORDER BY occurred_on, id ROWS UNBOUNDED PRECEDING) AS running
       FROM ranked WHERE rn <= max_count
     ),
     totals AS (
       SELECT member_id, sum(points)::bigint AS points, ", $threshold, "::int AS threshold_points,
              min(occurred_on) FILTER (WHERE running >= ", $threshold, "::int) AS reached_on
       FROM counted GROUP BY member_id
     )
",
            $select
        )
    };
}

/// Rules as [`eligibility!`] binds them.
struct Pinned {
    window_days: i32,
    threshold_points: i32,
    kinds: Vec<String>,
    points: Vec<i32>,
    max_counts: Vec<i32>,
}

impl Pinned {
    /// Reads summit `summit`'s cutoff and the rules version it pinned for
    /// `program`; `None` when the summit does not offer it.
    async fn read(
        db: &impl ConnectionTrait,
        summit: Uuid,
        program: &str,
    ) -> Result<Option<(NaiveDate, Self)>, Error> {
        #[derive(FromQueryResult)]
        struct Raw {
            cutoff: NaiveDate,
            window_days: i32,
            threshold_points: i32,
            kinds: Vec<String>,
            points: Vec<i32>,
            max_counts: Vec<i32>,
        }
        let raw = Raw::find_by_statement(stmt(
            "SELECT s.eligibility_cutoff AS cutoff, pr.window_days, pr.threshold_points,
                    ARRAY(SELECT rk.kind FROM program_rule_kinds rk WHERE rk.program = pr.program AND rk.version = pr.version ORDER BY rk.kind) AS kinds,
                    ARRAY(SELECT rk.points FROM program_rule_kinds rk WHERE rk.program = pr.program AND rk.version = pr.version ORDER BY rk.kind) AS points,
                    ARRAY(SELECT rk.max_count FROM program_rule_kinds rk WHERE rk.program = pr.program AND rk.version = pr.version ORDER BY rk.kind) AS max_counts
             FROM summits s JOIN summit_programs sp ON sp.summit_id = s.id AND sp.program = $2
             JOIN program_rules pr ON pr.program = sp.program AND pr.version = sp.rules_version
             WHERE s.id = $1",
            vec![summit.into(), program.into()],
        ))
        .one(db)
        .await?;
        Ok(raw.map(|r| {
            let rules = Self {
                window_days: r.window_days,
                threshold_points: r.threshold_points,
                kinds: r.kinds,
                points: r.points,
                max_counts: r.max_counts,
            };
            (r.cutoff, rules)
        }))
    }

    /// Rules given by value (a draft).
    fn of(rules: &Rules) -> Self {
        Self {
            window_days: rules.window_days,
            threshold_points: rules.threshold_points,
            kinds: rules.kinds.keys().cloned().collect(),
            points: rules.kinds.values().map(|k| k.points).collect(),
            max_counts: rules.kinds.values().map(|k| k.max_count).collect(),
        }
    }

    /// The bound values, in [`eligibility!`]'s order, the cutoff apart.
    fn values(self) -> [sea_orm::Value; 5] {
        [
            self.window_days.into(),
            self.threshold_points.into(),
            self.kinds.into(),
            self.points.into(),
            self.max_counts.into(),
        ]
    }
}

/// Every member's points and whether they reach the threshold.
macro_rules! points_of_all {
    () => {
        "SELECT member_id, points, points >= threshold_points AS eligible FROM totals"
    };
}

/// Every member eligible for (summit `$1`, programme `$2`) under rules bound
/// at `$4`–`$9` (see [`eligibility!`]), ordered as issuance takes them:
/// points desc, reached_on, member id. Used by [`eligible`] and bulk
/// issuance, which bind through [`bind_pinned`].
pub(crate) const ELIGIBLE: &str = eligibility!(
    "$4",
    "$5",
    "$6",
    "$7",
    "$8",
    "$9",
    "SELECT t.member_id, m.display_name, t.points, t.reached_on,
       COALESCE(p.has_pass, false) AS has_pass, p.member_id IS NOT NULL AS ever_held
FROM totals t JOIN members m ON m.id = t.member_id
LEFT JOIN (SELECT member_id, bool_or(status <> 'revoked') AS has_pass FROM passes WHERE summit_id = $1 GROUP BY member_id) p
  ON p.member_id = t.member_id
-- No pass before a verified email, and none for an erased member.
WHERE t.points >= t.threshold_points AND m.email_verified_at IS NOT NULL AND m.erased_at IS NULL
ORDER BY t.points DESC, t.reached_on, t.member_id"
);

/// The parameters of [`ELIGIBLE`] for summit `summit`'s pinned rules:
/// `$1`–`$9`, or `None` when the summit does not offer `program`. The rules
/// are read first, in the caller's transaction, so the planner sees them.
pub(crate) async fn bind_pinned(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Option<Uuid>,
) -> Result<Option<Vec<sea_orm::Value>>, Error> {
    let Some((cutoff, pinned)) = Pinned::read(db, summit, program).await? else {
        return Ok(None);
    };
    let mut values = vec![summit.into(), program.into(), member.into()];
    values.extend(pinned.values());
    values.push(cutoff.into());
    Ok(Some(values))
}

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
        eligibility!("$4", "$5", "$6", "$7", "$8", "$9", points_of_all!()),
        "), draft AS (",
        eligibility!("$10", "$11", "$12", "$13", "$14", "$9", points_of_all!()),
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
    let Some(mut values) = bind_pinned(db, summit, program, None).await? else {
        return Ok(vec![]);
    };
    // The draft is judged at the summit's cutoff, `$9`.
    values.extend(Pinned::of(draft).values());
    Ok(Compared::find_by_statement(stmt(COMPARE, values))
        .all(db)
        .await?)
}

/// Every eligible member (or just `member`), in issuance order; none when
/// the summit does not offer `program`.
pub async fn eligible(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Option<Uuid>,
) -> Result<Vec<Eligible>, Error> {
    let Some(values) = bind_pinned(db, summit, program, member).await? else {
        return Ok(vec![]);
    };
    Ok(Eligible::find_by_statement(stmt(ELIGIBLE, values))
        .all(db)
        .await?)
}

/// Everything one member's explanation needs, read in one statement: the
/// summit's cutoff, the rules version it pinned for the programme with that
/// version's rules, the member, their contributions up to the cutoff and
/// whether they hold a pass. A `None` says what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplanationInputs {
    /// `None`: no such summit.
    pub cutoff: Option<NaiveDate>,
    /// The pinned version with its rules; `None`: the programme is not offered.
    pub rules: Option<(i32, Rules)>,
    /// Whether the member verified their email; `None`: no such member, or erased.
    pub member_verified: Option<bool>,
    /// Verified and pending contributions up to the cutoff.
    pub contributions: Vec<Counted>,
    /// Whether the member holds a live pass at the summit.
    pub has_pass: bool,
}

/// Reads [`ExplanationInputs`] for `member` at (summit, programme).
pub async fn explanation_inputs(
    db: &impl ConnectionTrait,
    summit: Uuid,
    program: &str,
    member: Uuid,
) -> Result<ExplanationInputs, Error> {
    #[derive(FromQueryResult)]
    struct Raw {
        cutoff: Option<NaiveDate>,
        rules_version: Option<i32>,
        window_days: Option<i32>,
        threshold_points: Option<i32>,
        kinds: serde_json::Value,
        member_verified: Option<bool>,
        contributions: serde_json::Value,
        has_pass: bool,
    }
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: String,
        points: i32,
        max_count: i32,
    }
    #[derive(serde::Deserialize)]
    struct Contribution {
        kind: String,
        occurred_on: NaiveDate,
        verified: bool,
    }
    let raw = Raw::find_by_statement(stmt(
        "WITH s AS (SELECT eligibility_cutoff AS cutoff FROM summits WHERE id = $1),
              sp AS (SELECT rules_version FROM summit_programs WHERE summit_id = $1 AND program = $2),
              pr AS (SELECT pr.window_days, pr.threshold_points FROM program_rules pr JOIN sp ON pr.version = sp.rules_version
                     WHERE pr.program = $2)
         SELECT (SELECT cutoff FROM s) AS cutoff,
                (SELECT rules_version FROM sp) AS rules_version,
                (SELECT window_days FROM pr) AS window_days,
                (SELECT threshold_points FROM pr) AS threshold_points,
                COALESCE((SELECT json_agg(json_build_object('kind', rk.kind, 'points', rk.points, 'max_count', rk.max_count))
                          FROM program_rule_kinds rk JOIN sp ON rk.version = sp.rules_version WHERE rk.program = $2), '[]') AS kinds,
                (SELECT email_verified_at IS NOT NULL FROM members WHERE id = $3 AND erased_at IS NULL) AS member_verified,
                COALESCE((SELECT json_agg(json_build_object('kind', c.kind, 'occurred_on', c.occurred_on, 'verified', c.status = 'verified'))
                          FROM contributions c JOIN s ON c.occurred_on <= s.cutoff
                          WHERE c.member_id = $3 AND c.status IN ('verified', 'pending')), '[]') AS contributions,
                EXISTS (SELECT 1 FROM passes p WHERE p.summit_id = $1 AND p.member_id = $3 AND p.status <> 'revoked') AS has_pass",
        vec![summit.into(), program.into(), member.into()],
    ))
    .one(db)
    .await?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotFound("explanation inputs".into())))?;
    let decode =
        |what: &str, e: serde_json::Error| Error::Db(sea_orm::DbErr::Type(format!("{what}: {e}")));
    let rules = match (raw.rules_version, raw.window_days, raw.threshold_points) {
        (Some(version), Some(window_days), Some(threshold_points)) => {
            let kinds: Vec<Kind> =
                serde_json::from_value(raw.kinds).map_err(|e| decode("kinds", e))?;
            let kinds = kinds
                .into_iter()
                .map(|k| {
                    let rule = KindRule {
                        points: k.points,
                        max_count: k.max_count,
                    };
                    (k.kind, rule)
                })
                .collect();
            Some((
                version,
                Rules {
                    window_days,
                    threshold_points,
                    kinds,
                },
            ))
        }
        _ => None,
    };
    let contributions: Vec<Contribution> =
        serde_json::from_value(raw.contributions).map_err(|e| decode("contributions", e))?;
    Ok(ExplanationInputs {
        cutoff: raw.cutoff,
        rules,
        member_verified: raw.member_verified,
        contributions: contributions
            .into_iter()
            .map(|c| Counted {
                kind: c.kind,
                occurred_on: c.occurred_on,
                verified: c.verified,
            })
            .collect(),
        has_pass: raw.has_pass,
    })
}
