//! Authentication: passwords, access and refresh tokens, API keys, and the
//! extractor that turns a request's credentials into an [`Actor`].

pub mod caller;
pub mod known;
pub mod passwords;
pub mod secrets;
pub mod tokens;

pub use caller::Caller;
