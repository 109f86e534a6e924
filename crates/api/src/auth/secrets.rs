//! Random secrets (refresh tokens, API keys) and their stored hashes.

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
