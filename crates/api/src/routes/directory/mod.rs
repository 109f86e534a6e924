//! The public directory: regions with their ambassadors and groups, for
//! people looking for the right person to talk to.

mod get;
pub mod json;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::directory);
}
