//! The mails that carry a single-use account token (verification, reset):
//! every sender queues them through here, so each token is made, stored
//! and linked the same way.

use serde_json::json;

use liaison_domain::account::TokenPurpose;
use liaison_domain::outbox::Topic;
use liaison_persistence::account_tokens::{self, NewToken};

use crate::auth::secrets;
use crate::error::ApiError;
use crate::http::command::Command;
use crate::settings::AccountSettings;

/// Makes a token of `purpose` for the member whose email is `email` (if
/// there is one), stores its hash and queues its mail, in the command's
/// transaction; the same work whether or not the email has an account.
pub(crate) async fn mail_token(
    cmd: &Command<'_>,
    settings: &AccountSettings,
    email: &str,
    purpose: TokenPurpose,
) -> Result<(), ApiError> {
    let token = secrets::new_account_token();
    let Some((selector, verifier)) = secrets::split_account_token(&token) else {
        return Err(ApiError::Internal("a new token did not split".into()));
    };
    let (topic, page) = match purpose {
        TokenPurpose::VerifyEmail => (Topic::EmailVerification, "verify-email"),
        TokenPurpose::ResetPassword => (Topic::PasswordReset, "reset-password"),
    };
    let stored = NewToken {
        selector: selector.to_owned(),
        verifier_hash: secrets::digest(verifier),
        purpose,
    };
    let payload =
        json!({"token": token, "link": format!("{}/{page}?token={token}", settings.app_url)});
    account_tokens::mail_to_email(cmd.txn(), email, &stored, topic, payload).await?;
    Ok(())
}

/// The member a presented token of `purpose` belongs to, when it is live
/// and its verifier matches (compared in constant time); locked, so that
/// of two requests spending it, one does. 422 `invalid_token` otherwise.
pub(crate) async fn spend_token(
    cmd: &Command<'_>,
    token: &str,
    purpose: TokenPurpose,
) -> Result<uuid::Uuid, ApiError> {
    let invalid = || {
        ApiError::invalid_field(
            "token",
            "invalid_token",
            "this token is unknown, used or expired; ask for a new mail",
        )
    };
    let (selector, verifier) = secrets::split_account_token(token).ok_or_else(invalid)?;
    let live = account_tokens::find_live(cmd.txn(), selector, purpose, true)
        .await?
        .filter(|t| secrets::verifier_matches(verifier, &t.verifier_hash))
        .ok_or_else(invalid)?;
    account_tokens::spend_all(cmd.txn(), live.member_id, purpose).await?;
    Ok(live.member_id)
}
