//! Appeals: a member asks staff to reconsider a summit programme's
//! decision; granting one issues a pass within the quota.

mod decide;
mod file;
pub mod json;
mod list;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(file::file_appeal)
        .service(list::list_appeals)
        .service(decide::decide_appeal);
}
