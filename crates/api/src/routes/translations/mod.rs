//! Translations of key messages by id: reading one, and the author's or
//! staff's decision, which gives an accepted translation's translator a
//! verified `localization` contribution.

mod decide;
mod get;
pub mod json;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::get_translation)
        .service(decide::decide_translation);
}
