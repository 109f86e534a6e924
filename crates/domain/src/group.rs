//! User groups (`domain.md` "User groups"): the status machine, promotion
//! criteria, and health flags computed from a group's data.

use crate::error::{Errors, FieldError, Invalid};
use crate::values::{text_len, CountryCode, Slug};

crate::named! {
    /// An organizer's part in a group.
    pub enum OrganizerRole {
        /// Registered the group, or took over when the lead left.
        Lead = "lead",
        /// Added by an organizer.
        Co = "co",
    }
}

crate::named! {
    /// Where a group stands.
    pub enum GroupStatus {
        /// Registered, awaiting review; visible to organizers, the region's ambassadors and staff.
        Pending = "pending",
        /// Approved and public.
        Provisional = "provisional",
        /// Promoted after meeting the criteria.
        Official = "official",
        /// Refused at review.
        Rejected = "rejected",
        /// Dormant.
        Inactive = "inactive",
    }
}

impl GroupStatus {
    /// Public: anyone may see the group.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Provisional | Self::Official | Self::Inactive)
    }

    /// Whether `self → to` is a transition of the machine:
    /// pending → provisional | rejected; provisional → official;
    /// provisional | official → inactive; inactive → provisional.
    pub fn can_become(self, to: GroupStatus) -> bool {
        use GroupStatus as S;
        matches!(
            (self, to),
            (S::Pending, S::Provisional)
                | (S::Pending, S::Rejected)
                | (S::Provisional, S::Official)
                | (S::Provisional | S::Official, S::Inactive)
                | (S::Inactive, S::Provisional)
        )
    }
}

/// A valid group registration.
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub slug: Slug,
    pub name: String,
    pub country: CountryCode,
    pub city: String,
    pub description: String,
    pub links: Vec<String>,
    pub coc_accepted: bool,
}

/// Checks a group's links: at most 10 http(s) URLs.
pub fn parse_links(links: &[String]) -> Result<Vec<String>, Invalid> {
    crate::application::parse_links(links)
}

impl GroupSpec {
    /// Checks every field of a registration, reporting all problems.
    pub fn parse(
        slug: &str,
        name: &str,
        country: &str,
        city: &str,
        description: &str,
        links: &[String],
        coc_accepted: bool,
    ) -> Result<Self, Invalid> {
        let mut errors = Errors::new();
        let slug = errors.take(Slug::parse("slug", slug));
        let name = errors.take(text_len("name", name, 2, 120));
        let country = errors.take(CountryCode::parse("country", country));
        let city = errors.take(text_len("city", city, 1, 100));
        let description = errors.take(text_len("description", description, 0, 5000));
        let links = errors.take(parse_links(links));
        errors.finish()?;
        match (slug, name, country, city, description, links) {
            (Some(slug), Some(name), Some(country), Some(city), Some(description), Some(links)) => {
                Ok(Self {
                    slug,
                    name,
                    country,
                    city,
                    description,
                    links,
                    coc_accepted,
                })
            }
            _ => Err(Invalid::one("slug", "invalid", "invalid group")),
        }
    }
}

/// What promotion to `official` is checked against, measured at request time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromotionFacts {
    /// Organizers (lead and co).
    pub organizers: i64,
    /// Events `held` in the last 365 days.
    pub held_last_365_days: i64,
    /// Whether the code of conduct is accepted.
    pub coc_accepted: bool,
}

/// Minimum organizers for an official group.
pub const MIN_ORGANIZERS: i64 = 2;
/// Minimum held events in the last year for an official group.
pub const MIN_HELD_EVENTS: i64 = 3;

/// Every unmet promotion criterion, with its measured value (empty when promotable).
pub fn unmet_promotion_criteria(facts: PromotionFacts) -> Vec<FieldError> {
    let mut unmet = Vec::new();
    if facts.organizers < MIN_ORGANIZERS {
        unmet.push(FieldError::new(
            "organizers",
            "too_few_organizers",
            format!(
                "{} organizer(s); at least {MIN_ORGANIZERS} needed",
                facts.organizers
            ),
        ));
    }
    if facts.held_last_365_days < MIN_HELD_EVENTS {
        unmet.push(FieldError::new(
            "events",
            "too_few_held_events",
            format!(
                "{} event(s) held in the last 365 days; at least {MIN_HELD_EVENTS} needed",
                facts.held_last_365_days
            ),
        ));
    }
    if !facts.coc_accepted {
        unmet.push(FieldError::new(
            "coc_accepted",
            "code_of_conduct_not_accepted",
            "the code of conduct is not accepted",
        ));
    }
    unmet
}

/// A group's activity, from its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    /// Held events in the last 180 days.
    pub held_last_180_days: i64,
    /// Scheduled events still to come.
    pub upcoming: i64,
    /// Organizers.
    pub organizers: i64,
}

/// The health flags of a group: `no_event_180d`, `single_organizer`, `no_upcoming_event`.
pub fn health_flags(activity: Activity) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if activity.held_last_180_days == 0 {
        flags.push("no_event_180d");
    }
    if activity.organizers <= 1 {
        flags.push("single_organizer");
    }
    if activity.upcoming == 0 {
        flags.push("no_upcoming_event");
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use GroupStatus as S;

    #[test]
    fn the_status_machine_follows_the_design() {
        assert!(S::Pending.can_become(S::Provisional));
        assert!(S::Pending.can_become(S::Rejected));
        assert!(S::Provisional.can_become(S::Official));
        assert!(S::Official.can_become(S::Inactive));
        assert!(S::Inactive.can_become(S::Provisional));
        assert!(!S::Pending.can_become(S::Official));
        assert!(!S::Rejected.can_become(S::Provisional));
        assert!(!S::Inactive.can_become(S::Official));
        assert!(!S::Official.can_become(S::Provisional));
        assert!(!S::Official.can_become(S::Official));
    }

    #[test]
    fn promotion_lists_every_unmet_criterion_with_its_value() {
        let unmet = unmet_promotion_criteria(PromotionFacts {
            organizers: 1,
            held_last_365_days: 2,
            coc_accepted: false,
        });
        let codes: Vec<&str> = unmet.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "too_few_organizers",
                "too_few_held_events",
                "code_of_conduct_not_accepted"
            ]
        );
        assert!(unmet[1].message.starts_with("2 event(s)"));
        assert!(unmet_promotion_criteria(PromotionFacts {
            organizers: 2,
            held_last_365_days: 3,
            coc_accepted: true
        })
        .is_empty());
    }

    #[test]
    fn health_flags_follow_the_data() {
        assert_eq!(
            health_flags(Activity {
                held_last_180_days: 0,
                upcoming: 0,
                organizers: 1
            }),
            ["no_event_180d", "single_organizer", "no_upcoming_event"]
        );
        assert!(health_flags(Activity {
            held_last_180_days: 1,
            upcoming: 1,
            organizers: 2
        })
        .is_empty());
    }

    #[test]
    fn a_registration_reports_every_bad_field() {
        let err = GroupSpec::parse("X", "", "ZZ", "", "", &["ftp://x".into()], true).err();
        let fields: Vec<String> = err
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["slug", "name", "country", "city", "links[0]"]);
    }
}
