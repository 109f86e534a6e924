//! Calendars: iCalendar feeds (RFC 5545) of a group, of a region and of the
//! groups a member organises, and the member's calendar token.

mod group;
mod ics;
mod personal;
mod region;
mod token;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(group::group_calendar)
        .service(region::region_calendar)
        .service(personal::personal_calendar)
        .service(token::create_calendar_token)
        .service(token::revoke_calendar_token);
}
