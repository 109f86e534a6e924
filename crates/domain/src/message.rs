//! Key messages to the user groups (`domain.md` "Ambassador programme",
//! "Key messages"): what a message and a translation hold, the audience,
//! the translation's status machine, and the choice of the language a
//! reader gets from `Accept-Language`.
//!
//! Bodies are Markdown, stored as sent and never rendered by the server.

use chrono::{DateTime, Utc};

use crate::error::{Errors, FieldError, Invalid};
use crate::values::{http_url, text_len, LanguageTag, Slug};

/// Title length, in characters (trimmed).
pub const TITLE_CHARS: (usize, usize) = (5, 200);
/// Body length, in characters (as sent).
pub const BODY_CHARS: (usize, usize) = (1, 20_000);
/// Most languages a message asks to be translated into.
pub const MAX_LANGUAGES: usize = 20;
/// Most regions a message names.
pub const MAX_REGIONS: usize = 100;

crate::named! {
    /// Where a proposed translation stands.
    pub enum TranslationStatus {
        /// Waiting for the message's author or staff.
        Proposed = "proposed",
        /// Accepted: readers asking for its language get it.
        Accepted = "accepted",
        /// Declined.
        Rejected = "rejected",
    }
}

crate::named! {
    /// What the author or staff decide of a proposed translation.
    pub enum TranslationOutcome {
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

impl TranslationStatus {
    /// Only a proposed translation is decided, and once: accepted and
    /// rejected are final.
    pub fn can_be_decided(self) -> bool {
        self == Self::Proposed
    }
}

impl From<TranslationOutcome> for TranslationStatus {
    fn from(o: TranslationOutcome) -> Self {
        match o {
            TranslationOutcome::Accepted => Self::Accepted,
            TranslationOutcome::Rejected => Self::Rejected,
        }
    }
}

/// Who a message is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every region's groups.
    All,
    /// The groups of these regions (slugs, each once, in the order given).
    Regions(Vec<Slug>),
}

impl Audience {
    /// A list of region slugs: at least one, at most [`MAX_REGIONS`], each
    /// a slug; duplicates count once. Bad entries are named `audience[i]`.
    pub fn regions(raw: &[String]) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        if raw.is_empty() {
            errors.push(FieldError::new(
                "audience",
                "empty",
                "name at least one region, or `all`",
            ));
        }
        if raw.len() > MAX_REGIONS {
            errors.push(FieldError::new(
                "audience",
                "too_many",
                format!("at most {MAX_REGIONS} regions"),
            ));
        }
        let mut slugs: Vec<Slug> = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            if let Some(slug) = errors.take(Slug::parse(&format!("audience[{i}]"), r)) {
                if !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
        }
        errors.finish()?;
        Ok(Self::Regions(slugs))
    }
}

/// A message's text, checked: the title trimmed, the body exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText {
    pub title: String,
    pub body: String,
}

/// The title, trimmed, of 5–200 characters; `field` names it.
pub fn parse_title(field: &str, raw: &str) -> Result<String, Invalid> {
    text_len(field, raw, TITLE_CHARS.0, TITLE_CHARS.1)
}

/// The body as sent (Markdown is whitespace-sensitive, so it is not
/// trimmed): 1–20,000 characters, not all blank.
pub fn parse_body(field: &str, raw: &str) -> Result<String, Invalid> {
    let chars = raw.chars().count();
    let (min, max) = BODY_CHARS;
    if !(min..=max).contains(&chars) || raw.trim().is_empty() {
        return Err(Invalid::one(
            field,
            "length",
            format!("must be between {min} and {max} characters, not all blank (got {chars})"),
        ));
    }
    Ok(raw.to_owned())
}

impl MessageText {
    /// Checks the title and body together, naming each bad one.
    pub fn parse(title: &str, body: &str) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let title = errors.take(parse_title("title", title));
        let body = errors.take(parse_body("body", body));
        errors.finish()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            body: body.unwrap_or_default(),
        })
    }
}

/// An optional http(s) link.
pub fn parse_link(raw: &str) -> Result<String, Invalid> {
    http_url("link", raw)
}

/// An expiry must lie ahead of `now`.
pub fn check_expiry(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Invalid> {
    if expires_at > now {
        Ok(())
    } else {
        Err(Invalid::one(
            "expires_at",
            "in_past",
            "a message expires in the future",
        ))
    }
}

/// A language tag in its canonical case (`fr`, `pt-BR`, `zh-Hant-TW`), so
/// that `FR` and `fr` are one language for the one-accepted-translation rule.
pub fn canonical_language(field: &str, raw: &str) -> Result<String, Invalid> {
    let tag = LanguageTag::parse(field, raw.trim())?;
    let mut parts = tag.as_str().split('-');
    let mut out = parts.next().unwrap_or_default().to_ascii_lowercase();
    for part in parts {
        out.push('-');
        match part.len() {
            2 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                out.push_str(&part.to_ascii_uppercase());
            }
            4 if part.bytes().all(|b| b.is_ascii_alphabetic()) => {
                let lower = part.to_ascii_lowercase();
                out.push_str(&lower[..1].to_ascii_uppercase());
                out.push_str(&lower[1..]);
            }
            _ => out.push_str(&part.to_ascii_lowercase()),
        }
    }
    Ok(out)
}

/// The languages a message asks for: canonical tags, each once, at most
/// [`MAX_LANGUAGES`]; bad entries are named `languages[i]`.
pub fn parse_languages(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut errors = Errors::new();
    if raw.len() > MAX_LANGUAGES {
        errors.push(FieldError::new(
            "languages",
            "too_many",
            format!("at most {MAX_LANGUAGES} languages"),
        ));
    }
    let mut tags: Vec<String> = Vec::new();
    for (i, l) in raw.iter().enumerate() {
        if let Some(tag) = errors.take(canonical_language(&format!("languages[{i}]"), l)) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    errors.finish()?;
    Ok(tags)
}

/// A proposed translation, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationText {
    pub language: String,
    pub title: String,
    pub body: String,
}

impl TranslationText {
    /// The language (canonical), title and body of a proposal; a
    /// translation into the original's own language is refused.
    pub fn parse(
        language: &str,
        title: &str,
        body: &str,
        original: Option<&str>,
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let language = errors.take(canonical_language("language", language));
        if let (Some(l), Some(o)) = (&language, original) {
            if l.eq_ignore_ascii_case(o) {
                errors.push(FieldError::new(
                    "language",
                    "same_as_original",
                    format!("the message is written in `{o}`"),
                ));
            }
        }
        let text = MessageText::parse(title, body);
        let text = errors.take(text);
        errors.finish()?;
        match (language, text) {
            (Some(language), Some(text)) => Ok(Self {
                language,
                title: text.title,
                body: text.body,
            }),
            _ => Err(Invalid::one("language", "invalid", "invalid translation")),
        }
    }
}

/// One range of an `Accept-Language` header with its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageRange {
    /// Lower-cased (`fr-ca`, or `*`).
    pub range: String,
    /// Its `q`, 0–1 (1 when absent).
    pub q: f32,
}

/// The ranges of an `Accept-Language` value (RFC 9110 §12.5.4), best first;
/// ranges of weight 0 ("not this") and unparsable entries are left out.
/// Ties keep the header's order.
pub fn accept_language(header: &str) -> Vec<LanguageRange> {
    let mut ranges: Vec<LanguageRange> = header
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            let shaped = range == "*"
                || (!range.is_empty()
                    && range.len() <= 35
                    && range.split('-').all(|p| {
                        (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
                    }));
            if !shaped {
                return None;
            }
            let mut q = 1.0_f32;
            for param in parts {
                if let Some((k, v)) = param.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v
                            .trim()
                            .parse::<f32>()
                            .ok()
                            .filter(|q| (0.0..=1.0).contains(q))?;
                    }
                }
            }
            (q > 0.0).then_some(LanguageRange { range, q })
        })
        .collect();
    // A stable sort keeps the header's order among equal weights.
    ranges.sort_by(|a, b| b.q.total_cmp(&a.q));
    ranges
}

/// How well `tag` answers `range`: 3 exact, 2 the tag is more specific
/// (`fr` asked, `fr-CA` held), 1 the tag is a prefix (`fr-CA` asked, `fr`
/// held, RFC 4647 lookup's fallback), 0 no match.
fn fit(range: &str, tag: &str) -> u8 {
    let tag = tag.to_ascii_lowercase();
    if range == tag {
        3
    } else if tag.starts_with(range) && tag.as_bytes().get(range.len()) == Some(&b'-') {
        2
    } else if range.starts_with(&tag) && range.as_bytes().get(tag.len()) == Some(&b'-') {
        1
    } else {
        0
    }
}

/// The language a reader gets: among `available` (the original's language
/// first when known, then the accepted translations), the best fit of the
/// best-weighted range of `header` that any of them answers. `None` means
/// the original: no header, nothing acceptable held, or `*`.
pub fn negotiate<'a>(header: Option<&str>, available: &[&'a str]) -> Option<&'a str> {
    let ranges = accept_language(header?);
    for r in &ranges {
        if r.range == "*" {
            return None;
        }
        let best = available
            .iter()
            .copied()
            .map(|tag| (fit(&r.range, tag), tag))
            .filter(|(f, _)| *f > 0)
            .max_by_key(|(f, _)| *f);
        if let Some((_, tag)) = best {
            return Some(tag);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<impl std::fmt::Debug, Invalid>) -> Vec<String> {
        r.err()
            .map(|Invalid(e)| e.into_iter().map(|e| e.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_message_has_a_title_of_5_to_200_and_a_body_kept_as_sent() {
        let ok = MessageText::parse("  Release day  ", "  # Hello\n\n- one\n");
        assert_eq!(
            ok,
            Ok(MessageText {
                title: "Release day".into(),
                body: "  # Hello\n\n- one\n".into()
            })
        );
        assert_eq!(fields(MessageText::parse("Hey", "")), ["title", "body"]);
        assert_eq!(fields(MessageText::parse("Hello all", " \n ")), ["body"]);
        assert_eq!(
            fields(MessageText::parse(&"x".repeat(201), &"y".repeat(20_001))),
            ["title", "body"]
        );
        assert!(MessageText::parse(&"x".repeat(200), &"é".repeat(20_000)).is_ok());
    }

    #[test]
    fn an_audience_names_regions_by_slug_each_once() {
        let raw = ["europe".to_owned(), "asia".into(), "europe".into()];
        let Ok(Audience::Regions(slugs)) = Audience::regions(&raw) else {
            panic!("regions")
        };
        let names: Vec<&str> = slugs.iter().map(Slug::as_str).collect();
        assert_eq!(names, ["europe", "asia"]);
        assert_eq!(fields(Audience::regions(&[])), ["audience"]);
        assert_eq!(
            fields(Audience::regions(&["europe".into(), "Not A Slug".into()])),
            ["audience[1]"]
        );
    }

    #[test]
    fn languages_are_canonical_tags_each_once() {
        assert_eq!(
            parse_languages(&[
                "FR".into(),
                "pt-br".into(),
                "zh-hant-tw".into(),
                "fr".into()
            ]),
            Ok(vec!["fr".into(), "pt-BR".into(), "zh-Hant-TW".into()])
        );
        assert_eq!(
            fields(parse_languages(&["fr".into(), "français".into()])),
            ["languages[1]"]
        );
        let many: Vec<String> = (0..21)
            .map(|i| format!("x{}", char::from(b'a' + i % 26)))
            .collect();
        assert!(fields(parse_languages(&many)).contains(&"languages".to_owned()));
    }

    #[test]
    fn an_expiry_lies_ahead() {
        let now = Utc::now();
        assert!(check_expiry(now + chrono::Duration::hours(1), now).is_ok());
        assert_eq!(fields(check_expiry(now, now)), ["expires_at"]);
    }

    #[test]
    fn a_translation_names_a_language_other_than_the_originals() {
        let t = TranslationText::parse("FR", "Jour de sortie", "# Bonjour", Some("en"));
        assert_eq!(t.map(|t| t.language), Ok("fr".to_owned()));
        assert_eq!(
            fields(TranslationText::parse(
                "EN",
                "Release day",
                "Hi",
                Some("en")
            )),
            ["language"]
        );
        assert_eq!(
            fields(TranslationText::parse("??", "Hey", "", None)),
            ["language", "title", "body"]
        );
    }

    #[test]
    fn only_a_proposed_translation_is_decided() {
        use TranslationOutcome as O;
        use TranslationStatus as S;
        assert!(S::Proposed.can_be_decided());
        assert!(!S::Accepted.can_be_decided());
        assert!(!S::Rejected.can_be_decided());
        assert_eq!(S::from(O::Accepted), S::Accepted);
        assert_eq!(S::from(O::Rejected), S::Rejected);
    }

    #[test]
    fn accept_language_is_read_best_weight_first() {
        let ranges = accept_language("de;q=0.5, FR-ca, en;q=0.8, it;q=0, bad range, *;q=0.1");
        let names: Vec<&str> = ranges.iter().map(|r| r.range.as_str()).collect();
        assert_eq!(names, ["fr-ca", "en", "de", "*"]);
        assert!(accept_language("fr;q=2").is_empty());
        assert!(accept_language("").is_empty());
    }

    #[test]
    fn the_reader_gets_the_best_weighted_language_held_else_the_original() {
        let held = ["en", "fr", "pt-BR"];
        assert_eq!(negotiate(Some("fr"), &held), Some("fr"));
        assert_eq!(negotiate(Some("de, fr;q=0.5"), &held), Some("fr"));
        assert_eq!(
            negotiate(Some("fr-CA"), &held),
            Some("fr"),
            "lookup falls back to `fr`"
        );
        assert_eq!(negotiate(Some("pt"), &held), Some("pt-BR"));
        assert_eq!(negotiate(Some("de"), &held), None);
        assert_eq!(negotiate(Some("fr;q=0"), &held), None);
        assert_eq!(negotiate(Some("*"), &held), None);
        assert_eq!(negotiate(None, &held), None);
        assert_eq!(negotiate(Some("en;q=0.9, fr"), &held), Some("fr"));
        assert_eq!(
            negotiate(Some("fr-CA"), &["fr", "fr-CA"]),
            Some("fr-CA"),
            "an exact tag beats its prefix"
        );
    }
}
