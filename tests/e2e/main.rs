//! The end-to-end suite: one module per resource or mechanism.

mod accounts;
mod ambassadors;
mod applications;
mod audit;
mod availability;
mod conditional_requests;
mod contributions;
mod cycles;
mod errors;
mod events;
mod floods;
mod groups;
mod hostile_input;
mod idempotency;
mod members;
mod operations;
mod passes;
mod recognition_flow;
mod regions;
mod service_accounts;
