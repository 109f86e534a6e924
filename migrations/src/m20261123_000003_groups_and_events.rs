//! User groups, their organizers and events, and the events' change feed.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_groups_and_events"
    }
}

const UP: &str = r#"
CREATE TABLE groups (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL,
    name           text NOT NULL,
    country        text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    city           text NOT NULL,
    -- Follows from the country (NULL while the country is in no region).
    region_id      uuid NULL REFERENCES regions (id) ON DELETE SET NULL,
    description    text NOT NULL DEFAULT '',
    links          text[] NOT NULL DEFAULT '{}',
    coc_accepted   boolean NOT NULL DEFAULT false,
    status         text NOT NULL CHECK (status IN ('pending', 'provisional', 'official', 'rejected', 'inactive')),
    status_reason  text NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT groups_slug_key UNIQUE (slug)
);
CREATE INDEX groups_region_idx ON groups (region_id, status);
CREATE INDEX groups_country_idx ON groups (country, status);

CREATE TABLE group_organizers (
    group_id   uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id  uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('lead', 'co')),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_organizers_member_idx ON group_organizers (member_id);

CREATE TABLE events (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    source          text NOT NULL,
    external_id     text NOT NULL,
    title           text NOT NULL,
    description     text NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    venue           text NULL,
    city            text NULL,
    country         text NULL CHECK (country ~ '^[A-Z]{2}$'),
    online          boolean NOT NULL DEFAULT false,
    url             text NULL,
    status          text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
    rsvp_count      integer NULL CHECK (rsvp_count >= 0),
    attendee_count  integer NULL CHECK (attendee_count >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    -- A site's event is one row, however many syncs send it.
    CONSTRAINT events_group_source_external_key UNIQUE (group_id, source, external_id)
);
CREATE INDEX events_group_starts_idx ON events (group_id, starts_at);

-- The change feed: one row per change (created, updated, cancelled, deleted),
-- appended in the writing transaction. `xid` is that transaction's id; a
-- reader returns only rows whose xid is below the oldest transaction still
-- running (pg_snapshot_xmin), ordered by (xid, id). Every transaction with a
-- smaller xid has finished, so no row can later appear behind a cursor: the
-- feed is gap-free even while writers commit out of order. (A BIGSERIAL alone
-- is not: ids are taken before commit.)
CREATE TABLE event_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id    uuid NOT NULL,
    group_id    uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('created', 'updated', 'cancelled', 'deleted')),
    event       jsonb NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_changes_position_idx ON event_changes (xid, id);
"#;

const DOWN: &str = r#"
DROP TABLE event_changes;
DROP TABLE events;
DROP TABLE group_organizers;
DROP TABLE groups;
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
