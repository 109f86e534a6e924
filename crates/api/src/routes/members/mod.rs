//! Members' profiles, roles and the volunteer search. Email and roles are
//! private: the member and staff see them. A private profile is invisible
//! (404) to everyone else.

mod erase;
mod export;
mod get;
pub mod json;
mod me;
mod password;
mod roles;
mod search;
mod update_me;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me::get_me)
        .service(update_me::patch_me)
        .service(password::change_password)
        .service(export::export_me)
        .service(erase::erase_me)
        .service(erase::erase_member)
        .service(get::get_member)
        .service(roles::set_member_roles)
        .service(search::search_members);
}
