//! Liaison's HTTP API: the actix-web app, one module per resource, the error
//! type that renders problem documents, and the OpenAPI document.

pub mod auth;
pub mod commands;
pub mod devdb;
pub mod error;
pub mod first_start;
pub mod http;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod openapi_links;
pub mod openapi_values;
pub mod outbox;
pub mod request_id;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;

pub use settings::Settings;
pub use startup::Application;
