//! Middleware that wraps every request.

pub mod observe;
