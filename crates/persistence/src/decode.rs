//! Columns that hold a domain name (a status, an origin) decode into the
//! domain's enum; a stored name the domain does not know is a type error,
//! not a silent string.

use std::str::FromStr;

use sea_orm::{DbErr, QueryResult};

/// Reads column `column` as one of `T`'s names.
pub(crate) fn named<T: FromStr>(row: &QueryResult, pre: &str, column: &str) -> Result<T, DbErr> {
    let raw: String = row.try_get(pre, column)?;
    raw.parse()
        .map_err(|_| DbErr::Type(format!("{column}: unknown name `{raw}`")))
}

/// Implements `FromQueryResult` for a row struct: the `plain` fields read as
/// they are, the `named` ones through [`named`] into their domain type.
macro_rules! row {
    ($ty:ident { $($plain:ident),* $(,)? } named { $($named:ident),* $(,)? }) => {
        impl sea_orm::FromQueryResult for $ty {
            fn from_query_result(
                row: &sea_orm::QueryResult,
                pre: &str,
            ) -> Result<Self, sea_orm::DbErr> {
                Ok(Self {
                    $($plain: row.try_get(pre, stringify!($plain))?,)*
                    $($named: $crate::decode::named(row, pre, stringify!($named))?,)*
                })
            }
        }
    };
}

pub(crate) use row;
