//! Eligibility reads every verified contribution in the window ranked per
//! (member, kind), newest first. This index hands them over in that order,
//! with every column the statement reads, so a million contributions need
//! no sort and no heap visit (an index-only scan): the statement went from
//! 0.99 s to a third of that (`docs/benchmarks.md`, issue 17).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000015_standing_order"
    }
}

const UP: &str = r#"
CREATE INDEX contributions_standing_idx ON contributions (member_id, kind, occurred_on DESC, id DESC)
    WHERE status = 'verified';
"#;

const DOWN: &str = r#"
DROP INDEX contributions_standing_idx;
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
