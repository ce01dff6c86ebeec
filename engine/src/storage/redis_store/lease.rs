//! The coordinator lease: one process at a time commits a shard's ticks.
//!
//! Taking the lease increments `isoshard:fence`; the new value is the holder's fencing token,
//! and every write checks it inside its script (`writes.rs`). A coordinator that stalls past
//! its lease (a paused VM, a partition) and comes back finds a higher token and is refused
//! ([`EngineError::FencedOut`]): two coordinators never commit the same tick. A stalled
//! coordinator that nobody replaced keeps its token and goes on.
//!
//! A heartbeat thread renews the lease every third of its time to live, apart from ticks, so
//! a slow tick does not lose it; a standby takes over only from a process that stopped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use super::keys;
use crate::error::{EngineError, Result};

/// A lease this process holds.
#[derive(Debug, Clone)]
pub(crate) struct LeaseHeld {
    /// The fencing token.
    pub(crate) fence: u64,
    /// What `isoshard:lease` holds while it is ours: `<fence> <holder>`.
    pub(crate) value: String,
    pub(crate) ttl_ms: u64,
}

/// Takes the lease when no one holds it: returns `{1, fence}`, or `{0, holder, pttl}`.
const ACQUIRE_SCRIPT: &str = r#"
local cur = redis.call('GET', KEYS[2])
if cur then
  return {0, cur, redis.call('PTTL', KEYS[2])}
end
local f = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], f .. ' ' .. ARGV[1], 'PX', ARGV[2])
return {1, tostring(f), 0}
"#;

/// Renews the lease while the fencing token is still ours (also after it expired unseen).
const RENEW_SCRIPT: &str = r#"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
"#;

/// Gives the lease up at a clean stop, so a standby need not wait for it to expire.
const RELEASE_SCRIPT: &str = r#"
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1
"#;

/// This process, for the lease's holder field: `pid N on HOST`.
pub(crate) fn holder_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    format!("pid {} on {}", std::process::id(), host.trim())
}

/// Takes the lease, or with `wait` polls until its holder stops renewing it.
pub(super) fn acquire(
    con: &mut redis::Connection,
    store: &str,
    ttl_ms: u64,
    wait: bool,
) -> Result<LeaseHeld> {
    let holder = holder_name();
    let script = redis::Script::new(ACQUIRE_SCRIPT);
    let mut announced = false;
    loop {
        let (won, text, pttl): (i64, String, i64) = script
            .key(keys::FENCE)
            .key(keys::LEASE)
            .arg(&holder)
            .arg(ttl_ms)
            .invoke(con)
            .map_err(|e| super::redis_error(store, e))?;
        if won == 1 {
            let fence: u64 = text.parse().map_err(|_| EngineError::RedisDamaged {
                store: store.into(),
                problem: format!("the fencing token is not a number: {text}"),
            })?;
            return Ok(LeaseHeld {
                fence,
                value: format!("{fence} {holder}"),
                ttl_ms,
            });
        }
        if !wait {
            return Err(EngineError::LeaseHeld {
                store: store.into(),
                holder: text,
                ends_in_ms: pttl.max(0) as u64,
            });
        }
        if !announced {
            tracing::info!(%store, holder = %text, "standing by: another coordinator holds the shard");
            announced = true;
        }
        std::thread::sleep(Duration::from_millis((ttl_ms / 4).clamp(20, 1000)));
    }
}

/// Renews the lease every third of its time to live until dropped; a refused renewal
/// (another coordinator's token) sets `fenced` and ends it.
pub(super) struct Heartbeat {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub(super) fenced: Arc<AtomicBool>,
}

impl Heartbeat {
    pub(super) fn start(client: redis::Client, lease: LeaseHeld, store: String) -> Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let fenced = Arc::new(AtomicBool::new(false));
        let flag = fenced.clone();
        let every = Duration::from_millis((lease.ttl_ms / 3).max(10));
        let thread = std::thread::Builder::new()
            .name("isoshard-lease".into())
            .spawn(move || {
                let script = redis::Script::new(RENEW_SCRIPT);
                let mut con = None;
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    match renew(&client, &mut con, &script, &lease) {
                        Ok(true) => {}
                        Ok(false) => {
                            tracing::error!(%store, fence = lease.fence, "the lease passed to another coordinator");
                            flag.store(true, Ordering::SeqCst);
                            return;
                        }
                        Err(e) => {
                            con = None;
                            tracing::warn!(%store, error = %e, "cannot renew the lease; retrying");
                        }
                    }
                }
                let release = redis::Script::new(RELEASE_SCRIPT);
                if con.is_none() {
                    con = client.get_connection_with_timeout(Duration::from_secs(2)).ok();
                }
                if let Some(c) = con.as_mut() {
                    let _: redis::RedisResult<i64> = release
                        .key(keys::FENCE)
                        .key(keys::LEASE)
                        .arg(&lease.value)
                        .invoke(c);
                }
            })
            .map_err(EngineError::io("cannot start the lease thread"))?;
        Ok(Heartbeat {
            stop: Some(stop),
            thread: Some(thread),
            fenced,
        })
    }

    pub(super) fn is_fenced(&self) -> bool {
        self.fenced.load(Ordering::SeqCst)
    }
}

fn renew(
    client: &redis::Client,
    con: &mut Option<redis::Connection>,
    script: &redis::Script,
    lease: &LeaseHeld,
) -> redis::RedisResult<bool> {
    if con.is_none() {
        let c = client.get_connection_with_timeout(Duration::from_secs(2))?;
        c.set_read_timeout(Some(Duration::from_secs(2)))?;
        *con = Some(c);
    }
    let Some(c) = con.as_mut() else {
        return Ok(false);
    };
    let renewed: i64 = script
        .key(keys::FENCE)
        .key(keys::LEASE)
        .arg(lease.fence)
        .arg(&lease.value)
        .arg(lease.ttl_ms)
        .invoke(c)?;
    Ok(renewed == 1)
}

impl Drop for Heartbeat {
    /// Stops renewing and releases the lease (a clean stop hands over at once).
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
