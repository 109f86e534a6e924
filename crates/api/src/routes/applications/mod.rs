//! Applications to an ambassador cycle: apply, the cycle's list, read,
//! edit a draft, submit, withdraw, review, decide.
//! The applicant sees the mean of each criterion, never who reviewed; staff
//! see every review; a reviewer sees their own.

pub mod access;
mod apply;
mod decide;
mod edit;
mod get;
pub mod json;
mod list;
mod mine;
mod review;
mod select;
mod submit;
pub mod view;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::get_application)
        .service(edit::edit_application)
        .service(submit::submit_application)
        .service(submit::withdraw_application)
        .service(review::review_application)
        .service(decide::decide_application)
        .service(mine::my_applications)
        .service(apply::apply)
        .service(list::list_applications);
}
