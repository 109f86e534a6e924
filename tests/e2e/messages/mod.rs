//! `/v1/messages` and `/v1/groups/{id}/messages`: key messages, the groups'
//! feeds, acknowledgements, translations and translators.

mod acknowledge;
mod create;
mod for_group;
mod get;
mod list;
mod translations;
mod translators;
mod update;
