//! A group's organizers: `/v1/groups/{id}/organizers`.

mod add;
mod list;
mod remove;
