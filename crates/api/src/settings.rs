//! Settings, read once from the environment. Every variable is documented in
//! the README and `.env.example`, with the default used when it is unset.

use std::fmt;
use std::time::Duration;

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How access tokens are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtSigning {
    /// HMAC-SHA256 with a shared secret (`LIAISON_JWT_SECRET`).
    Hs256(Secret),
    /// RSA or Ed25519 with PEM keys (`LIAISON_JWT_PRIVATE_KEY_FILE`, `LIAISON_JWT_PUBLIC_KEY_FILE`).
    Asymmetric {
        /// `RS256` or `EdDSA`.
        algorithm: String,
        /// PEM of the signing key.
        private_pem: Secret,
        /// PEM of the verifying key.
        public_pem: String,
    },
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Secret {}

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy)]
pub struct Argon2Params {
    /// Memory in KiB (`LIAISON_ARGON2_MEMORY_KIB`, default 19456 = 19 MiB, OWASP's minimum).
    pub memory_kib: u32,
    /// Passes (`LIAISON_ARGON2_ITERATIONS`, default 2).
    pub iterations: u32,
    /// Lanes (`LIAISON_ARGON2_PARALLELISM`, default 1).
    pub parallelism: u32,
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `LIAISON_HOST`, default `127.0.0.1`.
    pub host: String,
    /// `LIAISON_PORT`, default 8080; 0 picks a free port.
    pub port: u16,
    /// `LIAISON_WORKERS`, default the number of CPUs.
    pub workers: Option<usize>,
    /// `DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/liaison`.
    pub database_url: Secret,
    /// `LIAISON_DB_MAX_CONNECTIONS`, default 20.
    pub db_max_connections: u32,
    /// `LIAISON_DB_ACQUIRE_TIMEOUT_SECS`, default 3.
    pub db_acquire_timeout: Duration,
    /// Access-token signing; `LIAISON_JWT_ALGORITHM` (default `HS256`).
    pub jwt: JwtSigning,
    /// `LIAISON_JWT_ISSUER`, default `liaison`.
    pub jwt_issuer: String,
    /// `LIAISON_JWT_AUDIENCE`, default `liaison-api`.
    pub jwt_audience: String,
    /// `LIAISON_ACCESS_TOKEN_TTL_SECS`, default 900 (15 minutes).
    pub access_token_ttl: Duration,
    /// `LIAISON_REFRESH_TOKEN_TTL_DAYS`, default 30.
    pub refresh_token_ttl_days: i64,
    /// Password hashing cost.
    pub argon2: Argon2Params,
    /// `LIAISON_CORS_ORIGINS`: comma-separated origins, `*` for any; default none.
    pub cors_origins: Vec<String>,
    /// `LIAISON_AUTH_RATE_LIMIT`: requests per window and client on `/v1/auth/*`, default 30.
    pub auth_rate_limit: u32,
    /// `LIAISON_RATE_LIMIT_WINDOW_SECS`, default 60.
    pub rate_limit_window_secs: u32,
    /// `LIAISON_TRUST_FORWARDED_FOR`: take the client address from `X-Forwarded-For` (behind a proxy), default false.
    pub trust_forwarded_for: bool,
    /// `LIAISON_LOG_FORMAT`: `json` (default) or `text`.
    pub log_json: bool,
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("setting {name}: {message}")]
pub struct SettingsError {
    name: &'static str,
    message: String,
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, SettingsError>
where
    T::Err: fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|e: T::Err| SettingsError {
            name,
            message: format!("cannot parse `{raw}`: {e}"),
        }),
    }
}

fn read_file(name: &'static str) -> Result<String, SettingsError> {
    let path = var(name).ok_or(SettingsError {
        name,
        message: "required when LIAISON_JWT_ALGORITHM is RS256 or EdDSA".into(),
    })?;
    std::fs::read_to_string(&path).map_err(|e| SettingsError {
        name,
        message: format!("cannot read {path}: {e}"),
    })
}

/// The database the server uses when `DATABASE_URL` is unset.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/liaison";

impl Settings {
    /// Reads settings from the environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        let jwt = match var("LIAISON_JWT_ALGORITHM").as_deref().unwrap_or("HS256") {
            "HS256" => JwtSigning::Hs256(Secret(var("LIAISON_JWT_SECRET").unwrap_or_else(|| {
                // Tokens then die with the process, and processes do not share
                // them: fine for a try-out, documented as unfit for production.
                tracing::warn!(
                    "LIAISON_JWT_SECRET is unset: using a random secret for this process"
                );
                crate::auth::secrets::random_token(48)
            }))),
            alg @ ("RS256" | "EdDSA") => JwtSigning::Asymmetric {
                algorithm: alg.to_owned(),
                private_pem: Secret(read_file("LIAISON_JWT_PRIVATE_KEY_FILE")?),
                public_pem: read_file("LIAISON_JWT_PUBLIC_KEY_FILE")?,
            },
            other => {
                return Err(SettingsError {
                    name: "LIAISON_JWT_ALGORITHM",
                    message: format!("`{other}` is not one of HS256, RS256, EdDSA"),
                })
            }
        };
        Ok(Self {
            host: var("LIAISON_HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port: parsed("LIAISON_PORT", 8080)?,
            workers: var("LIAISON_WORKERS")
                .map(|_| parsed("LIAISON_WORKERS", 1))
                .transpose()?,
            database_url: Secret(
                var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            ),
            db_max_connections: parsed("LIAISON_DB_MAX_CONNECTIONS", 20)?,
            db_acquire_timeout: Duration::from_secs(parsed("LIAISON_DB_ACQUIRE_TIMEOUT_SECS", 3)?),
            jwt,
            jwt_issuer: var("LIAISON_JWT_ISSUER").unwrap_or_else(|| "liaison".into()),
            jwt_audience: var("LIAISON_JWT_AUDIENCE").unwrap_or_else(|| "liaison-api".into()),
            access_token_ttl: Duration::from_secs(parsed("LIAISON_ACCESS_TOKEN_TTL_SECS", 900)?),
            refresh_token_ttl_days: parsed("LIAISON_REFRESH_TOKEN_TTL_DAYS", 30)?,
            argon2: Argon2Params {
                memory_kib: parsed("LIAISON_ARGON2_MEMORY_KIB", 19_456)?,
                iterations: parsed("LIAISON_ARGON2_ITERATIONS", 2)?,
                parallelism: parsed("LIAISON_ARGON2_PARALLELISM", 1)?,
            },
            cors_origins: var("LIAISON_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            auth_rate_limit: parsed("LIAISON_AUTH_RATE_LIMIT", 30)?,
            rate_limit_window_secs: parsed("LIAISON_RATE_LIMIT_WINDOW_SECS", 60)?,
            trust_forwarded_for: parsed("LIAISON_TRUST_FORWARDED_FOR", false)?,
            log_json: var("LIAISON_LOG_FORMAT").as_deref() != Some("text"),
        })
    }
}
