use actix_web::{post, web, HttpResponse};

use liaison_domain::Scope;
use liaison_persistence::passes;

use super::json::{PassView, RedeemRequest};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::http::reply::Reply;
use crate::http::screen::Json;
use crate::state::AppState;

/// Shows the pass a code names without redeeming it (staff, `passes:redeem`
/// keys), so a registration desk can look before it acts: its `status`
/// says whether it is `issued`, `redeemed` or `revoked`. Nothing is written.
///
/// A code whose check character is wrong is refused (422 `invalid_code`)
/// before any lookup, as redemption does.
#[utoipa::path(
    tag = "passes",
    security(("bearer" = [])),
    request_body = RedeemRequest,
    responses(
        (status = 200, description = "The pass, in whatever status", body = PassView),
        (status = 401, description = "No credentials"),
        (status = 403, description = "Neither staff nor a `passes:redeem` key"),
        (status = 404, description = "No pass with this code"),
        (status = 422, description = "Not a valid code (`invalid_code`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/passes/check")]
pub async fn check_pass(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<RedeemRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_staff_or_scope(Scope::PassesRedeem)?;
    let code = body.code()?;
    let pass = passes::find(&state.db, None, Some(&code), false)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Reply::ok(&PassView::from(pass))?.into_response())
}
