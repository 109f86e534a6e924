//! Service accounts: API keys for foundation scripts and group websites. Keys
//! are long random strings, so a SHA-256 of the key is a safe lookup value.

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder, QuerySelect};

use crate::error::Error;

/// The `service_accounts` table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    /// A service account row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "service_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub key_prefix: String,
        pub key_hash: Vec<u8>,
        pub scopes: Vec<String>,
        pub group_ids: Vec<Uuid>,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as ServiceAccount;

/// A service account to create.
#[derive(Debug, Clone)]
pub struct NewServiceAccount {
    pub name: String,
    pub key_prefix: String,
    pub key_hash: Vec<u8>,
    pub scopes: Vec<String>,
    pub group_ids: Vec<Uuid>,
    pub created_by: Option<Uuid>,
}

/// Stores a service account.
#[tracing::instrument(skip_all)]
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewServiceAccount,
) -> Result<ServiceAccount, Error> {
    Ok(entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(new.name),
        key_prefix: Set(new.key_prefix),
        key_hash: Set(new.key_hash),
        scopes: Set(new.scopes),
        group_ids: Set(new.group_ids),
        created_by: Set(new.created_by),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// The live (not revoked) account holding the key with this hash.
#[tracing::instrument(skip_all)]
pub async fn find_live_by_key_hash(
    db: &impl ConnectionTrait,
    key_hash: &[u8],
) -> Result<Option<ServiceAccount>, Error> {
    Ok(entity::Entity::find()
        .filter(entity::Column::KeyHash.eq(key_hash.to_vec()))
        .filter(entity::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}

/// A service account by id.
#[tracing::instrument(skip(db))]
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ServiceAccount>, Error> {
    Ok(entity::Entity::find_by_id(id).one(db).await?)
}

/// One page of service accounts, oldest first, after the cursor `after`.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ServiceAccount>, Error> {
    let mut query = entity::Entity::find()
        .order_by_asc(entity::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(entity::Column::Id.gt(after));
    }
    Ok(query.all(db).await?)
}

/// Revokes an account's key at once; answers whether it was live.
#[tracing::instrument(skip(db))]
pub async fn revoke(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, Error> {
    let result = entity::Entity::update_many()
        .col_expr(entity::Column::RevokedAt, Expr::current_timestamp().into())
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
