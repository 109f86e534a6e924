//! Accounts: `/v1/auth/register`, `/v1/auth/token`, `/v1/auth/refresh`,
//! `/v1/auth/logout`, `/v1/auth/verify-email` and `/v1/auth/password-reset`.

mod known_callers;
mod logout;
mod password_reset;
mod refresh;
mod register;
mod token;
mod unverified;
mod verify_email;
