//! What a run measured: per route and in all, counts, rates and percentiles.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// One request's fate.
pub struct Outcome {
    pub route: usize,
    /// From when it was due to when its answer was read.
    pub micros: u64,
    pub status: u16,
    pub expected: bool,
}

/// One route's figures.
struct Line {
    name: String,
    count: usize,
    per_second: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    unexpected: usize,
    statuses: BTreeMap<u16, usize>,
}

/// The figures of a run.
pub struct Report {
    lines: Vec<Line>,
    seconds: f64,
    connections: usize,
    rate: Option<f64>,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn line(name: String, outcomes: &[&Outcome], seconds: f64) -> Line {
    let mut micros: Vec<u64> = outcomes.iter().map(|o| o.micros).collect();
    micros.sort_unstable();
    let mut statuses = BTreeMap::new();
    for o in outcomes {
        *statuses.entry(o.status).or_insert(0) += 1;
    }
    Line {
        name,
        count: outcomes.len(),
        per_second: outcomes.len() as f64 / seconds,
        p50_ms: percentile(&micros, 50.0),
        p90_ms: percentile(&micros, 90.0),
        p99_ms: percentile(&micros, 99.0),
        max_ms: micros.last().copied().unwrap_or(0) as f64 / 1000.0,
        unexpected: outcomes.iter().filter(|o| !o.expected).count(),
        statuses,
    }
}

impl Report {
    pub fn new(
        names: &[String],
        outcomes: Vec<Outcome>,
        seconds: f64,
        connections: usize,
        rate: Option<f64>,
    ) -> Self {
        let mut lines: Vec<Line> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.route == i).collect();
                line(name.clone(), &mine, seconds)
            })
            .collect();
        let all: Vec<&Outcome> = outcomes.iter().collect();
        lines.push(line("all".into(), &all, seconds));
        Self {
            lines,
            seconds,
            connections,
            rate,
        }
    }

    /// A Markdown table.
    pub fn table(&self) -> String {
        let mode = match self.rate {
            Some(r) => format!("constant {r:.0} req/s"),
            None => "closed loop".into(),
        };
        let mut out = format!(
            "{} connections, {mode}, {:.1} s\n\n| route | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | unexpected | statuses |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
            self.connections, self.seconds
        );
        for l in &self.lines {
            let statuses: Vec<String> =
                l.statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
            out.push_str(&format!(
                "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.1} | {} | {} |\n",
                l.name,
                l.count,
                l.per_second,
                l.p50_ms,
                l.p90_ms,
                l.p99_ms,
                l.max_ms,
                l.unexpected,
                statuses.join(" ")
            ));
        }
        out
    }

    /// The same figures as JSON, keyed by route name.
    pub fn json(&self) -> Value {
        let routes: serde_json::Map<String, Value> = self
            .lines
            .iter()
            .map(|l| {
                let value = json!({
                    "requests": l.count, "per_second": l.per_second, "p50_ms": l.p50_ms,
                    "p90_ms": l.p90_ms, "p99_ms": l.p99_ms, "max_ms": l.max_ms,
                    "unexpected": l.unexpected,
                    "statuses": l.statuses.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
                });
                (l.name.clone(), value)
            })
            .collect();
        json!({"seconds": self.seconds, "connections": self.connections, "rate": self.rate, "routes": routes})
    }
}
