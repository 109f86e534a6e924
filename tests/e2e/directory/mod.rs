//! The public directory: `/v1/directory`.

mod get;
