//! Accounts: register, sign in, rotate refresh tokens, sign out.
//!
//! Refresh tokens rotate on every use. Presenting one that was already used
//! means it was copied: the whole family (every token descended from the same
//! sign-in) is revoked, so the thief's copy dies with the victim's.

pub mod json;
mod logout;
mod refresh;
mod register;
mod token;

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
            .service(logout::logout),
    );
}
