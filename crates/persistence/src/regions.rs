//! Regions and the countries they hold. `region_countries.country` is a
//! primary key, so "a country belongs to at most one region" holds even when
//! two staff members write at once.

use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::{classify, Error};
use crate::stmt;

/// The unique constraint on `regions.slug`.
pub const SLUG_KEY: &str = "regions_slug_key";

/// A region with its countries.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Region {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub ambassador_seats: i32,
    pub countries: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Columns of a region with its sorted countries, aggregated in one pass.
const SELECT: &str = r#"
SELECT r.id, r.slug, r.name, r.ambassador_seats, r.created_at, r.updated_at,
       COALESCE(ARRAY(SELECT c.country FROM region_countries c WHERE c.region_id = r.id ORDER BY c.country), '{}') AS countries
FROM regions r
"#;

/// Regions ordered by slug, after the slug `after`.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    after: Option<String>,
    limit: u64,
) -> Result<Vec<Region>, Error> {
    let sql = format!("{SELECT} WHERE ($1::text IS NULL OR r.slug > $1) ORDER BY r.slug LIMIT $2");
    Ok(
        Region::find_by_statement(stmt(&sql, vec![after.into(), (limit as i64).into()]))
            .all(db)
            .await?,
    )
}

/// A region by slug; `lock` takes a row lock for the rest of the transaction.
#[tracing::instrument(skip(db))]
pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
    lock: bool,
) -> Result<Option<Region>, Error> {
    let sql = format!(
        "{SELECT} WHERE r.slug = $1{}",
        if lock { " FOR UPDATE OF r" } else { "" }
    );
    Ok(Region::find_by_statement(stmt(&sql, vec![slug.into()]))
        .one(db)
        .await?)
}

/// The region a country belongs to, if any.
#[tracing::instrument(skip(db))]
pub async fn find_by_country(
    db: &impl ConnectionTrait,
    country: &str,
) -> Result<Option<Region>, Error> {
    let sql = format!(
        "{SELECT} WHERE r.id = (SELECT region_id FROM region_countries WHERE country = $1)"
    );
    Ok(Region::find_by_statement(stmt(&sql, vec![country.into()]))
        .one(db)
        .await?)
}

/// Creates a region with its countries. Fails with `Duplicate(SLUG_KEY)` on a
/// taken slug and `CountriesTaken` naming every country another region holds;
/// the caller rolls the transaction back.
#[tracing::instrument(skip(db))]
pub async fn insert(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    ambassador_seats: i32,
    countries: &[String],
) -> Result<Region, Error> {
    let id = Uuid::now_v7();
    db.execute(stmt(
        "INSERT INTO regions (id, slug, name, ambassador_seats) VALUES ($1, $2, $3, $4)",
        vec![id.into(), slug.into(), name.into(), ambassador_seats.into()],
    ))
    .await
    .map_err(classify)?;
    claim_countries(db, id, countries).await?;
    follow_countries(db, id).await?;
    find_by_slug(db, slug, false)
        .await?
        .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotFound(format!("region {slug}"))))
}

/// Gives `countries` to region `id`, in one statement. A country another
/// region holds is left alone and reported; the primary key settles races.
async fn claim_countries(
    db: &impl ConnectionTrait,
    id: Uuid,
    countries: &[String],
) -> Result<(), Error> {
    if countries.is_empty() {
        return Ok(());
    }
    #[derive(FromQueryResult)]
    struct Claimed {
        country: String,
    }
    let claimed = Claimed::find_by_statement(stmt(
        "INSERT INTO region_countries (country, region_id)
         SELECT unnest($1::text[]), $2
         ON CONFLICT (country) DO NOTHING
         RETURNING country",
        vec![countries.to_vec().into(), id.into()],
    ))
    .all(db)
    .await?;
    if claimed.len() == countries.len() {
        return Ok(());
    }
    let taken: Vec<String> = countries
        .iter()
        .filter(|c| !claimed.iter().any(|k| &k.country == *c))
        .cloned()
        .collect();
    Err(Error::CountriesTaken(taken))
}

/// Changes to a region; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RegionChanges {
    pub name: Option<String>,
    pub ambassador_seats: Option<i32>,
    pub countries: Option<Vec<String>>,
}

/// Applies changes to region `id` (already locked by the caller).
#[tracing::instrument(skip(db))]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    changes: RegionChanges,
) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE regions SET name = COALESCE($2, name), ambassador_seats = COALESCE($3, ambassador_seats), updated_at = now() WHERE id = $1",
        vec![id.into(), changes.name.into(), changes.ambassador_seats.into()],
    ))
    .await?;
    if let Some(countries) = changes.countries {
        db.execute(stmt(
            "DELETE FROM region_countries WHERE region_id = $1 AND country <> ALL($2::text[])",
            vec![id.into(), countries.clone().into()],
        ))
        .await?;
        let missing: Vec<String> = {
            #[derive(FromQueryResult)]
            struct Held {
                country: String,
            }
            let held = Held::find_by_statement(stmt(
                "SELECT country FROM region_countries WHERE region_id = $1",
                vec![id.into()],
            ))
            .all(db)
            .await?;
            countries
                .into_iter()
                .filter(|c| !held.iter().any(|h| &h.country == c))
                .collect()
        };
        claim_countries(db, id, &missing).await?;
        follow_countries(db, id).await?;
    }
    Ok(())
}

/// Groups follow their country: after region `id` gained or lost countries,
/// every group that was in it or is in one of its countries gets the region
/// its country now belongs to (one statement, same transaction).
async fn follow_countries(db: &impl ConnectionTrait, id: Uuid) -> Result<(), Error> {
    db.execute(stmt(
        "UPDATE groups g SET region_id = (SELECT rc.region_id FROM region_countries rc WHERE rc.country = g.country), updated_at = now()
         WHERE (g.region_id = $1 OR g.country IN (SELECT country FROM region_countries WHERE region_id = $1))
           AND g.region_id IS DISTINCT FROM (SELECT rc.region_id FROM region_countries rc WHERE rc.country = g.country)",
        vec![id.into()],
    ))
    .await?;
    Ok(())
}
