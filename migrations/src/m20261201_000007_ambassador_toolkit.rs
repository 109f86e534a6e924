//! The ambassador's toolkit (`domain.md` "Activity reports", "Key
//! messages", "Region dashboard"): quarterly reports, key messages to the
//! user groups with their acknowledgements and translations, and the moment
//! a group became official (which the quarter's report counts).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000007_ambassador_toolkit"
    }
}

const UP: &str = r#"
-- When a group last became official. Groups promoted before this column
-- existed take the time of their promotion in the audit log, else their
-- last update, which is the closest the data holds.
ALTER TABLE groups ADD COLUMN official_at timestamptz NULL;
UPDATE groups g SET official_at = COALESCE(
    (SELECT max(a.occurred_at) FROM audit_log a
     WHERE a.entity_type = 'group' AND a.entity_id = g.id::text AND a.summary->>'to' = 'official'),
    g.updated_at)
WHERE g.status = 'official';
CREATE INDEX groups_official_at_idx ON groups (region_id, official_at) WHERE official_at IS NOT NULL;
CREATE INDEX groups_created_idx ON groups (region_id, created_at);

-- One report per ambassadorship per quarter (`2026-Q3`); `metrics` keeps the
-- figures the draft showed when it was filed, so a report reads the same later.
CREATE TABLE activity_reports (
    id                 uuid PRIMARY KEY,
    ambassadorship_id  uuid NOT NULL REFERENCES ambassadorships (id) ON DELETE CASCADE,
    period             text NOT NULL CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
    summary            text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 10000),
    highlights         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(highlights) <= 20),
    metrics            jsonb NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activity_reports_period_key UNIQUE (ambassadorship_id, period)
);

-- Key messages. The audience is every region (`audience_all`) or the
-- regions in `message_regions`.
CREATE TABLE messages (
    id            uuid PRIMARY KEY,
    author_id     uuid NOT NULL REFERENCES members (id),
    title         text NOT NULL CHECK (char_length(title) BETWEEN 5 AND 200),
    body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    link          text NULL,
    -- The original's language (BCP 47), when the author said.
    language      text NULL,
    audience_all  boolean NOT NULL,
    expires_at    timestamptz NULL,
    languages     text[] NOT NULL DEFAULT '{}' CHECK (cardinality(languages) <= 20),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_created_idx ON messages (created_at);

CREATE TABLE message_regions (
    message_id  uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    region_id   uuid NOT NULL REFERENCES regions (id),
    PRIMARY KEY (message_id, region_id)
);
CREATE INDEX message_regions_region_idx ON message_regions (region_id);

-- Once per group: the primary key makes concurrent acknowledgements one.
CREATE TABLE message_acknowledgements (
    message_id       uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    group_id         uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id        uuid NOT NULL REFERENCES members (id),
    acknowledged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, group_id)
);
CREATE INDEX message_acknowledgements_group_idx ON message_acknowledgements (group_id);

CREATE TABLE message_translations (
    id             uuid PRIMARY KEY,
    message_id     uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    language       text NOT NULL,
    title          text NOT NULL CHECK (char_length(title) BETWEEN 5 AND 200),
    body           text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    translator_id  uuid NOT NULL REFERENCES members (id),
    status         text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected')),
    decided_by     uuid NULL REFERENCES members (id),
    decided_at     timestamptz NULL,
    decision_note  text NULL CHECK (char_length(decision_note) <= 2000),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_translations_message_idx ON message_translations (message_id, created_at);
-- One accepted translation per (message, language): the last line of
-- defence behind the decision's row lock.
CREATE UNIQUE INDEX message_translations_accepted_key ON message_translations (message_id, language) WHERE status = 'accepted';

-- What the region's report and dashboard read by time. The group's events
-- by date carry their status, so the dashboard's health flags count them
-- from the index alone.
DROP INDEX events_group_starts_idx;
CREATE INDEX events_group_starts_idx ON events (group_id, starts_at) INCLUDE (status);
CREATE INDEX feedback_untriaged_idx ON feedback (region_id, created_at, id) WHERE status = 'new';
CREATE INDEX contributions_decided_idx ON contributions (decided_at) WHERE status = 'verified';
CREATE INDEX feedback_history_changed_idx ON feedback_history (changed_at);
"#;

const DOWN: &str = r#"
DROP INDEX feedback_untriaged_idx;
DROP INDEX events_group_starts_idx;
CREATE INDEX events_group_starts_idx ON events (group_id, starts_at);
DROP INDEX feedback_history_changed_idx;
DROP INDEX contributions_decided_idx;
DROP TABLE message_translations;
DROP TABLE message_acknowledgements;
DROP TABLE message_regions;
DROP TABLE messages;
DROP TABLE activity_reports;
DROP INDEX groups_created_idx;
ALTER TABLE groups DROP COLUMN official_at;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(UP)
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(DOWN)
            .await
            .map(|_| ())
    }
}
