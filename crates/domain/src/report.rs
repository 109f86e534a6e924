//! Activity reports (`domain.md` "Activity reports"): the quarter they cover,
//! what a report holds, and when an ambassador is overdue.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::error::{Errors, FieldError, Invalid};
use crate::values::text_len;

/// Days after a quarter ends before its missing report makes the ambassador overdue.
pub const GRACE_DAYS: i64 = 30;
/// Most highlights on a report.
pub const MAX_HIGHLIGHTS: usize = 20;

/// A calendar quarter in UTC, written `2026-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1 to 4.
    number: u8,
}

impl Quarter {
    /// The quarter `number` (1–4) of `year` (1970–9999).
    pub fn new(year: i32, number: u8) -> Option<Self> {
        ((1970..=9999).contains(&year) && (1..=4).contains(&number))
            .then_some(Self { year, number })
    }

    /// The quarter that holds `at`.
    pub fn containing(at: DateTime<Utc>) -> Self {
        let date = at.date_naive();
        Self {
            year: chrono::Datelike::year(&date),
            number: (chrono::Datelike::month0(&date) / 3 + 1) as u8,
        }
    }

    /// Parses `YYYY-Qn`, naming `field` when it is malformed.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        raw.parse().map_err(|_| {
            Invalid::one(
                field,
                "invalid_period",
                format!("`{raw}` is not a quarter such as `2026-Q3`"),
            )
        })
    }

    /// Parses a quarter that has begun by `now`: a report or draft of a
    /// quarter yet to come has nothing to say.
    pub fn parse_begun(field: &str, raw: &str, now: DateTime<Utc>) -> Result<Self, Invalid> {
        let quarter = Self::parse(field, raw)?;
        if quarter.starts_at() > now {
            return Err(Invalid::one(
                field,
                "future_period",
                format!("{quarter} has not begun"),
            ));
        }
        Ok(quarter)
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        // Always valid: the month is 1, 4, 7 or 10 and the year in range.
        NaiveDate::from_ymd_opt(self.year, u32::from(self.number) * 3 - 2, 1)
            .unwrap_or(NaiveDate::MIN)
    }

    /// Its first instant, inclusive.
    pub fn starts_at(self) -> DateTime<Utc> {
        Utc.from_utc_datetime(&self.first_day().and_time(chrono::NaiveTime::MIN))
    }

    /// The first instant of the next quarter, exclusive.
    pub fn ends_at(self) -> DateTime<Utc> {
        self.next().starts_at()
    }

    /// The quarter after.
    pub fn next(self) -> Self {
        if self.number == 4 {
            Self {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Self {
                year: self.year,
                number: self.number + 1,
            }
        }
    }

    /// The quarter before.
    pub fn previous(self) -> Self {
        if self.number == 1 {
            Self {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Self {
                year: self.year,
                number: self.number - 1,
            }
        }
    }

    /// When a missing report of this quarter makes its ambassador overdue.
    pub fn grace_ends_at(self) -> DateTime<Utc> {
        self.ends_at() + Duration::days(GRACE_DAYS)
    }

    /// The latest quarter whose report is due at `now`: the previous
    /// quarter once its grace has passed, else the one before it.
    pub fn last_due(now: DateTime<Utc>) -> Self {
        let previous = Self::containing(now).previous();
        if now >= previous.grace_ends_at() {
            previous
        } else {
            previous.previous()
        }
    }

    /// Whether a term from `term_start` to `term_end` (exclusive) covers any of it.
    pub fn overlaps_term(self, term_start: NaiveDate, term_end: NaiveDate) -> bool {
        term_start < self.next().first_day() && self.first_day() < term_end
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.number)
    }
}

impl FromStr for Quarter {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        let (year, number) = raw.split_once("-Q").ok_or(())?;
        if year.len() != 4 || number.len() != 1 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let year = year.parse().map_err(|_| ())?;
        let number = number.parse().map_err(|_| ())?;
        Self::new(year, number).ok_or(())
    }
}

/// What an ambassador writes in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub summary: String,
    pub highlights: Vec<String>,
}

impl ReportText {
    /// Checks a summary (1–10,000 characters) and up to 20 highlights of 1–500.
    pub fn parse(summary: &str, highlights: &[String]) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let summary = errors.take(text_len("summary", summary, 1, 10_000));
        if highlights.len() > MAX_HIGHLIGHTS {
            errors.push(FieldError::new(
                "highlights",
                "too_many",
                format!("at most {MAX_HIGHLIGHTS} highlights"),
            ));
        }
        let highlights: Vec<Option<String>> = highlights
            .iter()
            .enumerate()
            .map(|(i, h)| errors.take(text_len(&format!("highlights[{i}]"), h, 1, 500)))
            .collect();
        errors.finish()?;
        Ok(Self {
            summary: summary.unwrap_or_default(),
            highlights: highlights.into_iter().flatten().collect(),
        })
    }
}

/// A quarter of a region in figures, filled from data (`domain.md`
/// "Activity reports"). A filed report keeps the figures it was filed with.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metrics {
    /// Events of the region's groups held in the quarter.
    pub events_held: i64,
    /// Their attendance, summed.
    pub attendance: i64,
    /// Groups of the region registered in the quarter.
    pub new_groups: i64,
    /// Groups of the region that became official in the quarter.
    pub groups_made_official: i64,
    /// Feedback items of the region filed in the quarter.
    pub feedback_submitted: i64,
    /// Feedback items of the region first triaged in the quarter.
    pub feedback_triaged: i64,
    /// Contributions of the region's members or groups verified in the quarter.
    pub contributions_verified: i64,
    /// Passes issued in the quarter to the region's members (not revoked).
    pub passes_issued: i64,
    /// The largest events held, by attendance (at most 5).
    pub largest_events: Vec<NotableEvent>,
    /// The most-voted feedback filed in the quarter (at most 5).
    pub most_voted_feedback: Vec<NotableFeedback>,
}

/// An event worth naming in a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotableEvent {
    pub id: uuid::Uuid,
    pub title: String,
    pub group_id: uuid::Uuid,
    pub group_slug: String,
    pub starts_at: DateTime<Utc>,
    pub attendee_count: i64,
}

/// A feedback item worth naming in a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotableFeedback {
    pub id: uuid::Uuid,
    pub title: String,
    pub status: String,
    pub votes: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().expect("a timestamp")
    }

    fn q(raw: &str) -> Quarter {
        raw.parse().expect("a quarter")
    }

    #[test]
    fn quarters_parse_and_print() {
        assert_eq!(q("2026-Q3").to_string(), "2026-Q3");
        assert_eq!(Quarter::new(2026, 3), Some(q("2026-Q3")));
        for bad in [
            "", "2026", "2026-Q0", "2026-Q5", "2026-q3", "26-Q3", "2026-Q34", "+026-Q3", "2026Q3",
            "1969-Q4", " 2026-Q3",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad:?} parsed");
        }
        let problem = Quarter::parse("period", "2026-Q9").expect_err("invalid");
        assert_eq!(problem.0[0].field, "period");
        assert_eq!(problem.0[0].code, "invalid_period");
    }

    #[test]
    fn bounds_are_utc_and_half_open() {
        let q3 = q("2026-Q3");
        assert_eq!(q3.starts_at(), at("2026-07-01T00:00:00Z"));
        assert_eq!(q3.ends_at(), at("2026-10-01T00:00:00Z"));
        assert_eq!(q("2026-Q4").ends_at(), at("2027-01-01T00:00:00Z"));
        assert_eq!(Quarter::containing(at("2026-09-30T23:59:59Z")), q3);
        assert_eq!(
            Quarter::containing(at("2026-10-01T00:00:00Z")),
            q("2026-Q4")
        );
        assert_eq!(
            Quarter::containing(at("2026-01-01T00:00:00Z")),
            q("2026-Q1")
        );
    }

    #[test]
    fn previous_and_next_cross_years() {
        assert_eq!(q("2026-Q1").previous(), q("2025-Q4"));
        assert_eq!(q("2025-Q4").next(), q("2026-Q1"));
        assert_eq!(q("2026-Q3").previous(), q("2026-Q2"));
    }

    #[test]
    fn the_grace_is_thirty_days_after_the_end() {
        assert_eq!(q("2026-Q3").grace_ends_at(), at("2026-10-31T00:00:00Z"));
        // Before the grace of Q3 ends, Q2 is the latest quarter due.
        assert_eq!(Quarter::last_due(at("2026-10-30T23:59:59Z")), q("2026-Q2"));
        assert_eq!(Quarter::last_due(at("2026-10-31T00:00:00Z")), q("2026-Q3"));
        assert_eq!(Quarter::last_due(at("2027-01-15T00:00:00Z")), q("2026-Q3"));
        assert_eq!(Quarter::last_due(at("2027-02-01T00:00:00Z")), q("2026-Q4"));
    }

    #[test]
    fn a_future_quarter_is_refused() {
        let now = at("2026-12-01T12:00:00Z");
        assert!(Quarter::parse_begun("period", "2026-Q4", now).is_ok());
        let problem = Quarter::parse_begun("period", "2027-Q1", now).expect_err("future");
        assert_eq!(problem.0[0].code, "future_period");
    }

    #[test]
    fn a_term_overlaps_the_quarters_it_touches() {
        let q3 = q("2026-Q3");
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        assert!(q3.overlaps_term(day(1, 20), day(12, 20)));
        // The last day of a quarter is in it; the first of the next is not.
        assert!(q3.overlaps_term(day(9, 30), day(12, 20)));
        assert!(!q3.overlaps_term(day(10, 1), day(12, 20)));
        // The term's end is exclusive.
        assert!(!q3.overlaps_term(day(1, 1), day(7, 1)));
        assert!(q3.overlaps_term(day(1, 1), day(7, 2)));
    }

    #[test]
    fn report_text_names_every_bad_field() {
        let ok = ReportText::parse("  Three meetups.  ", &["Lyon".into()]).expect("valid");
        assert_eq!(ok.summary, "Three meetups.");
        let too_many: Vec<String> = (0..21).map(|i| format!("h{i}")).collect();
        let problem = ReportText::parse("", &too_many).expect_err("invalid");
        let fields: Vec<&str> = problem.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["summary", "highlights"]);
        let problem = ReportText::parse("ok", &[" ".into()]).expect_err("invalid");
        assert_eq!(problem.0[0].field, "highlights[0]");
    }
}
