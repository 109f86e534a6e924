"""Writes scripts/load.sh's mixes for tools/load from what it read off the
database (in $OUT): each read route alone, the targets' pairs, and the
realistic mix. `--second-half OUT` rewrites the mix with the other half of
the codes and members, so a second run redeems and issues afresh."""

import json
import os
import sys

second = len(sys.argv) > 2 and sys.argv[1] == "--second-half"
out = sys.argv[2] if second else os.environ["OUT"]
if not second:
    env = {k: os.environ[k] for k in ("STAFF", "SUMMIT", "MEMBER1", "REGION")}
    json.dump(env, open(f"{out}/env.json", "w"))
env = json.load(open(f"{out}/env.json"))
staff = {"authorization": f"Bearer {env['STAFF']}"}
lines = lambda name: [l.strip() for l in open(f"{out}/{name}.txt") if l.strip()]
half = lambda xs: xs[len(xs) // 2:] if second else xs[: len(xs) // 2]
tokens, groups = lines("tokens"), lines("groups")
emails = [f"member{g}@scale.example" for g in range(1, len(tokens) + 1)]
explain = f"/v1/summits/{env['SUMMIT']}/eligibility/me?program=acc"

# name | path | who (anonymous, or member: member 1's token)
reads = [
    ("regions", "/v1/regions", "anonymous"),
    ("region-anonymous", "/v1/regions/scale-is", "anonymous"),
    ("region-member", "/v1/regions/scale-is", "member"),
    ("groups", "/v1/groups?region=scale-is&limit=50", "anonymous"),
    ("events", "/v1/events?region=scale-is&limit=50", "anonymous"),
    ("feedback-summary", "/v1/feedback/summary?group_by=component,region", "anonymous"),
    ("directory", "/v1/directory?country=IS", "anonymous"),
    ("explanation", explain, "member"),
]


def route(name, path, weight=1, **more):
    return {"name": name, "method": more.pop("method", "GET"), "path": path or None, "weight": weight, **more}


def mix(name, *routes):
    file = f"{out}/mix-{name}.json" if name else f"{out}/mix.json"
    json.dump({"routes": list(routes)}, open(file, "w"))


def read_route(name, path, who, weight=1):
    extra = {"tokens": [env["MEMBER1"]]} if who == "member" else {}
    return route(f"GET {path.split('?')[0]}" + (" (member)" if who == "member" else ""), path, weight, **extra)


if not second:
    with open(f"{out}/reads.txt", "w") as f:
        for name, path, who in reads:
            f.write(f"{name}|{path}|{who}\n")
            mix(name, read_route(name, path, who))
    replay_body = {"slug": "load-replay", "name": "Replayed", "ambassador_seats": 1, "countries": []}
    mix("replay", route("POST /v1/regions (replay)", "/v1/regions", method="POST", body=replay_body,
                        headers={**staff, "idempotency-key": "load-replay"}, expect=[201]))
    mix("by-id", route("GET /v1/regions/{slug}", f"/v1/regions/{env['REGION']}", headers=staff))
    mix("explain", route("GET eligibility/me", explain, tokens=tokens))
    login = [{"email": e, "password": "liaison-demo-password"} for e in emails]
    mix("login", route("POST /v1/auth/token", "/v1/auth/token", method="POST", bodies=login))


def sync_body(g):
    events = [{"external_id": f"load-{g}-{k}", "title": f"Load meetup {k}",
               "starts_at": f"2027-02-{k + 1:02d}T18:00:00Z", "ends_at": f"2027-02-{k + 1:02d}T20:00:00Z",
               "online": k % 2 == 0} for k in range(10)]
    return {"source": "load", "mode": "upsert", "events": events}


mix(
    "",
    read_route("regions", "/v1/regions", "anonymous", 20),
    read_route("region", "/v1/regions/scale-is", "anonymous", 10),
    read_route("region", "/v1/regions/scale-is", "member", 15),
    read_route("groups", "/v1/groups?region=scale-is&limit=50", "anonymous", 20),
    read_route("events", "/v1/events?region=scale-is&limit=50", "anonymous", 15),
    read_route("summary", "/v1/feedback/summary?group_by=component,region", "anonymous", 10),
    read_route("directory", "/v1/directory?country=IS", "anonymous", 10),
    route("POST /v1/feedback/{id}/votes", "", 40, method="POST",
          paths=[f"/v1/feedback/{f}/votes" for f in lines("feedback")], tokens=tokens, body={}),
    route("GET eligibility/me", explain, 20, tokens=tokens),
    route("PUT /v1/groups/{id}/events/sync", "", 5, method="PUT",
          paths=[f"/v1/groups/{g}/events/sync" for g in groups], tokens=tokens[: len(groups)],
          bodies=[sync_body(g) for g in range(1, len(groups) + 1)], fresh_keys=True),
    route("POST /v1/summits/{id}/passes", f"/v1/summits/{env['SUMMIT']}/passes", 5, method="POST", headers=staff,
          bodies=[{"member_id": m, "program": "acc", "reason": "load run"} for m in half(lines("unpassed"))]),
    route("POST /v1/passes/redeem", "/v1/passes/redeem", 10, method="POST", headers=staff,
          bodies=[{"code": c} for c in half(lines("codes"))]),
    route("POST /v1/auth/token", "/v1/auth/token", 1, method="POST",
          bodies=[{"email": e, "password": "liaison-demo-password"} for e in emails]),
)
