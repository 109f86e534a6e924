//! The rules preview (`domain.md` "Rules preview"): given every member's
//! standing under a summit's current rules and under a draft, who gains and
//! who loses, per region and in total, and how points are spread under each.

use std::collections::BTreeMap;

use serde::Serialize;

/// A member's points under one rules version, and whether they reach its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub points: i64,
    pub eligible: bool,
}

/// What a draft does to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Eligible under the draft only.
    Gained,
    /// Eligible under the current version only.
    Lost,
    /// Eligible under both, or neither.
    Unchanged,
}

impl Change {
    /// From the standings under the current version and the draft.
    pub fn of(current: Standing, draft: Standing) -> Self {
        match (current.eligible, draft.eligible) {
            (false, true) => Self::Gained,
            (true, false) => Self::Lost,
            _ => Self::Unchanged,
        }
    }

    /// Its name in CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gained => "gained",
            Self::Lost => "lost",
            Self::Unchanged => "unchanged",
        }
    }
}

/// The quartiles of the eligible members' points, interpolated linearly
/// between ranks (PostgreSQL's `percentile_cont`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

impl Quartiles {
    /// Of `points`, sorted ascending; `None` when empty.
    pub fn of_sorted(points: &[i64]) -> Option<Self> {
        let at = |fraction: f64| {
            let position = fraction * (points.len() - 1) as f64;
            let (low, high) = (position.floor() as usize, position.ceil() as usize);
            let weight = position - low as f64;
            points[low] as f64 + (points[high] - points[low]) as f64 * weight
        };
        (!points.is_empty()).then(|| Self {
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
        })
    }
}

/// Those eligible under one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Side {
    pub eligible: i64,
    /// `null` when nobody is eligible.
    pub quartiles: Option<Quartiles>,
}

/// A region's (or the whole programme's) comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Region slug; `null` for members whose country is in no region (and for the total).
    pub region: Option<String>,
    pub current: Side,
    pub draft: Side,
    pub gained: i64,
    pub lost: i64,
}

#[derive(Default)]
struct Collect {
    current: Vec<i64>,
    draft: Vec<i64>,
    gained: i64,
    lost: i64,
}

impl Collect {
    fn add(&mut self, current: Standing, draft: Standing) {
        if current.eligible {
            self.current.push(current.points);
        }
        if draft.eligible {
            self.draft.push(draft.points);
        }
        match Change::of(current, draft) {
            Change::Gained => self.gained += 1,
            Change::Lost => self.lost += 1,
            Change::Unchanged => {}
        }
    }

    fn finish(mut self, region: Option<String>) -> Tally {
        let side = |points: &mut Vec<i64>| {
            points.sort_unstable();
            Side {
                eligible: points.len() as i64,
                quartiles: Quartiles::of_sorted(points),
            }
        };
        Tally {
            region,
            current: side(&mut self.current),
            draft: side(&mut self.draft),
            gained: self.gained,
            lost: self.lost,
        }
    }
}

/// The total and one tally per region (by slug, members of no region
/// last), from each member's region and standings.
pub fn tally<'a>(
    members: impl IntoIterator<Item = (Option<&'a str>, Standing, Standing)>,
) -> (Tally, Vec<Tally>) {
    let mut total = Collect::default();
    let mut regions: BTreeMap<Option<&str>, Collect> = BTreeMap::new();
    for (region, current, draft) in members {
        total.add(current, draft);
        regions.entry(region).or_default().add(current, draft);
    }
    let mut per_region: Vec<Tally> = regions
        .into_iter()
        .map(|(region, c)| c.finish(region.map(str::to_owned)))
        .collect();
    // BTreeMap puts `None` first; members of no region read best last.
    let none_first = per_region.first().is_some_and(|t| t.region.is_none());
    per_region.rotate_left(usize::from(none_first));
    (total.finish(None), per_region)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(points: i64, eligible: bool) -> Standing {
        Standing { points, eligible }
    }

    #[test]
    fn quartiles_interpolate_as_percentile_cont() {
        assert_eq!(Quartiles::of_sorted(&[]), None);
        assert_eq!(
            Quartiles::of_sorted(&[7]),
            Some(Quartiles {
                q1: 7.0,
                median: 7.0,
                q3: 7.0
            })
        );
        // percentile_cont(0.25) of 1..=4 is 1.75, the median 2.5, 0.75 is 3.25.
        assert_eq!(
            Quartiles::of_sorted(&[1, 2, 3, 4]),
            Some(Quartiles {
                q1: 1.75,
                median: 2.5,
                q3: 3.25
            })
        );
    }

    #[test]
    fn gained_and_lost_follow_eligibility_not_points() {
        assert_eq!(Change::of(s(5, false), s(9, true)), Change::Gained);
        assert_eq!(Change::of(s(9, true), s(5, false)), Change::Lost);
        assert_eq!(Change::of(s(9, true), s(12, true)), Change::Unchanged);
    }

    #[test]
    fn a_tally_per_region_and_in_total() {
        let (total, regions) = tally([
            (Some("europe"), s(10, true), s(10, true)),
            (Some("europe"), s(8, true), s(8, false)),
            (Some("asia"), s(4, false), s(12, true)),
            (None, s(20, true), s(20, true)),
        ]);
        assert_eq!(total.current.eligible, 3);
        assert_eq!(total.draft.eligible, 3);
        assert_eq!((total.gained, total.lost), (1, 1));
        let names: Vec<Option<&str>> = regions.iter().map(|t| t.region.as_deref()).collect();
        assert_eq!(names, [Some("asia"), Some("europe"), None]);
        let europe = &regions[1];
        assert_eq!((europe.current.eligible, europe.draft.eligible), (2, 1));
        assert_eq!(europe.current.quartiles.map(|q| q.median), Some(9.0));
        assert_eq!(regions[0].current.quartiles, None);
    }
}
