//! Applications to an ambassador cycle (`domain.md` "Ambassador
//! programme"): their answers and links, and the state machine from draft
//! to decision.

use crate::error::{Errors, FieldError, Invalid};
use crate::values::{http_url, text_len};

/// Shortest answer accepted.
pub const MIN_ANSWER: usize = 50;
/// Longest answer accepted.
pub const MAX_ANSWER: usize = 5000;
/// Most links on an application.
pub const MAX_LINKS: usize = 10;

crate::named! {
    /// Where an application stands.
    pub enum ApplicationStatus {
        /// Being written; editable.
        Draft = "draft",
        /// Handed in; reviewed and ranked.
        Submitted = "submitted",
        /// Chosen: an ambassadorship exists.
        Selected = "selected",
        /// Not chosen.
        Declined = "declined",
        /// Taken back by the applicant.
        Withdrawn = "withdrawn",
    }
}

/// What can happen to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationEvent {
    /// The applicant edits the answers.
    Edit,
    /// The applicant hands it in.
    Submit,
    /// The applicant takes it back.
    Withdraw,
    /// A reviewer scores it.
    Review,
    /// Staff select it.
    Select,
    /// Staff decline it.
    Decline,
}

/// An event that the application's state does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {event:?} an application that is {from:?}")]
pub struct InvalidTransition {
    /// The state it is in.
    pub from: ApplicationStatus,
    /// What was attempted.
    pub event: ApplicationEvent,
}

impl ApplicationStatus {
    /// The state after `event`, or why it cannot happen.
    pub fn apply(self, event: ApplicationEvent) -> Result<Self, InvalidTransition> {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        match (self, event) {
            (S::Draft, E::Edit) => Ok(S::Draft),
            (S::Draft, E::Submit) => Ok(S::Submitted),
            (S::Draft | S::Submitted, E::Withdraw) => Ok(S::Withdrawn),
            (S::Submitted, E::Review) => Ok(S::Submitted),
            (S::Submitted, E::Select) => Ok(S::Selected),
            (S::Submitted, E::Decline) => Ok(S::Declined),
            (from, event) => Err(InvalidTransition { from, event }),
        }
    }
}

/// The three answers and the links of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// Why they apply.
    pub why_apply: String,
    /// How they have taken part.
    pub participation: String,
    /// Ideas they wish they had time or resources for.
    pub ideas: String,
    /// Up to 10 http(s) links.
    pub links: Vec<String>,
}

/// Checks one answer's length.
pub fn parse_answer(field: &str, text: &str) -> Result<String, Invalid> {
    text_len(field, text, MIN_ANSWER, MAX_ANSWER)
}

/// Checks links: at most 10, each an http(s) URL of at most 2000 characters.
pub fn parse_links(links: &[String]) -> Result<Vec<String>, Invalid> {
    let mut errors = Errors::new();
    if links.len() > MAX_LINKS {
        errors.push(FieldError::new(
            "links",
            "too_many",
            format!("at most {MAX_LINKS} links"),
        ));
    }
    for (i, link) in links.iter().enumerate() {
        errors.take(http_url(&format!("links[{i}]"), link));
    }
    errors.finish()?;
    Ok(links.iter().map(|l| l.trim().to_owned()).collect())
}

impl Answers {
    /// Checks every answer and link, reporting all problems.
    pub fn parse(
        why_apply: &str,
        participation: &str,
        ideas: &str,
        links: &[String],
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let why_apply = errors.take(parse_answer("why_apply", why_apply));
        let participation = errors.take(parse_answer("participation", participation));
        let ideas = errors.take(parse_answer("ideas", ideas));
        let links = errors.take(parse_links(links));
        errors.finish()?;
        match (why_apply, participation, ideas, links) {
            (Some(why_apply), Some(participation), Some(ideas), Some(links)) => Ok(Self {
                why_apply,
                participation,
                ideas,
                links,
            }),
            _ => Err(Invalid::one("why_apply", "invalid", "invalid answers")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_machine_allows_only_the_documented_transitions() {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        assert_eq!(S::Draft.apply(E::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.apply(E::Select), Ok(S::Selected));
        assert_eq!(S::Submitted.apply(E::Withdraw), Ok(S::Withdrawn));
        assert!(S::Submitted.apply(E::Edit).is_err());
        assert!(S::Draft.apply(E::Select).is_err());
        assert!(S::Selected.apply(E::Withdraw).is_err());
        assert!(S::Withdrawn.apply(E::Submit).is_err());
        assert!(S::Declined.apply(E::Select).is_err());
        assert!(S::Draft.apply(E::Review).is_err());
    }

    #[test]
    fn answers_and_links_are_checked_together() {
        let long = "x".repeat(60);
        let err = Answers::parse(
            "short",
            &long,
            &"y".repeat(5001),
            &vec!["ftp://x".to_owned(); 11],
        )
        .err();
        let fields: Vec<String> = err
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert!(fields.starts_with(&[
            "why_apply".to_owned(),
            "ideas".to_owned(),
            "links".to_owned(),
            "links[0]".to_owned()
        ]));
    }
}
