//! The region dashboard: what waits on a region's ambassadors, in one call.

mod get;
pub mod json;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::region_dashboard);
}
