//! Key messages, their audience, the groups' acknowledgements, proposed
//! translations and the volunteers who could translate them.
//!
//! A message's audience is every region (`audience_all`) or the rows of
//! `message_regions`. Acknowledgements are once per (message, group) by
//! their primary key; accepted translations once per (message, language)
//! by a partial unique index, behind the decision's lock on the message row.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use liaison_domain::message::TranslationStatus;

use crate::decode::row;
use crate::error::{classify, Error};
use crate::stmt;

/// The partial unique index on accepted (message, language).
pub const ACCEPTED_KEY: &str = "message_translations_accepted_key";

/// A message with its audience's regions (ids and slugs, by slug).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Message {
    pub id: Uuid,
    pub author_id: Uuid,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// The original's language, when the author said.
    pub language: Option<String>,
    pub audience_all: bool,
    pub region_ids: Vec<Uuid>,
    pub regions: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Not expired (by the database's clock).
    pub active: bool,
    /// The languages it asks to be translated into.
    pub languages: Vec<String>,
    /// Whether the group of the query (`$1`) acknowledged it; false elsewhere.
    pub acknowledged: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every message query takes the group whose acknowledgement it reports as `$1` (NULL for none).
const SELECT: &str = "SELECT m.id, m.author_id, m.title, m.body, m.link, m.language, m.audience_all,
  ARRAY(SELECT r.id FROM message_regions mr JOIN regions r ON r.id = mr.region_id WHERE mr.message_id = m.id ORDER BY r.slug) AS region_ids,
  ARRAY(SELECT r.slug FROM message_regions mr JOIN regions r ON r.id = mr.region_id WHERE mr.message_id = m.id ORDER BY r.slug) AS regions,
  m.expires_at, (m.expires_at IS NULL OR m.expires_at > now()) AS active, m.languages,
  ($1::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM message_acknowledgements a WHERE a.message_id = m.id AND a.group_id = $1)) AS acknowledged,
  m.created_at, m.updated_at
FROM messages m";

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub author_id: Uuid,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub language: Option<String>,
    /// `None`: every region.
    pub region_ids: Option<Vec<Uuid>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub languages: Vec<String>,
}

/// A region slug of an audience and its id.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct RegionId {
    pub slug: String,
    pub id: Uuid,
}

/// The ids of the regions among `slugs` that exist, in one query.
pub async fn region_ids(
    db: &impl ConnectionTrait,
    slugs: Vec<String>,
) -> Result<Vec<RegionId>, Error> {
    Ok(RegionId::find_by_statement(stmt(
        "SELECT slug, id FROM regions WHERE slug = ANY($1)",
        vec![slugs.into()],
    ))
    .all(db)
    .await?)
}

/// Stores a message and its regions.
pub async fn insert(db: &impl ConnectionTrait, n: NewMessage) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO messages (id, author_id, title, body, link, language, audience_all, expires_at, languages)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            id.into(),
            n.author_id.into(),
            n.title.into(),
            n.body.into(),
            n.link.into(),
            n.language.into(),
            n.region_ids.is_none().into(),
            n.expires_at.into(),
            n.languages.into(),
        ],
    ))
    .await?;
    if let Some(regions) = n.region_ids {
        db.execute(stmt(
            "INSERT INTO message_regions (message_id, region_id) SELECT $1, unnest($2::uuid[])",
            vec![id.into(), regions.into()],
        ))
        .await?;
    }
    Ok(id)
}

/// A message; `lock` holds its row (the translation decisions' lock).
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    lock: bool,
) -> Result<Option<Message>, Error> {
    let sql = format!(
        "{SELECT} WHERE m.id = $2{}",
        if lock { " FOR UPDATE OF m" } else { "" }
    );
    Ok(
        Message::find_by_statement(stmt(&sql, vec![Option::<Uuid>::None.into(), id.into()]))
            .one(db)
            .await?,
    )
}

/// Filters of the message list.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    /// Region slug: messages whose audience includes it (`all` included).
    pub region: Option<String>,
    /// Unexpired (`true`) or expired (`false`) only.
    pub active: Option<bool>,
}

/// Messages newest first, after the id `after`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &MessageFilter,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Message>, Error> {
    let sql = format!(
        "{SELECT} WHERE ($2::text IS NULL OR m.audience_all OR EXISTS (
              SELECT 1 FROM message_regions mr JOIN regions r ON r.id = mr.region_id WHERE mr.message_id = m.id AND r.slug = $2))
           AND ($3::boolean IS NULL OR (m.expires_at IS NULL OR m.expires_at > now()) = $3)
           AND ($4::uuid IS NULL OR m.id < $4)
         ORDER BY m.id DESC LIMIT $5"
    );
    Ok(Message::find_by_statement(stmt(
        &sql,
        vec![
            Option::<Uuid>::None.into(),
            filter.region.clone().into(),
            filter.active.into(),
            after.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// The unexpired messages for a group of `region` (all-region ones
/// included), newest first after `after`, each saying whether `group`
/// acknowledged it; one query.
pub async fn for_group(
    db: &impl ConnectionTrait,
    group: Uuid,
    region: Option<Uuid>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Message>, Error> {
    let sql = format!(
        "{SELECT} WHERE (m.expires_at IS NULL OR m.expires_at > now())
           AND (m.audience_all OR EXISTS (SELECT 1 FROM message_regions mr WHERE mr.message_id = m.id AND mr.region_id = $2))
           AND ($3::uuid IS NULL OR m.id < $3)
         ORDER BY m.id DESC LIMIT $4"
    );
    Ok(Message::find_by_statement(stmt(
        &sql,
        vec![
            group.into(),
            region.into(),
            after.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// Changes to a message; `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MessageChanges {
    pub title: Option<String>,
    pub body: Option<String>,
    pub link: Option<Option<String>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub languages: Option<Vec<String>>,
}

/// Applies `c` to message `id`.
pub async fn update(db: &impl ConnectionTrait, id: Uuid, c: MessageChanges) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE messages SET title = COALESCE($2, title), body = COALESCE($3, body),
                link = CASE WHEN $4 THEN $5 ELSE link END,
                expires_at = CASE WHEN $6 THEN $7 ELSE expires_at END,
                languages = CASE WHEN $8 THEN $9::text[] ELSE languages END,
                updated_at = now()
         WHERE id = $1",
        vec![
            id.into(),
            c.title.into(),
            c.body.into(),
            c.link.is_some().into(),
            c.link.flatten().into(),
            c.expires_at.is_some().into(),
            c.expires_at.flatten().into(),
            c.languages.is_some().into(),
            c.languages.unwrap_or_default().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// One group's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Acknowledgement {
    pub message_id: Uuid,
    pub group_id: Uuid,
    pub member_id: Uuid,
    pub acknowledged_at: DateTime<Utc>,
}

/// Records that `member` acknowledged `message` for `group`, once: the
/// primary key makes concurrent twins one row. Answers the acknowledgement
/// and whether this call created it.
pub async fn acknowledge(
    db: &impl ConnectionTrait,
    message: Uuid,
    group: Uuid,
    member: Uuid,
) -> Result<(Acknowledgement, bool), Error> {
    let created = Acknowledgement::find_by_statement(stmt(
        "INSERT INTO message_acknowledgements (message_id, group_id, member_id) VALUES ($1, $2, $3)
         ON CONFLICT (message_id, group_id) DO NOTHING
         RETURNING message_id, group_id, member_id, acknowledged_at",
        vec![message.into(), group.into(), member.into()],
    ))
    .one(db)
    .await?;
    if let Some(ack) = created {
        return Ok((ack, true));
    }
    // The twin that won has committed (ON CONFLICT waited for it), so this
    // new statement sees its row.
    let existing = Acknowledgement::find_by_statement(stmt(
        "SELECT message_id, group_id, member_id, acknowledged_at FROM message_acknowledgements
         WHERE message_id = $1 AND group_id = $2",
        vec![message.into(), group.into()],
    ))
    .one(db)
    .await?
    .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotFound("acknowledgement".into())))?;
    Ok((existing, false))
}

/// A targeted region's acknowledgements.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct RegionAcknowledgements {
    pub region: String,
    /// Its active (provisional, official) groups.
    pub groups: i64,
    pub acknowledged: i64,
    /// `[{id, slug, name}]` of the active groups that did not, by slug.
    pub not_acknowledged: serde_json::Value,
}

/// Per targeted region (every region for an all-region message), its
/// active groups and which of them acknowledged `message`: one set-based
/// query whatever the number of regions and groups.
pub async fn acknowledgements(
    db: &impl ConnectionTrait,
    message: Uuid,
) -> Result<Vec<RegionAcknowledgements>, Error> {
    Ok(RegionAcknowledgements::find_by_statement(stmt(
        "WITH targets AS (
           SELECT r.id, r.slug FROM regions r JOIN messages m ON m.id = $1
           WHERE m.audience_all OR EXISTS (SELECT 1 FROM message_regions mr WHERE mr.message_id = m.id AND mr.region_id = r.id)
         )
         SELECT t.slug AS region, count(g.id) AS groups, count(a.group_id) AS acknowledged,
                COALESCE(jsonb_agg(jsonb_build_object('id', g.id, 'slug', g.slug, 'name', g.name) ORDER BY g.slug)
                         FILTER (WHERE g.id IS NOT NULL AND a.group_id IS NULL), '[]'::jsonb) AS not_acknowledged
         FROM targets t
         LEFT JOIN groups g ON g.region_id = t.id AND g.status IN ('provisional', 'official')
         LEFT JOIN message_acknowledgements a ON a.message_id = $1 AND a.group_id = g.id
         GROUP BY t.slug ORDER BY t.slug",
        vec![message.into()],
    ))
    .all(db)
    .await?)
}

/// A proposed, accepted or rejected translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub id: Uuid,
    pub message_id: Uuid,
    pub language: String,
    pub title: String,
    pub body: String,
    pub translator_id: Uuid,
    pub status: TranslationStatus,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

row!(Translation { id, message_id, language, title, body, translator_id, decided_by, decided_at, decision_note, created_at } named { status });

const TRANSLATION: &str =
    "SELECT t.id, t.message_id, t.language, t.title, t.body, t.translator_id, t.status,
  t.decided_by, t.decided_at, t.decision_note, t.created_at
FROM message_translations t";

/// A translation to propose.
#[derive(Debug, Clone)]
pub struct NewTranslation {
    pub message_id: Uuid,
    pub language: String,
    pub title: String,
    pub body: String,
    pub translator_id: Uuid,
}

/// Stores a proposed translation.
pub async fn propose(db: &impl ConnectionTrait, n: NewTranslation) -> Result<Uuid, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO message_translations (id, message_id, language, title, body, translator_id)
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            id.into(),
            n.message_id.into(),
            n.language.into(),
            n.title.into(),
            n.body.into(),
            n.translator_id.into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// A translation.
pub async fn translation(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Translation>, Error> {
    Ok(Translation::find_by_statement(stmt(
        &format!("{TRANSLATION} WHERE t.id = $1"),
        vec![id.into()],
    ))
    .one(db)
    .await?)
}

/// A message's translations in the order proposed, after the id `after`.
pub async fn translations(
    db: &impl ConnectionTrait,
    message: Uuid,
    status: Option<TranslationStatus>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Translation>, Error> {
    Ok(Translation::find_by_statement(stmt(
        &format!(
            "{TRANSLATION} WHERE t.message_id = $1 AND ($2::text IS NULL OR t.status = $2)
               AND ($3::uuid IS NULL OR t.id > $3) ORDER BY t.id LIMIT $4"
        ),
        vec![
            message.into(),
            status.map(|s| s.as_str()).into(),
            after.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}

/// The accepted translations of several messages, in one query.
pub async fn accepted(
    db: &impl ConnectionTrait,
    messages: Vec<Uuid>,
) -> Result<Vec<Translation>, Error> {
    Ok(Translation::find_by_statement(stmt(
        &format!("{TRANSLATION} WHERE t.message_id = ANY($1) AND t.status = 'accepted' ORDER BY t.language"),
        vec![messages.into()],
    ))
    .all(db)
    .await?)
}

/// Whether `message` has an accepted translation into `language`.
pub async fn has_accepted(
    db: &impl ConnectionTrait,
    message: Uuid,
    language: &str,
) -> Result<bool, Error> {
    Ok(db
        .query_one(stmt(
            "SELECT 1 AS one FROM message_translations WHERE message_id = $1 AND language = $2 AND status = 'accepted'",
            vec![message.into(), language.into()],
        ))
        .await?
        .is_some())
}

/// Decides a translation; a second acceptance into one language fails
/// with `Duplicate(ACCEPTED_KEY)`.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: TranslationStatus,
    by: Uuid,
    note: Option<String>,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE message_translations SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4
         WHERE id = $1",
        vec![id.into(), status.as_str().into(), by.into(), note.into()],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}

/// A volunteer who could translate a message.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Translator {
    pub id: Uuid,
    pub display_name: String,
    pub country: Option<String>,
    pub city: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
}

/// Members with a public profile, the `translation` skill and `language`
/// (or a more or less specific tag of it: `fr` finds `fr-CA`, `fr-CA` finds
/// `fr`), whose country is in a region the message targets (any region for
/// an all-region message); by id after `after`; one query.
pub async fn translators(
    db: &impl ConnectionTrait,
    message: Uuid,
    language: &str,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Translator>, Error> {
    Ok(Translator::find_by_statement(stmt(
        "SELECT p.id, p.display_name, p.country, p.city, p.languages, p.skills
         FROM members p
         WHERE p.profile_public
           AND p.skills @> ARRAY['translation']
           AND EXISTS (SELECT 1 FROM unnest(p.languages) l
                       WHERE lower(l) = lower($2) OR lower(l) LIKE lower($2) || '-%' OR lower($2) LIKE lower(l) || '-%')
           AND p.country IN (
               SELECT rc.country FROM region_countries rc JOIN messages m ON m.id = $1
               WHERE m.audience_all
                  OR rc.region_id IN (SELECT mr.region_id FROM message_regions mr WHERE mr.message_id = m.id))
           AND ($3::uuid IS NULL OR p.id > $3)
         ORDER BY p.id LIMIT $4",
        vec![
            message.into(),
            language.into(),
            after.into(),
            (limit as i64).into(),
        ],
    ))
    .all(db)
    .await?)
}
