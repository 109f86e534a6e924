//! Regions: staff define them; anyone reads them. A country belongs to at
//! most one region (409 `country_taken` names every clash).

mod create;
mod get;
pub mod json;
mod list;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_region)
        .service(list::list_regions)
        .service(get::get_region)
        .service(update::update_region);
}
