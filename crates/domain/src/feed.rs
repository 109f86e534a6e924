//! The change feed's position (`pitfalls.md`, "The xmin horizon is the whole
//! server's"): the reader's last PostgreSQL snapshot, not a transaction id
//! below which everything has committed. A page returns the changes whose
//! transaction was not visible in that snapshot but is visible now, so a
//! commit shows up at once, whatever else runs on the server, and none is
//! missed or repeated.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A PostgreSQL snapshot as `pg_snapshot` prints it: `xmin:xmax:xip,…`.
/// Transactions below `xmin` are visible; from `xmax` on, not; between,
/// all but those in progress (`xip`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    xmin: u64,
    xmax: u64,
    xip: Vec<u64>,
}

impl Snapshot {
    /// The snapshot in which nothing is visible: a reader's start.
    pub fn nothing() -> Self {
        Self {
            xmin: 1,
            xmax: 1,
            xip: Vec::new(),
        }
    }

    /// Everything before transaction `xid` is visible (a cursor of the
    /// older `(xid, id)` form).
    pub fn before(xid: u64) -> Self {
        Self {
            xmin: xid,
            xmax: xid,
            xip: Vec::new(),
        }
    }

    /// Whether transaction `xid` is visible in it (`pg_visible_in_snapshot`).
    pub fn sees(&self, xid: u64) -> bool {
        xid < self.xmin || (xid < self.xmax && !self.xip.contains(&xid))
    }
}

impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let xip: Vec<String> = self.xip.iter().map(u64::to_string).collect();
        write!(f, "{}:{}:{}", self.xmin, self.xmax, xip.join(","))
    }
}

impl FromStr for Snapshot {
    type Err = ();

    /// Only what PostgreSQL itself would accept reaches SQL: 1 ≤ xmin ≤ xmax,
    /// in-progress ids sorted, distinct and within [xmin, xmax).
    fn from_str(raw: &str) -> Result<Self, ()> {
        let mut parts = raw.split(':');
        let (Some(xmin), Some(xmax), Some(xip), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(());
        };
        let number = |s: &str| -> Result<u64, ()> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().map_err(|_| ()))
                .ok_or(())?
        };
        let (xmin, xmax) = (number(xmin)?, number(xmax)?);
        let xip: Vec<u64> = if xip.is_empty() {
            Vec::new()
        } else {
            xip.split(',').map(number).collect::<Result<_, _>>()?
        };
        let ordered = xip.windows(2).all(|w| w[0] < w[1]);
        let inside = xip.iter().all(|x| (xmin..xmax).contains(x));
        (xmin >= 1 && xmin <= xmax && ordered && inside)
            .then_some(Self { xmin, xmax, xip })
            .ok_or(())
    }
}

impl Serialize for Snapshot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Snapshot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        raw.parse()
            .map_err(|_| serde::de::Error::custom("not a snapshot"))
    }
}

/// Where a reader stands in the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// What the reader has seen: every change visible in this snapshot.
    pub seen: Snapshot,
    /// Mid-way through the changes up to this snapshot (a page was full),
    /// after `after`; `None` once they are all read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upto: Option<Snapshot>,
    /// The last change returned, as (xid, id), while `upto` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<(u64, i64)>,
}

impl Position {
    /// A reader's first read.
    pub fn start() -> Self {
        Self {
            seen: Snapshot::nothing(),
            upto: None,
            after: None,
        }
    }

    /// A cursor of the older form `(xid, id)`: everything before `xid`, and
    /// of `xid` the changes up to `id`, were read.
    pub fn legacy(xid: u64, id: i64) -> Self {
        Self {
            seen: Snapshot::before(xid),
            upto: None,
            after: Some((xid, id)),
        }
    }

    /// Where the reader stands after a page of `returned` changes (the last
    /// at `last`) out of at most `limit`, read up to snapshot `now`.
    pub fn next(
        &self,
        now: Snapshot,
        returned: usize,
        limit: usize,
        last: Option<(u64, i64)>,
    ) -> Self {
        if returned < limit {
            // Everything up to `now` is read: the next page starts from it.
            Self {
                seen: now,
                upto: None,
                after: None,
            }
        } else {
            Self {
                seen: self.seen.clone(),
                upto: Some(now),
                after: last.or(self.after),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_parse_as_postgresql_prints_them() {
        let s: Snapshot = "100:105:101,103".parse().expect("a snapshot");
        assert_eq!(s.to_string(), "100:105:101,103");
        assert!(s.sees(99) && s.sees(100) && s.sees(102) && s.sees(104));
        assert!(!s.sees(101) && !s.sees(103) && !s.sees(105));
        assert_eq!(
            "7:7:".parse::<Snapshot>().map(|s| s.to_string()),
            Ok("7:7:".into())
        );
        for bad in [
            "", "1:2", "1:2:3:4", "5:4:", "0:0:", "1:5:6", "1:5:3,2", "1:5:2,2", "a:5:", "-1:5:",
            "1:5: 2",
        ] {
            assert!(bad.parse::<Snapshot>().is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn the_start_sees_nothing_and_a_legacy_cursor_sees_what_came_before() {
        assert!(!Snapshot::nothing().sees(3));
        let legacy = Position::legacy(500, 42);
        assert!(legacy.seen.sees(499) && !legacy.seen.sees(500));
        assert_eq!(legacy.after, Some((500, 42)));
    }

    #[test]
    fn a_full_page_stays_on_its_snapshot_and_a_short_one_moves_on() {
        let now: Snapshot = "200:210:205".parse().expect("a snapshot");
        let start = Position::start();
        let full = start.next(now.clone(), 10, 10, Some((150, 7)));
        assert_eq!(full.seen, Snapshot::nothing());
        assert_eq!(full.upto, Some(now.clone()));
        assert_eq!(full.after, Some((150, 7)));
        let done = full.next(now.clone(), 3, 10, Some((160, 9)));
        assert_eq!(
            done,
            Position {
                seen: now,
                upto: None,
                after: None
            }
        );
    }

    #[test]
    fn positions_round_trip_through_json_and_refuse_strangers() {
        let p = Position::legacy(9, 1);
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(serde_json::from_str::<Position>(&json).expect("back"), p);
        assert!(serde_json::from_str::<Position>(r#"{"a":1}"#).is_err());
        assert!(serde_json::from_str::<Position>(r#"{"seen":"9:1:"}"#).is_err());
    }
}
