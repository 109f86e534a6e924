use actix_web::{get, web, HttpResponse};
use chrono::Utc;

use liaison_domain::ambassador::AmbassadorStatus;
use liaison_domain::values::CountryCode;
use liaison_persistence::groups::{self, GroupFilter, Viewer};
use liaison_persistence::{ambassadorships, regions};

use super::json::{
    DirectoryAmbassador, DirectoryGroup, DirectoryQuery, DirectoryRegion, DirectoryView,
};
use crate::error::ApiError;
use crate::http::reply;
use crate::routes::groups::json::list_item;
use crate::routes::organizers::json::OrganizerView;
use crate::state::AppState;

/// The public directory of a country.
#[utoipa::path(
    tag = "groups",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "The country's region, ambassadors and public groups", body = DirectoryView),
        (status = 400, description = "Missing or unknown `country`")
    )
)]
#[get("/directory")]
pub async fn directory(
    state: web::Data<AppState>,
    query: web::Query<DirectoryQuery>,
) -> Result<HttpResponse, ApiError> {
    let country = CountryCode::parse("country", &query.country)
        .map_err(|_| ApiError::bad_param("country", "not an ISO 3166-1 alpha-2 code"))?;
    let region = regions::find_by_country(&state.db, country.as_str()).await?;
    let ambassadors = match &region {
        Some(r) => ambassadorships::list(
            &state.db,
            &ambassadorships::AmbassadorFilter {
                region: Some(r.slug.clone()),
                status: Some(AmbassadorStatus::Active),
                serving_on: Some(Utc::now().date_naive()),
                overdue: None,
            },
            liaison_domain::report::Quarter::last_due(Utc::now()),
            None,
            200,
        )
        .await?
        .into_iter()
        .map(|a| DirectoryAmbassador {
            member_id: a.member_id,
            display_name: a.display_name,
            term_end: a.term_end,
        })
        .collect(),
        None => vec![],
    };
    // The public directory shows public groups only, whoever asks.
    let found = groups::list(
        &state.db,
        &Viewer::default(),
        &GroupFilter {
            country: Some(country.as_str().to_owned()),
            ..Default::default()
        },
        None,
        None,
    )
    .await?;
    let organizers = groups::organizers_of(&state.db, found.iter().map(|g| g.id).collect()).await?;
    let groups = found
        .into_iter()
        .map(|g| {
            let mine: Vec<_> = organizers.iter().filter(|o| o.group_id == g.id).collect();
            let private_organizers = mine.iter().filter(|o| !o.profile_public).count();
            DirectoryGroup {
                organizers: mine
                    .into_iter()
                    .filter(|o| o.profile_public)
                    .map(|o| OrganizerView::new(o, true))
                    .collect(),
                private_organizers,
                group: list_item(g).group,
            }
        })
        .collect();
    reply::resource(&DirectoryView {
        country: country.as_str().to_owned(),
        region: region.map(|r| DirectoryRegion {
            slug: r.slug,
            name: r.name,
        }),
        ambassadors,
        groups,
    })
}
