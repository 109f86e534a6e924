//! The end-to-end suite: `<resource>/<verb>.rs` mirrors the routes; then http, operations, journeys.

mod ambassadors;
mod appeals;
mod applications;
mod audit;
mod auth;
mod components;
mod contribution_kinds;
mod contributions;
mod cycles;
mod directory;
mod eligibility;
mod events;
mod feedback;
mod groups;
mod http;
mod journeys;
mod members;
mod operations;
mod organizers;
mod passes;
mod recognition_programs;
mod regions;
mod service_accounts;
mod summits;
