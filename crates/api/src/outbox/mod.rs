//! Delivering the outbox: a dispatcher in every `liaison serve` process (or
//! alone, as `liaison worker`) claims due rows, delivers them outside the
//! claiming transaction and records each attempt. Rows are written by
//! `Command` in the transaction of their change.

pub mod dispatcher;
pub mod mail;
pub mod webhook;

pub use dispatcher::Dispatcher;
