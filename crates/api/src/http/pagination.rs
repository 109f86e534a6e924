//! Cursor pagination: `limit` (default 50, 1–200) and an opaque `cursor`
//! (base64url JSON of the last row's sort key). Lists answer
//! `{"items": [...], "next_cursor": "…" | null}` in a stable order.

use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// Default page size.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page size.
pub const MAX_LIMIT: u64 = 200;

/// Paging parameters of a list endpoint.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200, example = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    /// The page size, or 400 when out of range.
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => Ok(n as u64),
            Some(_) => Err(ApiError::bad_param(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    /// The decoded cursor, or 400 when it was not one of ours.
    pub fn cursor<K: DeserializeOwned>(&self) -> Result<Option<K>, ApiError> {
        self.cursor.as_deref().map(decode).transpose()
    }
}

/// Encodes a sort key as an opaque cursor.
pub fn encode<K: Serialize>(key: &K) -> String {
    let json = serde_json::to_vec(key).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        // Keys of ours never hold a NUL (input refuses it), so a cursor
        // with one was made up, and must not reach SQL.
        .filter(|json| crate::http::screen::nul_fields(json).is_empty())
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| ApiError::bad_param("cursor", "not a cursor this API issued"))
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows: the extra row only
    /// tells that there is a next page.
    pub fn from_rows<R, K: Serialize>(
        mut rows: Vec<R>,
        limit: u64,
        key: impl Fn(&R) -> K,
        render: impl Fn(R) -> T,
    ) -> Self {
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if has_more {
            rows.last().map(|r| encode(&key(r)))
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(render).collect(),
            next_cursor,
        }
    }
}

impl<T> Page<T> {
    /// One page of a list that is computed whole (an eligibility ranking,
    /// a region's flagged groups, a group's few organizers): `rows` come
    /// sorted by `key`, ascending; the page holds those after the cursor's key.
    pub fn from_sorted<R, K>(
        rows: Vec<R>,
        page: &PageParams,
        key: impl Fn(&R) -> K,
        render: impl Fn(R) -> T,
    ) -> Result<Self, ApiError>
    where
        K: Ord + Serialize + DeserializeOwned,
    {
        let limit = page.limit()?;
        let after: Option<K> = page.cursor()?;
        let rows: Vec<R> = rows
            .into_iter()
            .filter(|r| after.as_ref().is_none_or(|a| key(r) > *a))
            .take(limit as usize + 1)
            .collect();
        Ok(Self::from_rows(rows, limit, key, render))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors() {
        let p = PageParams {
            limit: Some(0),
            cursor: None,
        };
        assert!(p.limit().is_err());
        let p = PageParams {
            limit: Some(201),
            cursor: None,
        };
        assert!(p.limit().is_err());
        let p = PageParams {
            limit: None,
            cursor: Some(encode(&"europe")),
        };
        assert_eq!(p.limit().ok(), Some(50));
        assert_eq!(
            p.cursor::<String>().ok().flatten(),
            Some("europe".to_owned())
        );
        let p = PageParams {
            limit: None,
            cursor: Some("!!".into()),
        };
        assert!(p.cursor::<String>().is_err());
    }

    #[test]
    fn a_cursor_holding_a_nul_is_refused() {
        let p = PageParams {
            limit: None,
            cursor: Some(encode(&"euro\0pe")),
        };
        assert!(p.cursor::<String>().is_err());
    }

    #[test]
    fn a_sorted_list_pages_from_the_cursor_on() {
        let params = |cursor: Option<String>| PageParams {
            limit: Some(2),
            cursor,
        };
        let first: Page<i32> = Page::from_sorted(vec![1, 2, 3, 5], &params(None), |r| *r, |r| r)
            .unwrap_or(Page {
                items: vec![],
                next_cursor: None,
            });
        assert_eq!(first.items, vec![1, 2]);
        let second: Page<i32> =
            Page::from_sorted(vec![1, 3, 5], &params(first.next_cursor), |r| *r, |r| r).unwrap_or(
                Page {
                    items: vec![],
                    next_cursor: None,
                },
            );
        assert_eq!((second.items, second.next_cursor), (vec![3, 5], None));
    }

    #[test]
    fn a_page_knows_whether_more_follow() {
        let page: Page<i32> = Page::from_rows(vec![1, 2, 3], 2, |r| *r, |r| r);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(encode(&2)));
        let page: Page<i32> = Page::from_rows(vec![1, 2], 2, |r| *r, |r| r);
        assert_eq!(page.next_cursor, None);
    }
}
