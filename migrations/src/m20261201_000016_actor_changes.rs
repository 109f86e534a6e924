//! Who a token names is kept in memory for reads (`crates/api/src/auth/known.rs`),
//! so every change to what the permission policy reads of a member — roles,
//! the password's date, the email's verification, erasure, ambassadorships —
//! notifies `liaison_actors` with the member's id at commit, and every
//! process forgets that member. A trigger, not the code that writes, so no
//! write can forget to tell (an operator's SQL included).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000016_actor_changes"
    }
}

const UP: &str = r#"
CREATE FUNCTION liaison_actor_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    IF TG_TABLE_NAME = 'members' THEN
        PERFORM pg_notify('liaison_actors', changed.id::text);
    ELSE
        PERFORM pg_notify('liaison_actors', changed.member_id::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER members_actor_changed
    AFTER UPDATE OF roles, password_changed_at, email_verified_at, erased_at OR DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION liaison_actor_changed();
CREATE TRIGGER ambassadorships_actor_changed
    AFTER INSERT OR UPDATE OR DELETE ON ambassadorships
    FOR EACH ROW EXECUTE FUNCTION liaison_actor_changed();
"#;

const DOWN: &str = r#"
DROP TRIGGER ambassadorships_actor_changed ON ambassadorships;
DROP TRIGGER members_actor_changed ON members;
DROP FUNCTION liaison_actor_changed();
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
