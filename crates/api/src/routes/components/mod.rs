//! Components: the staff-managed list feedback is filed under.

mod create;
pub mod json;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_components)
        .service(create::create_component);
}
