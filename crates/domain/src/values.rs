//! Value types whose constructors enforce the API's formats: slugs, ISO
//! country codes, emails, language tags. Parse, don't validate: once a value
//! exists it is valid.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::Invalid;

/// ISO 3166-1 alpha-2 codes, officially assigned.
const ISO_COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// A URL-safe identifier: `[a-z0-9-]{2,64}`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Parses a slug; `field` names the request field in the error.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let ok = (2..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::one(
                field,
                "invalid_slug",
                "must be 2–64 characters of a-z, 0-9 and '-', not starting or ending with '-'",
            ))
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CountryCode(String);

impl CountryCode {
    /// Parses a code case-insensitively (`fr` → `FR`).
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let upper = raw.trim().to_ascii_uppercase();
        if ISO_COUNTRIES.binary_search(&upper.as_str()).is_ok() {
            Ok(Self(upper))
        } else {
            Err(Invalid::one(
                field,
                "unknown_country",
                format!("`{raw}` is not an ISO 3166-1 alpha-2 country code"),
            ))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased: emails are unique case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, at most 254 characters.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Self(email))
        } else {
            Err(Invalid::one(
                field,
                "invalid_email",
                "must be an email address",
            ))
        }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A BCP 47 language tag in its usual shape (`fr`, `pt-BR`, `zh-Hant-TW`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LanguageTag(String);

impl LanguageTag {
    /// Parses a tag: a 2–3 letter primary language, then subtags of 1–8 alphanumerics.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let mut parts = raw.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::one(
                field,
                "invalid_language",
                format!("`{raw}` is not a BCP 47 language tag"),
            ))
        }
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An http(s) URL of at most 2000 characters, trimmed; `field` names it.
pub fn http_url(field: &str, raw: &str) -> Result<String, Invalid> {
    let url = raw.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2000
        && url.len() > "https://".len()
        && !url.chars().any(char::is_whitespace);
    if ok {
        Ok(url.to_owned())
    } else {
        Err(Invalid::one(field, "invalid_url", "must be an http(s) URL"))
    }
}

/// Checks that `text`, trimmed, has between `min` and `max` characters.
pub fn text_len(field: &str, text: &str, min: usize, max: usize) -> Result<String, Invalid> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    if (min..=max).contains(&count) {
        Ok(trimmed.to_owned())
    } else {
        Err(Invalid::one(
            field,
            "length",
            format!("must be between {min} and {max} characters (got {count})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_list_is_sorted_so_binary_search_works() {
        assert!(ISO_COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_COUNTRIES.len(), 249);
    }

    #[test]
    fn countries_parse_case_insensitively() {
        assert_eq!(
            CountryCode::parse("c", "fr").map(|c| c.0),
            Ok("FR".to_owned())
        );
        assert!(CountryCode::parse("c", "XX").is_err());
        assert!(CountryCode::parse("c", "FRA").is_err());
    }

    #[test]
    fn slugs_follow_the_pattern() {
        assert!(Slug::parse("s", "europe").is_ok());
        assert!(Slug::parse("s", "latin-america-2").is_ok());
        assert!(Slug::parse("s", "e").is_err());
        assert!(Slug::parse("s", "Europe").is_err());
        assert!(Slug::parse("s", "-eu").is_err());
        assert!(Slug::parse("s", &"a".repeat(65)).is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("e", "  Ada@Example.ORG ").map(|e| e.0),
            Ok("ada@example.org".to_owned())
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for good in ["fr", "pt-BR", "zh-Hant-TW", "gsw"] {
            assert!(LanguageTag::parse("l", good).is_ok(), "{good}");
        }
        for bad in ["", "f", "french-language-x", "fr_FR", "12"] {
            assert!(LanguageTag::parse("l", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(text_len("t", "ééé", 3, 3).is_ok());
        assert!(text_len("t", "  ab  ", 3, 10).is_err());
    }
}
