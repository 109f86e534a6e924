//! Key messages to the user groups: staff and ambassadors publish them,
//! groups' sites pull them (`/v1/groups/{id}/messages`) and organizers
//! acknowledge them; members translate them, and the author or staff find
//! translators among the volunteers.

mod acknowledge;
mod create;
mod for_group;
mod get;
pub mod json;
mod list;
pub(crate) mod render;
mod translate;
mod translations;
mod translators;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create::create_message)
        .service(list::list_messages)
        .service(get::get_message)
        .service(update::update_message)
        .service(for_group::group_messages)
        .service(acknowledge::acknowledge_message)
        .service(translate::propose_translation)
        .service(translations::list_translations)
        .service(translators::message_translators);
}
