//! The outbox: what someone outside should learn of is written in the
//! transaction of the change and delivered afterwards, at least once, by
//! every server's dispatcher.

mod decision_mails;
mod dispatch;
mod pass_mail;
mod smtp;
