use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use liaison_persistence::regions;

use super::json::{RegionCsv, RegionView};
use crate::error::ApiError;
use crate::http::csv_export;
use crate::http::pagination::{Page, PageParams};
use crate::http::reply;
use crate::state::AppState;

/// Lists regions by slug. `Accept: text/csv` streams every region as CSV.
#[utoipa::path(
    tag = "regions",
    params(PageParams),
    responses(
        (status = 200, description = "One page (JSON), or every row (CSV)", content(
            (Page<RegionView> = "application/json"),
            (String = "text/csv", example = json!("id,slug,name,countries,ambassador_seats\n0193a4c2-7a51-7c3e-8a4e-2f1d9b6c0e01,europe,Europe,FR DE,3\n"))
        )),
        (status = 400, description = "Bad `limit` or `cursor`")
    )
)]
#[get("/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    req: HttpRequest,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    if csv_export::wants_csv(&req) {
        let db = state.db.clone();
        return Ok(csv_export::respond(
            state.gates.csv_exports.enter().await?,
            "regions.csv",
            &["id", "slug", "name", "countries", "ambassador_seats"],
            move |mut sink: csv_export::CsvSink| async move {
                // Regions are few; pages of 200 keep each query bounded all the same.
                let mut after: Option<String> = None;
                loop {
                    let rows = regions::list(&db, after.clone(), 200).await?;
                    let done = rows.len() < 200;
                    after = rows.last().map(|r| r.slug.clone());
                    let mut stream = futures_util::stream::iter(rows);
                    while let Some(r) = stream.next().await {
                        sink.write(&RegionCsv {
                            id: r.id,
                            slug: r.slug,
                            name: r.name,
                            countries: r.countries.join(" "),
                            ambassador_seats: r.ambassador_seats,
                        })
                        .await?;
                    }
                    if done {
                        return Ok(sink);
                    }
                }
            },
        ));
    }
    let limit = page.limit()?;
    let rows = regions::list(&state.db, page.cursor::<String>()?, limit + 1).await?;
    reply::list(&Page::from_rows(
        rows,
        limit,
        |r| r.slug.clone(),
        RegionView::from,
    ))
}
