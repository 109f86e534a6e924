//! Contribution kinds: the staff-managed list of what can be claimed.

mod create;
pub mod json;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_kinds).service(create::create_kind);
}
