//! Accounts people run themselves (`domain.md` "Accounts and personal
//! data"): the password policy, and the single-use tokens mailed for
//! verification and reset.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::Duration;

use crate::error::FieldError;

/// Shortest password accepted (NIST SP 800-63B asks for at least 8; 12 is
/// this foundation's choice, with no composition rules).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (bounds the hashing work per request).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The 10,000 most common passwords (zxcvbn's list), compiled in.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Checks a new password against the policy (NIST SP 800-63B §5.1.1.2):
/// its length, the list of common passwords, and what an attacker would try
/// first for this account (its email, or one character repeated).
/// `field` names it in the error.
pub fn check_password(field: &str, password: &str, email: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(FieldError::new(
            field,
            "length",
            format!("must be between {MIN_PASSWORD_CHARS} and {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let repeated = lower.chars().all(|c| lower.starts_with(c));
    if COMMON.contains(lower.as_str())
        || repeated
        || lower == email.to_lowercase()
        || (local.len() >= 4 && lower == local)
    {
        return Err(FieldError::new(
            field,
            "common_password",
            "this password is among the most common or guessable ones; choose another (a few unrelated words make a good one)",
        ));
    }
    Ok(())
}

crate::named! {
    /// What a mailed token is for.
    pub enum TokenPurpose {
        /// Proves the member reads mail at their address.
        VerifyEmail = "verify_email",
        /// Sets a new password without the old one.
        ResetPassword = "reset_password",
    }
}

impl TokenPurpose {
    /// How long a token stays valid: a day to verify, an hour to reset.
    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::VerifyEmail => Duration::hours(24),
            TokenPurpose::ResetPassword => Duration::hours(1),
        }
    }
}

/// The display name an erased member is shown under.
pub const FORMER_MEMBER: &str = "former member";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_characters_of_anything_pass() {
        assert!(check_password("password", "correct horse battery", "a@b.org").is_ok());
        assert!(check_password("password", "zq8 Ж 7 kp w!", "a@b.org").is_ok());
    }

    #[test]
    fn short_long_common_and_guessable_passwords_fail() {
        let code =
            |p: &str| check_password("password", p, "mia.mueller@example.org").map_err(|e| e.code);
        assert_eq!(code("short"), Err("length".into()));
        assert_eq!(code(&"x".repeat(257)), Err("length".into()));
        // Common ones, whatever their case.
        assert_eq!(code("1qaz2wsx3edc"), Err("common_password".into()));
        assert_eq!(code("QWERTY123456"), Err("common_password".into()));
        assert_eq!(code("aaaaaaaaaaaaaa"), Err("common_password".into()));
        assert_eq!(
            code("mia.mueller@example.org"),
            Err("common_password".into())
        );
        assert_eq!(code("Mia.Mueller"), Err("length".into()));
    }

    #[test]
    fn the_list_holds_ten_thousand_passwords() {
        assert_eq!(COMMON.len(), 10_000);
    }

    #[test]
    fn a_reset_token_lives_an_hour_and_a_verification_a_day() {
        assert_eq!(TokenPurpose::ResetPassword.lifetime(), Duration::hours(1));
        assert_eq!(TokenPurpose::VerifyEmail.lifetime(), Duration::hours(24));
    }
}
