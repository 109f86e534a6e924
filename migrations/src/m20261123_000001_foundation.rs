//! Accounts, service accounts, regions, audit log, idempotency keys and the
//! shared rate-limit counters.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

const UP: &str = r#"
CREATE TABLE members (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    password_hash   text NOT NULL,
    display_name    text NOT NULL,
    country         text NULL CHECK (country ~ '^[A-Z]{2}$'),
    city            text NULL,
    affiliation     text NULL,
    bio             text NULL,
    languages       text[] NOT NULL DEFAULT '{}',
    skills          text[] NOT NULL DEFAULT '{}',
    profile_public  boolean NOT NULL DEFAULT true,
    roles           text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique case-insensitively; the API also stores them lower-cased.
CREATE UNIQUE INDEX members_email_key ON members (lower(email));
CREATE INDEX members_skills_idx ON members USING gin (skills);
CREATE INDEX members_languages_idx ON members USING gin (languages);

-- Refresh tokens rotate: each use marks the row used and issues a successor in
-- the same family; presenting a used token revokes the whole family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family_id   uuid NOT NULL,
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL,
    revoked_at  timestamptz NULL,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE service_accounts (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    key_prefix  text NOT NULL,
    key_hash    bytea NOT NULL,
    scopes      text[] NOT NULL,
    group_ids   uuid[] NOT NULL DEFAULT '{}',
    created_by  uuid NULL REFERENCES members (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz NULL,
    CONSTRAINT service_accounts_key_hash_key UNIQUE (key_hash)
);

CREATE TABLE regions (
    id                uuid PRIMARY KEY,
    slug              text NOT NULL,
    name              text NOT NULL,
    ambassador_seats  integer NOT NULL CHECK (ambassador_seats >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT regions_slug_key UNIQUE (slug)
);

-- The primary key makes "a country belongs to at most one region" a fact the
-- database enforces, whatever the API does concurrently.
CREATE TABLE region_countries (
    country    text PRIMARY KEY CHECK (country ~ '^[A-Z]{2}$'),
    region_id  uuid NOT NULL REFERENCES regions (id) ON DELETE CASCADE
);
CREATE INDEX region_countries_region_idx ON region_countries (region_id);

CREATE TABLE audit_log (
    id           uuid PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor_type   text NOT NULL CHECK (actor_type IN ('anonymous', 'member', 'service_account', 'system')),
    actor_id     uuid NULL,
    action       text NOT NULL,
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    summary      jsonb NOT NULL DEFAULT '{}',
    request_id   text NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC);

-- The first response to a request carrying an Idempotency-Key, stored in the
-- transaction of its effect; the primary key makes a concurrent twin wait.
CREATE TABLE idempotency_keys (
    caller         text NOT NULL,
    key            text NOT NULL,
    request_hash   bytea NOT NULL,
    status_code    smallint NULL,
    response_body  bytea NULL,
    location       text NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Fixed-window counters shared by every server process. UNLOGGED: losing
-- them in a crash only resets the windows.
CREATE UNLOGGED TABLE rate_limits (
    bucket        text PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE rate_limits;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE region_countries;
DROP TABLE regions;
DROP TABLE service_accounts;
DROP TABLE refresh_tokens;
DROP TABLE members;
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
