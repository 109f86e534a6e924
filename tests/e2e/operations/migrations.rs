//! Migrations applied to a database that already holds data.

use liaison_tests::{database_url, drop_database, empty_database, exec, scalar};
use migration::{Migrator, MigratorTrait};
use sea_orm::Database;

#[tokio::test]
async fn members_who_registered_before_verification_existed_count_as_verified() {
    let name = empty_database().await;
    let db = Database::connect(database_url(&name))
        .await
        .expect("connect");
    // Up to the outbox batches (13), the last migration before accounts.
    Migrator::up(&db, Some(13)).await.expect("migrate to 13");
    exec(
        &db,
        "INSERT INTO members (id, email, password_hash, display_name, created_at)
         VALUES (uuid_generate_v7(), 'early@example.org', 'x', 'Early', now() - interval '90 days')",
    )
    .await;
    Migrator::up(&db, None).await.expect("migrate the rest");
    let verified = scalar(
        &db,
        "SELECT count(*) AS n FROM members WHERE email_verified_at = created_at AND erased_at IS NULL",
    )
    .await;
    assert_eq!(verified, 1, "verified as of their registration");
    db.close().await.expect("close");
    drop_database(&name).await;
}
