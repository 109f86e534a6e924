#!/usr/bin/env python3
"""The foundation's pass script: eligibility, dry run, issuance, safe retry, CSV export.

    # against `liaison seed-demo` data, as its staff member:
    python3 examples/foundation_passes.py --email staff@liaison.example --password liaison-demo-password
    # in production, with an API key holding passes:read and passes:issue:
    python3 examples/foundation_passes.py --token "$LIAISON_KEY" --summit <id> --program acc --out passes.csv

Steps:
 1. read the summit's quota and the eligible members (highest points first);
 2. dry run: who would get a pass now (writes nothing);
 3. issue with an Idempotency-Key kept in a file, so a run that dies halfway
    and is started again replays the first answer instead of issuing twice;
 4. call again with the same key to show the replay is identical;
 5. export every pass of the summit as CSV.
Standard library only.
"""

import argparse
import json
import pathlib
import sys
import urllib.error
import urllib.request
import uuid


class Api:
    def __init__(self, base, token):
        self.base, self.token = base.rstrip("/"), token

    def call(self, method, path, body=None, headers=None, raw=False):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
                return payload if raw else json.loads(payload or b"null")
        except urllib.error.HTTPError as error:
            problem = json.loads(error.read() or b"null")
            sys.exit(f"{method} {path} failed with {error.code}: {problem.get('code')}: {problem.get('detail')}")


    def all(self, path):
        """Every item of a paged list, following `next_cursor`."""
        items, cursor = [], None
        while True:
            sep = "&" if "?" in path else "?"
            page = self.call("GET", path + (f"{sep}limit=200&cursor={cursor}" if cursor else f"{sep}limit=200"))
            items.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return items


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", default="http://127.0.0.1:8080")
    parser.add_argument("--token", help="API key with passes:read and passes:issue (or a staff access token)")
    parser.add_argument("--email", help="sign in as staff instead of --token")
    parser.add_argument("--password")
    parser.add_argument("--summit", help="summit id (default: the newest summit)")
    parser.add_argument("--program", default="acc")
    parser.add_argument("--max", type=int, help="issue at most this many in this run")
    parser.add_argument("--key-file", type=pathlib.Path, default=pathlib.Path(".liaison-issue-key"))
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("passes.csv"))
    args = parser.parse_args()

    api = Api(args.api, args.token)
    if not args.token:
        if not (args.email and args.password):
            sys.exit("give --token, or --email and --password")
        api.token = api.call("POST", "/v1/auth/token", {"email": args.email, "password": args.password})["access_token"]

    summit_id = args.summit or api.call("GET", "/v1/summits?limit=1")["items"][0]["id"]
    summit = api.call("GET", f"/v1/summits/{summit_id}")
    quota = next(p for p in summit["programs"] if p["program"] == args.program)
    print(f"{summit['name']} ({summit['city']}): {args.program} quota {quota['quota']}, "
          f"{quota['used']} used, {quota['remaining']} remaining (rules v{quota['rules_version']})")

    eligible = api.all(f"/v1/summits/{summit_id}/eligibility?program={args.program}")
    print(f"1. {len(eligible)} eligible member(s):")
    for e in eligible[:10]:
        print(f"   {e['points']:>4} points  reached {e['reached_on']}  {e['display_name']}"
              + ("  (has a pass)" if e["has_pass"] else ""))

    request = {"program": args.program, "dry_run": True}
    if args.max:
        request["max"] = args.max
    dry = api.call("POST", f"/v1/summits/{summit_id}/passes/issue", request, {"Idempotency-Key": str(uuid.uuid4())})
    print(f"2. dry run: {dry['issued_count']} pass(es) would be issued; nothing written")

    # One key per intended issuance, kept until the run completes.
    key = args.key_file.read_text().strip() if args.key_file.exists() else str(uuid.uuid4())
    args.key_file.write_text(key)
    request["dry_run"] = False
    issued = api.call("POST", f"/v1/summits/{summit_id}/passes/issue", request, {"Idempotency-Key": key})
    print(f"3. issued {issued['issued_count']} pass(es); {issued['remaining']} left in the quota")
    for row in issued["issued"]:
        print(f"   {row['pass']['code']}  {row['points']:>4} points  member {row['member_id']}")

    again = api.call("POST", f"/v1/summits/{summit_id}/passes/issue", request, {"Idempotency-Key": key})
    print(f"4. retry with the same key: {'identical answer, nothing issued twice' if again == issued else 'DIFFERENT ANSWER'}")
    args.key_file.unlink()

    csv = api.call("GET", f"/v1/summits/{summit_id}/passes", headers={"Accept": "text/csv"}, raw=True)
    args.out.write_bytes(csv)
    rows = csv.count(b"\n") - 1
    print(f"5. exported {rows} pass(es) to {args.out}")


if __name__ == "__main__":
    main()
