//! Recognition of contributors: contribution kinds and contributions,
//! programmes with versioned immutable rules, summits with per-programme
//! quotas, passes and appeals. Seeds the kinds and the `acc` and `aoc`
//! programmes.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_recognition_and_passes"
    }
}

const UP: &str = r#"
CREATE TABLE contribution_kinds (
    slug         text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9_]{1,63}$'),
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO contribution_kinds (slug, name, description) VALUES
  ('event_organized', 'Event organized', 'Organized a meetup that was held'),
  ('talk_given', 'Talk given', 'Spoke at a meetup, summit or conference'),
  ('ops_meetup_moderated', 'Ops meetup moderated', 'Moderated an operators'' meetup or session'),
  ('user_group_leadership', 'User group leadership', 'Led a user group for a period'),
  ('feedback_submitted', 'Feedback submitted', 'Feedback that reached the developers'),
  ('localization', 'Localization', 'Translated documentation or the interface'),
  ('mentoring', 'Mentoring', 'Mentored newcomers'),
  ('working_group', 'Working group', 'Took part in a working group or SIG'),
  ('documentation', 'Documentation', 'Wrote or improved documentation'),
  ('question_answered', 'Question answered', 'Answered users'' questions'),
  ('other', 'Other', 'Anything else the community values');

CREATE TABLE contributions (
    id            uuid PRIMARY KEY,
    member_id     uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind          text NOT NULL REFERENCES contribution_kinds (slug),
    occurred_on   date NOT NULL,
    title         text NOT NULL,
    evidence_url  text NULL,
    group_id      uuid NULL REFERENCES groups (id) ON DELETE SET NULL,
    event_id      uuid NULL REFERENCES events (id) ON DELETE SET NULL,
    status        text NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    note          text NULL,
    verified_by   uuid NULL REFERENCES members (id) ON DELETE SET NULL,
    decided_at    timestamptz NULL,
    -- Set on contributions derived from data (e.g. `event:<id>`): the key
    -- below makes a derivation happen once however often it runs.
    derived_from  text NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contributions_derived_key UNIQUE (member_id, kind, derived_from)
);
CREATE INDEX contributions_member_idx ON contributions (member_id, status, occurred_on);
CREATE INDEX contributions_eligibility_idx ON contributions (kind, occurred_on) WHERE status = 'verified';
CREATE INDEX contributions_group_idx ON contributions (group_id) WHERE status = 'pending';

CREATE TABLE recognition_programs (
    slug         text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,64}$'),
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Rules are immutable: a change is a new version. Nothing updates these rows.
CREATE TABLE program_rules (
    program           text NOT NULL REFERENCES recognition_programs (slug),
    version           integer NOT NULL CHECK (version >= 1),
    window_days       integer NOT NULL CHECK (window_days >= 1),
    threshold_points  integer NOT NULL CHECK (threshold_points >= 1),
    published_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program, version)
);
CREATE TABLE program_rule_kinds (
    program    text NOT NULL,
    version    integer NOT NULL,
    kind       text NOT NULL REFERENCES contribution_kinds (slug),
    points     integer NOT NULL CHECK (points >= 0),
    max_count  integer NOT NULL CHECK (max_count >= 1),
    PRIMARY KEY (program, version, kind),
    FOREIGN KEY (program, version) REFERENCES program_rules (program, version)
);

INSERT INTO recognition_programs (slug, name, description) VALUES
  ('acc', 'Active Community Contributor', 'For people who build the community: organizers, speakers, translators, mentors'),
  ('aoc', 'Active Ops Contributor', 'For operators who share what running the software teaches them');
INSERT INTO program_rules (program, version, window_days, threshold_points) VALUES ('acc', 1, 365, 10), ('aoc', 1, 365, 8);
INSERT INTO program_rule_kinds (program, version, kind, points, max_count) VALUES
  ('acc', 1, 'event_organized', 2, 12), ('acc', 1, 'talk_given', 3, 4), ('acc', 1, 'ops_meetup_moderated', 2, 6),
  ('acc', 1, 'user_group_leadership', 4, 1), ('acc', 1, 'feedback_submitted', 1, 5), ('acc', 1, 'localization', 2, 5),
  ('acc', 1, 'mentoring', 2, 5), ('acc', 1, 'working_group', 2, 3), ('acc', 1, 'documentation', 2, 5),
  ('acc', 1, 'question_answered', 1, 10), ('acc', 1, 'other', 1, 2),
  ('aoc', 1, 'ops_meetup_moderated', 3, 6), ('aoc', 1, 'event_organized', 2, 6), ('aoc', 1, 'feedback_submitted', 2, 5),
  ('aoc', 1, 'talk_given', 2, 3), ('aoc', 1, 'question_answered', 1, 10), ('aoc', 1, 'documentation', 2, 3);

CREATE TABLE summits (
    id                  uuid PRIMARY KEY,
    name                text NOT NULL,
    city                text NOT NULL,
    starts_on           date NOT NULL,
    ends_on             date NOT NULL,
    eligibility_cutoff  date NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on)
);

-- The quota row: issuance locks it (FOR UPDATE) before counting what is left.
CREATE TABLE summit_programs (
    summit_id      uuid NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
    program        text NOT NULL,
    rules_version  integer NOT NULL,
    quota          integer NOT NULL CHECK (quota >= 0),
    PRIMARY KEY (summit_id, program),
    FOREIGN KEY (program, rules_version) REFERENCES program_rules (program, version)
);

CREATE TABLE passes (
    id             uuid PRIMARY KEY,
    summit_id      uuid NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
    program        text NOT NULL,
    member_id      uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    code           text NOT NULL CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{16}$'),
    status         text NOT NULL CHECK (status IN ('issued', 'redeemed', 'revoked')),
    points         integer NULL,
    origin         text NOT NULL CHECK (origin IN ('bulk', 'manual', 'appeal')),
    reason         text NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    redeemed_at    timestamptz NULL,
    revoked_at     timestamptz NULL,
    revoke_reason  text NULL,
    CONSTRAINT passes_code_key UNIQUE (code),
    FOREIGN KEY (summit_id, program) REFERENCES summit_programs (summit_id, program)
);
-- The last line of defence: one live pass per member per summit, whatever the programme.
CREATE UNIQUE INDEX passes_one_per_member_key ON passes (summit_id, member_id) WHERE status <> 'revoked';
CREATE INDEX passes_quota_idx ON passes (summit_id, program) WHERE status <> 'revoked';

CREATE TABLE appeals (
    id          uuid PRIMARY KEY,
    summit_id   uuid NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
    program     text NOT NULL,
    member_id   uuid NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    message     text NOT NULL,
    status      text NOT NULL CHECK (status IN ('open', 'granted', 'denied')),
    reason      text NULL,
    decided_by  uuid NULL REFERENCES members (id) ON DELETE SET NULL,
    decided_at  timestamptz NULL,
    pass_id     uuid NULL REFERENCES passes (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (summit_id, program) REFERENCES summit_programs (summit_id, program)
);
CREATE UNIQUE INDEX appeals_one_open_key ON appeals (summit_id, program, member_id) WHERE status = 'open';
"#;

const DOWN: &str = r#"
DROP TABLE appeals;
DROP TABLE passes;
DROP TABLE summit_programs;
DROP TABLE summits;
DROP TABLE program_rule_kinds;
DROP TABLE program_rules;
DROP TABLE recognition_programs;
DROP TABLE contributions;
DROP TABLE contribution_kinds;
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
