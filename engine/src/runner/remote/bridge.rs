//! `isoshard runner-bridge`: stands in for a runner process of the shard and relays its
//! frames to a lane of a runner host through Redis (see `remote.rs`).

use std::io::BufReader;
use std::time::{Duration, Instant};

use super::{
    host_key, host_of, lane_key, CLAIM_TTL, CLAIM_WAIT, FREE_LANES, HOST_TTL, LIST_TTL_MS,
    RELAY_BATCH,
};
use crate::runner::protocol::{read_raw_frame, write_raw_frame};

/// Ends this process the way the lane's runner ended (`code:N` or `signal:N`), so the
/// supervisor reads the same status a local runner would have left.
///
/// Never touches stdout: the relaying thread holds its lock, and every frame it wrote was
/// flushed with it.
fn end_like(status: &str) -> ! {
    if let Some(code) = status.strip_prefix("code:").and_then(|c| c.parse().ok()) {
        std::process::exit(code);
    }
    let sig = status
        .strip_prefix("signal:")
        .and_then(|s| s.parse().ok())
        .unwrap_or(libc::SIGKILL);
    // SAFETY: restoring the default action and raising a signal in this process.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    std::process::exit(128 + sig)
}

/// Ends this process as if killed from outside: the lane's host or Redis is gone, which is no
/// player's doing.
fn lost(why: &str) -> ! {
    eprintln!("isoshard runner-bridge: {why}; ending as killed from outside");
    end_like("signal:9")
}

/// Runs the bridge until the lane's runner ends or the shard closes its pipe. Does not
/// return: the process ends with the lane runner's status.
pub fn run_bridge(url: &str) -> ! {
    let client = match redis::Client::open(url) {
        Ok(c) => c,
        Err(e) => lost(&format!("invalid Redis URL: {e}")),
    };
    let mut con = match client.get_connection_with_timeout(Duration::from_secs(5)) {
        Ok(c) => c,
        Err(e) => lost(&format!("cannot reach Redis: {e}")),
    };
    let token = format!("{:016x}", rand::random::<u64>());
    let lane = claim(&mut con, &token).unwrap_or_else(|e| lost(&e));
    renew_claim_in_background(client.clone(), lane.clone(), token);
    relay_stdin_in_background(client, lane.clone());
    let out_key = lane_key(&lane, "out");
    let mut stdout = std::io::stdout().lock();
    loop {
        let popped: redis::RedisResult<Option<(String, Vec<u8>)>> =
            redis::cmd("BLPOP").arg(&out_key).arg(1.0).query(&mut con);
        match popped {
            Ok(Some((_, payload))) if payload.is_empty() => {
                let status: Option<String> = redis::cmd("GET")
                    .arg(lane_key(&lane, "exit"))
                    .query(&mut con)
                    .unwrap_or(None);
                end_like(status.as_deref().unwrap_or("signal:9"));
            }
            Ok(Some((_, payload))) => {
                // What queued up behind it comes in the same round trip.
                let more: Vec<Vec<u8>> = redis::cmd("LPOP")
                    .arg(&out_key)
                    .arg(RELAY_BATCH)
                    .query(&mut con)
                    .unwrap_or_else(|e| lost(&format!("Redis failed: {e}")));
                for frame in std::iter::once(payload).chain(more) {
                    if frame.is_empty() {
                        let status: Option<String> = redis::cmd("GET")
                            .arg(lane_key(&lane, "exit"))
                            .query(&mut con)
                            .unwrap_or(None);
                        end_like(status.as_deref().unwrap_or("signal:9"));
                    }
                    if write_raw_frame(&mut stdout, &frame).is_err() {
                        // The shard is gone: nothing to relay to.
                        std::process::exit(0);
                    }
                }
            }
            Ok(None) => {}
            Err(e) => lost(&format!("Redis failed: {e}")),
        }
    }
}

/// Takes a free lane of a live host and claims it.
fn claim(con: &mut redis::Connection, token: &str) -> Result<String, String> {
    let started = Instant::now();
    while started.elapsed() < CLAIM_WAIT {
        let popped: Option<(String, String)> = redis::cmd("BLPOP")
            .arg(FREE_LANES)
            .arg(1.0)
            .query(con)
            .map_err(|e| format!("Redis failed: {e}"))?;
        let Some((_, lane)) = popped else { continue };
        let host_alive: bool = redis::cmd("EXISTS")
            .arg(host_key(host_of(&lane)))
            .query(con)
            .map_err(|e| format!("Redis failed: {e}"))?;
        if !host_alive {
            continue;
        }
        let _: () = redis::cmd("SET")
            .arg(lane_key(&lane, "claim"))
            .arg(token)
            .arg("PX")
            .arg(CLAIM_TTL.as_millis() as u64)
            .query(con)
            .map_err(|e| format!("Redis failed: {e}"))?;
        eprintln!("isoshard runner-bridge: on lane {lane}");
        return Ok(lane);
    }
    Err(format!(
        "no runner host offered a free lane within {CLAIM_WAIT:?} (start `isoshard runner-host`)"
    ))
}

/// Renews the claim and watches the lane's host: a host whose lease lapsed is dead.
fn renew_claim_in_background(client: redis::Client, lane: String, token: String) {
    std::thread::spawn(move || {
        let every = (HOST_TTL / 4).min(CLAIM_TTL / 5);
        let mut con = client
            .get_connection_with_timeout(Duration::from_secs(2))
            .unwrap_or_else(|e| lost(&format!("cannot reach Redis: {e}")));
        let (claim, host) = (lane_key(&lane, "claim"), host_key(host_of(&lane)));
        loop {
            std::thread::sleep(every);
            let (_, alive): ((), bool) = redis::pipe()
                .cmd("SET")
                .arg(&claim)
                .arg(&token)
                .arg("PX")
                .arg(CLAIM_TTL.as_millis() as u64)
                .cmd("EXISTS")
                .arg(&host)
                .query(&mut con)
                .unwrap_or_else(|e| lost(&format!("Redis failed: {e}")));
            if !alive {
                lost(&format!(
                    "runner host of lane {lane} stopped renewing its lease"
                ));
            }
        }
    });
}

/// The shard's frames, pushed to the lane as they come; the shard closing the pipe ends the
/// bridge (and, with its claim gone, the lane's runner).
fn relay_stdin_in_background(client: redis::Client, lane: String) {
    std::thread::spawn(move || {
        let mut con = client
            .get_connection_with_timeout(Duration::from_secs(2))
            .unwrap_or_else(|e| lost(&format!("cannot reach Redis: {e}")));
        let in_key = lane_key(&lane, "in");
        let mut stdin = BufReader::new(std::io::stdin());
        while let Ok(Some(frame)) = read_raw_frame(&mut stdin) {
            let pushed: redis::RedisResult<()> = redis::pipe()
                .rpush(&in_key, frame)
                .ignore()
                .pexpire(&in_key, LIST_TTL_MS as i64)
                .ignore()
                .query(&mut con);
            if let Err(e) = pushed {
                lost(&format!("Redis failed: {e}"));
            }
        }
        let _: redis::RedisResult<()> = redis::cmd("DEL")
            .arg(lane_key(&lane, "claim"))
            .query(&mut con);
        std::process::exit(0);
    });
}
