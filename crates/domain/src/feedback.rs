//! Feedback from the people who deploy the software (`domain.md`
//! "Feedback"): what an item holds, its status machine, and the summary's
//! grouping.

use crate::error::{Errors, FieldError, Invalid};
use crate::values::text_len;

/// Most tags on an item.
pub const MAX_TAGS: usize = 10;

crate::named! {
    /// What an item is.
    pub enum FeedbackKind {
        Bug = "bug",
        PainPoint = "pain_point",
        FeatureRequest = "feature_request",
        Praise = "praise",
        Question = "question",
    }
}

crate::named! {
    /// How much it hurts.
    pub enum Severity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

crate::named! {
    /// Where an item stands.
    pub enum FeedbackStatus {
        /// Submitted, not yet looked at.
        New = "new",
        /// Looked at by the region's ambassador or staff.
        Triaged = "triaged",
        /// Taken upstream (`upstream_url` says where).
        Forwarded = "forwarded",
        /// The developers acknowledged it.
        Acknowledged = "acknowledged",
        /// Fixed or answered.
        Resolved = "resolved",
        /// The same as another item (`duplicate_of`), whose votes it joined.
        Duplicate = "duplicate",
        /// Not actionable, with a note.
        Rejected = "rejected",
    }
}

impl FeedbackStatus {
    /// Still moving: neither resolved, a duplicate nor rejected.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Duplicate | Self::Rejected)
    }

    /// Whether triage may move an item from `self` to `to`: one step along
    /// new → triaged → forwarded → acknowledged → resolved, or from any open
    /// state to duplicate or rejected.
    pub fn can_become(self, to: FeedbackStatus) -> bool {
        use FeedbackStatus as S;
        match to {
            S::Duplicate | S::Rejected => self.is_open(),
            S::Triaged => self == S::New,
            S::Forwarded => self == S::Triaged,
            S::Acknowledged => self == S::Forwarded,
            S::Resolved => self == S::Acknowledged,
            S::New => false,
        }
    }
}

/// The text of an item, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackText {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

impl FeedbackText {
    /// Title 5–200 and body 10–10,000 characters (trimmed); up to 10 tags of
    /// 1–40 characters, lower-cased, each once.
    pub fn parse(title: &str, body: &str, tags: &[String]) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let title = errors.take(text_len("title", title, 5, 200));
        let body = errors.take(text_len("body", body, 10, 10_000));
        if tags.len() > MAX_TAGS {
            errors.push(FieldError::new(
                "tags",
                "too_many",
                format!("at most {MAX_TAGS} tags"),
            ));
        }
        let mut clean: Vec<String> = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            let t = tag.trim().to_lowercase();
            if !(1..=40).contains(&t.chars().count()) {
                errors.push(FieldError::new(
                    format!("tags[{i}]"),
                    "length",
                    "a tag has 1–40 characters",
                ));
            } else if !clean.contains(&t) {
                clean.push(t);
            }
        }
        errors.finish()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            body: body.unwrap_or_default(),
            tags: clean,
        })
    }
}

crate::named! {
    /// A field the summary groups by.
    pub enum SummaryField {
        Component = "component",
        Region = "region",
        Kind = "kind",
        Status = "status",
        Month = "month",
        Group = "group",
    }
}

/// Parses `group_by`: one or two distinct fields, comma-separated.
pub fn parse_group_by(raw: &str) -> Result<Vec<SummaryField>, String> {
    let mut fields = Vec::new();
    for name in raw.split(',').map(str::trim) {
        let field = SummaryField::parse(name).ok_or_else(|| {
            format!("`{name}` is not one of component, region, kind, status, month, group")
        })?;
        if fields.contains(&field) {
            return Err(format!("`{name}` is named twice"));
        }
        fields.push(field);
    }
    match fields.len() {
        1 | 2 => Ok(fields),
        _ => Err("group by one or two fields".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triage_moves_one_step_or_closes_an_open_item() {
        use FeedbackStatus as S;
        assert!(S::New.can_become(S::Triaged));
        assert!(!S::New.can_become(S::Forwarded));
        assert!(S::Triaged.can_become(S::Forwarded));
        assert!(S::Acknowledged.can_become(S::Resolved));
        assert!(S::Forwarded.can_become(S::Duplicate));
        assert!(!S::Resolved.can_become(S::Rejected));
        assert!(!S::Duplicate.can_become(S::Duplicate));
        for s in S::ALL {
            assert!(!s.can_become(S::New));
        }
    }

    #[test]
    fn text_is_checked_field_by_field() {
        let tags: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        let fields: Vec<String> = FeedbackText::parse("abc", "short", &tags)
            .err()
            .map(|Invalid(e)| e.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["title", "body", "tags"]);
        let ok = FeedbackText::parse(
            "Live migration fails",
            "It fails with a timeout.",
            &["Nova".into(), "nova".into()],
        );
        assert_eq!(ok.map(|t| t.tags).ok(), Some(vec!["nova".to_owned()]));
    }

    #[test]
    fn group_by_takes_one_or_two_known_fields() {
        assert_eq!(
            parse_group_by("component,region"),
            Ok(vec![SummaryField::Component, SummaryField::Region])
        );
        assert!(parse_group_by("component,region,kind").is_err());
        assert!(parse_group_by("colour").is_err());
        assert!(parse_group_by("kind,kind").is_err());
        assert!(parse_group_by("").is_err());
    }
}
