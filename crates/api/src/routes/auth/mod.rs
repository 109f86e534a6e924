//! Accounts: register, verify the email, sign in, rotate refresh tokens,
//! sign out, reset a forgotten password.
//!
//! Refresh tokens rotate on every use. Presenting one that was already used
//! means it was copied: the whole family (every token descended from the same
//! sign-in) is revoked, so the thief's copy dies with the victim's.

pub mod json;
mod logout;
mod mail;
mod password_reset;
mod refresh;
mod register;
mod token;
mod verify_email;

use actix_web::middleware::from_fn;
use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::http::rate_limit::limit_auth;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope::scope("/auth")
            .wrap(from_fn(limit_auth))
            .service(register::register)
            .service(token::issue_token)
            .service(refresh::rotate_refresh_token)
            .service(logout::logout)
            .service(verify_email::verify_email)
            .service(verify_email::resend_verification)
            .service(password_reset::request_password_reset)
            .service(password_reset::confirm_password_reset),
    );
}
