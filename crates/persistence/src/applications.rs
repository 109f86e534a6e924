//! Applications to ambassador cycles, their reviews, and the aggregate the
//! proposal rests on (one query per cycle, never one per application).

use chrono::{DateTime, Utc};
use liaison_domain::application::ApplicationStatus;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// The unique constraint: one application per member per cycle.
pub const ONE_PER_CYCLE_KEY: &str = "applications_cycle_member_key";

/// An application with its region's slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub member_id: Uuid,
    pub region_id: Uuid,
    pub region_slug: String,
    pub status: ApplicationStatus,
    pub why_apply: String,
    pub participation: String,
    pub ideas: String,
    pub links: Vec<String>,
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

row!(Application { id, cycle_id, member_id, region_id, region_slug, why_apply, participation, ideas, links, affiliation, submitted_at, decided_at, decision_reason, created_at, updated_at } named { status });

const SELECT: &str = "SELECT a.id, a.cycle_id, a.member_id, a.region_id, r.slug AS region_slug, a.status, a.why_apply,
  a.participation, a.ideas, a.links, a.affiliation, a.submitted_at, a.decided_at, a.decision_reason, a.created_at, a.updated_at
FROM applications a JOIN regions r ON r.id = a.region_id";

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub cycle_id: Uuid,
    pub member_id: Uuid,
    pub region_id: Uuid,
    pub why_apply: String,
    pub participation: String,
    pub ideas: String,
    pub links: Vec<String>,
    pub affiliation: Option<String>,
}

/// Creates a draft; a second application to the cycle fails with `Duplicate(ONE_PER_CYCLE_KEY)`.
#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, new: NewApplication) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO applications (id, cycle_id, member_id, region_id, status, why_apply, participation, ideas, links, affiliation)
         VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9)",
        vec![
            id.into(),
            new.cycle_id.into(),
            new.member_id.into(),
            new.region_id.into(),
            new.why_apply.into(),
            new.participation.into(),
            new.ideas.into(),
            new.links.into(),
            new.affiliation.into(),
        ],
    ))
    .await
    .map_err(classify)?;
    Ok(id)
}

/// An application; `lock` holds its row for the transaction.
#[tracing::instrument(skip(db))]
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Application>, Error> {
    let sql = format!(
        "{SELECT} WHERE a.id = $1{}",
        if lock { " FOR UPDATE OF a" } else { "" }
    );
    Ok(Application::find_by_statement(stmt(&sql, vec![id.into()]))
        .one(db)
        .await?)
}

/// Replaces a draft's answers and links.
pub async fn update_answers(
    db: &impl ConnectionTrait,
    id: Uuid,
    why_apply: &str,
    participation: &str,
    ideas: &str,
    links: &[String],
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE applications SET why_apply = $2, participation = $3, ideas = $4, links = $5, updated_at = now() WHERE id = $1",
        vec![id.into(), why_apply.into(), participation.into(), ideas.into(), links.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Marks an application submitted, snapshotting the applicant's affiliation.
pub async fn submit(
    db: &impl ConnectionTrait,
    id: Uuid,
    affiliation: Option<String>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE applications SET status = 'submitted', submitted_at = now(), affiliation = $2, updated_at = now() WHERE id = $1",
        vec![id.into(), affiliation.into()],
    ))
    .await?;
    Ok(())
}

/// Sets a status without a decision (withdrawal).
pub async fn set_status(db: &impl ConnectionTrait, id: Uuid, status: &str) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE applications SET status = $2, updated_at = now() WHERE id = $1",
        vec![id.into(), status.into()],
    ))
    .await?;
    Ok(())
}

/// Records staff's decision.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    reason: &str,
    by: Uuid,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE applications SET status = $2, decision_reason = $3, decided_by = $4, decided_at = now(), updated_at = now() WHERE id = $1",
        vec![id.into(), status.into(), reason.into(), by.into()],
    ))
    .await?;
    Ok(())
}

/// Filters of a cycle's applications.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub region: Option<String>,
    pub status: Option<String>,
    /// Leave drafts out (for reviewers who are not staff).
    pub exclude_drafts: bool,
}

/// A cycle's applications, oldest first, after the cursor id.
pub async fn list_for_cycle(
    db: &impl ConnectionTrait,
    cycle: Uuid,
    filter: &ApplicationFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Application>, Error> {
    Ok(Application::find_by_statement(stmt(
        &format!(
            "{SELECT} WHERE a.cycle_id = $1 AND ($2::text IS NULL OR r.slug = $2) AND ($3::text IS NULL OR a.status = $3)
             AND ($4::uuid IS NULL OR a.id > $4) AND NOT ($6 AND a.status = 'draft') ORDER BY a.id LIMIT $5"
        ),
        vec![
            cycle.into(),
            filter.region.clone().into(),
            filter.status.clone().into(),
            after.into(),
            (limit as i64).into(),
            filter.exclude_drafts.into(),
        ],
    ))
    .all(db)
    .await?)
}

/// A member's applications, newest first, before the cursor id.
pub async fn list_for_member(
    db: &impl ConnectionTrait,
    member: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Application>, Error> {
    Ok(Application::find_by_statement(stmt(
        &format!("{SELECT} WHERE a.member_id = $1 AND ($2::uuid IS NULL OR a.id < $2) ORDER BY a.id DESC LIMIT $3"),
        vec![member.into(), before.into(), (limit as i64).into()],
    ))
    .all(db)
    .await?)
}

/// One reviewer's review.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Review {
    pub application_id: Uuid,
    pub reviewer_id: Uuid,
    pub track_record: i16,
    pub geography: i16,
    pub impact: i16,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Stores a reviewer's review, replacing their earlier one; one statement, so
/// two concurrent reviews by one reviewer leave one row. Answers whether it was new.
pub async fn upsert_review(
    db: &impl ConnectionTrait,
    application: Uuid,
    reviewer: Uuid,
    scores: (i16, i16, i16),
    comment: &str,
) -> Result<(Review, bool), Error> {
    #[derive(FromQueryResult)]
    struct Row {
        application_id: Uuid,
        reviewer_id: Uuid,
        track_record: i16,
        geography: i16,
        impact: i16,
        comment: String,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        inserted: bool,
    }
    let row = Row::find_by_statement(stmt(
        "INSERT INTO application_reviews (application_id, reviewer_id, track_record, geography, impact, comment)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (application_id, reviewer_id) DO UPDATE
           SET track_record = EXCLUDED.track_record, geography = EXCLUDED.geography, impact = EXCLUDED.impact,
               comment = EXCLUDED.comment, updated_at = now()
         RETURNING application_id, reviewer_id, track_record, geography, impact, comment, created_at, updated_at,
                   (xmax = 0) AS inserted",
        vec![
            application.into(),
            reviewer.into(),
            scores.0.into(),
            scores.1.into(),
            scores.2.into(),
            comment.into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))?;
    Ok((
        Review {
            application_id: row.application_id,
            reviewer_id: row.reviewer_id,
            track_record: row.track_record,
            geography: row.geography,
            impact: row.impact,
            comment: row.comment,
            created_at: row.created_at,
            updated_at: row.updated_at,
        },
        row.inserted,
    ))
}

/// Every review of an application (staff only ever see who reviewed).
pub async fn reviews_of(
    db: &impl ConnectionTrait,
    application: Uuid,
) -> Result<Vec<Review>, Error> {
    Ok(Review::find_by_statement(stmt(
        "SELECT application_id, reviewer_id, track_record, geography, impact, comment, created_at, updated_at
         FROM application_reviews WHERE application_id = $1 ORDER BY created_at",
        vec![application.into()],
    ))
    .all(db)
    .await?)
}

/// Per-criterion means of an application's reviews.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct ReviewMeans {
    pub reviews: i64,
    pub track_record: Option<f64>,
    pub geography: Option<f64>,
    pub impact: Option<f64>,
}

/// The means of one application's reviews.
pub async fn means_of(db: &impl ConnectionTrait, application: Uuid) -> Result<ReviewMeans, Error> {
    Ok(ReviewMeans::find_by_statement(stmt(
        "SELECT count(*)::bigint AS reviews, avg(track_record)::float8 AS track_record,
                avg(geography)::float8 AS geography, avg(impact)::float8 AS impact
         FROM application_reviews WHERE application_id = $1",
        vec![application.into()],
    ))
    .one(db)
    .await?
    .unwrap_or(ReviewMeans {
        reviews: 0,
        track_record: None,
        geography: None,
        impact: None,
    }))
}

/// One submitted or selected application with its review means.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: Uuid,
    pub member_id: Uuid,
    pub region_id: Uuid,
    pub status: ApplicationStatus,
    pub affiliation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviews: i64,
    pub track_record: Option<f64>,
    pub geography: Option<f64>,
    pub impact: Option<f64>,
}

row!(Ranked { id, member_id, region_id, affiliation, submitted_at, reviews, track_record, geography, impact } named { status });

/// Every submitted or selected application of a cycle with its means: the
/// one aggregate the proposal needs.
#[tracing::instrument(skip(db))]
pub async fn cycle_means(db: &impl ConnectionTrait, cycle: Uuid) -> Result<Vec<Ranked>, Error> {
    Ok(Ranked::find_by_statement(stmt(
        "SELECT a.id, a.member_id, a.region_id, a.status, a.affiliation, a.submitted_at,
                count(v.reviewer_id)::bigint AS reviews,
                avg(v.track_record)::float8 AS track_record,
                avg(v.geography)::float8 AS geography,
                avg(v.impact)::float8 AS impact
         FROM applications a
         LEFT JOIN application_reviews v ON v.application_id = a.id
         WHERE a.cycle_id = $1 AND a.status IN ('submitted', 'selected')
         GROUP BY a.id",
        vec![cycle.into()],
    ))
    .all(db)
    .await?)
}

/// How many applications of the cycle are selected: in `region`, and with this affiliation key.
pub async fn selected_counts(
    db: &impl ConnectionTrait,
    cycle: Uuid,
    region: Uuid,
    affiliation_key: Option<String>,
) -> Result<(i64, i64), Error> {
    #[derive(FromQueryResult)]
    struct Counts {
        in_region: i64,
        with_affiliation: i64,
    }
    let counts = Counts::find_by_statement(stmt(
        "SELECT count(*) FILTER (WHERE region_id = $2)::bigint AS in_region,
                count(*) FILTER (WHERE $3::text IS NOT NULL AND lower(btrim(affiliation)) = $3)::bigint AS with_affiliation
         FROM applications WHERE cycle_id = $1 AND status = 'selected'",
        vec![cycle.into(), region.into(), affiliation_key.into()],
    ))
    .one(db)
    .await?;
    Ok(counts
        .map(|c| (c.in_region, c.with_affiliation))
        .unwrap_or((0, 0)))
}

/// Review means of several applications, in one query.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct MeansOf {
    pub application_id: Uuid,
    pub reviews: i64,
    pub track_record: Option<f64>,
    pub geography: Option<f64>,
    pub impact: Option<f64>,
}

/// The means of each listed application's reviews.
pub async fn means_for(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<MeansOf>, Error> {
    Ok(MeansOf::find_by_statement(stmt(
        "SELECT application_id, count(*)::bigint AS reviews, avg(track_record)::float8 AS track_record,
                avg(geography)::float8 AS geography, avg(impact)::float8 AS impact
         FROM application_reviews WHERE application_id = ANY($1) GROUP BY application_id",
        vec![ids.into()],
    ))
    .all(db)
    .await?)
}
