//! Test harness: the real app over HTTP on a real PostgreSQL database.
//!
//! A template database is migrated once (per set of migration sources, under
//! an advisory lock so parallel test processes agree); each test gets its own
//! copy (`CREATE DATABASE … TEMPLATE …`), dropped when the test ends. There is
//! no fallback: without PostgreSQL every test fails loudly.
//!
//! Everything a test uses is re-exported here, so `use liaison_tests::{…}`
//! names it whatever file of `support/` it lives in.

mod app;
mod audit;
mod database;
mod groups;
mod members;
mod problems;
mod programme;
mod requests;
mod values;

pub use app::{test_settings, TestApp, JWT_SECRET};
pub use database::{count, fresh_database, server_url, DbProxy};
pub use members::{Member, PASSWORD};
pub use problems::{assert_problem, body, error_fields};
pub use requests::{answer, application_request, event_request, group_request, open_cycle_request};
pub use values::id_of;
