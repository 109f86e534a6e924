//! The transactional outbox (`domain.md` "Notifications and webhooks"): one
//! row per delivery (a mail to a member, later a webhook call), written in
//! the transaction of the change it tells of, so a rolled-back change sends
//! nothing and a committed one is never lost.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000009_outbox"
    }
}

const UP: &str = r#"
CREATE TABLE outbox (
    -- The stable delivery id: the same on every attempt, for receivers to de-duplicate.
    id               uuid PRIMARY KEY,
    channel          text NOT NULL CHECK (channel IN ('mail', 'webhook')),
    topic            text NOT NULL,
    -- The member a mail goes to (resolved to an address when it is sent).
    member_id        uuid NULL REFERENCES members (id) ON DELETE CASCADE,
    payload          jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- A lease: a process that claimed the row and died lets go when it passes.
    claimed_until    timestamptz NULL,
    claimed_by       text NULL,
    last_error       text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL,
    CHECK (channel <> 'mail' OR member_id IS NOT NULL)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_member_idx ON outbox (member_id, topic);
-- A pass shows how its mail fared.
CREATE INDEX outbox_pass_idx ON outbox ((payload->>'pass_id')) WHERE channel = 'mail' AND topic = 'pass.issued';

-- Wakes the dispatchers when rows commit (NOTIFY is delivered at commit, and
-- once per transaction), so a change goes out at once, not at the next poll.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('liaison_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Every attempt, for the delivery log.
CREATE TABLE outbox_attempts (
    outbox_id     uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempt       integer NOT NULL,
    worker        text NOT NULL,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    ok            boolean NOT NULL,
    detail        text NULL,
    PRIMARY KEY (outbox_id, attempt)
);
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
            .execute_unprepared(
                "DROP TABLE outbox_attempts; DROP TABLE outbox; DROP FUNCTION outbox_notify()",
            )
            .await
            .map(|_| ())
    }
}
