//! Webhook subscriptions (`domain.md` "Notifications and webhooks"). Their
//! deliveries are outbox rows of channel `webhook`, pointing at the
//! subscription; the delivery log is those rows and their attempts.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000010_webhooks"
    }
}

const UP: &str = r#"
CREATE TABLE webhook_subscriptions (
    id               uuid PRIMARY KEY,
    owner_id         uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    url              text NOT NULL CHECK (char_length(url) <= 2000),
    events           text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 20),
    -- Empty: every group.
    group_ids        uuid[] NOT NULL DEFAULT '{}',
    region_id        uuid NULL REFERENCES regions (id) ON DELETE CASCADE,
    -- Kept in the clear: signing needs it (it is shown to the owner once).
    secret           text NOT NULL,
    enabled          boolean NOT NULL DEFAULT true,
    disabled_reason  text NULL CHECK (disabled_reason IN ('gone', 'failing', 'by_owner')),
    -- The first failure of the current run of failures; 3 days of it disables.
    failing_since    timestamptz NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (enabled = (disabled_reason IS NULL))
);
CREATE INDEX webhook_subscriptions_owner_idx ON webhook_subscriptions (owner_id, id);
-- The fan-out finds the enabled subscriptions of one event type.
CREATE INDEX webhook_subscriptions_events_idx ON webhook_subscriptions USING gin (events) WHERE enabled;

ALTER TABLE outbox
    ADD COLUMN webhook_id uuid NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    -- The HTTP status of the latest attempt (NULL: no answer, e.g. refused or timed out).
    ADD COLUMN last_response_code integer NULL,
    ADD CONSTRAINT outbox_webhook_target CHECK (channel <> 'webhook' OR webhook_id IS NOT NULL);
CREATE INDEX outbox_webhook_idx ON outbox (webhook_id, id) WHERE webhook_id IS NOT NULL;
-- The status code of each attempt, copied from the row when the attempt is recorded.
ALTER TABLE outbox_attempts ADD COLUMN response_code integer NULL;
CREATE FUNCTION outbox_attempt_response_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT last_response_code INTO NEW.response_code FROM outbox WHERE id = NEW.outbox_id;
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_attempt_response_code BEFORE INSERT ON outbox_attempts
    FOR EACH ROW EXECUTE FUNCTION outbox_attempt_response_code();
"#;

const DOWN: &str = r#"
DROP TRIGGER outbox_attempt_response_code ON outbox_attempts;
DROP FUNCTION outbox_attempt_response_code();
ALTER TABLE outbox_attempts DROP COLUMN response_code;
DELETE FROM outbox WHERE channel = 'webhook';
ALTER TABLE outbox DROP CONSTRAINT outbox_webhook_target, DROP COLUMN last_response_code, DROP COLUMN webhook_id;
DROP TABLE webhook_subscriptions;
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
