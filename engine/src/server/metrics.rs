//! `/metrics`: the shard's metrics in Prometheus' text format through `prometheus-client`:
//! seconds and bytes as units, HELP on every metric, and the standard `process_*` metrics
//! (read from `/proc` with `procfs` at each scrape).
//!
//! The shard thread records each committed tick ([`ShardMetrics::tick_committed`]); what the
//! last published tick and the health already say (players, CPU, heap, commit failures, the
//! data directory's size) is set at scrape time.

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use super::shard_thread::{Health, Published};
use crate::shard::TickSummary;

/// Tick-duration histogram bucket bounds, in seconds.
pub const TICK_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PhaseLabel {
    phase: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PlayerLabel {
    player: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PartLabel {
    part: &'static str,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// Every metric of one served shard, behind one registry.
#[derive(Debug)]
pub struct ShardMetrics {
    registry: Registry,
    data: PathBuf,
    tick_duration: Histogram,
    phase_seconds: Family<PhaseLabel, Counter<f64, AtomicU64>>,
    ticks: Counter,
    tick: Gauge,
    players: Gauge,
    isolates: Gauge,
    paused: Gauge,
    commit_failures: Counter,
    commit_failing: Gauge,
    player_cpu: Family<PlayerLabel, FloatGauge>,
    player_heap: Family<PlayerLabel, Gauge>,
    player_bucket: Family<PlayerLabel, Gauge>,
    data_bytes: Family<PartLabel, Gauge>,
}

impl ShardMetrics {
    /// The metrics of the shard whose data directory is `data`.
    pub fn new(data: PathBuf) -> Arc<ShardMetrics> {
        let mut registry = Registry::default();
        let m = ShardMetrics {
            registry: Registry::default(),
            data,
            tick_duration: Histogram::new(TICK_BUCKETS),
            phase_seconds: Family::default(),
            ticks: Counter::default(),
            tick: Gauge::default(),
            players: Gauge::default(),
            isolates: Gauge::default(),
            paused: Gauge::default(),
            commit_failures: Counter::default(),
            commit_failing: Gauge::default(),
            player_cpu: Family::default(),
            player_heap: Family::default(),
            player_bucket: Family::default(),
            data_bytes: Family::default(),
        };
        let r = registry.sub_registry_with_prefix("isoshard");
        r.register_with_unit(
            "tick_duration",
            "Wall time of a committed tick, storage commit included",
            Unit::Seconds,
            m.tick_duration.clone(),
        );
        r.register_with_unit(
            "tick_phase",
            "Wall time spent per tick phase (views, players, world, commit), summed over ticks",
            Unit::Seconds,
            m.phase_seconds.clone(),
        );
        r.register(
            "ticks",
            "Ticks committed since the process started",
            m.ticks.clone(),
        );
        r.register(
            "tick",
            "The game time of the last committed tick",
            m.tick.clone(),
        );
        r.register(
            "players",
            "Players with an account on the shard",
            m.players.clone(),
        );
        r.register("isolates", "Players' V8 isolates alive", m.isolates.clone());
        r.register(
            "paused",
            "1 while the operator has paused ticking",
            m.paused.clone(),
        );
        r.register(
            "commit_failures",
            "Tick commits that failed since the process started (each is retried)",
            m.commit_failures.clone(),
        );
        r.register(
            "commit_failing",
            "1 while a tick's commit is failing and being retried",
            m.commit_failing.clone(),
        );
        r.register_with_unit(
            "player_cpu",
            "CPU time a player's code used in the last tick it ran",
            Unit::Seconds,
            m.player_cpu.clone(),
        );
        r.register_with_unit(
            "player_heap",
            "V8 heap in use by a player's isolate",
            Unit::Bytes,
            m.player_heap.clone(),
        );
        r.register(
            "player_cpu_saved",
            "A player's CPU bucket (Game.cpu.bucket): saved CPU in Screeps' units of 1 ms",
            m.player_bucket.clone(),
        );
        r.register_with_unit(
            "data",
            "Size of the data directory's parts on disk (sled store, recording)",
            Unit::Bytes,
            m.data_bytes.clone(),
        );
        registry.register_collector(Box::new(ProcessCollector));
        Arc::new(ShardMetrics { registry, ..m })
    }

    /// Records a committed tick (on the shard thread).
    pub fn tick_committed(&self, summary: &TickSummary, isolates: usize) {
        let secs = |ns: u64| ns as f64 / 1e9;
        self.tick_duration.observe(summary.duration.as_secs_f64());
        self.ticks.inc();
        let t = &summary.timings;
        for (phase, ns) in [
            ("views", t.views_ns),
            ("players", t.players_ns),
            ("world", t.world_ns),
            ("commit", t.commit_ns),
        ] {
            self.phase_seconds
                .get_or_create(&PhaseLabel { phase })
                .inc_by(secs(ns));
        }
        self.isolates.set(isolates as i64);
    }

    /// The text exposition, with the scrape-time values taken from `published` and `health`.
    pub fn render(&self, published: &Published, health: &Health) -> String {
        self.tick.set(published.tick as i64);
        self.players.set(published.accounts.len() as i64);
        self.paused.set(i64::from(health.paused));
        // The health holds the count; the counter catches up with it.
        let counted = self.commit_failures.get();
        self.commit_failures
            .inc_by(health.commit_failures.saturating_sub(counted));
        self.commit_failing.set(i64::from(health.failing.is_some()));
        // Players who left must not linger: the families are rebuilt each scrape.
        self.player_cpu.clear();
        self.player_heap.clear();
        self.player_bucket.clear();
        for a in published.accounts.values() {
            let label = PlayerLabel {
                player: a.name.clone(),
            };
            self.player_cpu
                .get_or_create(&label)
                .set(a.cpu_used_ms / 1000.0);
            self.player_heap
                .get_or_create(&label)
                .set(a.heap_bytes as i64);
            self.player_bucket.get_or_create(&label).set(a.bucket);
        }
        for (part, path) in [
            ("store", self.data.join("shard.sled")),
            ("recording", self.data.join("replay")),
        ] {
            self.data_bytes
                .get_or_create(&PartLabel { part })
                .set(crate::storage::dir_bytes(&path) as i64);
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// OpenMetrics text as Prometheus' classic text format (version 0.0.4), for clients that do
/// not accept OpenMetrics (`curl`, `promtool check metrics`, older agents): a counter's HELP
/// and TYPE name its samples' `_total` name, and the `# UNIT` and `# EOF` lines go.
pub fn to_classic_text(openmetrics: &str) -> String {
    let mut counters = std::collections::BTreeSet::new();
    for line in openmetrics.lines() {
        if let Some(name) = line
            .strip_prefix("# TYPE ")
            .and_then(|rest| rest.strip_suffix(" counter"))
        {
            counters.insert(name.to_string());
        }
    }
    let mut out = String::with_capacity(openmetrics.len() + 16 * counters.len());
    for line in openmetrics.lines() {
        if line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        let described = ["# HELP ", "# TYPE "]
            .into_iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        match described {
            Some((prefix, rest)) => {
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                let suffix = if counters.contains(name) {
                    "_total"
                } else {
                    ""
                };
                out.push_str(&format!("{prefix}{name}{suffix} {tail}"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// The `process_*` metrics Prometheus' own clients export, from `/proc/self`.
#[derive(Debug)]
struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Ok(me) = procfs::process::Process::myself() else {
            return Ok(());
        };
        let Ok(stat) = me.stat() else {
            return Ok(());
        };
        let ticks = procfs::ticks_per_second() as f64;
        let cpu = ConstCounter::new((stat.utime + stat.stime) as f64 / ticks);
        cpu.encode(encoder.encode_descriptor(
            "process_cpu_seconds",
            "Total user and system CPU time spent in seconds",
            None,
            cpu.metric_type(),
        )?)?;
        let mut gauge = |name: &str, help: &str, value: i64| -> Result<(), std::fmt::Error> {
            let g = ConstGauge::new(value);
            g.encode(encoder.encode_descriptor(name, help, None, g.metric_type())?)
        };
        gauge(
            "process_resident_memory_bytes",
            "Resident memory size in bytes",
            (stat.rss * procfs::page_size()) as i64,
        )?;
        gauge(
            "process_virtual_memory_bytes",
            "Virtual memory size in bytes",
            stat.vsize as i64,
        )?;
        gauge(
            "process_threads",
            "Number of OS threads in the process",
            stat.num_threads,
        )?;
        if let Ok(boot) = procfs::boot_time_secs() {
            gauge(
                "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds",
                (boot as f64 + stat.starttime as f64 / ticks) as i64,
            )?;
        }
        if let Ok(fds) = me.fd_count() {
            gauge(
                "process_open_fds",
                "Number of open file descriptors",
                fds as i64,
            )?;
        }
        if let Ok(limits) = me.limits() {
            if let procfs::process::LimitValue::Value(max) = limits.max_open_files.soft_limit {
                gauge(
                    "process_max_fds",
                    "Maximum number of open file descriptors",
                    max as i64,
                )?;
            }
        }
        Ok(())
    }
}
