//! Summits (`domain.md` "Passes"): dates, and the programmes offered with a
//! quota each, every one pinned to a published rules version.

use chrono::NaiveDate;

use crate::error::{Errors, FieldError, Invalid};
use crate::values::text_len;

/// The most passes one programme may offer at a summit.
pub const MAX_QUOTA: i32 = 1_000_000;

/// A programme as a summit's creator asks for it.
#[derive(Debug, Clone)]
pub struct ProgramRequest {
    pub program: String,
    /// `None`: the programme's newest version.
    pub rules_version: Option<i32>,
    pub quota: i32,
}

/// A programme offered at a summit, its version resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedProgram {
    pub program: String,
    pub rules_version: i32,
    pub quota: i32,
}

/// A valid summit to create.
#[derive(Debug, Clone)]
pub struct SummitSpec {
    pub name: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub eligibility_cutoff: NaiveDate,
    pub programs: Vec<OfferedProgram>,
}

/// Checks a quota (`field` names it in errors).
pub fn parse_quota(field: &str, quota: i32) -> Result<i32, Invalid> {
    if (0..=MAX_QUOTA).contains(&quota) {
        Ok(quota)
    } else {
        Err(Invalid::one(
            field,
            "range",
            format!("must be between 0 and {MAX_QUOTA}"),
        ))
    }
}

impl SummitSpec {
    /// Checks every field at once. `published` lists the `(programme,
    /// version)` pairs that exist.
    pub fn parse(
        name: &str,
        city: &str,
        (starts_on, ends_on, eligibility_cutoff): (NaiveDate, NaiveDate, NaiveDate),
        requested: &[ProgramRequest],
        published: &[(String, i32)],
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let name = errors.take(text_len("name", name, 2, 200));
        let city = errors.take(text_len("city", city, 1, 100));
        if ends_on < starts_on {
            errors.push(FieldError::new(
                "ends_on",
                "before_starts_on",
                "must not be before starts_on",
            ));
        }
        if requested.is_empty() {
            errors.push(FieldError::new(
                "programs",
                "required",
                "at least one programme",
            ));
        }
        let mut programs: Vec<OfferedProgram> = Vec::new();
        for (i, p) in requested.iter().enumerate() {
            let newest = published
                .iter()
                .filter(|(program, _)| program == &p.program)
                .map(|(_, version)| *version)
                .max();
            let Some(newest) = newest else {
                errors.push(FieldError::new(
                    format!("programs[{i}].program"),
                    "unknown_program",
                    format!("no programme `{}`", p.program),
                ));
                continue;
            };
            let version = p.rules_version.unwrap_or(newest);
            if !published.contains(&(p.program.clone(), version)) {
                errors.push(FieldError::new(
                    format!("programs[{i}].rules_version"),
                    "unknown_version",
                    "no such rules version",
                ));
            }
            errors.take(parse_quota(&format!("programs[{i}].quota"), p.quota));
            if programs.iter().any(|o| o.program == p.program) {
                errors.push(FieldError::new(
                    format!("programs[{i}].program"),
                    "duplicate",
                    "listed twice",
                ));
            }
            programs.push(OfferedProgram {
                program: p.program.clone(),
                rules_version: version,
                quota: p.quota,
            });
        }
        errors.finish()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            city: city.unwrap_or_default(),
            starts_on,
            ends_on,
            eligibility_cutoff,
            programs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 5, d).unwrap_or_default()
    }

    fn program(name: &str, version: Option<i32>, quota: i32) -> ProgramRequest {
        ProgramRequest {
            program: name.into(),
            rules_version: version,
            quota,
        }
    }

    #[test]
    fn a_programme_without_a_version_takes_its_newest() {
        let published = [("acc".to_owned(), 1), ("acc".to_owned(), 2)];
        let spec = SummitSpec::parse(
            "Summit",
            "Lisbon",
            (day(10), day(12), day(1)),
            &[program("acc", None, 300)],
            &published,
        );
        assert_eq!(spec.map(|s| s.programs[0].rules_version).ok(), Some(2));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let published = [("acc".to_owned(), 1)];
        let fields: Vec<String> = SummitSpec::parse(
            "S",
            "",
            (day(12), day(10), day(1)),
            &[
                program("acc", Some(9), -1),
                program("nope", None, 1),
                program("acc", None, 1),
            ],
            &published,
        )
        .err()
        .map(|Invalid(errors)| errors.into_iter().map(|e| e.field).collect())
        .unwrap_or_default();
        assert_eq!(
            fields,
            [
                "name",
                "city",
                "ends_on",
                "programs[0].rules_version",
                "programs[0].quota",
                "programs[1].program",
                "programs[2].program"
            ]
        );
    }
}
