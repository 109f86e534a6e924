//! Summit pass codes: 16 Crockford base32 characters shown as
//! `XXXX-XXXX-XXXX-XXXX`, the last one a check character (Luhn mod 32 over
//! the first 15), so a mistyped code is refused before any lookup.

use crate::error::Invalid;

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
