//! Contributions: claims, their verification, the lists verifiers and
//! members read, and the contributions derived from data.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use liaison_domain::import::{ImportRow, MemberRef};
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
    /// The tool an imported contribution came from, and its id there.
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub member_region: Option<Uuid>,
    pub group_region: Option<Uuid>,
}

row!(Contribution { id, member_id, kind, occurred_on, title, evidence_url, group_id, event_id, note, verified_by, decided_at, derived_from, source, external_id, created_at, member_region, group_region } named { status });

const SELECT: &str = "SELECT c.id, c.member_id, c.kind, c.occurred_on, c.title, c.evidence_url, c.group_id, c.event_id, c.status,
  c.note, c.verified_by, c.decided_at, c.derived_from, c.source, c.external_id, c.created_at,
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

/// Who imports, and so verifies, a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importer {
    /// A staff member (`verified_by`).
    Member(Uuid),
    /// A service account's key (`verified_by_service_account`).
    ServiceAccount(Uuid),
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// Indexes of the rows whose member is unknown (skipped), ascending.
    pub unknown: Vec<i32>,
}

/// The groups among `ids` that exist (one query for a whole batch).
pub async fn existing_groups(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Uuid>, Error> {
    #[derive(FromQueryResult)]
    struct Id {
        id: Uuid,
    }
    Ok(Id::find_by_statement(stmt(
        "SELECT id FROM groups WHERE id = ANY($1::uuid[])",
        vec![ids.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|g| g.id)
    .collect())
}

/// The batch as `resolved`: one row per input row with its member's id,
/// NULL when no member has that id or email (emails are stored lower-cased,
/// and `members_email_key` indexes `lower(email)`).
const RESOLVED: &str = "input AS (
   -- One array per column ($5-$13 beside $1): cheaper to decode than one jsonb document.
   -- An absent member id or group is the nil uuid, an absent email or URL ''.
   SELECT t.idx, t.id, t.external_id, NULLIF(t.member_id, '00000000-0000-0000-0000-000000000000') AS member_id,
          NULLIF(t.email, '') AS email, t.kind, t.occurred_on, t.title, NULLIF(t.evidence_url, '') AS evidence_url,
          NULLIF(t.group_id, '00000000-0000-0000-0000-000000000000') AS group_id
   FROM unnest($1::int[], $5::uuid[], $6::text[], $7::uuid[], $8::text[], $9::text[], $10::date[], $11::text[],
               $12::text[], $13::uuid[])
     AS t(idx, id, external_id, member_id, email, kind, occurred_on, title, evidence_url, group_id)
 ),
 resolved AS (
   SELECT i.idx, i.id, i.external_id, COALESCE(mi.id, me.id) AS member_id, i.kind, i.occurred_on, i.title,
          i.evidence_url, i.group_id
   FROM input i
   LEFT JOIN members mi ON mi.id = i.member_id
   LEFT JOIN members me ON i.email IS NOT NULL AND lower(me.email) = i.email
 )";

/// Whether row `a` (a contribution) differs from `b` in what an import
/// sets: one definition for the upsert and for the dry run.
fn differs(a: &str, b: &str) -> String {
    let fields = [
        "member_id",
        "kind",
        "occurred_on",
        "title",
        "evidence_url",
        "group_id",
    ];
    let of = |t: &str| {
        fields
            .iter()
            .map(|f| format!("{t}.{f}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) IS DISTINCT FROM ({})", of(a), of(b))
}

/// Imports a batch from `source` in one set-based statement: the batch
/// travels as one array per column (one round trip, no 65,535-parameter
/// ceiling, cheaper to decode than a `jsonb` document), members are matched by id or email in the same statement, and
/// one `INSERT … ON CONFLICT (source, external_id) DO UPDATE … WHERE` the
/// row differs creates, updates or leaves each row. Rows whose member is
/// unknown are skipped and their indexes answered. Imports of one source
/// serialise on an advisory lock, so overlapping batches at once neither
/// deadlock nor miscount. A dry run counts the same way and writes nothing.
pub async fn import(
    db: &impl ConnectionTrait,
    source: &str,
    importer: Importer,
    rows: &[ImportRow],
    dry_run: bool,
) -> Result<ImportCounts, Error> {
    let nil = Uuid::nil();
    let mut columns = (
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
        Vec::with_capacity(rows.len()),
    );
    for r in rows {
        let (member_id, email) = match &r.member {
            MemberRef::Id(id) => (*id, String::new()),
            MemberRef::Email(e) => (nil, e.as_str().to_owned()),
        };
        columns.0.push(r.index as i32);
        columns.1.push(Uuid::now_v7());
        columns.2.push(r.external_id.clone());
        columns.3.push(member_id);
        columns.4.push(email);
        columns.5.push(r.claim.kind.clone());
        columns.6.push(r.claim.occurred_on);
        columns.7.push(r.claim.title.clone());
        columns
            .8
            .push(r.claim.evidence_url.clone().unwrap_or_default());
        columns.9.push(r.group_id.unwrap_or(nil));
    }
    let (member, service_account) = match importer {
        Importer::Member(id) => (Some(id), None),
        Importer::ServiceAccount(id) => (None, Some(id)),
    };
    let values: Vec<Value> = vec![
        columns.0.into(),
        source.into(),
        member.into(),
        service_account.into(),
        columns.1.into(),
        columns.2.into(),
        columns.3.into(),
        columns.4.into(),
        columns.5.into(),
        columns.6.into(),
        columns.7.into(),
        columns.8.into(),
        columns.9.into(),
    ];
    let sql = if dry_run {
        format!(
            "WITH {RESOLVED},
             outcome AS (
               SELECT c.id IS NULL AS inserted, c.id IS NOT NULL AND {} AS changed
               FROM resolved r LEFT JOIN contributions c ON c.source = $2 AND c.external_id = r.external_id
               WHERE r.member_id IS NOT NULL
             )
             SELECT (SELECT count(*) FROM outcome WHERE inserted)::bigint AS created,
                    (SELECT count(*) FROM outcome WHERE changed)::bigint AS updated,
                    (SELECT count(*) FROM resolved WHERE member_id IS NOT NULL)::bigint AS matched,
                    (SELECT COALESCE(array_agg(idx ORDER BY idx), '{{}}') FROM resolved WHERE member_id IS NULL) AS unknown",
            differs("c", "r")
        )
    } else {
        db.execute(stmt(
            "SELECT pg_advisory_xact_lock(hashtextextended('contributions-import/' || $1, 0))",
            vec![source.into()],
        ))
        .await?;
        format!(
            "WITH {RESOLVED},
             upserted AS (
               INSERT INTO contributions AS c (id, member_id, kind, occurred_on, title, evidence_url, group_id, status,
                                               verified_by, verified_by_service_account, decided_at, source, external_id)
               SELECT r.id, r.member_id, r.kind, r.occurred_on, r.title, r.evidence_url, r.group_id, 'verified',
                      $3::uuid, $4::uuid, now(), $2, r.external_id
               FROM resolved r WHERE r.member_id IS NOT NULL ORDER BY r.external_id
               ON CONFLICT (source, external_id) WHERE source IS NOT NULL DO UPDATE SET
                 member_id = EXCLUDED.member_id, kind = EXCLUDED.kind, occurred_on = EXCLUDED.occurred_on,
                 title = EXCLUDED.title, evidence_url = EXCLUDED.evidence_url, group_id = EXCLUDED.group_id,
                 -- The importer who changed it vouches for what it now says.
                 verified_by = EXCLUDED.verified_by, verified_by_service_account = EXCLUDED.verified_by_service_account,
                 decided_at = now(), updated_at = now()
               WHERE {}
               RETURNING (xmax = 0) AS inserted
             )
             SELECT (SELECT count(*) FROM upserted WHERE inserted)::bigint AS created,
                    (SELECT count(*) FROM upserted WHERE NOT inserted)::bigint AS updated,
                    (SELECT count(*) FROM resolved WHERE member_id IS NOT NULL)::bigint AS matched,
                    (SELECT COALESCE(array_agg(idx ORDER BY idx), '{{}}') FROM resolved WHERE member_id IS NULL) AS unknown",
            differs("c", "EXCLUDED")
        )
    };
    #[derive(FromQueryResult)]
    struct Counts {
        created: i64,
        updated: i64,
        matched: i64,
        unknown: Vec<i32>,
    }
    let counts = Counts::find_by_statement(stmt(&sql, values))
        .one(db)
        .await?
        .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotFound("import counts".into())))?;
    Ok(ImportCounts {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.matched - counts.created - counts.updated,
        unknown: counts.unknown,
    })
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
