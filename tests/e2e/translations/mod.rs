//! `/v1/translations/{id}`: one translation, and the decision on it.

mod decide;
mod get;
