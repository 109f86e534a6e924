//! The audit log, for staff: who changed what, when, in which request.

pub mod json;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list::list_audit_log);
}
