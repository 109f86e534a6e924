//! Prometheus metrics through `prometheus-client`, the Prometheus project's
//! own Rust client: request counts and latency histograms by method, route
//! template and status, plus process gauges read at scrape time (memory,
//! threads, open connections, the database pool, and every gate).
//!
//! Labels are bounded: routes are templates (`/v1/regions/{slug}`, or
//! `unmatched`), and methods outside the standard set fold into `other`, so
//! random method names cannot grow the series without limit.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::http::gate::GateReading;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The methods that keep their own label value; any other is `other`.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
];

/// The `method` label of a request method.
pub fn method_label(method: &str) -> &'static str {
    METHODS
        .iter()
        .find(|m| **m == method)
        .copied()
        .unwrap_or("other")
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GateLabels {
    gate: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

/// What `/proc/self/status` says of this process.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ProcessReading {
    /// Resident memory now (`VmRSS`), in bytes.
    pub resident_bytes: i64,
    /// The most resident memory so far (`VmHWM`), in bytes.
    pub peak_resident_bytes: i64,
    /// Threads.
    pub threads: i64,
}

impl ProcessReading {
    /// Reads this process's figures; zeros where the system has no `/proc`.
    pub fn now() -> Self {
        std::fs::read_to_string("/proc/self/status")
            .map(|text| Self::parse(&text))
            .unwrap_or_default()
    }

    fn parse(status: &str) -> Self {
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or(0)
        };
        Self {
            resident_bytes: field("VmRSS:") * 1024,
            peak_resident_bytes: field("VmHWM:") * 1024,
            threads: field("Threads:"),
        }
    }
}

/// The database pool's figures at scrape time.
#[derive(Debug, Default, Clone, Copy)]
pub struct PoolReading {
    /// Connections lent to requests.
    pub in_use: i64,
    /// Connections open and idle.
    pub idle: i64,
    /// The most the pool opens.
    pub max: i64,
}

/// Everything read at scrape time besides the request series.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// This process.
    pub process: ProcessReading,
    /// The database pool.
    pub pool: PoolReading,
    /// Each gate, by name.
    pub gates: Vec<(&'static str, GateReading)>,
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RequestLabels, Histogram>,
    connections: Arc<AtomicI64>,
    open_connections: Gauge,
    resident: Gauge,
    peak_resident: Gauge,
    threads: Gauge,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    gate_in_use: Family<GateLabels, Gauge>,
    gate_waiting: Family<GateLabels, Gauge>,
    gate_capacity: Family<GateLabels, Gauge>,
    gate_rejected: Family<GateLabels, Counter>,
    statements: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests handled, by method, route and status",
            requests.clone(),
        );
        let durations =
            Family::<RequestLabels, Histogram>::new_with_constructor(|| Histogram::new(BUCKETS));
        registry.register_with_unit(
            "http_request_duration",
            "Request latency, by method, route and status",
            Unit::Seconds,
            durations.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let open_connections = gauge(
            &mut registry,
            "http_connections_open",
            "HTTP connections open now",
        );
        let resident = Gauge::default();
        registry.register_with_unit(
            "process_resident_memory",
            "Resident memory (VmRSS)",
            Unit::Bytes,
            resident.clone(),
        );
        let peak_resident = Gauge::default();
        registry.register_with_unit(
            "process_peak_resident_memory",
            "The most resident memory since start (VmHWM)",
            Unit::Bytes,
            peak_resident.clone(),
        );
        let threads = gauge(&mut registry, "process_threads", "Threads of the process");
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections by state (in_use, idle)",
            pool.clone(),
        );
        let pool_max = gauge(
            &mut registry,
            "db_pool_max_connections",
            "The most database connections the pool opens",
        );
        let family = |registry: &mut Registry, name: &str, help: &str| {
            let f = Family::<GateLabels, Gauge>::default();
            registry.register(name, help, f.clone());
            f
        };
        let gate_in_use = family(
            &mut registry,
            "gate_in_use",
            "Requests inside a gate (password workers, exports, syncs, feed reads)",
        );
        let gate_waiting = family(
            &mut registry,
            "gate_waiting",
            "Requests waiting for a place in a gate",
        );
        let gate_capacity = family(&mut registry, "gate_capacity", "Places in a gate");
        let gate_rejected = Family::<GateLabels, Counter>::default();
        registry.register(
            "gate_rejected",
            "Requests refused with 503 after the bounded wait, by gate",
            gate_rejected.clone(),
        );
        let statements = Counter::default();
        registry.register(
            "db_statements",
            "SQL statements the pool ran (BEGIN, COMMIT and SET TRANSACTION not counted)",
            statements.clone(),
        );
        Self {
            registry,
            statements,
            requests,
            durations,
            connections: Arc::new(AtomicI64::new(0)),
            open_connections,
            resident,
            peak_resident,
            threads,
            pool,
            pool_max,
            gate_in_use,
            gate_waiting,
            gate_capacity,
            gate_rejected,
        }
    }
}

/// Counts one open HTTP connection until dropped (it lives in the
/// connection's extensions, which drop when the connection closes).
pub struct OpenConnection(Arc<AtomicI64>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// The counter of SQL statements, for the pool's callback.
    pub fn statements(&self) -> Counter {
        self.statements.clone()
    }

    /// Records one request.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels = RequestLabels {
            method: method_label(method),
            route: route.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.durations
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Counts a new connection; drop the guard when it closes.
    pub fn connection_opened(&self) -> OpenConnection {
        self.connections.fetch_add(1, Ordering::Relaxed);
        OpenConnection(Arc::clone(&self.connections))
    }

    /// The OpenMetrics text of every series, with gauges set from `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        self.open_connections
            .set(self.connections.load(Ordering::Relaxed));
        self.resident.set(snapshot.process.resident_bytes);
        self.peak_resident.set(snapshot.process.peak_resident_bytes);
        self.threads.set(snapshot.process.threads);
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(snapshot.pool.in_use);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(snapshot.pool.idle);
        self.pool_max.set(snapshot.pool.max);
        for (gate, reading) in &snapshot.gates {
            let labels = GateLabels { gate };
            self.gate_in_use
                .get_or_create(&labels)
                .set(reading.in_use as i64);
            self.gate_waiting
                .get_or_create(&labels)
                .set(reading.waiting as i64);
            self.gate_capacity
                .get_or_create(&labels)
                .set(reading.capacity as i64);
            let rejected = self.gate_rejected.get_or_create(&labels);
            let seen = rejected.get();
            rejected.inc_by(reading.rejected.saturating_sub(seen));
        }
        let mut out = String::new();
        if let Err(err) = encode(&mut out, &self.registry) {
            tracing::warn!(error = %err, "encoding metrics failed");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative() {
        let m = Metrics::default();
        m.observe("GET", "/v1/regions", 200, Duration::from_millis(3));
        m.observe("GET", "/v1/regions", 200, Duration::from_millis(30));
        let text = m.render(&Snapshot::default());
        assert!(text.contains(
            "http_requests_total{method=\"GET\",route=\"/v1/regions\",status=\"200\"} 2"
        ));
        // prometheus-client writes `le` first; label order carries no meaning.
        let bucket = |le: &str, n: u32| {
            format!(
                "_bucket{{le=\"{le}\",method=\"GET\",route=\"/v1/regions\",status=\"200\"}} {n}\n"
            )
        };
        assert!(text.contains(&bucket("0.005", 1)), "{text}");
        assert!(text.contains(&bucket("0.05", 2)), "{text}");
    }

    #[test]
    fn unknown_methods_share_one_label_value() {
        let m = Metrics::default();
        for method in ["FOO", "BAR", "get"] {
            m.observe(method, "unmatched", 405, Duration::from_millis(1));
        }
        let text = m.render(&Snapshot::default());
        assert!(text.contains(
            "http_requests_total{method=\"other\",route=\"unmatched\",status=\"405\"} 3"
        ));
    }

    #[test]
    fn process_figures_come_from_proc_status() {
        let reading = ProcessReading::parse(
            "Name:\tliaison\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t7\n",
        );
        assert_eq!(
            reading,
            ProcessReading {
                resident_bytes: 1024 * 1024,
                peak_resident_bytes: 2048 * 1024,
                threads: 7
            }
        );
    }
}
