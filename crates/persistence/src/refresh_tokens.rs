//! Refresh tokens, stored as SHA-256 hashes and rotated on every use. A token
//! presented twice means it leaked: its whole family is revoked.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QuerySelect};

use crate::error::Error;

/// The `refresh_tokens` table.
pub mod entity {
    use sea_orm::entity::prelude::*;

    /// A refresh token row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "refresh_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub family_id: Uuid,
        pub member_id: Uuid,
        pub token_hash: Vec<u8>,
        pub issued_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use entity::Model as RefreshToken;

/// Stores a new token of `family_id`.
#[tracing::instrument(skip_all)]
pub async fn insert(
    db: &impl ConnectionTrait,
    family_id: Uuid,
    member_id: Uuid,
    token_hash: Vec<u8>,
    expires_at: DateTime<Utc>,
) -> Result<RefreshToken, Error> {
    Ok(entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        member_id: Set(member_id),
        token_hash: Set(token_hash),
        issued_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// The token with this hash, locked so two refreshes of it serialise.
#[tracing::instrument(skip_all)]
pub async fn find_for_update(
    db: &impl ConnectionTrait,
    token_hash: &[u8],
) -> Result<Option<RefreshToken>, Error> {
    Ok(entity::Entity::find()
        .filter(entity::Column::TokenHash.eq(token_hash.to_vec()))
        .lock_exclusive()
        .one(db)
        .await?)
}

/// Marks a token used (it has been exchanged for its successor).
#[tracing::instrument(skip(db))]
pub async fn mark_used(db: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    entity::Entity::update_many()
        .col_expr(entity::Column::UsedAt, Expr::current_timestamp().into())
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a family still live.
#[tracing::instrument(skip(db))]
pub async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<u64, Error> {
    let result = entity::Entity::update_many()
        .col_expr(entity::Column::RevokedAt, Expr::current_timestamp().into())
        .filter(entity::Column::FamilyId.eq(family_id))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
