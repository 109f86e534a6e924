//! Summit passes (`domain.md` "Passes"): their codes, statuses and origins,
//! the appeals against a programme's decision, and what a quota has left.
//!
//! A code is 16 Crockford base32 characters shown as `XXXX-XXXX-XXXX-XXXX`,
//! the last one a check character (Luhn mod 32 over the first 15), so a
//! mistyped code is refused before any lookup.

use std::fmt;

use crate::error::Invalid;

crate::named! {
    /// Where a pass stands.
    pub enum PassStatus {
        /// Given to its member, not yet used.
        Issued = "issued",
        /// Used at the door, once.
        Redeemed = "redeemed",
        /// Taken back; its place in the quota is free again.
        Revoked = "revoked",
    }
}

crate::named! {
    /// How a pass came to be.
    pub enum PassOrigin {
        /// A bulk issuance to eligible members.
        Bulk = "bulk",
        /// Issued by hand by staff, with a reason.
        Manual = "manual",
        /// Granted on appeal.
        Appeal = "appeal",
    }
}

crate::named! {
    /// Where an appeal stands.
    pub enum AppealStatus {
        /// Awaiting staff's decision.
        Open = "open",
        /// Granted: a pass was issued with it.
        Granted = "granted",
        /// Denied, with a reason.
        Denied = "denied",
    }
}

impl PassStatus {
    /// Whether the pass takes a place in its quota (and blocks another pass
    /// for the same member at the summit).
    pub fn holds_place(self) -> bool {
        self != Self::Revoked
    }
}

/// What a quota has left once `used` passes hold a place; never negative,
/// even after a quota was lowered.
pub fn remaining(quota: i32, used: i64) -> i64 {
    (i64::from(quota) - used).max(0)
}

/// A pass code in its canonical form: 16 characters, check character valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassCode(String);

impl PassCode {
    /// A code from 15 random values (0–31 each), with its check character.
    pub fn from_random(values: &[u8; 15]) -> Self {
        Self(from_random(values))
    }

    /// Reads a code as people type it (see [`parse`]).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        parse(input).map(Self)
    }

    /// The canonical 16 characters, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads a code as stored or typed (see [`parse`]).
impl std::str::FromStr for PassCode {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Invalid> {
        Self::parse(s)
    }
}

/// As shown: `XXXX-XXXX-XXXX-XXXX`.
impl fmt::Display for PassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(&self.0))
    }
}

/// Crockford's base32 alphabet (no I, L, O, U).
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code, check character included.
pub const LEN: usize = 16;

fn value_of(c: u8) -> Option<u32> {
    // Crockford decoding: case-insensitive; I and L read as 1, O as 0.
    let c = match c.to_ascii_uppercase() {
        b'I' | b'L' => b'1',
        b'O' => b'0',
        other => other,
    };
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The Luhn mod 32 check character of `payload` (values 0–31).
fn check_value(payload: &[u32]) -> u32 {
    let mut factor = 2;
    let mut sum = 0;
    for &v in payload.iter().rev() {
        let addend = factor * v;
        sum += addend / 32 + addend % 32;
        factor = if factor == 2 { 1 } else { 2 };
    }
    (32 - sum % 32) % 32
}

/// Makes a code from 15 random values (0–31 each): appends the check character.
pub fn from_random(values: &[u8; 15]) -> String {
    let payload: Vec<u32> = values.iter().map(|v| u32::from(v & 31)).collect();
    let check = check_value(&payload);
    payload
        .iter()
        .chain(std::iter::once(&check))
        .map(|&v| ALPHABET[v as usize] as char)
        .collect()
}

/// Reads a code as people type it: case-insensitive, ignoring dashes and
/// spaces. Answers the canonical 16 characters, or why it cannot be a code.
pub fn parse(input: &str) -> Result<String, Invalid> {
    let mut values = Vec::with_capacity(LEN);
    for c in input
        .bytes()
        .filter(|c| *c != b'-' && !c.is_ascii_whitespace())
    {
        match value_of(c) {
            Some(v) => values.push(v),
            None => {
                return Err(Invalid::one(
                    "code",
                    "invalid_code",
                    "a pass code has only letters and digits",
                ))
            }
        }
    }
    if values.len() != LEN {
        return Err(Invalid::one(
            "code",
            "invalid_code",
            "a pass code has 16 characters",
        ));
    }
    if check_value(&values[..LEN - 1]) != values[LEN - 1] {
        return Err(Invalid::one(
            "code",
            "invalid_code",
            "the code's check character does not match: mistyped?",
        ));
    }
    Ok(values
        .iter()
        .map(|&v| ALPHABET[v as usize] as char)
        .collect())
}

/// The code as shown: `XXXX-XXXX-XXXX-XXXX`.
pub fn display(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = from_random(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(code.len(), 16);
        let shown = display(&code);
        assert_eq!(shown.len(), 19);
        assert_eq!(parse(&shown).ok(), Some(code.clone()));
        assert_eq!(
            parse(&shown.to_lowercase().replace('-', " ")).ok(),
            Some(code.clone())
        );
    }

    #[test]
    fn a_pass_code_shows_with_dashes_and_stores_without() {
        let code = PassCode::from_random(&[3; 15]);
        assert_eq!(code.as_str().len(), 16);
        let shown = code.to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(PassCode::parse(&shown), Ok(code));
    }

    #[test]
    fn names_read_back_and_only_revoked_passes_free_their_place() {
        for s in PassStatus::ALL {
            assert_eq!(PassStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!("granted".parse::<AppealStatus>(), Ok(AppealStatus::Granted));
        for o in PassOrigin::ALL {
            assert_eq!(serde_json::to_value(o).ok(), Some(o.as_str().into()));
        }
        for a in AppealStatus::ALL {
            assert_eq!(serde_json::to_value(a).ok(), Some(a.as_str().into()));
        }
        for s in PassStatus::ALL {
            assert_eq!(serde_json::to_value(s).ok(), Some(s.as_str().into()));
        }
        assert!("lost".parse::<PassOrigin>().is_err());
        assert!(PassStatus::Issued.holds_place() && PassStatus::Redeemed.holds_place());
        assert!(!PassStatus::Revoked.holds_place());
        assert_eq!(remaining(10, 12), 0);
        assert_eq!(remaining(10, 3), 7);
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert!(parse("").is_err());
        assert!(parse("ABCD-EFGH").is_err());
        assert!(parse("ABCD-EFGH-JKMN-PQR!").is_err());
        assert!(
            parse("UUUU-UUUU-UUUU-UUUU").is_err(),
            "U is not in the alphabet"
        );
    }

    proptest! {
        #[test]
        fn every_single_character_typo_is_caught(values in proptest::array::uniform15(0u8..32), pos in 0usize..16, delta in 1u8..32) {
            let code = from_random(&values);
            prop_assert!(parse(&code).is_ok());
            let mut bytes = code.into_bytes();
            let v = ALPHABET.iter().position(|&a| a == bytes[pos]).unwrap_or(0) as u8;
            bytes[pos] = ALPHABET[((v + delta) % 32) as usize];
            let typo = String::from_utf8(bytes).unwrap_or_default();
            prop_assert!(parse(&typo).is_err());
        }
    }
}
