//! A member's choice of the optional mails.

mod get;
pub mod json;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::my_notifications)
        .service(update::update_my_notifications);
}
