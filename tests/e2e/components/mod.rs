//! `/v1/components`: the list feedback is filed under.

mod create;
mod list;
