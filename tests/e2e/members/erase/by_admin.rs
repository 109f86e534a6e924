//! `DELETE /v1/members/{id}`: an admin's, with a reason.

use super::*;

#[tokio::test]
async fn an_admin_erases_a_member_with_a_reason_recorded_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let admin = app.admin().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    let reason = json!({"reason": "asked by mail on 2026-11-30 (ticket 4411)"});
    let entries_path = format!(
        "/v1/audit-log?entity_type=member&entity_id={}&limit=200",
        ada.id
    );
    let erasures = |entries: &Value| {
        entries["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| e["action"] == "member.erased")
            .cloned()
            .collect::<Vec<_>>()
    };

    // Refused: staff who are not admins, and an admin without a reason.
    assert_problem(
        erase_member(&app, &staff.token, ada.id, &reason).await,
        403,
        "forbidden",
    )
    .await;
    let missing = assert_problem(
        erase_member(&app, &admin.token, ada.id, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&missing), ["reason"]);
    let blank = assert_problem(
        erase_member(&app, &admin.token, ada.id, &json!({"reason": "   "})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&blank), ["reason"]);
    assert!(!is_erased(&app, ada.id).await);
    assert_eq!(me(&app, &ada).await, before);
    assert_eq!(
        erasures(&json_of(&app, Some(&staff.token), &entries_path).await),
        Vec::<Value>::new()
    );

    let response = erase_member(&app, &admin.token, ada.id, &reason).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(is_erased(&app, ada.id).await);
    let recorded = erasures(&json_of(&app, Some(&staff.token), &entries_path).await);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0]["actor_type"], "member");
    assert_eq!(recorded[0]["actor_id"], admin.id.to_string());
    assert_eq!(
        recorded[0]["summary"],
        json!({"by": "admin", "reason": "asked by mail on 2026-11-30 (ticket 4411)"})
    );
    assert_problem(
        app.get("/v1/me", Some(&ada.token)).await,
        401,
        "unauthenticated",
    )
    .await;

    // Erased already, or never there: 404.
    for id in [ada.id, Uuid::new_v4()] {
        assert_problem(
            erase_member(&app, &admin.token, id, &reason).await,
            404,
            "not_found",
        )
        .await;
    }
    assert_eq!(
        erasures(&json_of(&app, Some(&staff.token), &entries_path).await).len(),
        1,
        "erased once"
    );
}

/// The erasure by id is an admin's: a member naming their own id must
/// confirm with the password through `DELETE /v1/me` instead.
#[tokio::test]
async fn a_member_may_not_erase_themselves_by_id_without_the_password() {
    let app = TestApp::spawn().await;
    let ada = app.member("Ada").await;
    let before = me(&app, &ada).await;
    assert_problem(
        erase_member(&app, &ada.token, ada.id, &json!({"reason": "bye"})).await,
        403,
        "forbidden",
    )
    .await;
    assert!(!is_erased(&app, ada.id).await);
    assert_eq!(me(&app, &ada).await, before);
}
