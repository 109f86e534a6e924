//! Recognition of contributors (`domain.md` "Recognition of contributors"):
//! claims, versioned programme rules, and the eligibility explanation.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::error::{Errors, FieldError, Invalid};
use crate::values::text_len;

crate::named! {
    /// Where a contribution stands.
    pub enum ContributionStatus {
        /// Claimed, awaiting verification.
        Pending = "pending",
        /// Verified (or derived from data): it counts.
        Verified = "verified",
        /// Refused by a verifier, with a note.
        Rejected = "rejected",
    }
}

/// One kind's weight in a rules version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindRule {
    /// Points per counted contribution.
    pub points: i32,
    /// How many of the most recent contributions count.
    pub max_count: i32,
}

/// A rules version of a programme (immutable once published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Contributions count when `occurred_on` is in (cutoff − window_days, cutoff].
    pub window_days: i32,
    /// Points needed.
    pub threshold_points: i32,
    /// Per kind.
    pub kinds: BTreeMap<String, KindRule>,
}

impl Rules {
    /// Checks a new rules version against the known kinds.
    pub fn parse(
        window_days: i32,
        threshold_points: i32,
        kinds: &[(String, i32, i32)],
        known_kinds: &[String],
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        if !(1..=3660).contains(&window_days) {
            errors.push(FieldError::new(
                "window_days",
                "range",
                "must be between 1 and 3660",
            ));
        }
        if !(1..=100_000).contains(&threshold_points) {
            errors.push(FieldError::new(
                "threshold_points",
                "range",
                "must be between 1 and 100000",
            ));
        }
        if kinds.is_empty() {
            errors.push(FieldError::new(
                "kinds",
                "required",
                "at least one kind must earn points",
            ));
        }
        let mut map = BTreeMap::new();
        for (i, (kind, points, max_count)) in kinds.iter().enumerate() {
            if !known_kinds.contains(kind) {
                errors.push(FieldError::new(
                    format!("kinds[{i}].kind"),
                    "unknown_kind",
                    format!("no contribution kind `{kind}`"),
                ));
            }
            if !(0..=1000).contains(points) {
                errors.push(FieldError::new(
                    format!("kinds[{i}].points"),
                    "range",
                    "must be between 0 and 1000",
                ));
            }
            if !(1..=1000).contains(max_count) {
                errors.push(FieldError::new(
                    format!("kinds[{i}].max_count"),
                    "range",
                    "must be between 1 and 1000",
                ));
            }
            if map
                .insert(
                    kind.clone(),
                    KindRule {
                        points: *points,
                        max_count: *max_count,
                    },
                )
                .is_some()
            {
                errors.push(FieldError::new(
                    format!("kinds[{i}].kind"),
                    "duplicate",
                    "listed twice",
                ));
            }
        }
        errors.finish()?;
        Ok(Self {
            window_days,
            threshold_points,
            kinds: map,
        })
    }

    /// The first day of the window ending at `cutoff` (exclusive bound + 1).
    pub fn window_start(&self, cutoff: NaiveDate) -> NaiveDate {
        cutoff - Duration::days(i64::from(self.window_days) - 1)
    }
}

/// A claim a member makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence_url: Option<String>,
}

impl Claim {
    /// Checks a claim: a known kind, not in the future, a title, an http(s) evidence URL.
    pub fn parse(
        kind: &str,
        occurred_on: NaiveDate,
        title: &str,
        evidence_url: Option<&str>,
        known_kinds: &[String],
        today: NaiveDate,
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        if !known_kinds.iter().any(|k| k == kind) {
            errors.push(FieldError::new(
                "kind",
                "unknown_kind",
                format!("no contribution kind `{kind}`"),
            ));
        }
        if occurred_on > today {
            errors.push(FieldError::new(
                "occurred_on",
                "in_future",
                "a contribution cannot have happened after today",
            ));
        }
        let title = errors.take(text_len("title", title, 3, 200));
        let evidence_url = match evidence_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u)
                if (u.starts_with("https://") || u.starts_with("http://"))
                    && u.len() <= 2000
                    && !u.contains(' ') =>
            {
                Some(u.to_owned())
            }
            Some(_) => {
                errors.push(FieldError::new(
                    "evidence_url",
                    "invalid_url",
                    "must be an http(s) URL",
                ));
                None
            }
            None => None,
        };
        errors.finish()?;
        Ok(Self {
            kind: kind.to_owned(),
            occurred_on,
            title: title.unwrap_or_default(),
            evidence_url,
        })
    }
}

/// A fact in the data that earns contributions by itself, already verified
/// and never twice (the `derived_from` key makes each one happen once per
/// member). New sources plug in as new variants, e.g. an author's feedback
/// item reaching `forwarded` will be `FeedbackForwarded`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Derivation {
    /// These events became `held`: each organizer of their group earns `event_organized`.
    EventsHeld(Vec<uuid::Uuid>),
    /// This feedback item reached `forwarded`: its author earns `feedback_submitted`.
    FeedbackForwarded(uuid::Uuid),
    /// This message translation was accepted: its translator earns
    /// `localization`, once per (message, language).
    TranslationAccepted(uuid::Uuid),
}

impl Derivation {
    /// The contribution kind it earns.
    pub fn kind(&self) -> &'static str {
        match self {
            Derivation::EventsHeld(_) => "event_organized",
            Derivation::FeedbackForwarded(_) => "feedback_submitted",
            Derivation::TranslationAccepted(_) => "localization",
        }
    }

    /// Whether there is nothing to derive.
    pub fn is_empty(&self) -> bool {
        match self {
            Derivation::EventsHeld(ids) => ids.is_empty(),
            Derivation::FeedbackForwarded(_) | Derivation::TranslationAccepted(_) => false,
        }
    }
}

/// A contribution as eligibility sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub verified: bool,
}

/// One kind's line in an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindLine {
    pub kind: String,
    /// Verified contributions in the window.
    pub verified: i64,
    /// Those that count (the most recent `max_count`).
    pub counted: i64,
    /// Those beyond `max_count`.
    pub capped: i64,
    pub points_each: i32,
    pub points: i64,
}

/// Why a member is or is not eligible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub eligible: bool,
    pub points: i64,
    pub threshold_points: i32,
    pub points_missing: i64,
    pub window_start: NaiveDate,
    pub cutoff: NaiveDate,
    pub kinds: Vec<KindLine>,
    /// Claims still pending in the window (they count once verified).
    pub pending: i64,
    /// The day the counted contributions first reached the threshold.
    pub reached_on: Option<NaiveDate>,
    /// Whether the member verified their email: no pass is issued before,
    /// whatever the points.
    pub email_verified: bool,
    /// What stands in the way besides points, in words.
    pub blocked_by: Vec<String>,
}

/// Explains one member's eligibility. The same rule as the set-based query:
/// verified contributions with `occurred_on` in (cutoff − window, cutoff];
/// per kind the most recent `max_count` count, each worth `points`; and a
/// verified email.
pub fn explain(
    rules: &Rules,
    cutoff: NaiveDate,
    contributions: &[Counted],
    email_verified: bool,
) -> Explanation {
    let start = rules.window_start(cutoff);
    let in_window = |c: &&Counted| c.occurred_on >= start && c.occurred_on <= cutoff;
    let pending = contributions
        .iter()
        .filter(in_window)
        .filter(|c| !c.verified)
        .count() as i64;
    let mut kinds = Vec::new();
    let mut counted_days: Vec<(NaiveDate, i64)> = Vec::new();
    for (kind, rule) in &rules.kinds {
        let mut days: Vec<NaiveDate> = contributions
            .iter()
            .filter(in_window)
            .filter(|c| c.verified && &c.kind == kind)
            .map(|c| c.occurred_on)
            .collect();
        days.sort_by(|a, b| b.cmp(a));
        let verified = days.len() as i64;
        let counted = verified.min(i64::from(rule.max_count));
        counted_days.extend(
            days.iter()
                .take(counted as usize)
                .map(|d| (*d, i64::from(rule.points))),
        );
        kinds.push(KindLine {
            kind: kind.clone(),
            verified,
            counted,
            capped: verified - counted,
            points_each: rule.points,
            points: counted * i64::from(rule.points),
        });
    }
    let points: i64 = kinds.iter().map(|k| k.points).sum();
    counted_days.sort();
    let mut running = 0;
    let reached_on = counted_days.iter().find_map(|(day, p)| {
        running += p;
        (running >= i64::from(rules.threshold_points)).then_some(*day)
    });
    let blocked_by = if email_verified {
        vec![]
    } else {
        vec!["the email address is not verified yet: no pass is issued until it is (POST /v1/auth/verify-email)".to_owned()]
    };
    Explanation {
        eligible: points >= i64::from(rules.threshold_points) && email_verified,
        points,
        threshold_points: rules.threshold_points,
        points_missing: (i64::from(rules.threshold_points) - points).max(0),
        window_start: start,
        cutoff,
        kinds,
        pending,
        reached_on,
        email_verified,
        blocked_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + Duration::days(i64::from(d))
    }

    fn rules() -> Rules {
        let known = vec!["event_organized".to_owned(), "talk_given".to_owned()];
        Rules::parse(
            365,
            10,
            &[
                ("event_organized".into(), 2, 3),
                ("talk_given".into(), 3, 2),
            ],
            &known,
        )
        .unwrap_or_else(|_| Rules {
            window_days: 0,
            threshold_points: 0,
            kinds: BTreeMap::new(),
        })
    }

    #[test]
    fn the_most_recent_max_count_count_and_the_rest_are_capped() {
        let c: Vec<Counted> = (0..5)
            .map(|i| Counted {
                kind: "event_organized".into(),
                occurred_on: day(100 + i),
                verified: true,
            })
            .chain([Counted {
                kind: "talk_given".into(),
                occurred_on: day(50),
                verified: true,
            }])
            .chain([Counted {
                kind: "talk_given".into(),
                occurred_on: day(60),
                verified: false,
            }])
            .collect();
        let e = explain(&rules(), day(200), &c, true);
        assert_eq!(e.points, 3 * 2 + 3);
        assert!(!e.eligible);
        assert_eq!(e.points_missing, 1);
        assert_eq!(e.pending, 1);
        let events = &e.kinds[0];
        assert_eq!((events.verified, events.counted, events.capped), (5, 3, 2));
    }

    #[test]
    fn the_window_is_cutoff_minus_window_days_exclusive_to_cutoff_inclusive() {
        let r = rules();
        let cutoff = day(400);
        let start = r.window_start(cutoff);
        let c = vec![
            Counted {
                kind: "talk_given".into(),
                occurred_on: start,
                verified: true,
            },
            Counted {
                kind: "talk_given".into(),
                occurred_on: start - Duration::days(1),
                verified: true,
            },
            Counted {
                kind: "event_organized".into(),
                occurred_on: cutoff,
                verified: true,
            },
            Counted {
                kind: "event_organized".into(),
                occurred_on: cutoff + Duration::days(1),
                verified: true,
            },
        ];
        let e = explain(&r, cutoff, &c, true);
        assert_eq!(e.points, 3 + 2);
    }

    #[test]
    fn enough_points_without_a_verified_email_are_not_eligible_and_say_why() {
        let c: Vec<Counted> = (1..=5)
            .map(|d| Counted {
                kind: if d <= 3 {
                    "event_organized"
                } else {
                    "talk_given"
                }
                .into(),
                occurred_on: day(d),
                verified: true,
            })
            .collect();
        let verified = explain(&rules(), day(100), &c, true);
        let unverified = explain(&rules(), day(100), &c, false);
        assert!(verified.eligible && verified.blocked_by.is_empty());
        assert_eq!(unverified.points, verified.points);
        assert!(!unverified.eligible);
        assert!(unverified.blocked_by[0].contains("not verified"));
    }

    #[test]
    fn reached_on_is_the_day_the_running_total_meets_the_threshold() {
        let c: Vec<Counted> = [10, 20, 30]
            .iter()
            .map(|d| Counted {
                kind: "event_organized".into(),
                occurred_on: day(*d),
                verified: true,
            })
            .chain([10, 40].iter().map(|d| Counted {
                kind: "talk_given".into(),
                occurred_on: day(*d),
                verified: true,
            }))
            .collect();
        let e = explain(&rules(), day(100), &c, true);
        assert_eq!(e.points, 12);
        assert_eq!(e.reached_on, Some(day(40)));
    }

    #[test]
    fn claims_and_rules_are_checked() {
        let known = vec!["talk_given".to_owned()];
        let err = Claim::parse("nope", day(10), "x", Some("ftp://x"), &known, day(5)).err();
        let fields: Vec<String> = err
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["kind", "occurred_on", "title", "evidence_url"]);
        let err = Rules::parse(0, 0, &[("nope".into(), -1, 0)], &known).err();
        assert_eq!(err.map(|e| e.0.len()), Some(5));
    }
}
