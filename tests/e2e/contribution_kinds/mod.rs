//! Contribution kinds: `/v1/contribution-kinds`.

mod create;
mod list;
