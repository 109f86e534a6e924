//! `liaison-load`: sends a weighted mix of requests to a running server for
//! a fixed time and reports, per route, requests/s, p50/p90/p99/max and the
//! answers it did not expect.
//!
//! Two modes:
//! - closed loop (the default): `--connections` workers, each sending its
//!   next request when the last one answered: the maximum throughput;
//! - constant rate (`--rate N`): requests are due every 1/N s whatever the
//!   server does, and each latency counts from when its request was due,
//!   so a stall shows in the tail instead of slowing the generator down
//!   (coordinated omission, `pitfalls.md`).
//!
//! The mix is a JSON file: `{"routes": [{"name", "method", "path" | "paths",
//! "weight", "headers"?, "body"? | "bodies"?, "expect"?: [statuses]}]}`.
//! `paths`, `bodies` and `tokens` (bearer tokens) are used in turn, the same
//! turn for all three, so a route can redeem a fresh code, or have another
//! member vote on another item, every time. `"fresh_keys": true` sends a
//! new `Idempotency-Key` with each request.

mod report;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde::Deserialize;

use report::{Outcome, Report};

#[derive(Parser)]
struct Args {
    /// The server's base address, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// The mix file.
    #[arg(long)]
    mix: String,
    /// Concurrent connections (workers).
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// How long to send for.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Requests per second for a constant-rate run; omitted: closed loop.
    #[arg(long)]
    rate: Option<f64>,
    /// Where to write the JSON report (the table goes to stdout).
    #[arg(long)]
    out: Option<String>,
}

#[derive(Deserialize)]
struct Mix {
    routes: Vec<Route>,
}

#[derive(Deserialize)]
struct Route {
    name: String,
    method: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    paths: Vec<String>,
    weight: usize,
    #[serde(default)]
    headers: HashMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default)]
    bodies: Vec<serde_json::Value>,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    fresh_keys: bool,
    #[serde(default = "ok_statuses")]
    expect: Vec<u16>,
}

fn ok_statuses() -> Vec<u16> {
    vec![200, 201, 204]
}

/// A route ready to send: its method, paths and bodies, and the turn counter
/// that walks through them.
struct Ready {
    method: reqwest::Method,
    paths: Vec<String>,
    bodies: Vec<Option<String>>,
    tokens: Vec<String>,
    /// A new `Idempotency-Key` per request, unique to this run.
    fresh_keys: Option<String>,
    headers: reqwest::header::HeaderMap,
    expect: Vec<u16>,
    turn: AtomicUsize,
}

impl Ready {
    fn new(route: &Route) -> Result<Self, String> {
        let method = route
            .method
            .parse()
            .map_err(|_| format!("{}: bad method", route.name))?;
        let mut paths = route.paths.clone();
        paths.extend(route.path.clone());
        if paths.is_empty() {
            return Err(format!("{}: no path", route.name));
        }
        let mut bodies: Vec<Option<String>> =
            route.bodies.iter().map(|b| Some(b.to_string())).collect();
        bodies.extend(route.body.as_ref().map(|b| Some(b.to_string())));
        if bodies.is_empty() {
            bodies.push(None);
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &route.headers {
            let name: reqwest::header::HeaderName = name
                .parse()
                .map_err(|_| format!("{}: bad header {name}", route.name))?;
            let value = value
                .parse()
                .map_err(|_| format!("{}: bad value of {name}", route.name))?;
            headers.insert(name, value);
        }
        Ok(Self {
            method,
            paths,
            bodies,
            tokens: route.tokens.clone(),
            fresh_keys: route.fresh_keys.then(|| {
                let run = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                format!("load-{run}-{}", route.name.len())
            }),
            headers,
            expect: route.expect.clone(),
            turn: AtomicUsize::new(0),
        })
    }

    /// The next request of this route.
    fn next(&self, client: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        let path = &self.paths[turn % self.paths.len()];
        let mut request = client
            .request(self.method.clone(), format!("{base}{path}"))
            .headers(self.headers.clone());
        if let Some(prefix) = &self.fresh_keys {
            request = request.header("idempotency-key", format!("{prefix}-{turn}"));
        }
        if !self.tokens.is_empty() {
            request = request.bearer_auth(&self.tokens[turn % self.tokens.len()]);
        }
        if let Some(body) = &self.bodies[turn % self.bodies.len()] {
            request = request
                .header("content-type", "application/json")
                .body(body.clone());
        }
        request
    }
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.mix).map_err(|e| format!("{}: {e}", args.mix))?;
    let mix: Mix = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", args.mix))?;
    let routes: Vec<Ready> = mix
        .routes
        .iter()
        .map(Ready::new)
        .collect::<Result<_, _>>()?;
    let names: Vec<String> = mix.routes.iter().map(|r| r.name.clone()).collect();
    // The order requests take: each route as often as its weight, spread out.
    let total: usize = mix.routes.iter().map(|r| r.weight).sum();
    let mut schedule: Vec<usize> = Vec::with_capacity(total);
    for slot in 0..total {
        let mut best = 0;
        let mut best_score = f64::MIN;
        for (i, r) in mix.routes.iter().enumerate() {
            let taken = schedule.iter().filter(|&&s| s == i).count() as f64;
            let score = r.weight as f64 * (slot + 1) as f64 / total as f64 - taken;
            if score > best_score {
                best_score = score;
                best = i;
            }
        }
        schedule.push(best);
    }
    if schedule.is_empty() {
        return Err("the mix has no weight".into());
    }

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let shared = Arc::new((routes, schedule, args.base.clone(), client));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..args.connections {
        let shared = shared.clone();
        let next = next.clone();
        let rate = args.rate;
        workers.push(tokio::spawn(async move {
            let (routes, schedule, base, client) = &*shared;
            let mut outcomes: Vec<Outcome> = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                // When this request is due: now in a closed loop, on the
                // rate's clock otherwise.
                let due = match rate {
                    Some(r) => started + Duration::from_secs_f64(n as f64 / r),
                    None => Instant::now(),
                };
                if due >= deadline {
                    break;
                }
                tokio::time::sleep_until(due.into()).await;
                let route = schedule[n % schedule.len()];
                let answer = routes[route].next(client, base).send().await;
                let status = match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        // Read the whole body: the server's work includes sending it.
                        let _ = response.bytes().await;
                        status
                    }
                    Err(_) => 0,
                };
                outcomes.push(Outcome {
                    route,
                    micros: due.elapsed().as_micros() as u64,
                    expected: routes[route].expect.contains(&status),
                    status,
                });
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let report = Report::new(&names, outcomes, elapsed, args.connections, args.rate);
    print!("{}", report.table());
    if let Some(out) = args.out {
        std::fs::write(&out, report.json().to_string()).map_err(|e| format!("{out}: {e}"))?;
    }
    Ok(())
}
