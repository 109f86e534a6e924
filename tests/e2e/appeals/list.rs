//! `GET /v1/summits/{id}/appeals`: for staff.

use liaison_tests::{appeals_of, assert_problem, TestApp};

use super::{a_summit_to_appeal_at, filed};

#[tokio::test]
async fn only_staff_read_a_summits_appeals() {
    let app = TestApp::spawn().await;
    let (staff, mia, _, id) = a_summit_to_appeal_at(&app).await;
    let filed = filed(&app, &mia, &id).await;
    let path = format!("/v1/summits/{id}/appeals");
    assert_problem(app.get(&path, None).await, 401, "unauthenticated").await;
    assert_problem(app.get(&path, Some(&mia.token)).await, 403, "forbidden").await;
    assert_eq!(appeals_of(&app, &staff, &id).await, vec![filed]);
}
