//! Recognition programmes with their versioned, public, immutable rules,
//! and the preview of a draft version against a summit's data.

mod create;
mod get;
pub mod json;
mod list;
mod preview;
mod publish_rules;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_programs)
        .service(create::create_program)
        .service(get::get_program)
        .service(publish_rules::publish_rules)
        .service(preview::preview_rules);
}
