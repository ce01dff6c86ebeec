//! `isoshard runner-host`: offers lanes to shards through Redis and runs each claimed lane's
//! frames in an `isoshard runner` child (see `remote.rs`).

use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::rebalance::{self, LaneState};
use super::{
    host_key, lane_key, status_text, FREE_LANES, HOST_SEQ, HOST_TTL, LIST_TTL_MS, RELAY_BATCH,
};
use crate::error::{EngineError, Result};
use crate::runner::doorbell::{frames_here, widen_frame_pipe, Doorbell};
use crate::runner::host::{runner_command, EVENT_POLL};
use crate::runner::protocol::{read_raw_frame, write_raw_frame};

/// What a runner host offers.
#[derive(Debug, Clone)]
pub struct RunnerHostOptions {
    pub redis: String,
    /// Lanes: runner processes this host runs at most at once.
    pub slots: usize,
    /// The `isoshard` executable to start as `isoshard runner`.
    pub executable: PathBuf,
    /// RLIMIT_DATA per runner, bytes (see `ProcessHostOptions::data_limit`).
    pub data_limit: Option<u64>,
    /// A host running more than its share of lanes hands one back at most this often
    /// (`rebalance.rs`).
    pub rebalance_every: Duration,
}

fn redis_err(e: redis::RedisError) -> EngineError {
    EngineError::Redis {
        store: "runner hosts".into(),
        message: e.to_string(),
    }
}

/// Joins, offers `slots` lanes and serves them until `stop` is set; then withdraws its lanes,
/// ends their runners and gives its lease up.
///
/// # Errors
/// Redis unreachable at start.
pub fn run_runner_host(options: &RunnerHostOptions, stop: Arc<AtomicBool>) -> Result<()> {
    let client = redis::Client::open(options.redis.as_str())
        .map_err(|e| EngineError::Usage(format!("invalid Redis URL: {e}")))?;
    let mut con = client
        .get_connection_with_timeout(Duration::from_secs(5))
        .map_err(redis_err)?;
    let id: u64 = redis::cmd("INCR")
        .arg(HOST_SEQ)
        .query(&mut con)
        .map_err(redis_err)?;
    let id = id.to_string();
    let description = format!("{} slots, {}", options.slots, crate::storage::holder_name());
    let states: Vec<Arc<LaneState>> = (0..options.slots).map(|_| Arc::default()).collect();
    let busy = || {
        states
            .iter()
            .filter(|l| l.busy.load(Ordering::SeqCst))
            .count()
    };
    let renew = |con: &mut redis::Connection, busy: usize| -> redis::RedisResult<()> {
        redis::pipe()
            .cmd("SET")
            .arg(host_key(&id))
            .arg(format!("busy {busy}; {description}"))
            .arg("PX")
            .arg(HOST_TTL.as_millis() as u64)
            .ignore()
            .cmd("SADD")
            .arg(rebalance::HOSTS)
            .arg(&id)
            .ignore()
            .query(con)
    };
    renew(&mut con, 0).map_err(redis_err)?;
    tracing::info!(host = %id, slots = options.slots, "runner host joined");
    eprintln!("isoshard runner host {id} serving {} lanes", options.slots);
    let lanes: Vec<_> = states
        .iter()
        .enumerate()
        .map(|(slot, state)| {
            let (client, id, stop, options, state) = (
                client.clone(),
                id.clone(),
                stop.clone(),
                options.clone(),
                state.clone(),
            );
            std::thread::Builder::new()
                .name(format!("lane-{slot}"))
                .spawn(move || lane_loop(&client, &id, slot, &options, &stop, &state))
                .map_err(EngineError::io("cannot start a lane thread"))
        })
        .collect::<Result<_>>()?;
    let mut last_release = std::time::Instant::now();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(HOST_TTL / 5);
        if let Err(e) = renew(&mut con, busy()) {
            tracing::warn!(error = %e, "cannot renew the host lease; retrying");
            if let Ok(c) = client.get_connection_with_timeout(Duration::from_secs(1)) {
                con = c;
            }
            continue;
        }
        if last_release.elapsed() >= options.rebalance_every {
            last_release = std::time::Instant::now();
            if rebalance::should_release(&mut con, &id, busy()) && rebalance::release_one(&states) {
                tracing::info!(host = %id, "running more than its share of lanes: handing one back");
            }
        }
    }
    for lane in lanes {
        let _ = lane.join();
    }
    let _: redis::RedisResult<()> = redis::pipe()
        .cmd("DEL")
        .arg(host_key(&id))
        .cmd("SREM")
        .arg(rebalance::HOSTS)
        .arg(&id)
        .query(&mut con);
    tracing::info!(host = %id, "runner host left");
    Ok(())
}

/// Offers slot `slot` again and again (a new generation each time, so frames a dead bridge
/// left behind reach no one).
fn lane_loop(
    client: &redis::Client,
    host: &str,
    slot: usize,
    options: &RunnerHostOptions,
    stop: &AtomicBool,
    state: &Arc<LaneState>,
) {
    let mut generation = 0u64;
    while !stop.load(Ordering::SeqCst) {
        generation += 1;
        let lane = format!("{host}:{slot}:{generation}");
        let served = serve_lane(client, &lane, options, stop, state);
        state.busy.store(false, Ordering::SeqCst);
        state.release.store(false, Ordering::SeqCst);
        if let Err(e) = served {
            tracing::warn!(%lane, error = %e, "lane failed; offering it again");
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

/// Offers `lane`, then relays its frames to a runner child until the child ends, the bridge
/// stops renewing its claim, or the host stops.
fn serve_lane(
    client: &redis::Client,
    lane: &str,
    options: &RunnerHostOptions,
    stop: &AtomicBool,
    state: &Arc<LaneState>,
) -> Result<()> {
    let mut con = client
        .get_connection_with_timeout(Duration::from_secs(2))
        .map_err(redis_err)?;
    let (in_key, claim) = (lane_key(lane, "in"), lane_key(lane, "claim"));
    let _: () = redis::cmd("RPUSH")
        .arg(FREE_LANES)
        .arg(lane)
        .query(&mut con)
        .map_err(redis_err)?;
    let mut unclaimed_polls = 0u32;
    let first = loop {
        if stop.load(Ordering::SeqCst) {
            let _: redis::RedisResult<()> = redis::cmd("LREM")
                .arg(FREE_LANES)
                .arg(0)
                .arg(lane)
                .query(&mut con);
            return Ok(());
        }
        let popped: Option<(String, Vec<u8>)> = redis::cmd("BLPOP")
            .arg(&in_key)
            .arg(0.5)
            .query(&mut con)
            .map_err(redis_err)?;
        if let Some((_, frame)) = popped {
            break frame;
        }
        if abandoned(&mut con, lane, &claim, &mut unclaimed_polls)? {
            tracing::info!(%lane, "taken but never claimed: offering it again");
            return Ok(());
        }
    };
    let mut doorbell =
        Doorbell::create().map_err(EngineError::io("creating a runner's doorbell"))?;
    let mut child = runner_command(
        &options.executable,
        &["runner"],
        options.data_limit,
        doorbell.child_end(),
    )
    .spawn()
    .map_err(EngineError::io("cannot start a runner"))?;
    doorbell.child_started();
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| EngineError::Protocol("runner has no stdin".into()))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| EngineError::Protocol("runner has no stdout".into()))?;
    let child = Arc::new(Mutex::new(child));
    let ended = Arc::new(AtomicBool::new(false));
    state.idle.store(false, Ordering::SeqCst);
    state.busy.store(true, Ordering::SeqCst);
    let reader = relay_stdout(
        client.clone(),
        lane.to_string(),
        (stdout, doorbell, child.clone()),
        (ended.clone(), state.clone()),
    )?;
    let _ = write_raw_frame(&mut stdin, &first);
    while !ended.load(Ordering::SeqCst) && !stop.load(Ordering::SeqCst) {
        let popped: Option<(String, Vec<u8>)> = redis::cmd("BLPOP")
            .arg(&in_key)
            .arg(0.25)
            .query(&mut con)
            .map_err(redis_err)?;
        match popped {
            // A failed write means the runner ended; its reader reports how.
            // Handed back at the first frame after an idle moment: the runner's tick was
            // done, so its players lose this one tick's intents (their isolates start over
            // elsewhere) and nobody is charged.
            Some(_)
                if state.release.load(Ordering::SeqCst) && state.idle.load(Ordering::SeqCst) =>
            {
                tracing::info!(%lane, "handing the lane back between ticks");
                break;
            }
            Some((_, frame)) => {
                state.idle.store(false, Ordering::SeqCst);
                drop(write_raw_frame(&mut stdin, &frame));
            }
            None => {
                let claimed: bool = redis::cmd("EXISTS")
                    .arg(&claim)
                    .query(&mut con)
                    .map_err(redis_err)?;
                if !claimed {
                    tracing::info!(%lane, "its bridge is gone; ending the lane's runner");
                    break;
                }
            }
        }
    }
    drop(stdin);
    if !ended.load(Ordering::SeqCst) {
        let _ = child.lock().kill();
    }
    let _ = reader.join();
    let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&in_key).arg(&claim).query(&mut con);
    Ok(())
}

/// Whether a lane a bridge took from the free list was abandoned before its first frame: off
/// the list, with no claim, at two polls in a row (the bridge sets its claim right after
/// taking the lane, so one poll may fall between the two). Such a lane is offered again.
fn abandoned(
    con: &mut redis::Connection,
    lane: &str,
    claim: &str,
    unclaimed_polls: &mut u32,
) -> Result<bool> {
    let (offered, claimed): (Option<i64>, bool) = redis::pipe()
        .cmd("LPOS")
        .arg(FREE_LANES)
        .arg(lane)
        .cmd("EXISTS")
        .arg(claim)
        .query(con)
        .map_err(redis_err)?;
    if offered.is_none() && !claimed {
        *unclaimed_polls += 1;
    } else {
        *unclaimed_polls = 0;
    }
    Ok(*unclaimed_polls >= 2)
}

/// Pushes the runner's frames to the lane's `out` list; when the runner ends, stores how
/// (`exit`) and pushes the empty frame that tells the bridge. Waits on the runner's doorbell
/// (`runner/doorbell.rs`), not on its pipe: a tick's `Starting` and `Result` frames then go
/// out together when the runner rings or `EVENT_POLL` passes, in one push per
/// `RELAY_BATCH` frames instead of about one per frame.
fn relay_stdout(
    client: redis::Client,
    lane: String,
    (stdout, mut doorbell, child): (std::process::ChildStdout, Doorbell, Arc<Mutex<Child>>),
    (ended, state): (Arc<AtomicBool>, Arc<LaneState>),
) -> Result<std::thread::JoinHandle<()>> {
    let stdout_fd = std::os::fd::AsRawFd::as_raw_fd(&stdout);
    widen_frame_pipe(stdout_fd);
    let mut con = client
        .get_connection_with_timeout(Duration::from_secs(2))
        .map_err(redis_err)?;
    std::thread::Builder::new()
        .name("lane-reader".into())
        .spawn(move || {
            let out_key = lane_key(&lane, "out");
            let push =
                |con: &mut redis::Connection, frames: &[Vec<u8>]| -> redis::RedisResult<()> {
                    redis::pipe()
                        .rpush(&out_key, frames)
                        .ignore()
                        .pexpire(&out_key, LIST_TTL_MS as i64)
                        .ignore()
                        .query(con)
                };
            let mut from_runner = std::io::BufReader::with_capacity(1 << 16, stdout);
            let mut batch = Vec::new();
            loop {
                // Nothing here: wait for a ring or EVENT_POLL. After a hang-up, read to the end.
                if !doorbell.ready_to_read(&from_runner, stdout_fd, EVENT_POLL) {
                    continue;
                }
                let Ok(Some(frame)) = read_raw_frame(&mut from_runner) else {
                    break;
                };
                batch.push(frame);
                // Frames already written go out together; the last one waits for nothing.
                if !frames_here(&from_runner, stdout_fd) || batch.len() >= RELAY_BATCH {
                    if push(&mut con, &batch).is_err() {
                        break;
                    }
                    if batch.last().is_some_and(|f| rebalance::is_idle_frame(f)) {
                        state.idle.store(true, Ordering::SeqCst);
                    }
                    batch.clear();
                }
            }
            ended.store(true, Ordering::SeqCst);
            let status = {
                let mut child = child.lock();
                let _ = child.kill();
                child
                    .wait()
                    .map(status_text)
                    .unwrap_or_else(|_| "signal:9".into())
            };
            let _: redis::RedisResult<()> = redis::cmd("SET")
                .arg(lane_key(&lane, "exit"))
                .arg(&status)
                .arg("PX")
                .arg(LIST_TTL_MS)
                .query(&mut con);
            let _ = push(&mut con, &[Vec::new()]);
        })
        .map_err(EngineError::io("cannot start a lane reader"))
}
