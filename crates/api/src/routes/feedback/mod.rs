//! Feedback from the people who deploy the software: members file items
//! (with similar ones suggested) and vote; the region's ambassadors and
//! staff triage them up to the developers; anyone reads the summary.

mod get;
mod history;
pub mod json;
mod list;
mod restore;
mod similar;
mod submit;
mod summary;
mod triage;
mod vote;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(submit::submit_feedback)
        .service(list::list_feedback)
        .service(summary::feedback_summary)
        .service(similar::similar_feedback)
        .service(get::get_feedback)
        .service(vote::vote)
        .service(vote::withdraw_vote)
        .service(triage::triage_feedback)
        .service(restore::restore_feedback)
        .service(history::feedback_history);
}
