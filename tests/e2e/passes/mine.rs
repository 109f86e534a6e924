//! `GET /v1/me/passes`: the caller's own passes.

use liaison_tests::{assert_problem, my_passes, without_delivery, TestApp};
use serde_json::Value;

use super::{five_passes, Listed};

#[tokio::test]
async fn members_see_only_their_own_passes() {
    let app = TestApp::spawn().await;
    let Listed {
        staff,
        people,
        outsider,
        other_summit,
        passes,
        ..
    } = five_passes(&app).await;
    let mine = my_passes(&app, &people[1]).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(without_delivery(&mine[0]), without_delivery(&passes[1]));
    let theirs = my_passes(&app, &outsider).await;
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["summit_id"], other_summit);
    assert_eq!(my_passes(&app, &staff).await, Vec::<Value>::new());
}

#[tokio::test]
async fn my_passes_need_a_signed_in_member() {
    let app = TestApp::spawn().await;
    assert_problem(app.get("/v1/me/passes", None).await, 401, "unauthenticated").await;
}
