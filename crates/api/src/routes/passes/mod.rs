//! Summit passes: bulk issuance by the foundation's scripts, manual passes,
//! the pass list and export, a member's own passes, checking and redemption
//! at the door, and revocation.

mod check;
mod issue;
pub mod json;
mod list;
pub(crate) mod mail;
mod manual;
mod mine;
pub mod quota;
mod redeem;
mod revoke;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(issue::issue_passes)
        .service(manual::manual_pass)
        .service(list::list_passes)
        .service(redeem::redeem_pass)
        .service(check::check_pass)
        .service(revoke::revoke_pass)
        .service(mine::my_passes);
}
