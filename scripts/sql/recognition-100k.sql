-- The recognition data set of the pass and preview benchmarks: 100,000
-- members and 1,000,000 verified contributions (ten each over 18 months,
-- kinds spread so about half reach acc's 10 points), and the summit
-- :'summit' offering acc (v1) with a quota of 100,000.
INSERT INTO members (id, email, password_hash, display_name, country)
SELECT uuid_generate_v7(), 'm' || g || '@bench.example', 'x', 'Member ' || g,
       (ARRAY['FR','DE','JP','US','BR'])[1 + g % 5] FROM generate_series(1, 100000) g;
UPDATE members SET email_verified_at = created_at WHERE email_verified_at IS NULL;
INSERT INTO region_countries (country, region_id)
SELECT c, r.id FROM (VALUES ('FR', 'europe'), ('DE', 'europe'), ('JP', 'asia'), ('US', 'americas'), ('BR', 'americas')) AS t(c, slug)
JOIN regions r ON r.slug = t.slug;
INSERT INTO contributions (id, member_id, kind, occurred_on, title, status)
SELECT uuid_generate_v7(), m.id,
       (ARRAY['event_organized','talk_given','question_answered','documentation','localization','other'])[1 + (abs(hashtext(m.email || n)) % 6)],
       current_date - (abs(hashtext(n || m.email)) % 540), 'Contribution ' || n, 'verified'
FROM members m CROSS JOIN generate_series(1, 10) n WHERE m.email LIKE 'm%@bench.example';
INSERT INTO summits (id, name, city, starts_on, ends_on, eligibility_cutoff)
VALUES (:'summit', 'Eligibility', 'Lisbon', current_date + 60, current_date + 62, current_date);
INSERT INTO summit_programs (summit_id, program, rules_version, quota) VALUES (:'summit', 'acc', 1, 100000);
