//! Gradual rebalancing: a host that runs more lanes than its share hands one back, between
//! ticks, at most once per interval, while another live host has a lane free.
//!
//! Handing a lane back ends its runner when the next tick's frame arrives after an idle
//! moment (its last frame out was `TickDone` or `Ready`), so no player is cut off mid-run: the
//! shard's supervisor sees a runner killed from outside (no one is charged), its players get
//! no intents that tick, and the next tick starts a new runner, which claims the oldest free
//! lane — the newcomer's — where their isolates start over (a global reset). That cost is why
//! this happens rarely (default: one lane a minute per host) and only while the spread is
//! uneven.

use std::sync::atomic::{AtomicBool, Ordering};

use super::{host_key, host_of, FREE_LANES};
use crate::runner::protocol::FromRunner;

/// Live hosts' ids (members whose lease lapsed are skipped, and removed when seen).
pub(super) const HOSTS: &str = "isoshard:hosts";

/// What a lane tells the host about itself.
#[derive(Default)]
pub(super) struct LaneState {
    /// A runner serves a bridge on this lane.
    pub(super) busy: AtomicBool,
    /// Between ticks: the last frame out was `TickDone` or `Ready`, and nothing came in since.
    pub(super) idle: AtomicBool,
    /// The host asks the lane to end its runner at the next idle moment.
    pub(super) release: AtomicBool,
}

/// Whether `frame` (a runner's, encoded) leaves the runner waiting for the shard: `TickDone`
/// or `Ready`. Both are a few bytes; only frames that short are decoded.
pub(super) fn is_idle_frame(frame: &[u8]) -> bool {
    frame.len() < 64
        && matches!(
            rmp_serde::from_slice::<FromRunner>(frame),
            Ok(FromRunner::TickDone | FromRunner::Ready { .. })
        )
}

/// Decides whether this host (`me`, with `busy` lanes in use) should hand one back: when it
/// runs more than its share of all hosts' lanes in use and another live host offers a free
/// lane. Reads the other hosts' counts from their lease values (`busy N; …`).
pub(super) fn should_release(con: &mut redis::Connection, me: &str, busy: usize) -> bool {
    let Ok(members) = redis::cmd("SMEMBERS").arg(HOSTS).query::<Vec<String>>(con) else {
        return false;
    };
    let mut total = 0usize;
    let mut live = Vec::new();
    for id in members {
        let value: Option<String> = redis::cmd("GET")
            .arg(host_key(&id))
            .query(con)
            .unwrap_or(None);
        match value {
            Some(v) => {
                total += busy_of(&v);
                live.push(id);
            }
            None => {
                let _: redis::RedisResult<()> = redis::cmd("SREM").arg(HOSTS).arg(&id).query(con);
            }
        }
    }
    if live.len() < 2 {
        return false;
    }
    let share = total.div_ceil(live.len());
    if busy <= share {
        return false;
    }
    let free: Vec<String> = redis::cmd("LRANGE")
        .arg(FREE_LANES)
        .arg(0)
        .arg(-1)
        .query(con)
        .unwrap_or_default();
    free.iter()
        .any(|lane| host_of(lane) != me && live.iter().any(|h| h == host_of(lane)))
}

/// The lanes in use a host's lease value announces.
fn busy_of(value: &str) -> usize {
    value
        .strip_prefix("busy ")
        .and_then(|v| v.split(';').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Asks one idle busy lane to end its runner; whether one was asked.
pub(super) fn release_one(lanes: &[std::sync::Arc<LaneState>]) -> bool {
    lanes
        .iter()
        .find(|l| l.busy.load(Ordering::SeqCst) && !l.release.load(Ordering::SeqCst))
        .map(|l| l.release.store(true, Ordering::SeqCst))
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_values_announce_the_lanes_in_use() {
        assert_eq!(busy_of("busy 3; 4 slots, pid 7 on h"), 3);
        assert_eq!(busy_of("garbage"), 0);
    }

    #[test]
    fn tick_done_and_ready_frames_are_recognised_and_results_are_not() {
        let done = rmp_serde::to_vec(&FromRunner::TickDone).unwrap();
        let ready = rmp_serde::to_vec(&FromRunner::Ready {
            version: crate::runner::protocol::PROTOCOL_VERSION,
            pid: 4242,
        })
        .unwrap();
        let starting = rmp_serde::to_vec(&FromRunner::Starting { player: 1 }).unwrap();
        assert!(is_idle_frame(&done));
        assert!(is_idle_frame(&ready), "{ready:?}");
        assert!(!is_idle_frame(&starting));
    }
}
