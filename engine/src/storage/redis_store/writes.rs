//! One atomic write to Redis: a list of operations sent as one MULTI/EXEC under WATCH of the
//! fence counter and the stored tick, after checking the writer's fencing token (and, for a
//! tick, that the tick follows the stored one).
//!
//! Why WATCH and not a Lua script that checks and writes: a script that took every field as
//! an argument cost Redis ~1.4 ms a tick at 1 000 players (each argument became a Lua
//! string, then a Redis string again for `redis.call`), where plain `HSET`s take the parsed
//! arguments; the price is a second round trip (~50 µs on loopback). Redis writes a MULTI/EXEC
//! to the AOF (and to replicas) as one block, which a restart replays whole or not at all
//! (`aof-load-truncated` drops a block cut short). Commands queued in a MULTI are checked
//! when queued, so a malformed one aborts the whole EXEC; the only errors left at EXEC are
//! those of a damaged database (a key of the wrong type).

use super::keys;
use super::lease::LeaseHeld;

/// One operation of a write.
enum Op {
    Set(String, Vec<u8>),
    /// `HSET key f1 v1 f2 v2 …`: consecutive fields of one hash go in one call (a tick sets a
    /// field of `budget` and of `memory` for every player who ran: one call each, not 1 000).
    HSet(String, Vec<(Vec<u8>, Vec<u8>)>),
    HDel(String, Vec<u8>),
    HDelRange(String, u64, u64),
}

/// The operations of one write, encoded as the script's arguments.
#[derive(Default)]
pub(super) struct RedisWrites {
    ops: Vec<Op>,
    /// Payload bytes, for logs and the benchmark.
    pub(super) bytes: usize,
}

impl RedisWrites {
    /// `SET key value`.
    pub(super) fn set(&mut self, key: &str, value: Vec<u8>) {
        self.bytes += key.len() + value.len();
        self.ops.push(Op::Set(key.to_string(), value));
    }

    /// `HSET key field value`, joined to the previous operation when it sets the same hash.
    pub(super) fn hset(&mut self, key: &str, field: impl Into<Vec<u8>>, value: Vec<u8>) {
        let field = field.into();
        self.bytes += key.len() + field.len() + value.len();
        match self.ops.last_mut() {
            Some(Op::HSet(k, pairs)) if k == key => pairs.push((field, value)),
            _ => self
                .ops
                .push(Op::HSet(key.to_string(), vec![(field, value)])),
        }
    }

    /// `HDEL key field`.
    pub(super) fn hdel(&mut self, key: &str, field: impl Into<Vec<u8>>) {
        self.ops.push(Op::HDel(key.to_string(), field.into()));
    }

    /// `HDEL key n` for every decimal field `n` in `from..=to` (tick records pruned).
    pub(super) fn hdel_range(&mut self, key: &str, from: u64, to: u64) {
        if from <= to {
            self.ops.push(Op::HDelRange(key.to_string(), from, to));
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Commits the operations as one MULTI/EXEC under WATCH: the first round trip watches
    /// the fence counter and the stored tick and reads them; when the fence is ours and the
    /// tick follows the stored one (or is it again: a retry after a lost reply), the second
    /// sends the operations, the tick and the lease's renewal in one transaction, which Redis
    /// aborts if another client changed either key in between.
    pub(super) fn commit(
        &self,
        con: &mut redis::Connection,
        lease: &LeaseHeld,
        tick: Option<u64>,
    ) -> redis::RedisResult<Committed> {
        match check(con, lease, tick)? {
            Some(refused) => Ok(refused),
            None => self.send(con, lease, tick),
        }
    }

    /// The second round trip: the transaction, on a connection `check` left watching.
    fn send(
        &self,
        con: &mut redis::Connection,
        lease: &LeaseHeld,
        tick: Option<u64>,
    ) -> redis::RedisResult<Committed> {
        let done: Option<()> = self.transaction(lease, tick).query(con)?;
        Ok(match done {
            Some(()) => Committed::Done,
            // EXEC was aborted: the fence or the tick changed after `check` read them.
            None => Committed::Fenced("changed during the commit".into()),
        })
    }

    fn transaction(&self, lease: &LeaseHeld, tick: Option<u64>) -> redis::Pipeline {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for op in &self.ops {
            match op {
                Op::Set(k, v) => pipe.cmd("SET").arg(k).arg(v.as_slice()).ignore(),
                Op::HSet(k, pairs) => {
                    let cmd = pipe.cmd("HSET").arg(k);
                    for (f, v) in pairs {
                        cmd.arg(f.as_slice()).arg(v.as_slice());
                    }
                    cmd.ignore()
                }
                Op::HDel(k, f) => pipe.cmd("HDEL").arg(k).arg(f.as_slice()).ignore(),
                Op::HDelRange(k, from, to) => {
                    // A few thousand fields a call, so a long range is not one huge command.
                    let (mut first, to) = (*from, *to);
                    while first <= to {
                        let last = to.min(first.saturating_add(HDEL_FIELDS_PER_CALL - 1));
                        let cmd = pipe.cmd("HDEL").arg(k);
                        for t in first..=last {
                            cmd.arg(t);
                        }
                        cmd.ignore();
                        if last == u64::MAX {
                            break;
                        }
                        first = last + 1;
                    }
                    &mut pipe
                }
            };
        }
        if let Some(t) = tick {
            pipe.cmd("SET").arg(keys::TICK).arg(t).ignore();
        }
        pipe.cmd("SET")
            .arg(keys::LEASE)
            .arg(&lease.value)
            .arg("PX")
            .arg(lease.ttl_ms)
            .ignore();
        pipe
    }
}

/// The first round trip: watches the fence counter and the stored tick, and reads them.
/// Returns why the commit is refused (and stops watching), or `None` to go on.
fn check(
    con: &mut redis::Connection,
    lease: &LeaseHeld,
    tick: Option<u64>,
) -> redis::RedisResult<Option<Committed>> {
    let (fence, stored): (Option<String>, Option<String>) = redis::pipe()
        .cmd("WATCH")
        .arg(keys::FENCE)
        .arg(keys::TICK)
        .ignore()
        .cmd("GET")
        .arg(keys::FENCE)
        .cmd("GET")
        .arg(keys::TICK)
        .query(con)?;
    let refused = if fence.as_deref() != Some(lease.fence.to_string().as_str()) {
        Some(Committed::Fenced(fence.unwrap_or_else(|| "none".into())))
    } else {
        tick.and_then(|t| tick_gap(t, stored.as_deref()))
    };
    if refused.is_some() {
        redis::cmd("UNWATCH").exec(con)?;
    }
    Ok(refused)
}

/// Fields of one `HDEL` when tick records are pruned.
const HDEL_FIELDS_PER_CALL: u64 = 4096;

/// What a commit did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Committed {
    Done,
    /// The fence counter holds another coordinator's token (shown).
    Fenced(String),
    /// The stored tick (shown) is neither the tick committed nor the one before it.
    TickGap(String),
}

/// `Some(TickGap)` unless `tick` follows the stored tick or repeats it.
fn tick_gap(tick: u64, stored: Option<&str>) -> Option<Committed> {
    let follows = match stored.map(str::parse::<u64>) {
        Some(Ok(cur)) => cur == tick || cur.checked_add(1) == Some(tick),
        // No tick stored (`create` stores one): only tick 0 follows nothing.
        None => tick == 0,
        Some(Err(_)) => false,
    };
    (!follows).then(|| Committed::TickGap(stored.unwrap_or("none").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LocalRedis;

    fn connect(redis: &LocalRedis) -> redis::Connection {
        redis::Client::open(redis.url().as_str())
            .unwrap()
            .get_connection()
            .unwrap()
    }

    /// A Redis at tick 6 whose fence counter says 3, and that lease.
    fn at_tick_six(redis: &LocalRedis) -> LeaseHeld {
        let mut con = connect(redis);
        let _: () = redis::pipe()
            .cmd("SET")
            .arg(keys::FENCE)
            .arg(3)
            .cmd("SET")
            .arg(keys::TICK)
            .arg(6)
            .query(&mut con)
            .unwrap();
        LeaseHeld {
            fence: 3,
            value: "3 test".into(),
            ttl_ms: 5_000,
        }
    }

    fn one_memory(value: &str) -> RedisWrites {
        let mut writes = RedisWrites::default();
        writes.hset(keys::MEMORIES, "1", value.as_bytes().to_vec());
        writes.hset(keys::MEMORIES, "2", value.as_bytes().to_vec());
        writes
    }

    fn memory(con: &mut redis::Connection) -> Option<String> {
        redis::cmd("HGET")
            .arg(keys::MEMORIES)
            .arg("2")
            .query(con)
            .unwrap()
    }

    #[test]
    fn a_tick_commits_its_writes_the_tick_and_the_lease_together() {
        let redis = LocalRedis::start().unwrap();
        let lease = at_tick_six(&redis);
        let mut con = connect(&redis);
        let writes = one_memory("m7");
        assert_eq!(
            writes.commit(&mut con, &lease, Some(7)).unwrap(),
            Committed::Done
        );
        // The same tick again (a retry after a lost reply) is accepted; a gap is not.
        assert_eq!(
            writes.commit(&mut con, &lease, Some(7)).unwrap(),
            Committed::Done
        );
        assert_eq!(
            writes.commit(&mut con, &lease, Some(9)).unwrap(),
            Committed::TickGap("7".into())
        );
        let (tick, held): (String, String) = redis::pipe()
            .cmd("GET")
            .arg(keys::TICK)
            .cmd("GET")
            .arg(keys::LEASE)
            .query(&mut con)
            .unwrap();
        assert_eq!((tick.as_str(), held.as_str()), ("7", "3 test"));
        assert_eq!(memory(&mut con).as_deref(), Some("m7"));
    }

    #[test]
    fn a_fence_taken_between_the_check_and_the_exec_aborts_the_whole_commit() {
        let redis = LocalRedis::start().unwrap();
        let lease = at_tick_six(&redis);
        let mut con = connect(&redis);
        assert_eq!(check(&mut con, &lease, Some(7)).unwrap(), None);
        // A standby takes the lease while this coordinator is between its round trips.
        let mut standby = connect(&redis);
        let _: u64 = redis::cmd("INCR")
            .arg(keys::FENCE)
            .query(&mut standby)
            .unwrap();
        let writes = one_memory("stale");
        assert!(matches!(
            writes.send(&mut con, &lease, Some(7)).unwrap(),
            Committed::Fenced(_)
        ));
        assert_eq!(memory(&mut con), None, "nothing of the commit was written");
        let tick: String = redis::cmd("GET").arg(keys::TICK).query(&mut con).unwrap();
        assert_eq!(tick, "6");
        // And every later commit is refused by the check itself.
        assert_eq!(
            writes.commit(&mut con, &lease, Some(7)).unwrap(),
            Committed::Fenced("4".into())
        );
    }

    #[test]
    fn a_refused_check_stops_watching_so_the_next_commit_is_not_aborted() {
        let redis = LocalRedis::start().unwrap();
        let lease = at_tick_six(&redis);
        let mut con = connect(&redis);
        assert!(matches!(
            check(&mut con, &lease, Some(9)).unwrap(),
            Some(Committed::TickGap(_))
        ));
        // Another client touches the watched tick; a still-active WATCH would abort the next
        // EXEC even though its own check passes.
        let mut other = connect(&redis);
        let _: () = redis::cmd("SET")
            .arg(keys::TICK)
            .arg(6)
            .query(&mut other)
            .unwrap();
        assert_eq!(
            one_memory("m7").commit(&mut con, &lease, Some(7)).unwrap(),
            Committed::Done
        );
    }

    #[test]
    fn a_long_prune_is_split_into_bounded_hdels_and_deletes_exactly_the_range() {
        let redis = LocalRedis::start().unwrap();
        let lease = at_tick_six(&redis);
        let mut con = connect(&redis);
        let mut fill = redis::cmd("HSET");
        fill.arg(keys::TICKS);
        for t in 1..=10_000u64 {
            fill.arg(t).arg("r");
        }
        let _: u64 = fill.query(&mut con).unwrap();
        let mut writes = RedisWrites::default();
        writes.hdel_range(keys::TICKS, 2, 9_998);
        assert_eq!(
            writes.commit(&mut con, &lease, None).unwrap(),
            Committed::Done
        );
        let mut left: Vec<u64> = redis::cmd("HKEYS")
            .arg(keys::TICKS)
            .query(&mut con)
            .unwrap();
        left.sort_unstable();
        assert_eq!(left, vec![1, 9_999, 10_000]);
    }
}
