//! Ambassadorships: the public directory of ambassadors, and staff ending or
//! removing one with a reason.

mod get;
pub mod json;
mod list;
mod region;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_ambassadors)
        .service(get::get_ambassador)
        .service(update::update_ambassador)
        .service(region::region_ambassadors);
}
