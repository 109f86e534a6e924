//! Contributions: claims, their verification, the lists verifiers and
//! members read, and the contributions derived from data.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use liaison_domain::recognition::ContributionStatus;
use liaison_domain::recognition::Derivation;

use crate::decode::row;
use crate::error::Error;
use crate::stmt;

/// A contribution with its member's region and its group's region (for verifiers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub status: ContributionStatus,
    pub note: Option<String>,
    pub verified_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub derived_from: Option<String>,
    pub created_at: DateTime<Utc>,
    pub member_region: Option<Uuid>,
    pub group_region: Option<Uuid>,
}

row!(Contribution { id, member_id, kind, occurred_on, title, evidence_url, group_id, event_id, note, verified_by, decided_at, derived_from, created_at, member_region, group_region } named { status });

const SELECT: &str = "SELECT c.id, c.member_id, c.kind, c.occurred_on, c.title, c.evidence_url, c.group_id, c.event_id, c.status,
  c.note, c.verified_by, c.decided_at, c.derived_from, c.created_at,
  (SELECT rc.region_id FROM region_countries rc WHERE rc.country = m.country) AS member_region,
  g.region_id AS group_region
FROM contributions c JOIN members m ON m.id = c.member_id LEFT JOIN groups g ON g.id = c.group_id";

/// A claim to store.
#[derive(Debug, Clone)]
pub struct NewClaim {
    pub member_id: Uuid,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
    pub group_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
}

/// Stores a pending claim.
pub async fn insert(db: &impl ConnectionTrait, c: NewClaim) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO contributions (id, member_id, kind, occurred_on, title, evidence_url, group_id, event_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
        vec![
            id.into(),
            c.member_id.into(),
            c.kind.into(),
            c.occurred_on.into(),
            c.title.into(),
            c.evidence_url.into(),
            c.group_id.into(),
            c.event_id.into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// A contribution; `lock` holds its row.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Contribution>, Error> {
    let sql = format!(
        "{SELECT} WHERE c.id = $1{}",
        if lock { " FOR UPDATE OF c" } else { "" }
    );
    Ok(Contribution::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Records a verifier's decision.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: ContributionStatus,
    note: Option<&str>,
    by: Uuid,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE contributions SET status = $2, note = $3, verified_by = $4, decided_at = now(), updated_at = now() WHERE id = $1",
        vec![id.into(), status.as_str().into(), note.map(str::to_owned).into(), by.into()],
    ))
    .await?;
    Ok(())
}

/// Who lists contributions, and what they may see.
#[derive(Debug, Clone, Default)]
pub struct ContributionScope {
    /// Staff see all.
    pub staff: bool,
    pub member: Uuid,
    /// Regions where the caller is an active ambassador.
    pub ambassador_of: Vec<Uuid>,
    /// Groups the caller organises.
    pub organises: Vec<Uuid>,
}

/// Filters of the contribution list.
#[derive(Debug, Clone, Default)]
pub struct ContributionFilter {
    pub member: Option<Uuid>,
    pub status: Option<String>,
    pub region: Option<Uuid>,
    pub group: Option<Uuid>,
}

/// Contributions the caller may see (their own, those they may verify, or all for staff), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &ContributionScope,
    filter: &ContributionFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Contribution>, Error> {
    let sql = format!(
        "SELECT * FROM ({SELECT}) x
         WHERE ($1 OR x.member_id = $2 OR x.group_id = ANY($4::uuid[])
                OR x.member_region = ANY($3::uuid[]) OR x.group_region = ANY($3::uuid[]))
           AND ($5::uuid IS NULL OR x.member_id = $5) AND ($6::text IS NULL OR x.status = $6)
           AND ($7::uuid IS NULL OR x.member_region = $7 OR x.group_region = $7)
           AND ($8::uuid IS NULL OR x.group_id = $8) AND ($9::uuid IS NULL OR x.id < $9)
         ORDER BY x.id DESC LIMIT $10"
    );
    Ok(Contribution::find_by_statement(stmt(
        &sql,
        vec![
            scope.staff.into(),
            scope.member.into(),
            scope.ambassador_of.clone().into(),
            scope.organises.clone().into(),
            filter.member.into(),
            filter.status.clone().into(),
            filter.region.into(),
            filter.group.into(),
            before.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// Records the contributions a fact in the data earns, already verified, in
/// one statement per derivation; the unique key on (member, kind,
/// derived_from) makes each happen once however often it runs. Answers how
/// many contributions were created.
pub async fn derive(db: &impl ConnectionTrait, derivation: &Derivation) -> Result<u64, Error> {
    if derivation.is_empty() {
        return Ok(0);
    }
    let (sql, values): (&str, Vec<Value>) = match derivation {
        Derivation::EventsHeld(events) => (
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, group_id, event_id, status, decided_at, derived_from)
             SELECT uuid_generate_v7(), o.member_id, $2, (e.starts_at AT TIME ZONE 'UTC')::date,
                    left('Organized: ' || e.title, 200), e.group_id, e.id, 'verified', now(), 'event:' || e.id
             FROM events e JOIN group_organizers o ON o.group_id = e.group_id
             WHERE e.id = ANY($1) AND e.status = 'held'
             ON CONFLICT (member_id, kind, derived_from) DO NOTHING",
            vec![events.clone().into(), derivation.kind().into()],
        ),
        Derivation::FeedbackForwarded(item) => (
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, group_id, status, decided_at, derived_from)
             SELECT uuid_generate_v7(), f.author_id, $2, current_date, left('Feedback: ' || f.title, 200), f.group_id,
                    'verified', now(), 'feedback:' || f.id
             FROM feedback f WHERE f.id = $1
             ON CONFLICT (member_id, kind, derived_from) DO NOTHING",
            vec![(*item).into(), derivation.kind().into()],
        ),
        // Keyed by (message, language), not by translation: one accepted
        // translation per language earns one contribution, ever.
        Derivation::TranslationAccepted(translation) => (
            "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status, decided_at, derived_from)
             SELECT uuid_generate_v7(), t.translator_id, $2, current_date,
                    left('Translation (' || t.language || '): ' || m.title, 200),
                    'verified', now(), 'translation:' || t.message_id || ':' || t.language
             FROM message_translations t JOIN messages m ON m.id = t.message_id
             WHERE t.id = $1 AND t.status = 'accepted'
             ON CONFLICT (member_id, kind, derived_from) DO NOTHING",
            vec![(*translation).into(), derivation.kind().into()],
        ),
    };
    Ok(db.execute(stmt(sql, values)).await?.rows_affected())
}

/// Demo data: for each `(email, kind, n, status)`, `n` contributions of the
/// member with that email, one per 30 days going back from today.
pub async fn seed_monthly(
    db: &impl ConnectionTrait,
    plan: &[(&str, &str, i32, ContributionStatus)],
) -> Result<(), Error> {
    let emails: Vec<String> = plan.iter().map(|p| p.0.to_owned()).collect();
    let kinds: Vec<String> = plan.iter().map(|p| p.1.to_owned()).collect();
    let counts: Vec<i32> = plan.iter().map(|p| p.2).collect();
    let statuses: Vec<String> = plan.iter().map(|p| p.3.as_str().to_owned()).collect();
    db.execute(stmt(
        "INSERT INTO contributions (id, member_id, kind, occurred_on, title, status, decided_at)
         SELECT gen_random_uuid(), m.id, p.kind, current_date - (30 * g), initcap(replace(p.kind, '_', ' ')) || ' #' || g,
                p.status, CASE WHEN p.status = 'verified' THEN now() END
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS p(email, kind, n, status)
         JOIN members m ON m.email = p.email CROSS JOIN LATERAL generate_series(1, p.n) g",
        vec![emails.into(), kinds.into(), counts.into(), statuses.into()],
    ))
    .await?;
    Ok(())
}
