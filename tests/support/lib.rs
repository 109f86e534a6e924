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
mod calendars;
mod contributions;
mod database;
mod document;
mod feedback;
mod groups;
mod keys;
mod mail;
mod members;
mod messages;
mod passes;
mod problems;
mod programme;
mod reports;
mod requests;
mod smtp;
mod summits;
mod values;
mod webhooks;

pub use app::{test_settings, TestApp, JWT_SECRET};
pub use calendars::parse_ics;
pub use contributions::{claim, claim_request, import_batch, import_row, send_import, today};
pub use database::{
    count, database_url, drop_database, empty_database, exec, fresh_database, scalar, server_url,
    DbProxy,
};
pub use document::{component, document, operation, parameter_schema, resolved};
pub use feedback::feedback_request;
pub use groups::{
    change_group_status, organizers_of, patch_event, patch_group, remove_organizer, world, World,
};
pub use keys::api_key;
pub use mail::Arrived;
pub use members::{Member, PASSWORD};
pub use messages::{message_request, translation_request};
pub use passes::{
    appeals_of, assert_code_shape, file_appeal, issue_passes, issue_passes_at, issued_members,
    live_passes, manual_pass, my_passes, send_manual_pass, without_delivery,
};
pub use problems::{assert_problem, body, error_fields};
pub use reports::{current_period, due_period, report_request};
pub use requests::{
    answer, application_request, event_request, group_request, open_cycle_request, region_request,
};
pub use smtp::SmtpServer;
pub use summits::{
    cutoff, explanation, organizer, programme_quota, summit, summit_request, verified_run,
};
pub use values::{at, etag, id_of, page_ids, string_of};
pub use webhooks::{readme_snippet_verifies, Received, Receiver};
