//! Fixed-window rate-limit counters shared by every server process: one
//! atomic upsert per check, so N processes still allow the limit, not N×.

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::error::Error;
use crate::stmt;

/// The state of a bucket after one more hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct Window {
    /// Hits in the current window, this one included.
    pub hits: i32,
    /// Seconds until the window resets.
    pub reset_in: i32,
}

/// Counts one hit on `bucket` in windows of `window_secs`.
pub async fn hit(
    db: &impl ConnectionTrait,
    bucket: &str,
    window_secs: i64,
) -> Result<Window, Error> {
    let window = Window::find_by_statement(stmt("WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2) AS start)
         INSERT INTO rate_limits AS r (bucket, window_start, hits)
         SELECT $1, w.start, 1 FROM w
         ON CONFLICT (bucket) DO UPDATE
           SET hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
               window_start = EXCLUDED.window_start
         RETURNING hits,
           GREATEST(1, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - clock_timestamp())))::int AS reset_in",
        [bucket.into(), (window_secs as f64).into()],
    ))
    .one(db)
    .await?;
    Ok(window.unwrap_or(Window {
        hits: 1,
        reset_in: window_secs as i32,
    }))
}

/// Drops windows that ended long ago; run periodically.
pub async fn purge_stale(db: &impl ConnectionTrait) -> Result<u64, Error> {
    let result = db
        .execute_unprepared(
            "DELETE FROM rate_limits WHERE window_start < now() - interval '1 hour'",
        )
        .await?;
    Ok(result.rows_affected())
}
