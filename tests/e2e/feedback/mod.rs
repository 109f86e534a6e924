//! `/v1/feedback`: items, votes, triage, history, the summary.

mod duplicates;
mod get;
mod history;
mod list;
mod submit;
mod summary;
mod triage;
mod vote;
