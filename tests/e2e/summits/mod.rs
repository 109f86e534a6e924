//! Summits and their programme quotas.

mod create;
mod get;
mod list;
mod update;
