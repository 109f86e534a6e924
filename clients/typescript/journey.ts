// A script a foundation would write with the generated client: sign in,
// list groups, create a summit, issue a pass by hand and redeem it.
//   LIAISON_URL=http://127.0.0.1:8080 LIAISON_EMAIL=… LIAISON_PASSWORD=… node dist/journey.js
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const baseUrl = process.env.LIAISON_URL ?? "http://127.0.0.1:8080";
const email = process.env.LIAISON_EMAIL ?? "";
const password = process.env.LIAISON_PASSWORD ?? "";
const client = createClient<paths>({ baseUrl });

function fail(step: string, error: unknown): never {
  throw new Error(`${step}: ${JSON.stringify(error)}`);
}

const signedIn = await client.POST("/v1/auth/token", { body: { email, password } });
if (!signedIn.data) fail("sign in", signedIn.error);
const headers = { Authorization: `Bearer ${signedIn.data.access_token}` };

const groups = await client.GET("/v1/groups", { params: { query: { limit: 10 } } });
if (!groups.data) fail("list groups", groups.error);
// The list also answers CSV (`Accept: text/csv`); here it is JSON.
if (typeof groups.data === "string") fail("list groups", "CSV instead of JSON");
console.log(`groups: ${groups.data.items.length}`);

const me = await client.GET("/v1/me", { headers });
if (!me.data) fail("me", me.error);

const today = new Date().toISOString().slice(0, 10);
const summit = await client.POST("/v1/summits", {
  headers,
  body: {
    name: `Summit ${Date.now()}`,
    city: "Lisbon",
    starts_on: today,
    ends_on: today,
    eligibility_cutoff: today,
    programs: [{ program: "acc", quota: 10 }],
  },
});
if (!summit.data) fail("create summit", summit.error);

const pass = await client.POST("/v1/summits/{id}/passes", {
  headers,
  params: { path: { id: summit.data.id } },
  body: { member_id: me.data.id, program: "acc", reason: "the TypeScript journey" },
});
if (!pass.data) fail("issue a pass", pass.error);

const redeemed = await client.POST("/v1/passes/redeem", { headers, body: { code: pass.data.code } });
if (!redeemed.data) fail("redeem", redeemed.error);
console.log(`pass ${redeemed.data.id}: ${redeemed.data.status}`);
if (redeemed.data.status !== "redeemed") process.exit(1);
