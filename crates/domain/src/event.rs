//! Events (`domain.md` "Events"): one meetup of a group, identified inside
//! the group by (`source`, `external_id`), with the checks a bulk sync runs
//! on every element before writing anything.

use chrono::{DateTime, Utc};

use crate::error::{Errors, FieldError, Invalid};
use crate::values::CountryCode;

/// Most events in one sync.
pub const MAX_SYNC_EVENTS: usize = 1000;

crate::named! {
    /// An event's status.
    pub enum EventStatus {
        /// Planned.
        Scheduled = "scheduled",
        /// Took place; `attendee_count` may be set.
        Held = "held",
        /// Called off.
        Cancelled = "cancelled",
    }
}

/// The fields of an event, as received.
#[derive(Debug, Clone, PartialEq)]
pub struct EventInput {
    pub external_id: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub online: bool,
    pub url: Option<String>,
    pub status: EventStatus,
    pub rsvp_count: Option<i32>,
    pub attendee_count: Option<i32>,
    /// IANA zone the times are shown in (`Europe/Paris`); absent: [`DEFAULT_TIMEZONE`].
    pub timezone: Option<String>,
}

/// The zone of an event that names none. Groups carry no zone of their own
/// yet; when they do, theirs comes first.
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// Checks an IANA zone name (`Europe/Paris`, `UTC`), as the IANA database
/// spells it, and returns the zone; `field` names it in the error.
pub fn parse_timezone(field: &str, raw: &str) -> Result<chrono_tz::Tz, Invalid> {
    raw.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        Invalid::one(
            field,
            "invalid_timezone",
            "an IANA time zone such as Europe/Paris",
        )
    })
}

/// A checked event, normalised (trimmed text, upper-case country).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent(pub EventInput);

/// Checks a source name: `manual`, or a lower-case site name such as `meetup`.
pub fn parse_source(raw: &str) -> Result<String, Invalid> {
    let ok = (2..=40).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(Invalid::one(
            "source",
            "invalid_source",
            "2–40 characters of a-z, 0-9, '-' and '_'",
        ))
    }
}

fn optional_text(
    prefix: &str,
    field: &str,
    value: &Option<String>,
    max: usize,
    errors: &mut Errors,
) -> Option<String> {
    let text = value.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        errors.push(FieldError::new(
            format!("{prefix}{field}"),
            "length",
            format!("at most {max} characters"),
        ));
        return None;
    }
    Some(text.to_owned())
}

/// Checks one event; `prefix` names it in errors (e.g. `events[3].`).
pub fn check(
    prefix: &str,
    input: EventInput,
    needs_external_id: bool,
) -> Result<ValidEvent, Invalid> {
    let mut errors = Errors::new();
    let f = |name: &str| format!("{prefix}{name}");
    let external_id = match input.external_id.as_deref().map(str::trim) {
        Some(id) if (1..=200).contains(&id.len()) => Some(id.to_owned()),
        Some(_) => {
            errors.push(FieldError::new(
                f("external_id"),
                "length",
                "1–200 characters",
            ));
            None
        }
        None if needs_external_id => {
            errors.push(FieldError::new(
                f("external_id"),
                "required",
                "every synced event needs its site's id",
            ));
            None
        }
        None => None,
    };
    let title = input.title.trim().to_owned();
    if !(1..=200).contains(&title.chars().count()) {
        errors.push(FieldError::new(f("title"), "length", "1–200 characters"));
    }
    if input.ends_at <= input.starts_at {
        errors.push(FieldError::new(
            f("ends_at"),
            "before_starts_at",
            "must be after starts_at",
        ));
    }
    let country = match input.country.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(c) => errors
            .take(CountryCode::parse(&f("country"), c))
            .map(|c| c.as_str().to_owned()),
        None => None,
    };
    let url = match input
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u)
            if (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.contains(' ') =>
        {
            Some(u.to_owned())
        }
        Some(_) => {
            errors.push(FieldError::new(
                f("url"),
                "invalid_url",
                "must be an http(s) URL",
            ));
            None
        }
        None => None,
    };
    for (name, value) in [
        ("rsvp_count", input.rsvp_count),
        ("attendee_count", input.attendee_count),
    ] {
        if value.is_some_and(|v| !(0..=1_000_000).contains(&v)) {
            errors.push(FieldError::new(
                f(name),
                "range",
                "must be between 0 and 1000000",
            ));
        }
    }
    if input.attendee_count.is_some() && input.status != EventStatus::Held {
        errors.push(FieldError::new(
            f("attendee_count"),
            "not_held",
            "attendee_count is set only on a held event",
        ));
    }
    let description = optional_text(
        prefix,
        "description",
        &input.description,
        20_000,
        &mut errors,
    );
    let venue = optional_text(prefix, "venue", &input.venue, 200, &mut errors);
    let city = optional_text(prefix, "city", &input.city, 100, &mut errors);
    let timezone = match input.timezone.as_deref() {
        Some(raw) => errors
            .take(parse_timezone(&f("timezone"), raw))
            .map(|tz| tz.name().to_owned()),
        None => Some(DEFAULT_TIMEZONE.to_owned()),
    };
    errors.finish()?;
    Ok(ValidEvent(EventInput {
        external_id,
        title,
        description,
        venue,
        city,
        country,
        url,
        timezone,
        ..input
    }))
}

/// Checks a whole sync batch: size, every event, and repeated external ids.
/// One bad event rejects the batch; every error names `events[i].field`.
pub fn check_batch(inputs: Vec<EventInput>) -> Result<Vec<ValidEvent>, Invalid> {
    let total = inputs.len();
    check_indexed(inputs.into_iter().enumerate().collect(), total)
}

/// Like [`check_batch`], for the events of a batch of `total` that could be
/// read at all (the others were reported already), keeping their indexes.
pub fn check_indexed(
    inputs: Vec<(usize, EventInput)>,
    total: usize,
) -> Result<Vec<ValidEvent>, Invalid> {
    let mut errors = Errors::new();
    if total > MAX_SYNC_EVENTS {
        return Err(Invalid::one(
            "events",
            "too_many",
            format!("at most {MAX_SYNC_EVENTS} events per sync (got {total})"),
        ));
    }
    let mut seen = std::collections::HashMap::new();
    let mut valid = Vec::with_capacity(inputs.len());
    for (i, input) in inputs {
        if let Some(id) = input.external_id.as_deref().map(str::trim) {
            if let Some(first) = seen.insert(id.to_owned(), i) {
                errors.push(FieldError::new(
                    format!("events[{i}].external_id"),
                    "duplicate",
                    format!("also used by events[{first}]"),
                ));
            }
        }
        if let Some(event) = errors.take(check(&format!("events[{i}]."), input, true)) {
            valid.push(event);
        }
    }
    errors.finish()?;
    Ok(valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn input(id: &str) -> EventInput {
        let start = Utc::now() + Duration::days(7);
        EventInput {
            external_id: Some(id.into()),
            title: "Operators meetup".into(),
            description: None,
            starts_at: start,
            ends_at: start + Duration::hours(2),
            venue: None,
            city: Some("Lyon".into()),
            country: Some("fr".into()),
            online: false,
            url: Some("https://example.org/e/1".into()),
            status: EventStatus::Scheduled,
            rsvp_count: Some(40),
            attendee_count: None,
            timezone: None,
        }
    }

    #[test]
    fn an_event_without_a_zone_is_in_utc() {
        let ok = check("", input("a"), false).ok();
        assert_eq!(ok.and_then(|v| v.0.timezone), Some("UTC".into()));
    }

    #[test]
    fn an_iana_zone_is_kept_and_a_made_up_one_is_named() {
        let mut paris = input("a");
        paris.timezone = Some(" Europe/Paris ".into());
        let ok = check("", paris, false).ok();
        assert_eq!(ok.and_then(|v| v.0.timezone), Some("Europe/Paris".into()));
        let mut bad = input("b");
        bad.timezone = Some("Mars/Olympus".into());
        let err = check_batch(vec![input("a"), bad]).err();
        let fields: Vec<(String, String)> = err
            .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            [("events[1].timezone".into(), "invalid_timezone".into())]
        );
    }

    #[test]
    fn zone_names_are_case_sensitive_as_iana_spells_them() {
        assert!(parse_timezone("timezone", "America/New_York").is_ok());
        assert!(parse_timezone("timezone", "europe/paris").is_err());
        assert!(parse_timezone("timezone", "").is_err());
    }

    #[test]
    fn a_batch_names_every_bad_event_by_index() {
        let mut bad = input("b");
        bad.ends_at = bad.starts_at;
        bad.country = Some("ZZ".into());
        let mut held_count = input("c");
        held_count.attendee_count = Some(10);
        let err = check_batch(vec![input("a"), bad, held_count, input("a")]).err();
        let fields: Vec<String> = err
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            [
                "events[1].ends_at",
                "events[1].country",
                "events[2].attendee_count",
                "events[3].external_id"
            ]
        );
    }

    #[test]
    fn a_valid_batch_is_normalised() {
        let ok = check_batch(vec![input("a")]).ok();
        assert_eq!(ok.map(|v| v[0].0.country.clone()), Some(Some("FR".into())));
    }

    #[test]
    fn more_than_a_thousand_events_are_refused() {
        let many: Vec<EventInput> = (0..1001).map(|i| input(&i.to_string())).collect();
        assert_eq!(
            check_batch(many).err().map(|e| e.0[0].code.clone()),
            Some("too_many".into())
        );
    }

    #[test]
    fn sources_are_site_names() {
        assert!(parse_source("meetup").is_ok());
        assert!(parse_source("Meetup").is_err());
        assert!(parse_source("m").is_err());
    }
}
