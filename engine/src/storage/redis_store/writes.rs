//! One atomic write to Redis: a list of operations run by one Lua script, which first checks
//! the writer's fencing token (and, for a tick, that the tick follows the stored one).
//!
//! Why a script and not MULTI/EXEC: the fencing check must happen inside the same atomic
//! step as the writes (a MULTI cannot read), and WATCH would make every commit two round
//! trips. Redis runs a script alone and writes its effects to the AOF (and to replicas) as
//! one MULTI/EXEC, which a restart replays whole or not at all. A script does not roll back
//! what it wrote before an error, so it validates every operation before the first write;
//! the only errors left are those of a damaged database (a key of the wrong type).

use super::keys;

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

    /// The script invocation: fencing token, lease value and time to live, the tick this
    /// write commits (or none), then the operations.
    pub(super) fn invocation<'a>(
        &'a self,
        script: &'a redis::Script,
        lease: &super::lease::LeaseHeld,
        tick: Option<u64>,
    ) -> redis::ScriptInvocation<'a> {
        let mut call = script.prepare_invoke();
        call.key(keys::FENCE)
            .key(keys::LEASE)
            .key(keys::TICK)
            .arg(lease.fence)
            .arg(&lease.value)
            .arg(lease.ttl_ms)
            .arg(tick.map(|t| t.to_string()).unwrap_or_default());
        for op in &self.ops {
            match op {
                Op::Set(k, v) => call.arg("S").arg(k).arg(v.as_slice()),
                Op::HSet(k, pairs) => {
                    call.arg("H").arg(k).arg(pairs.len());
                    for (f, v) in pairs {
                        call.arg(f.as_slice()).arg(v.as_slice());
                    }
                    &mut call
                }
                Op::HDel(k, f) => call.arg("D").arg(k).arg(f.as_slice()),
                Op::HDelRange(k, from, to) => call.arg("R").arg(k).arg(from).arg(to),
            };
        }
        call
    }
}

/// The commit script. KEYS: fence counter, lease, last tick. ARGV: our fencing token, the
/// lease value and its time to live in ms, the tick committed ('' for writes outside a
/// tick), then operations: `S key value`, `H key n field1 value1 … fieldn valuen`,
/// `D key field`, `R key from to` (HDEL of the decimal fields from..to).
///
/// A tick may be committed when the stored tick is the one before it, or the same tick again
/// (a retry after a reply was lost: the same records are written again).
pub(super) const COMMIT_SCRIPT: &str = r#"
local fence = redis.call('GET', KEYS[1])
if fence ~= ARGV[1] then
  return redis.error_reply('FENCED ' .. tostring(fence))
end
if ARGV[4] ~= '' then
  local t = tonumber(ARGV[4])
  local cur = tonumber(redis.call('GET', KEYS[3]) or '-1')
  if cur ~= t and cur ~= t - 1 then
    return redis.error_reply('TICKGAP ' .. tostring(cur))
  end
end
local function arity(i)
  local op = ARGV[i]
  if op == 'S' or op == 'D' then return 3 end
  if op == 'R' then return 4 end
  if op == 'H' then
    local n = tonumber(ARGV[i + 2])
    if n == nil or n < 1 then return nil end
    return 3 + 2 * n
  end
  return nil
end
local i = 5
while i <= #ARGV do
  local n = arity(i)
  if n == nil or i + n - 1 > #ARGV then
    return redis.error_reply('BADOP at ' .. i)
  end
  i = i + n
end
i = 5
while i <= #ARGV do
  local op = ARGV[i]
  local n = arity(i)
  if op == 'S' then
    redis.call('SET', ARGV[i + 1], ARGV[i + 2])
  elseif op == 'H' then
    -- At most 500 pairs a call: Lua's stack holds a few thousand values.
    local j, last = i + 3, i + n - 1
    while j <= last do
      local upto = math.min(j + 999, last)
      redis.call('HSET', ARGV[i + 1], unpack(ARGV, j, upto))
      j = upto + 1
    end
  elseif op == 'D' then
    redis.call('HDEL', ARGV[i + 1], ARGV[i + 2])
  else
    for t = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]) do
      redis.call('HDEL', ARGV[i + 1], tostring(t))
    end
  end
  i = i + n
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[3], ARGV[4])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
"#;
