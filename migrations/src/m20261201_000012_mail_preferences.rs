//! Which optional mails a member gets (`GET, PATCH /v1/me/notifications`):
//! `mail_off` lists the topics turned off; every other mail is on. Pass
//! codes and account mails always go.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000012_mail_preferences"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE members ADD COLUMN mail_off text[] NOT NULL DEFAULT '{}'",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE members DROP COLUMN mail_off")
            .await
            .map(|_| ())
    }
}
