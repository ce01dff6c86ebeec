//! Runner hosts over Redis: machines that run players' isolates for a shard they never connect
//! to directly. Everything passes through Redis lists; the supervisor (`host.rs`,
//! `supervise_tick.rs`) is unchanged and still enforces deadlines, charges culprits and
//! replaces runners.
//!
//! - A **runner host** (`isoshard runner-host --redis URL --slots N`, `remote/runner_host.rs`)
//!   holds a lease `isoshard:host:<id>` (renewed every [`HOST_TTL`]/5) and offers N lanes in
//!   the list `isoshard:lanes:free`. A lane runs one `isoshard runner` child (so a V8 abort
//!   takes down one lane, not the host), fed from `isoshard:lane:<lane>:in` and answering into
//!   `…:out`.
//! - A **bridge** (`isoshard runner-bridge --redis URL`, `remote/bridge.rs`) is what the shard
//!   starts where it would start a local runner: it claims a free lane (`…:claim`, renewed
//!   every [`CLAIM_TTL`]/5) and relays the protocol's frames between its pipes and the lane's
//!   lists, unchanged. When the lane's runner ends, the bridge ends the same way (the exit
//!   code or the signal), so the supervisor judges a remote runner's death exactly as a
//!   local one's.
//! - A host that dies stops renewing its lease: its bridges notice within [`HOST_TTL`] and
//!   kill themselves with SIGKILL, which the supervisor treats as a kill from outside (no
//!   player is charged); their players get a global reset on other lanes next tick. A bridge
//!   the supervisor kills stops renewing its claim, and the lane kills its runner.
//!
//! Why lists and not streams: each lane's traffic is a strict two-party FIFO that is consumed
//! once; `BLPOP` wakes the reader at once and deletes what it read, so nothing grows; streams
//! add consumer groups and trimming that buy nothing here.
//!
//! Placement: a player stays on its runner index (`ProcessPlayerHost::runner_for`), and a
//! runner index stays on its lane until that lane ends. A host that joins offers its lanes;
//! they are taken as runners are replaced, and a host running more than its share hands one
//! lane back between ticks at most once a minute (`remote/rebalance.rs`): a moved player's
//! isolate starts over (a global reset), so moves are few and only while the spread is
//! uneven.

mod bridge;
mod rebalance;
mod runner_host;

pub use bridge::run_bridge;
pub use runner_host::{run_runner_host, RunnerHostOptions};

use std::time::Duration;

/// A host's lease lapses this long after its last renewal. Shorter than a player's wall
/// backstop (4 × tickLimit + 1.25 s), so a bridge whose host died ends itself before the
/// supervisor would blame the player it was running.
pub const HOST_TTL: Duration = Duration::from_millis(1200);
/// A bridge's claim on a lane lapses this long after its last renewal.
pub const CLAIM_TTL: Duration = Duration::from_millis(1500);
/// Lane lists expire this long after their last write (what a dead party left behind).
const LIST_TTL_MS: u64 = 60_000;
/// How long a bridge waits for a free lane before giving up (the supervisor's
/// `SETUP_TIMEOUT` is 30 s).
const CLAIM_WAIT: Duration = Duration::from_secs(25);

/// Frames relayed in one Redis round trip at most: a runner's `Starting` and `Result` frames
/// for many players queue up faster than one round trip each.
const RELAY_BATCH: usize = 256;

const FREE_LANES: &str = "isoshard:lanes:free";
const HOST_SEQ: &str = "isoshard:host-seq";

fn host_key(host: &str) -> String {
    format!("isoshard:host:{host}")
}

/// One of a lane's keys: `in`, `out`, `claim` or `exit`.
fn lane_key(lane: &str, part: &str) -> String {
    format!("isoshard:lane:{lane}:{part}")
}

/// The host id in a lane id `<host>:<slot>:<generation>`.
fn host_of(lane: &str) -> &str {
    lane.split(':').next().unwrap_or(lane)
}

/// How a lane's runner ended, as the lane stores it for its bridge: `code:N` or `signal:N`.
fn status_text(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("code:{code}"),
        (None, Some(sig)) => format!("signal:{sig}"),
        _ => "signal:9".into(),
    }
}
