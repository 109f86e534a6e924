//! The persistence layer's one error type: a database failure, or a rule
//! the database itself enforced (a unique key, a country already taken).

use sea_orm::{DbErr, RuntimeErr};

/// What a persistence call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed or could not be reached.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// A unique constraint refused the write; carries the constraint's name.
    #[error("unique constraint {0} violated")]
    Duplicate(String),
    /// These countries already belong to another region.
    #[error("countries already in another region: {0:?}")]
    CountriesTaken(Vec<String>),
}

impl Error {
    /// Whether the failure means the database cannot be reached (answer 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Db(err) if is_unavailable(err))
    }

    /// Whether a statement was cancelled by `statement_timeout` (57014).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Db(err) if matches!(
            sqlx_error(err),
            Some(sqlx::Error::Database(db)) if db.code().as_deref() == Some("57014")
        ))
    }
}

fn sqlx_error(err: &DbErr) -> Option<&sqlx::Error> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    }
}

/// Whether a database error means the server is unreachable or the pool is exhausted.
pub fn is_unavailable(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        _ => {
            matches!(
                sqlx_error(err),
                Some(
                    sqlx::Error::Io(_)
                        | sqlx::Error::PoolTimedOut
                        | sqlx::Error::PoolClosed
                        | sqlx::Error::Tls(_)
                        | sqlx::Error::WorkerCrashed
                )
            ) || matches!(
                sqlx_error(err),
                // 57P01 admin_shutdown, 57P03 cannot_connect_now, 08xxx connection exceptions.
                Some(sqlx::Error::Database(db)) if db.code().is_some_and(|c| c.starts_with("08") || c == "57P01" || c == "57P03")
            )
        }
    }
}

/// The name of the unique constraint a write violated, if that is why it failed.
pub fn violated_unique(err: &DbErr) -> Option<String> {
    match sqlx_error(err) {
        Some(sqlx::Error::Database(db)) if db.code().as_deref() == Some("23505") => {
            Some(db.constraint().unwrap_or_default().to_owned())
        }
        _ => None,
    }
}

/// Turns a unique violation into [`Error::Duplicate`], other errors into [`Error::Db`].
pub fn classify(err: DbErr) -> Error {
    match violated_unique(&err) {
        Some(constraint) => Error::Duplicate(constraint),
        None => Error::Db(err),
    }
}
