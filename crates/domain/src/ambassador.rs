//! The ambassador programme (`domain.md` "Ambassador programme"): cycles,
//! reviews, the weighted score and the per-region proposal (applications
//! and their state machine are in `application`). Pure functions, so the rules are testable alone.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Errors, FieldError, Invalid};

crate::named! {
    /// Where an ambassadorship stands.
    pub enum AmbassadorStatus {
        /// Serving its term.
        Active = "active",
        /// Ended early, or stepped down.
        Ended = "ended",
        /// Removed by staff, with a reason.
        Removed = "removed",
    }
}

/// Highest score per criterion.
pub const MAX_SCORE: i16 = 5;

/// The weights of the three published criteria.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    /// How the applicant has taken part so far.
    pub track_record: f64,
    /// Where they are, and who else is there.
    pub geography: f64,
    /// What their ideas would change.
    pub impact: f64,
}

impl Weights {
    /// Checks weights: each finite and non-negative, not all zero.
    pub fn parse(track_record: f64, geography: f64, impact: f64) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        for (name, w) in [
            ("track_record", track_record),
            ("geography", geography),
            ("impact", impact),
        ] {
            if !w.is_finite() || !(0.0..=1000.0).contains(&w) {
                errors.push(FieldError::new(
                    format!("weights.{name}"),
                    "range",
                    "must be between 0 and 1000",
                ));
            }
        }
        errors.finish()?;
        if track_record + geography + impact <= 0.0 {
            return Err(Invalid::one(
                "weights",
                "all_zero",
                "at least one weight must be above zero",
            ));
        }
        Ok(Self {
            track_record,
            geography,
            impact,
        })
    }
}

/// Checks a cycle's window, term and affiliation cap.
pub fn check_cycle(
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    term_months: i32,
    max_per_affiliation: Option<i32>,
) -> Result<(), Invalid> {
    let mut errors = Errors::new();
    if closes_at <= opens_at {
        errors.push(FieldError::new(
            "closes_at",
            "before_opens_at",
            "must be after opens_at",
        ));
    }
    if !(1..=60).contains(&term_months) {
        errors.push(FieldError::new(
            "term_months",
            "range",
            "must be between 1 and 60",
        ));
    }
    if max_per_affiliation.is_some_and(|m| !(1..=1000).contains(&m)) {
        errors.push(FieldError::new(
            "max_per_affiliation",
            "range",
            "must be between 1 and 1000",
        ));
    }
    errors.finish()
}

/// Whether a cycle takes applications at `now`.
pub fn is_open(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    opens_at <= now && now < closes_at
}

/// One reviewer's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// 0–5.
    pub track_record: i16,
    /// 0–5.
    pub geography: i16,
    /// 0–5.
    pub impact: i16,
}

impl Scores {
    /// Checks each score is within 0–5.
    pub fn parse(track_record: i64, geography: i64, impact: i64) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        for (name, v) in [
            ("track_record", track_record),
            ("geography", geography),
            ("impact", impact),
        ] {
            if !(0..=MAX_SCORE as i64).contains(&v) {
                errors.push(FieldError::new(
                    format!("scores.{name}"),
                    "range",
                    "must be between 0 and 5",
                ));
            }
        }
        errors.finish()?;
        Ok(Self {
            track_record: track_record as i16,
            geography: geography as i16,
            impact: impact as i16,
        })
    }
}

/// The mean of each criterion over an application's reviews.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Means {
    pub track_record: f64,
    pub geography: f64,
    pub impact: f64,
}

/// score = Σ wᶜ·meanᶜ / Σ wᶜ (weights are never all zero).
pub fn score(weights: &Weights, means: &Means) -> f64 {
    let total = weights.track_record + weights.geography + weights.impact;
    if total <= 0.0 {
        return 0.0;
    }
    (weights.track_record * means.track_record
        + weights.geography * means.geography
        + weights.impact * means.impact)
        / total
}

/// Why a reviewer may not review an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// It is their own application.
    OwnApplication,
    /// They share the applicant's affiliation.
    SameAffiliation,
}

/// Conflict of interest: the reviewer is the applicant, or shares the
/// applicant's non-empty affiliation (case-insensitive). "independent" is not
/// an employer, so two independents are not in conflict.
pub fn conflict_of_interest(
    reviewer: Uuid,
    reviewer_affiliation: Option<&str>,
    applicant: Uuid,
    applicant_affiliation: Option<&str>,
) -> Option<Conflict> {
    if reviewer == applicant {
        return Some(Conflict::OwnApplication);
    }
    let norm = |a: Option<&str>| {
        a.map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty() && s != "independent")
    };
    match (norm(reviewer_affiliation), norm(applicant_affiliation)) {
        (Some(r), Some(a)) if r == a => Some(Conflict::SameAffiliation),
        _ => None,
    }
}

/// An application as the proposal sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The application's id.
    pub id: Uuid,
    /// Lower-cased affiliation, if any ("independent" counts as none).
    pub affiliation: Option<String>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// Weighted score; `None` without reviews.
    pub score: Option<f64>,
}

/// One row of a region's proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposalRow {
    /// The application.
    pub application_id: Uuid,
    /// 1-based rank among ranked applications; `None` when unranked.
    pub rank: Option<usize>,
    /// Weighted score.
    pub score: Option<f64>,
    /// Whether it is proposed for a seat.
    pub proposed: bool,
    /// Why, in plain language.
    pub reason: String,
}

/// Normalises an affiliation for the cap: trimmed, lower-cased, none for
/// empty or "independent" (independents are not a company taking over).
pub fn affiliation_key(affiliation: Option<&str>) -> Option<String> {
    affiliation
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty() && a != "independent")
}

/// The proposal for one region: ranked by score (desc), then earlier
/// submission, then id; seats filled in order, skipping an application whose
/// affiliation already has `cap` proposed or selected in the cycle
/// (`taken_by_affiliation` counts those already selected or proposed
/// elsewhere in the cycle). Unranked applications are never proposed.
pub fn propose(
    mut candidates: Vec<Candidate>,
    seats: usize,
    cap: Option<usize>,
    taken_by_affiliation: &mut BTreeMap<String, usize>,
    already_selected_in_region: usize,
) -> Vec<ProposalRow> {
    candidates.sort_by(|a, b| {
        match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.submitted_at.cmp(&b.submitted_at))
        .then(a.id.cmp(&b.id))
    });
    let mut filled = already_selected_in_region;
    let mut rank = 0;
    candidates
        .into_iter()
        .map(|c| {
            let Some(score) = c.score else {
                return ProposalRow {
                    application_id: c.id,
                    rank: None,
                    score: None,
                    proposed: false,
                    reason: "unranked: no reviews".into(),
                };
            };
            rank += 1;
            let row = |proposed: bool, reason: String| ProposalRow {
                application_id: c.id,
                rank: Some(rank),
                score: Some(score),
                proposed,
                reason,
            };
            if filled >= seats {
                return row(false, format!("rank {rank}: all {seats} seats filled"));
            }
            if let (Some(cap), Some(aff)) = (cap, c.affiliation.as_ref()) {
                let taken = taken_by_affiliation.get(aff).copied().unwrap_or(0);
                if taken >= cap {
                    return row(false, format!("skipped: affiliation cap of {cap} reached"));
                }
            }
            filled += 1;
            if let Some(aff) = c.affiliation.clone() {
                *taken_by_affiliation.entry(aff).or_default() += 1;
            }
            row(true, format!("rank {rank}, {seats} seats"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, minute, 0)
            .single()
            .unwrap_or_default()
    }

    fn cand(n: u128, aff: Option<&str>, minute: u32, score: Option<f64>) -> Candidate {
        Candidate {
            id: Uuid::from_u128(n),
            affiliation: affiliation_key(aff),
            submitted_at: at(minute),
            score,
        }
    }

    #[test]
    fn weights_cannot_be_all_zero_or_negative() {
        assert!(Weights::parse(0.0, 0.0, 0.0).is_err());
        let err = Weights::parse(-1.0, 1.0, f64::NAN).err();
        assert_eq!(err.map(|e| e.0.len()), Some(2));
        assert!(Weights::parse(0.0, 0.0, 1.0).is_ok());
    }

    #[test]
    fn the_score_is_the_weighted_mean() {
        let w = Weights {
            track_record: 2.0,
            geography: 1.0,
            impact: 1.0,
        };
        let m = Means {
            track_record: 5.0,
            geography: 1.0,
            impact: 3.0,
        };
        assert!((score(&w, &m) - 3.5).abs() < 1e-9);
    }

    #[test]
    fn conflicts_of_interest() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            conflict_of_interest(a, None, a, None),
            Some(Conflict::OwnApplication)
        );
        assert_eq!(
            conflict_of_interest(a, Some("ACME "), b, Some("acme")),
            Some(Conflict::SameAffiliation)
        );
        assert_eq!(
            conflict_of_interest(a, Some("independent"), b, Some("Independent")),
            None
        );
        assert_eq!(conflict_of_interest(a, Some(""), b, Some("")), None);
        assert_eq!(
            conflict_of_interest(a, Some("acme"), b, Some("globex")),
            None
        );
    }

    #[test]
    fn the_proposal_explains_each_row() {
        let rows = propose(
            vec![
                cand(1, Some("Acme"), 1, Some(4.0)),
                cand(2, Some("acme"), 2, Some(3.0)),
                cand(3, None, 3, Some(2.0)),
                cand(4, None, 4, None),
                cand(5, None, 5, Some(1.0)),
            ],
            2,
            Some(1),
            &mut BTreeMap::new(),
            0,
        );
        let reasons: Vec<&str> = rows.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "rank 1, 2 seats",
                "skipped: affiliation cap of 1 reached",
                "rank 3, 2 seats",
                "rank 4: all 2 seats filled",
                "unranked: no reviews"
            ]
        );
        assert_eq!(rows.iter().filter(|r| r.proposed).count(), 2);
    }

    #[test]
    fn ties_go_to_the_earlier_submission_then_the_id() {
        let rows = propose(
            vec![
                cand(9, None, 2, Some(3.0)),
                cand(8, None, 1, Some(3.0)),
                cand(7, None, 1, Some(3.0)),
            ],
            1,
            None,
            &mut BTreeMap::new(),
            0,
        );
        assert_eq!(rows[0].application_id, Uuid::from_u128(7));
        assert_eq!(rows[1].application_id, Uuid::from_u128(8));
    }

    fn arb_candidates() -> impl Strategy<Value = Vec<Candidate>> {
        proptest::collection::vec(
            (
                0u128..1000,
                proptest::option::of(0usize..4),
                0u32..59,
                proptest::option::of(0.0f64..5.0),
            ),
            0..40,
        )
        .prop_map(|v| {
            let names = ["acme", "globex", "initech", "umbrella"];
            v.into_iter()
                .enumerate()
                .map(|(i, (_, aff, minute, score))| {
                    cand(i as u128, aff.map(|a| names[a]), minute, score)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_proposal_never_exceeds_seats_or_the_cap(cands in arb_candidates(), seats in 0usize..10, cap in proptest::option::of(1usize..4)) {
            let rows = propose(cands.clone(), seats, cap, &mut BTreeMap::new(), 0);
            let proposed: Vec<&ProposalRow> = rows.iter().filter(|r| r.proposed).collect();
            prop_assert!(proposed.len() <= seats);
            if let Some(cap) = cap {
                let mut per: BTreeMap<String, usize> = BTreeMap::new();
                for r in &proposed {
                    let c = cands.iter().find(|c| c.id == r.application_id);
                    if let Some(aff) = c.and_then(|c| c.affiliation.clone()) {
                        *per.entry(aff).or_default() += 1;
                    }
                }
                prop_assert!(per.values().all(|n| *n <= cap));
            }
            prop_assert!(rows.iter().filter(|r| r.score.is_none()).all(|r| !r.proposed));
            prop_assert_eq!(rows.len(), cands.len());
        }

        #[test]
        fn the_proposal_is_deterministic_whatever_the_input_order(cands in arb_candidates(), seats in 0usize..10) {
            let mut reversed = cands.clone();
            reversed.reverse();
            let a = propose(cands, seats, Some(2), &mut BTreeMap::new(), 0);
            let b = propose(reversed, seats, Some(2), &mut BTreeMap::new(), 0);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn proposed_rows_are_a_prefix_of_eligible_ranked_rows_without_a_cap(cands in arb_candidates(), seats in 0usize..10) {
            let rows = propose(cands, seats, None, &mut BTreeMap::new(), 0);
            let ranked: Vec<&ProposalRow> = rows.iter().filter(|r| r.rank.is_some()).collect();
            let proposed = ranked.iter().filter(|r| r.proposed).count();
            prop_assert_eq!(proposed, ranked.len().min(seats));
            prop_assert!(ranked.iter().take(proposed).all(|r| r.proposed));
        }
    }
}
