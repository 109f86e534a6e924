//! Random secrets (refresh tokens, API keys, mailed account tokens) and
//! their stored hashes.

use base64::Engine;
use rand::{rngs::OsRng, Rng};
use sha2::{Digest, Sha256};

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random base62 characters from the OS CSPRNG.
pub fn random_token(len: usize) -> String {
    let mut rng = OsRng;
    (0..len)
        .map(|_| BASE62[rng.gen_range(0..BASE62.len())] as char)
        .collect()
}

/// A refresh token: 32 random bytes, base64url.
pub fn new_refresh_token() -> String {
    let bytes: [u8; 32] = OsRng.gen();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Prefix that marks an API key in an `Authorization` header.
pub const API_KEY_PREFIX: &str = "lia_";

/// A new API key, `lia_` and 40 base62 characters (~238 bits).
pub fn new_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_token(40))
}

/// SHA-256 of a high-entropy secret: enough for lookup, since such a secret
/// cannot be guessed from its hash (passwords use Argon2id instead).
pub fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Characters of a mailed account token's selector (looked up) and
/// verifier (kept hashed, compared in constant time).
const SELECTOR_CHARS: usize = 16;
const VERIFIER_CHARS: usize = 32;

/// A new mailed account token: 48 base62 characters (~285 bits), of which
/// the first 16 are its selector.
pub fn new_account_token() -> String {
    random_token(SELECTOR_CHARS + VERIFIER_CHARS)
}

/// A token's selector and verifier; `None` when it cannot be one.
pub fn split_account_token(token: &str) -> Option<(&str, &str)> {
    let token = token.trim();
    (token.len() == SELECTOR_CHARS + VERIFIER_CHARS
        && token.bytes().all(|b| b.is_ascii_alphanumeric()))
    .then(|| token.split_at(SELECTOR_CHARS))
}

/// Whether `verifier` hashes to `stored`, compared in constant time.
pub fn verifier_matches(verifier: &str, stored: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    digest(verifier).ct_eq(stored).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_token_splits_into_its_selector_and_a_verifier_that_matches_its_hash() {
        let token = new_account_token();
        let (selector, verifier) = split_account_token(&token).expect("a token");
        assert_eq!(selector.len(), 16);
        assert!(verifier_matches(verifier, &digest(verifier)));
        assert!(!verifier_matches(verifier, &digest("something else")));
        assert!(split_account_token("short").is_none());
        assert!(split_account_token(&format!("{}!", &token[1..])).is_none());
    }
}
