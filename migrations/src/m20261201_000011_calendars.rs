//! Calendars and event search (`domain.md` "Events"): every event carries the
//! IANA zone its times are shown in, a member may hold one revocable
//! calendar token for their private feed, and the cross-group search gets
//! its indexes.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000011_calendars"
    }
}

const UP: &str = r#"
-- Groups carry no zone (yet), so existing events take UTC; the API checks
-- the name against the IANA database, the column only against emptiness.
ALTER TABLE events
    ADD COLUMN timezone text NOT NULL DEFAULT 'UTC' CHECK (char_length(timezone) BETWEEN 1 AND 64);

-- One token per member: creating a new one replaces the old. Only its
-- SHA-256 is stored, as for API keys; the feed URL carries the token itself.
CREATE TABLE calendar_tokens (
    member_id   uuid PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The search walks events by (starts_at, id) across groups, filtered by
-- country, and matches words of the title.
CREATE INDEX events_starts_idx ON events (starts_at, id);
CREATE INDEX events_country_starts_idx ON events (country, starts_at);
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX events_title_trgm_idx ON events USING gin (title gin_trgm_ops);
"#;

const DOWN: &str = r#"
DROP INDEX events_title_trgm_idx;
DROP INDEX events_country_starts_idx;
DROP INDEX events_starts_idx;
DROP TABLE calendar_tokens;
ALTER TABLE events DROP COLUMN timezone;
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
