//! One outbox row for a whole bulk issuance: a `batch` row lists the passes
//! whose codes must be mailed, and the dispatcher expands it into one mail
//! row per pass, in one transaction. Writing 10,000 mail rows inside the
//! issuing transaction cost it 40 %; one row costs it nothing measurable,
//! and the expansion runs after the commit (`docs/benchmarks.md`).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000013_outbox_batches"
    }
}

const UP: &str = r#"
ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check,
    ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('mail', 'webhook', 'batch'));
-- A pass whose batch is not expanded yet shows the batch's status: the
-- batches still open are few (expanded within milliseconds), so a pass
-- looks through them alone.
CREATE INDEX outbox_open_batch_idx ON outbox (created_at) WHERE channel = 'batch' AND status <> 'sent';
"#;

const DOWN: &str = r#"
DROP INDEX outbox_open_batch_idx;
DELETE FROM outbox WHERE channel = 'batch';
ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check,
    ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('mail', 'webhook'));
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
