-- `liaison seed-demo --scale large`: the realistic data set every benchmark
-- and load run uses. Deterministic: every id is md5 of a name and every
-- value is a function of row numbers, so two runs give the same data.
-- 20 regions, 100,000 members, 2,000 groups, 50,000 events (with their
-- change-feed entries), 200,000 feedback items, 500,000 votes and
-- 1,000,000 contributions. Run in one transaction with no statement timeout.
CREATE TEMP TABLE seed_countries ON COMMIT DROP AS
SELECT c, n FROM unnest(ARRAY['IS','EE','LV','LT','GR','RO','BG','HU','SK','SI','HR','RS','UA','TR','IL','TN','DZ','SN','CI','CM'])
  WITH ORDINALITY AS t(c, n);
INSERT INTO regions (id, slug, name, ambassador_seats)
SELECT md5('region' || n)::uuid, 'scale-' || lower(c), 'Region ' || c, 3 FROM seed_countries;
INSERT INTO region_countries (country, region_id) SELECT c, md5('region' || n)::uuid FROM seed_countries;
-- Members: verified, five in a hundred with a public volunteer profile.
INSERT INTO members (id, email, password_hash, display_name, country, city, languages, skills, profile_public, email_verified_at, created_at)
SELECT md5('member' || g)::uuid, 'member' || g || '@scale.example', '!', 'Member ' || g,
       (SELECT c FROM seed_countries WHERE n = 1 + g % 20), 'City ' || (g % 500),
       CASE WHEN g % 3 = 0 THEN ARRAY['en', 'fr'] ELSE ARRAY['en'] END,
       CASE WHEN g % 7 = 0 THEN ARRAY['operations', 'translation'] ELSE '{}' END,
       g % 20 = 0, timestamp '2025-01-01' + (g % 600) * interval '1 day', timestamp '2025-01-01' + (g % 600) * interval '1 day'
FROM generate_series(1, 100000) g;
-- Groups: 100 per region, led by member g; most approved.
INSERT INTO groups (id, slug, name, country, city, region_id, status, created_at, official_at)
SELECT md5('group' || g)::uuid, 'scale-group-' || g, 'Group ' || g, sc.c, 'City ' || (g % 500), md5('region' || sc.n)::uuid,
       CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 3 = 0 THEN 'official' ELSE 'provisional' END,
       timestamp '2024-06-01' + (g % 500) * interval '1 day',
       CASE WHEN g % 3 = 0 AND g % 50 <> 0 THEN timestamp '2025-06-01' + (g % 300) * interval '1 day' END
FROM generate_series(1, 2000) g JOIN seed_countries sc ON sc.n = 1 + g % 20;
INSERT INTO group_organizers (group_id, member_id, role)
SELECT md5('group' || g)::uuid, md5('member' || g)::uuid, 'lead' FROM generate_series(1, 2000) g;
-- Events: 25 per group, one every four weeks around today, held before it.
INSERT INTO events (id, group_id, source, external_id, title, starts_at, ends_at, city, country, online, status, rsvp_count, attendee_count, created_at, updated_at)
SELECT md5('event' || g || '-' || k)::uuid, md5('group' || g)::uuid, 'scale', g || '-' || k, 'Meetup ' || k || ' of group ' || g,
       t, t + interval '2 hours', 'City ' || (g % 500), (SELECT c FROM seed_countries WHERE n = 1 + g % 20), k % 5 = 0,
       CASE WHEN t < timestamp '2026-11-01' THEN 'held' ELSE 'scheduled' END, 20 + (g * k) % 80,
       CASE WHEN t < timestamp '2026-11-01' THEN 10 + (g * k) % 90 END, t - interval '30 days', t - interval '30 days'
FROM generate_series(1, 2000) g CROSS JOIN generate_series(1, 25) k
CROSS JOIN LATERAL (SELECT timestamp '2025-03-01' + ((k - 1) * 28 + g % 28) * interval '1 day' AS t) x;
INSERT INTO event_changes (event_id, group_id, kind, event, changed_at)
SELECT e.id, e.group_id, 'created', to_jsonb(e), e.created_at FROM events e WHERE e.source = 'scale' ORDER BY e.created_at;
-- Feedback: 100 items per group, five words of a 2,000-word vocabulary
-- per title; five votes per member on distinct items.
INSERT INTO feedback (id, author_id, group_id, region_id, kind, component, title, body, severity, tags, canonical_id, status, created_at, updated_at)
SELECT md5('feedback' || g)::uuid, md5('member' || (1 + g % 100000))::uuid, md5('group' || (1 + g % 2000))::uuid,
       md5('region' || (1 + (1 + g % 2000) % 20))::uuid,
       (ARRAY['bug','pain_point','feature_request','praise','question'])[1 + g % 5],
       (ARRAY['compute','networking','block-storage','object-storage','identity','dashboard','deployment','documentation'])[1 + g % 8],
       wa[1 + abs(hashtext(g || 'a')) % 2000] || ' ' || wa[1 + abs(hashtext(g || 'b')) % 2000] || ' '
         || wa[1 + abs(hashtext(g || 'c')) % 2000] || ' ' || wa[1 + abs(hashtext(g || 'd')) % 2000] || ' '
         || wa[1 + abs(hashtext(g || 'e')) % 2000],
       'Observed on our production cloud, item ' || g || '.', 'medium', '{}', md5('feedback' || g)::uuid,
       CASE WHEN g % 4 = 0 THEN 'triaged' ELSE 'new' END,
       timestamp '2025-01-01' + (g % 690) * interval '1 day', timestamp '2025-01-01' + (g % 690) * interval '1 day'
FROM generate_series(1, 200000) g
CROSS JOIN (SELECT array_agg(translate(substr(md5('w' || n), 1, 4 + n % 6), '0123456789', 'ghijklmnop') ORDER BY n) AS wa
            FROM generate_series(0, 1999) n) words;
INSERT INTO feedback_votes (feedback_id, member_id, created_at)
SELECT md5('feedback' || (1 + (m * 7919 + k * 10007) % 200000))::uuid, md5('member' || m)::uuid, timestamp '2026-01-01'
FROM generate_series(1, 100000) m CROSS JOIN generate_series(1, 5) k
ON CONFLICT DO NOTHING;
-- Contributions: ten per member over eighteen months, nine in ten verified.
INSERT INTO contributions (id, member_id, kind, occurred_on, title, status, decided_at, created_at, updated_at)
SELECT md5('contribution' || m || '-' || n)::uuid, md5('member' || m)::uuid,
       (ARRAY['event_organized','talk_given','question_answered','documentation','localization','other'])[1 + abs(hashtext(m || '-' || n)) % 6],
       date '2026-11-30' - abs(hashtext(n || '-' || m)) % 540, 'Contribution ' || n,
       CASE WHEN n = 10 THEN 'pending' ELSE 'verified' END,
       CASE WHEN n < 10 THEN timestamp '2026-11-30' - (abs(hashtext(n || '-' || m)) % 540) * interval '1 day' END,
       timestamp '2026-11-30' - (abs(hashtext(n || '-' || m)) % 540) * interval '1 day',
       timestamp '2026-11-30' - (abs(hashtext(n || '-' || m)) % 540) * interval '1 day'
FROM generate_series(1, 100000) m CROSS JOIN generate_series(1, 10) n;
