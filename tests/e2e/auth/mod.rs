//! Accounts: `/v1/auth/register`, `/v1/auth/token`, `/v1/auth/refresh` and `/v1/auth/logout`.

mod logout;
mod refresh;
mod register;
mod token;
