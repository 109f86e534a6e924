//! Liaison's business rules, free of IO: who acts, what they may do, and the
//! value types whose parsing enforces the rules of `domain.md`.
//!
//! Nothing here knows HTTP or SQL, so every rule can be unit-tested alone.

pub mod account;
pub mod actor;
pub mod ambassador;
pub mod application;
pub mod audit;
pub mod error;
pub mod event;
pub mod feed;
pub mod feedback;
pub mod group;
pub mod import;
pub mod member;
pub mod message;
pub mod named;
pub mod outbox;
pub mod pass;
pub mod policy;
pub mod preview;
pub mod recognition;
pub mod region;
pub mod report;
pub mod summit;
pub mod values;
pub mod webhook;

pub use actor::{Actor, Role, Scope};
pub use error::{FieldError, Invalid};
