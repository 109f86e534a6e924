//! Service accounts: API keys for foundation scripts and group websites.
//! The key is shown once, at creation; only its SHA-256 is stored.

mod create;
pub mod json;
mod list;
mod revoke;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_service_account)
        .service(list::list_service_accounts)
        .service(revoke::revoke_service_account);
}
