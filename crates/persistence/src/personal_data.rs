//! A member's personal data (`docs/privacy.md`): everything held about
//! them as one document, and erasure, which blanks what is theirs and keeps
//! consistent what others rely on.

use liaison_domain::account::FORMER_MEMBER;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::Error;
use crate::stmt;

/// Everything Liaison holds about `member`, as one JSON document built by
/// one statement (a sub-select per section, so the cost is the member's own
/// rows). Reviews of their applications appear as means, never by
/// reviewer; other members appear by id only where the row is theirs too.
pub async fn export(
    db: &impl ConnectionTrait,
    member: Uuid,
) -> Result<Option<serde_json::Value>, Error> {
    const EXPORT: &str = r#"
SELECT jsonb_build_object(
  'format', 'liaison-export/1',
  'exported_at', now(),
  'profile', jsonb_build_object(
      'id', m.id, 'email', m.email, 'email_verified_at', m.email_verified_at, 'display_name', m.display_name,
      'country', m.country, 'city', m.city, 'affiliation', m.affiliation, 'bio', m.bio, 'languages', m.languages,
      'skills', m.skills, 'profile_public', m.profile_public, 'roles', m.roles, 'mail_off', m.mail_off,
      'password_changed_at', m.password_changed_at, 'created_at', m.created_at, 'updated_at', m.updated_at),
  'applications', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', a.id, 'cycle_id', a.cycle_id, 'region_id', a.region_id, 'status', a.status, 'why_apply', a.why_apply,
      'participation', a.participation, 'ideas', a.ideas, 'links', a.links, 'affiliation', a.affiliation,
      'submitted_at', a.submitted_at, 'decided_at', a.decided_at, 'decision_reason', a.decision_reason, 'created_at', a.created_at,
      'reviews', (SELECT jsonb_build_object('count', count(*), 'track_record_mean', round(avg(r.track_record), 2),
                                            'geography_mean', round(avg(r.geography), 2), 'impact_mean', round(avg(r.impact), 2))
                  FROM application_reviews r WHERE r.application_id = a.id)) ORDER BY a.created_at)
    FROM applications a WHERE a.member_id = m.id), '[]'),
  'reviews_written', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'application_id', r.application_id, 'track_record', r.track_record, 'geography', r.geography, 'impact', r.impact,
      'comment', r.comment, 'created_at', r.created_at, 'updated_at', r.updated_at) ORDER BY r.created_at)
    FROM application_reviews r WHERE r.reviewer_id = m.id), '[]'),
  'ambassadorships', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', s.id, 'region_id', s.region_id, 'cycle_id', s.cycle_id, 'term_start', s.term_start, 'term_end', s.term_end,
      'status', s.status, 'status_reason', s.status_reason) ORDER BY s.term_start)
    FROM ambassadorships s WHERE s.member_id = m.id), '[]'),
  'organizer_roles', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'group_id', o.group_id, 'group_name', g.name, 'role', o.role, 'added_at', o.added_at) ORDER BY o.added_at)
    FROM group_organizers o JOIN groups g ON g.id = o.group_id WHERE o.member_id = m.id), '[]'),
  'contributions', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', c.id, 'kind', c.kind, 'occurred_on', c.occurred_on, 'title', c.title, 'evidence_url', c.evidence_url,
      'group_id', c.group_id, 'event_id', c.event_id, 'status', c.status, 'note', c.note, 'decided_at', c.decided_at,
      'derived_from', c.derived_from, 'source', c.source, 'created_at', c.created_at) ORDER BY c.occurred_on, c.id)
    FROM contributions c WHERE c.member_id = m.id), '[]'),
  'passes', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', p.id, 'summit_id', p.summit_id, 'program', p.program, 'code', p.code, 'status', p.status, 'points', p.points,
      'origin', p.origin, 'reason', p.reason, 'issued_at', p.issued_at, 'redeemed_at', p.redeemed_at,
      'revoked_at', p.revoked_at, 'revoke_reason', p.revoke_reason) ORDER BY p.issued_at)
    FROM passes p WHERE p.member_id = m.id), '[]'),
  'appeals', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', x.id, 'summit_id', x.summit_id, 'program', x.program, 'message', x.message, 'status', x.status,
      'reason', x.reason, 'decided_at', x.decided_at, 'pass_id', x.pass_id, 'created_at', x.created_at) ORDER BY x.created_at)
    FROM appeals x WHERE x.member_id = m.id), '[]'),
  'feedback', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', f.id, 'group_id', f.group_id, 'event_id', f.event_id, 'region_id', f.region_id, 'kind', f.kind,
      'component', f.component, 'title', f.title, 'body', f.body, 'severity', f.severity, 'release', f.release,
      'node_count', f.node_count, 'distribution', f.distribution, 'tags', f.tags, 'status', f.status,
      'created_at', f.created_at, 'updated_at', f.updated_at) ORDER BY f.created_at)
    FROM feedback f WHERE f.author_id = m.id), '[]'),
  'votes', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'feedback_id', v.feedback_id, 'group_id', v.group_id, 'created_at', v.created_at) ORDER BY v.created_at)
    FROM feedback_votes v WHERE v.member_id = m.id), '[]'),
  'messages', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', k.id, 'title', k.title, 'body', k.body, 'link', k.link, 'language', k.language,
      'expires_at', k.expires_at, 'created_at', k.created_at) ORDER BY k.created_at)
    FROM messages k WHERE k.author_id = m.id), '[]'),
  'translations', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', t.id, 'message_id', t.message_id, 'language', t.language, 'title', t.title, 'body', t.body,
      'status', t.status, 'decided_at', t.decided_at, 'created_at', t.created_at) ORDER BY t.created_at)
    FROM message_translations t WHERE t.translator_id = m.id), '[]'),
  'acknowledgements', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'message_id', ack.message_id, 'group_id', ack.group_id, 'acknowledged_at', ack.acknowledged_at) ORDER BY ack.acknowledged_at)
    FROM message_acknowledgements ack WHERE ack.member_id = m.id), '[]'),
  'webhooks', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', w.id, 'url', w.url, 'events', w.events, 'group_ids', w.group_ids, 'region_id', w.region_id,
      'enabled', w.enabled, 'created_at', w.created_at) ORDER BY w.created_at)
    FROM webhook_subscriptions w WHERE w.owner_id = m.id), '[]'),
  'calendar_token_created_at', (SELECT ct.created_at FROM calendar_tokens ct WHERE ct.member_id = m.id),
  'audit', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', l.id, 'occurred_at', l.occurred_at, 'action', l.action, 'entity_type', l.entity_type,
      'entity_id', l.entity_id, 'summary', l.summary, 'request_id', l.request_id) ORDER BY l.occurred_at, l.id)
    FROM audit_log l WHERE l.actor_type = 'member' AND l.actor_id = m.id), '[]')
) AS document
FROM members m WHERE m.id = $1 AND m.erased_at IS NULL"#;
    let row = db.query_one(stmt(EXPORT, vec![member.into()])).await?;
    Ok(match row {
        Some(row) => Some(row.try_get("", "document")?),
        None => None,
    })
}

/// What stands in the way of an erasure: a role someone must take over.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Blocker {
    /// `lead_organizer`, `ambassador` or `last_admin`.
    pub kind: String,
    /// The group or ambassadorship (none for the last admin).
    pub id: Option<Uuid>,
    /// The group's or region's name.
    pub name: Option<String>,
}

/// The roles `member` must hand over before erasure: lead organizer of a
/// group, an active ambassadorship, the last admin.
pub async fn blockers(db: &impl ConnectionTrait, member: Uuid) -> Result<Vec<Blocker>, Error> {
    Ok(Blocker::find_by_statement(stmt(
        "SELECT 'lead_organizer' AS kind, g.id, g.name FROM group_organizers o JOIN groups g ON g.id = o.group_id
         WHERE o.member_id = $1 AND o.role = 'lead'
         UNION ALL
         SELECT 'ambassador', s.id, r.name FROM ambassadorships s JOIN regions r ON r.id = s.region_id
         WHERE s.member_id = $1 AND s.status = 'active' AND s.term_end > current_date
         UNION ALL
         SELECT 'last_admin', NULL, NULL FROM members m
         WHERE m.id = $1 AND 'admin' = ANY(m.roles)
           AND NOT EXISTS (SELECT 1 FROM members o WHERE o.id <> m.id AND 'admin' = ANY(o.roles) AND o.erased_at IS NULL)
         ORDER BY 1, 3",
        vec![member.into()],
    ))
    .all(db)
    .await?)
}

/// Erases `member` (locked by the caller, blockers checked), in the
/// caller's transaction. What is theirs goes: the profile's personal fields
/// are blanked and the name becomes "former member"; sessions, API keys
/// they created, webhooks, calendar and account tokens, mails, and stored
/// idempotent replies are revoked or deleted; the free text of their
/// applications, reviews, claims and appeals is blanked; the summaries of
/// audit entries about them are cleared. What others rely on stays: votes,
/// attendance, feedback and messages (shown as by a former member),
/// redeemed passes, contributions as counts, audit entries by id. An
/// unredeemed pass is revoked, freeing its place in the quota; pending
/// claims, open appeals and undecided applications are closed. Answers the
/// passes it revoked, for the caller to tell of.
pub async fn erase(db: &impl ConnectionTrait, member: Uuid) -> Result<Vec<Uuid>, Error> {
    const ERASE: &str = r#"
WITH profile AS (
  UPDATE members SET email = '', password_hash = '!', display_name = $2, city = NULL, affiliation = NULL, bio = NULL,
         languages = '{}', skills = '{}', profile_public = false, roles = '{}', mail_off = '{}',
         erased_at = now(), updated_at = now()
  WHERE id = $1 RETURNING id
),
sessions AS (UPDATE refresh_tokens SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL),
keys AS (UPDATE service_accounts SET revoked_at = now() WHERE created_by = $1 AND revoked_at IS NULL),
hooks AS (DELETE FROM webhook_subscriptions WHERE owner_id = $1),
calendar AS (DELETE FROM calendar_tokens WHERE member_id = $1),
account AS (DELETE FROM account_tokens WHERE member_id = $1),
mails AS (DELETE FROM outbox WHERE channel = 'mail' AND member_id = $1),
replies AS (DELETE FROM idempotency_keys WHERE caller = 'member:' || $1::text),
organizing AS (DELETE FROM group_organizers WHERE member_id = $1),
applying AS (
  UPDATE applications SET why_apply = '', participation = '', ideas = '', links = '{}', affiliation = NULL, updated_at = now(),
         status = CASE WHEN status IN ('draft', 'submitted') THEN 'withdrawn' ELSE status END
  WHERE member_id = $1
),
reviewing AS (UPDATE application_reviews SET comment = '' WHERE reviewer_id = $1),
claims AS (
  UPDATE contributions SET title = '', evidence_url = NULL,
         note = CASE WHEN status = 'pending' THEN 'withdrawn: the member erased their account' ELSE NULL END,
         status = CASE WHEN status = 'pending' THEN 'rejected' ELSE status END,
         decided_at = CASE WHEN status = 'pending' THEN now() ELSE decided_at END, updated_at = now()
  WHERE member_id = $1
),
held AS (
  UPDATE passes SET status = 'revoked', revoked_at = now(), revoke_reason = 'the member erased their account'
  WHERE member_id = $1 AND status = 'issued'
  RETURNING id
),
appealing AS (
  UPDATE appeals SET message = '',
         status = CASE WHEN status = 'open' THEN 'denied' ELSE status END,
         reason = CASE WHEN status = 'open' THEN 'withdrawn: the member erased their account' ELSE reason END,
         decided_at = CASE WHEN status = 'open' THEN now() ELSE decided_at END
  WHERE member_id = $1
),
audited AS (
  UPDATE audit_log SET summary = '{"erased": true}' WHERE entity_type = 'member' AND entity_id = $1::text
)
SELECT ARRAY(SELECT id FROM held) AS revoked FROM profile"#;
    let row = db
        .query_one(stmt(ERASE, vec![member.into(), FORMER_MEMBER.into()]))
        .await?;
    Ok(match row {
        Some(row) => row.try_get("", "revoked")?,
        None => Vec::new(),
    })
}
