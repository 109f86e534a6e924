//! `GET, PATCH /v1/me/notifications`: which optional mails a member gets.

mod update;
