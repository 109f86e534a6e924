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

use liaison_persistence::members::{self, Member};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in member, once `password` proves it is them (422
/// `wrong_password` on `field` otherwise): what changing the password and
/// erasing the account both ask first.
async fn confirmed_by_password(
    state: &AppState,
    caller: &Caller,
    field: &str,
    password: &str,
) -> Result<Member, ApiError> {
    let me = caller.member()?;
    let member = members::find(&state.db, me.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !state
        .passwords
        .verify(password.to_owned(), member.password_hash.clone())
        .await?
    {
        return Err(ApiError::invalid_field(
            field,
            "wrong_password",
            "this is not your current password",
        ));
    }
    Ok(member)
}

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
