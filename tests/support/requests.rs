//! Valid request bodies that tests send as they are or change one field of.

use serde_json::{json, Value};

/// An answer of exactly `len` characters (the rule is 50–5000).
pub fn answer(len: usize) -> String {
    let sentence = "I run the local operators meetup and translate the docs. ";
    // Ends with a letter, so trimming never shortens it.
    let mut text: String = sentence
        .chars()
        .cycle()
        .take(len.saturating_sub(1))
        .collect();
    if len > 0 {
        text.push('x');
    }
    text
}

/// A valid application to `region`: three answers and two links.
pub fn application_request(region: &str) -> Value {
    json!({
        "region": region,
        "why_apply": answer(120),
        "participation": answer(200),
        "ideas": answer(80),
        "links": ["https://example.org/meetup", "https://example.org/talk"],
    })
}

/// The body of an open cycle: opened yesterday, closing in 30 days, weights
/// 2/1/1, 12-month terms; `regions` as `(slug, seats)` (`None`: every region
/// with its default seats).
pub fn open_cycle_request(
    regions: Option<&[(&str, i32)]>,
    max_per_affiliation: Option<i32>,
) -> Value {
    // Whole seconds, so what is read back compares equal to what was sent.
    let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
    let mut request = json!({
        "name": "2027 ambassadors",
        "opens_at": now - chrono::Duration::days(1),
        "closes_at": now + chrono::Duration::days(30),
        "weights": {"track_record": 2.0, "geography": 1.0, "impact": 1.0},
        "max_per_affiliation": max_per_affiliation,
        "term_months": 12,
    });
    if let Some(regions) = regions {
        request["regions"] = regions
            .iter()
            .map(|(slug, seats)| json!({"region": slug, "seats": seats}))
            .collect();
    }
    request
}

/// A valid registration of a group `slug` in `country`, code of conduct accepted.
pub fn group_request(slug: &str, country: &str) -> Value {
    json!({
        "name": format!("Group {slug}"),
        "slug": slug,
        "country": country,
        "city": "Lyon",
        "description": "Monthly meetup of people who run the software in production.",
        "links": ["https://example.org/meetup"],
        "coc_accepted": true,
    })
}

/// The body of an event starting `days_from_now` days from now (negative: in
/// the past), lasting two hours.
pub fn event_request(days_from_now: i64, status: &str, attendee_count: Option<i32>) -> Value {
    let starts_at = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0)
        + chrono::Duration::days(days_from_now);
    json!({
        "title": format!("Meetup {days_from_now}"),
        "starts_at": starts_at,
        "ends_at": starts_at + chrono::Duration::hours(2),
        "city": "Lyon",
        "country": "FR",
        "status": status,
        "attendee_count": attendee_count,
    })
}

/// A region `slug` holding `countries`, with three ambassador seats.
pub fn region_request(slug: &str, countries: &[&str]) -> Value {
    json!({"slug": slug, "name": format!("Region {slug}"), "countries": countries, "ambassador_seats": 3})
}
