//! Operating the service: health, metrics, documentation, the OpenAPI document (and schemathesis against it) and the demo seed.

mod demo;
mod docs;
mod health;
mod metrics;
mod migrations;
mod openapi;
mod schemathesis;
mod typescript_client;
