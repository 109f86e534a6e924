//! `GET /v1/groups/{id}/organizers`: private organizers are listed only to themselves and staff.

use liaison_tests::{body, id_of, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn private_organizers_are_listed_only_to_themselves_and_staff() {
    // Arrange
    let app = TestApp::spawn().await;
    let staff = app.staff().await;
    let ada = app.member("Ada").await;
    let pia = app.member("Pia Private").await;
    app.set_profile(&pia, &json!({"profile_public": false}))
        .await;
    let lyon = app.provisional_group(&staff, &ada, "lyon-ops", "FR").await;
    let path = format!("/v1/groups/{}/organizers", id_of(&lyon));
    app.add_co_organizer(&ada, &id_of(&lyon), &pia).await;
    let listed = |token: Option<String>| {
        let path = path.clone();
        let app = &app;
        async move {
            let response = app.get(&path, token.as_deref()).await;
            assert_eq!(response.status(), StatusCode::OK);
            let organizers = body(response).await;
            let mut ids: Vec<String> = organizers["items"]
                .as_array()
                .expect("organizers")
                .iter()
                .map(|o| o["member_id"].as_str().expect("member_id").to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![ada.id.to_string(), pia.id.to_string()];
    both.sort();
    // Act and assert
    assert_eq!(listed(None).await, [ada.id.to_string()], "anonymous");
    assert_eq!(
        listed(Some(ada.token.clone())).await,
        [ada.id.to_string()],
        "another organizer"
    );
    assert_eq!(listed(Some(pia.token.clone())).await, both, "herself");
    assert_eq!(listed(Some(staff.token.clone())).await, both, "staff");
}
