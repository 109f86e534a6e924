//! Activity reports: the draft filled from data, filing once per quarter,
//! reading them, and who is overdue.

mod draft;
mod file;
mod list;
mod overdue;
