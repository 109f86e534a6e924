//! Members: registration and profile rules (`domain.md` "Members").

use std::collections::BTreeSet;

use crate::actor::Role;
use crate::error::{Errors, FieldError, Invalid};
use crate::values::{text_len, CountryCode, Email, LanguageTag};

/// A valid registration.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Normalised email.
    pub email: Email,
    /// The password in clear, to be hashed by the caller.
    pub password: String,
    /// Name shown to others.
    pub display_name: String,
    /// Country of residence, if given.
    pub country: Option<CountryCode>,
}

impl Registration {
    /// Checks every field of a registration and reports all problems together.
    pub fn parse(
        email: &str,
        password: &str,
        display_name: &str,
        country: Option<&str>,
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let raw_email = email;
        let email = errors.take(Email::parse("email", raw_email));
        if let Err(e) = crate::account::check_password("password", password, raw_email.trim()) {
            errors.push(e);
        }
        let display_name = errors.take(text_len("display_name", display_name, 1, 100));
        let country = country.and_then(|c| errors.take(CountryCode::parse("country", c)));
        errors.finish()?;
        match (email, display_name) {
            (Some(email), Some(display_name)) => Ok(Self {
                email,
                password: password.to_owned(),
                display_name,
                country,
            }),
            _ => Err(Invalid::one("email", "invalid", "invalid registration")),
        }
    }
}

/// Parses a list of language tags, naming each bad entry by index.
pub fn parse_languages(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut errors = Errors::new();
    if raw.len() > 20 {
        errors.push(FieldError::new(
            "languages",
            "too_many",
            "at most 20 languages",
        ));
    }
    let tags: Vec<String> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, l)| errors.take(LanguageTag::parse(&format!("languages[{i}]"), l)))
        .map(|t| t.as_str().to_owned())
        .collect();
    errors.finish()?;
    Ok(dedup(tags))
}

/// Parses skills: lower-case words such as `translation` or `operations`.
pub fn parse_skills(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut errors = Errors::new();
    if raw.len() > 30 {
        errors.push(FieldError::new("skills", "too_many", "at most 30 skills"));
    }
    let skills: Vec<String> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let skill = s.trim().to_lowercase();
            let ok = (2..=40).contains(&skill.len())
                && skill.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if ok {
                Some(skill)
            } else {
                errors.push(FieldError::new(
                    format!("skills[{i}]"),
                    "invalid_skill",
                    "a skill is 2–40 characters of a-z, 0-9, '-' and '_'",
                ));
                None
            }
        })
        .collect();
    errors.finish()?;
    Ok(dedup(skills))
}

/// Parses the roles an admin assigns.
pub fn parse_roles(raw: &[String]) -> Result<BTreeSet<Role>, Invalid> {
    let mut errors = Errors::new();
    let roles = raw
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            errors.take(r.parse::<Role>().map_err(|Invalid(e)| {
                Invalid(
                    e.into_iter()
                        .map(|fe| FieldError {
                            field: format!("roles[{i}]"),
                            ..fe
                        })
                        .collect(),
                )
            }))
        })
        .collect();
    errors.finish()?;
    Ok(roles)
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_reports_every_bad_field() {
        let err = Registration::parse("nope", "short", "", Some("XX")).err();
        let fields: Vec<_> = err
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["email", "password", "display_name", "country"]);
    }

    #[test]
    fn registration_normalises() {
        let r = Registration::parse("Ada@Example.org", "correct horse", " Ada ", Some("gb"));
        let r = r.ok();
        assert_eq!(
            r.as_ref().map(|r| r.email.as_str()),
            Some("ada@example.org")
        );
        assert_eq!(r.as_ref().map(|r| r.display_name.as_str()), Some("Ada"));
        assert_eq!(
            r.and_then(|r| r.country).map(|c| c.as_str().to_owned()),
            Some("GB".into())
        );
    }

    #[test]
    fn skills_and_roles() {
        assert_eq!(
            parse_skills(&["Translation".into(), "translation".into()]).ok(),
            Some(vec!["translation".into()])
        );
        assert!(parse_skills(&["no spaces".into()]).is_err());
        let roles = parse_roles(&["staff".into(), "admin".into()]).ok();
        assert_eq!(roles.map(|r| r.len()), Some(2));
        let err = parse_roles(&["staff".into(), "root".into()]).err();
        assert_eq!(err.map(|e| e.0[0].field.clone()), Some("roles[1]".into()));
    }
}
