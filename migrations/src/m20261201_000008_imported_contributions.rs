//! Imported contributions (`domain.md` "Imported contributions"): rows that
//! come in batches from other tools are identified by (`source`,
//! `external_id`), so a repeated batch updates in place instead of adding,
//! and the importing account is their verifier — a member (staff) in
//! `verified_by`, or a service account (a `contributions:import` key) in
//! `verified_by_service_account`.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_imported_contributions"
    }
}

const UP: &str = r#"
-- A second verifier column rather than a generic (type, id) pair: each keeps
-- its foreign key, and `verified_by` keeps meaning "the member who
-- verified", which the verification rules (never one's own) read.
ALTER TABLE contributions
    ADD COLUMN source text NULL CHECK (source ~ '^[a-z0-9_-]{2,40}$' AND source <> 'manual'),
    ADD COLUMN external_id text NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
    ADD COLUMN verified_by_service_account uuid NULL REFERENCES service_accounts (id) ON DELETE SET NULL,
    ADD CONSTRAINT contributions_source_pair CHECK ((source IS NULL) = (external_id IS NULL)),
    ADD CONSTRAINT contributions_one_verifier CHECK (verified_by IS NULL OR verified_by_service_account IS NULL);
-- Only imported rows carry a source, so the index holds only them; the
-- import's `ON CONFLICT (source, external_id) WHERE source IS NOT NULL`
-- names it, and it keeps concurrent imports from ever duplicating a row.
CREATE UNIQUE INDEX contributions_source_key ON contributions (source, external_id) WHERE source IS NOT NULL;
"#;

const DOWN: &str = r#"
DROP INDEX contributions_source_key;
ALTER TABLE contributions
    DROP CONSTRAINT contributions_one_verifier,
    DROP CONSTRAINT contributions_source_pair,
    DROP COLUMN verified_by_service_account,
    DROP COLUMN external_id,
    DROP COLUMN source;
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
