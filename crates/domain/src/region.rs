//! Regions (`domain.md` "Regions"): each country belongs to at most one
//! region; a group's and a member's region follow from their country.

use crate::error::{Errors, FieldError, Invalid};
use crate::values::{text_len, CountryCode, Slug};

/// Most ambassador seats a region may have.
pub const MAX_SEATS: i32 = 1000;

/// A valid region definition.
#[derive(Debug, Clone)]
pub struct RegionSpec {
    /// URL identifier.
    pub slug: Slug,
    /// Display name.
    pub name: String,
    /// Member countries, sorted, without repeats.
    pub countries: Vec<CountryCode>,
    /// Seats for ambassadors in each cycle (the cycle's default).
    pub ambassador_seats: i32,
}

/// Parses a country list, naming each bad entry and rejecting repeats.
pub fn parse_countries(raw: &[String]) -> Result<Vec<CountryCode>, Invalid> {
    let mut errors = Errors::new();
    let mut countries: Vec<CountryCode> = Vec::with_capacity(raw.len());
    for (i, c) in raw.iter().enumerate() {
        let field = format!("countries[{i}]");
        if let Some(code) = errors.take(CountryCode::parse(&field, c)) {
            if countries.contains(&code) {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    format!("{} is listed twice", code.as_str()),
                ));
            } else {
                countries.push(code);
            }
        }
    }
    errors.finish()?;
    countries.sort();
    Ok(countries)
}

/// Checks a seat count.
pub fn parse_seats(seats: i32) -> Result<i32, Invalid> {
    if (0..=MAX_SEATS).contains(&seats) {
        Ok(seats)
    } else {
        Err(Invalid::one(
            "ambassador_seats",
            "range",
            format!("must be between 0 and {MAX_SEATS}"),
        ))
    }
}

/// Parses a region name.
pub fn parse_name(name: &str) -> Result<String, Invalid> {
    text_len("name", name, 2, 100)
}

impl RegionSpec {
    /// Checks a whole region definition, reporting every problem.
    pub fn parse(
        slug: &str,
        name: &str,
        countries: &[String],
        seats: i32,
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let slug = errors.take(Slug::parse("slug", slug));
        let name = errors.take(parse_name(name));
        let countries = errors.take(parse_countries(countries));
        let seats = errors.take(parse_seats(seats));
        errors.finish()?;
        match (slug, name, countries, seats) {
            (Some(slug), Some(name), Some(countries), Some(ambassador_seats)) => Ok(Self {
                slug,
                name,
                countries,
                ambassador_seats,
            }),
            _ => Err(Invalid::one("slug", "invalid", "invalid region")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_cannot_be_listed_twice() {
        let err = parse_countries(&["FR".into(), "de".into(), "fr".into()]).err();
        assert_eq!(
            err.map(|e| e.0[0].field.clone()),
            Some("countries[2]".into())
        );
    }

    #[test]
    fn a_region_reports_all_problems() {
        let err = RegionSpec::parse("X", "", &["ZZ".into()], -1).err();
        assert_eq!(err.map(|e| e.0.len()), Some(4));
        let ok = RegionSpec::parse("europe", "Europe", &["FR".into(), "DE".into()], 3).ok();
        assert_eq!(
            ok.map(|r| r
                .countries
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect::<Vec<_>>()),
            Some(vec!["DE".to_owned(), "FR".to_owned()])
        );
    }
}
