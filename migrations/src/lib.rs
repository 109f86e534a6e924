//! Liaison's schema. The schema is only ever changed by a new migration;
//! each one is plain SQL so constraints, checks and indexes read as they are.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_ambassador_programme;
mod m20261123_000003_groups_and_events;
mod m20261123_000004_recognition_and_passes;
mod m20261123_000005_uuid_v7;
mod m20261201_000006_feedback;
mod m20261201_000007_ambassador_toolkit;
mod m20261201_000008_imported_contributions;
mod m20261201_000009_outbox;
mod m20261201_000010_webhooks;
mod m20261201_000011_calendars;
mod m20261201_000012_mail_preferences;
mod m20261201_000013_outbox_batches;
mod m20261201_000014_accounts;
mod m20261201_000015_standing_order;
mod m20261201_000016_actor_changes;

/// Runs Liaison's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_ambassador_programme::Migration),
            Box::new(m20261123_000003_groups_and_events::Migration),
            Box::new(m20261123_000004_recognition_and_passes::Migration),
            Box::new(m20261123_000005_uuid_v7::Migration),
            Box::new(m20261201_000006_feedback::Migration),
            Box::new(m20261201_000007_ambassador_toolkit::Migration),
            Box::new(m20261201_000008_imported_contributions::Migration),
            Box::new(m20261201_000009_outbox::Migration),
            Box::new(m20261201_000010_webhooks::Migration),
            Box::new(m20261201_000011_calendars::Migration),
            Box::new(m20261201_000012_mail_preferences::Migration),
            Box::new(m20261201_000013_outbox_batches::Migration),
            Box::new(m20261201_000014_accounts::Migration),
            Box::new(m20261201_000015_standing_order::Migration),
            Box::new(m20261201_000016_actor_changes::Migration),
        ]
    }
}
