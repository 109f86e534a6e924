//! Accounts people run themselves (`domain.md` "Accounts and personal
//! data"): email verification, password reset, erasure.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000014_accounts"
    }
}

const UP: &str = r#"
ALTER TABLE members
    ADD COLUMN email_verified_at timestamptz NULL,
    -- Set by a change or reset: access tokens issued before it are refused.
    ADD COLUMN password_changed_at timestamptz NULL,
    ADD COLUMN erased_at timestamptz NULL;
-- Members who registered before verification existed count as verified:
-- they were let in under the rules of their day, and many already verify
-- claims, review and hold passes; taking that away for a mail they were
-- never sent would punish them for our change. They verified nothing, so
-- the time stamped is their registration's.
UPDATE members SET email_verified_at = created_at;
-- An erased member's email is blanked, and the address may register again.
DROP INDEX members_email_key;
CREATE UNIQUE INDEX members_email_key ON members (lower(email)) WHERE erased_at IS NULL;

-- Single-use tokens mailed for verification and reset, in two parts: the
-- selector finds the row, the verifier is kept only as its SHA-256 and
-- compared in constant time, so a leaked table cannot be replayed and a
-- lookup's timing says nothing about the secret part.
CREATE TABLE account_tokens (
    selector       text PRIMARY KEY,
    verifier_hash  bytea NOT NULL,
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_member_idx ON account_tokens (member_id, purpose);
"#;

const DOWN: &str = r#"
DROP TABLE account_tokens;
DROP INDEX members_email_key;
DELETE FROM members WHERE erased_at IS NOT NULL;
CREATE UNIQUE INDEX members_email_key ON members (lower(email));
ALTER TABLE members DROP COLUMN email_verified_at, DROP COLUMN password_changed_at, DROP COLUMN erased_at;
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
