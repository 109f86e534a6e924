//! Ambassador cycles, applications, reviews and ambassadorships.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000002_ambassador_programme"
    }
}

const UP: &str = r#"
CREATE TABLE ambassador_cycles (
    id                    uuid PRIMARY KEY,
    name                  text NOT NULL,
    opens_at              timestamptz NOT NULL,
    closes_at             timestamptz NOT NULL,
    weight_track_record   double precision NOT NULL CHECK (weight_track_record >= 0),
    weight_geography      double precision NOT NULL CHECK (weight_geography >= 0),
    weight_impact         double precision NOT NULL CHECK (weight_impact >= 0),
    max_per_affiliation   integer NULL CHECK (max_per_affiliation >= 1),
    term_months           integer NOT NULL CHECK (term_months BETWEEN 1 AND 60),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at),
    CHECK (weight_track_record + weight_geography + weight_impact > 0)
);

-- The regions a cycle recruits in, with their seats for this cycle.
CREATE TABLE cycle_regions (
    cycle_id   uuid NOT NULL REFERENCES ambassador_cycles (id) ON DELETE CASCADE,
    region_id  uuid NOT NULL REFERENCES regions (id),
    seats      integer NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (cycle_id, region_id)
);

CREATE TABLE applications (
    id               uuid PRIMARY KEY,
    cycle_id         uuid NOT NULL REFERENCES ambassador_cycles (id) ON DELETE CASCADE,
    member_id        uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    region_id        uuid NOT NULL,
    status           text NOT NULL CHECK (status IN ('draft', 'submitted', 'selected', 'declined', 'withdrawn')),
    why_apply        text NOT NULL,
    participation    text NOT NULL,
    ideas            text NOT NULL,
    links            text[] NOT NULL DEFAULT '{}',
    -- The applicant's affiliation when they submitted: the cap counts what
    -- reviewers saw, not a later profile edit.
    affiliation      text NULL,
    submitted_at     timestamptz NULL,
    decided_at       timestamptz NULL,
    decided_by       uuid NULL REFERENCES members (id) ON DELETE SET NULL,
    decision_reason  text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT applications_cycle_member_key UNIQUE (cycle_id, member_id),
    FOREIGN KEY (cycle_id, region_id) REFERENCES cycle_regions (cycle_id, region_id)
);
CREATE INDEX applications_cycle_region_idx ON applications (cycle_id, region_id, status);
CREATE INDEX applications_member_idx ON applications (member_id);

-- One review per reviewer per application: the key makes a re-sent review
-- replace the earlier one, even when two arrive at once.
CREATE TABLE application_reviews (
    application_id  uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    reviewer_id     uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    track_record    smallint NOT NULL CHECK (track_record BETWEEN 0 AND 5),
    geography       smallint NOT NULL CHECK (geography BETWEEN 0 AND 5),
    impact          smallint NOT NULL CHECK (impact BETWEEN 0 AND 5),
    comment         text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, reviewer_id)
);

CREATE TABLE ambassadorships (
    id              uuid PRIMARY KEY,
    member_id       uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    region_id       uuid NOT NULL REFERENCES regions (id),
    cycle_id        uuid NOT NULL REFERENCES ambassador_cycles (id),
    application_id  uuid NOT NULL REFERENCES applications (id),
    term_start      date NOT NULL,
    term_end        date NOT NULL,
    status          text NOT NULL CHECK (status IN ('active', 'ended', 'removed')),
    status_reason   text NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ambassadorships_application_key UNIQUE (application_id),
    CHECK (term_end > term_start)
);
CREATE INDEX ambassadorships_member_idx ON ambassadorships (member_id) WHERE status = 'active';
CREATE INDEX ambassadorships_region_idx ON ambassadorships (region_id, status);
"#;

const DOWN: &str = r#"
DROP TABLE ambassadorships;
DROP TABLE application_reviews;
DROP TABLE applications;
DROP TABLE cycle_regions;
DROP TABLE ambassador_cycles;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(UP)
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(DOWN)
            .await
            .map(|_| ())
    }
}
