//! Cross-cutting HTTP mechanisms, one file per mechanism.

mod authentication;
mod availability;
mod conditional_requests;
mod cors;
mod errors;
mod floods;
mod forwarded_for;
mod hostile_input;
mod idempotency;
