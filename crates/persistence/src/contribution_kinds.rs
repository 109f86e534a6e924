//! Contribution kinds: the staff-managed list of what can be claimed.

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::{classify, Error};
use crate::stmt;

/// A contribution kind.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Kind {
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// Every kind, by slug.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Kind>, Error> {
    Ok(Kind::find_by_statement(stmt(
        "SELECT slug, name, description FROM contribution_kinds ORDER BY slug",
        vec![],
    ))
    .all(db)
    .await?)
}

/// Adds a kind; a taken slug fails with `Duplicate`.
pub async fn insert(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    description: &str,
) -> Result<(), Error> {
    db.execute(stmt(
        "INSERT INTO contribution_kinds (slug, name, description) VALUES ($1, $2, $3)",
        vec![slug.into(), name.into(), description.into()],
    ))
    .await
    .map_err(classify)?;
    Ok(())
}
