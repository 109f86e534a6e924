//! Telling the outside world (`domain.md` "Notifications and webhooks"):
//! what is told, over which channel, and how long a failing delivery is
//! retried. Pure: the dispatcher asks, the clock and the dice are passed in.

use chrono::{DateTime, Duration, Utc};

crate::named! {
    /// How a delivery travels.
    pub enum Channel {
        /// A mail to a member.
        Mail = "mail",
        /// A signed HTTP call to a subscription.
        Webhook = "webhook",
        /// Many mails of one topic in one row (a bulk issuance's pass
        /// codes), which the dispatcher expands into one mail row each.
        Batch = "batch",
    }
}

crate::named! {
    /// What a mail tells of.
    pub enum Topic {
        /// A pass was issued; its holder gets the code (always sent).
        PassIssued = "pass.issued",
        /// An application was selected or declined; its applicant is told.
        ApplicationDecided = "application.decided",
        /// An appeal was granted or denied; its author is told.
        AppealDecided = "appeal.decided",
        /// A group registration was approved or rejected; its organizers are told.
        GroupReviewed = "group.reviewed",
        /// A claim was verified or rejected; its contributor is told.
        ContributionDecided = "contribution.decided",
        /// A feedback item changed status; its voters are told.
        FeedbackStatusChanged = "feedback.status_changed",
        /// A new member (or one who asked again) gets a token proving they
        /// read mail at their address (always sent).
        EmailVerification = "account.verify_email",
        /// A member who forgot their password gets a token to set a new one
        /// (always sent).
        PasswordReset = "account.password_reset",
    }
}

impl Topic {
    /// Whether members may turn this mail off: pass codes and account
    /// mails always go.
    pub fn is_optional(self) -> bool {
        !matches!(
            self,
            Topic::PassIssued | Topic::EmailVerification | Topic::PasswordReset
        )
    }

    /// Whether the mail carries a one-time secret (`token` in its payload,
    /// and the `link` holding it), which its row drops once the mail is
    /// sent or given up.
    pub fn carries_token(self) -> bool {
        matches!(self, Topic::EmailVerification | Topic::PasswordReset)
    }

    /// The mails members may turn off.
    pub fn optional() -> impl Iterator<Item = Topic> {
        Topic::ALL.iter().copied().filter(|t| t.is_optional())
    }
}

crate::named! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Not delivered yet (new, or waiting for a retry).
        Pending = "pending",
        /// Delivered.
        Sent = "sent",
        /// Given up after [`GIVE_UP_AFTER`] of failures.
        Failed = "failed",
    }
}

/// How long a failing delivery is retried, from the change it tells of.
pub const GIVE_UP_AFTER: Duration = Duration::days(3);
/// The first retry's delay; each later one doubles it.
const FIRST_RETRY_SECS: i64 = 10;
/// The longest wait between two attempts.
const LONGEST_WAIT_SECS: i64 = 6 * 3600;

/// What to do after attempt number `attempts` (1 for the first) failed, for
/// a delivery created at `created_at`: retry at the returned time, or give
/// up (`None`) once [`GIVE_UP_AFTER`] has passed. The delay doubles from
/// 10 s up to 6 h, and `jitter` (0.0–1.0, random) spreads it over its upper
/// half so that deliveries failing together do not retry together.
pub fn next_attempt(
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    attempts: i32,
    jitter: f64,
) -> Option<DateTime<Utc>> {
    let doubling = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let delay = (FIRST_RETRY_SECS << doubling).min(LONGEST_WAIT_SECS) as f64;
    let delay =
        Duration::milliseconds((delay * (0.5 + 0.5 * jitter.clamp(0.0, 1.0)) * 1000.0) as i64);
    let at = now + delay;
    (at < created_at + GIVE_UP_AFTER).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().expect("a timestamp")
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter() {
        let t0 = at("2026-12-01T12:00:00Z");
        let wait = |attempts, jitter| {
            next_attempt(t0, t0, attempts, jitter).map(|t| (t - t0).num_milliseconds())
        };
        assert_eq!(wait(1, 1.0), Some(10_000));
        assert_eq!(wait(1, 0.0), Some(5_000));
        assert_eq!(wait(2, 1.0), Some(20_000));
        assert_eq!(wait(5, 1.0), Some(160_000));
        // Capped at six hours, however many attempts.
        assert_eq!(wait(40, 1.0), Some(6 * 3_600_000));
        assert_eq!(wait(40, 0.0), Some(3 * 3_600_000));
    }

    #[test]
    fn pass_codes_and_account_mails_always_go_and_the_rest_may_be_turned_off() {
        let always = [
            Topic::PassIssued,
            Topic::EmailVerification,
            Topic::PasswordReset,
        ];
        assert!(always.iter().all(|t| !t.is_optional()));
        assert!(Topic::optional().all(|t| !always.contains(&t)));
        assert_eq!(Topic::optional().count(), Topic::ALL.len() - always.len());
        assert!(Topic::PasswordReset.carries_token() && !Topic::PassIssued.carries_token());
    }

    #[test]
    fn deliveries_are_given_up_three_days_after_the_change() {
        let t0 = at("2026-12-01T12:00:00Z");
        let late = t0 + Duration::days(3) - Duration::minutes(1);
        assert_eq!(
            next_attempt(t0, late, 1, 1.0),
            Some(late + Duration::seconds(10))
        );
        assert_eq!(next_attempt(t0, late, 30, 1.0), None);
        assert_eq!(next_attempt(t0, t0 + Duration::days(3), 1, 0.0), None);
    }
}
