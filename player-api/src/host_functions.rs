//! The host functions the prelude binds, in one named table (deno_core's `ops` list is the
//! model). The prelude's `HOST_FUNCTIONS` (`js/prelude/00_host.js`) names the same globals;
//! `setup` captures them into the prelude's closure and deletes them from the global object
//! before any player code runs. A unit test keeps the two lists equal.
//!
//! Every function takes copies and returns copies; none hands JavaScript a host object.

use std::sync::Arc;

use isoshard_scripting::{call_cpu_time, Callback, Context, ExternalCopy, HeapStatistics};
use isoshard_world::{closest_by_path, find_path, Intent, PathOptions, Position};
use parking_lot::Mutex;
use serde_json::{json, Value};

use crate::error::Result;
use crate::intent_wire::{
    parse_intent, record_bytes, MAX_INTENTS_PER_TICK, MAX_INTENT_BYTES_PER_TICK,
};
use crate::room_map::RoomMapIndex;
use crate::tick_shared::TickShared;

/// Console bytes kept per player per tick.
pub const MAX_CONSOLE_BYTES: usize = 64 << 10;

/// What callbacks collect during one tick call.
#[derive(Default)]
pub(crate) struct Collected {
    pub intents: Vec<Intent>,
    pub rejected: usize,
    /// Encoded bytes of the intents kept ([`MAX_INTENT_BYTES_PER_TICK`]).
    pub intent_bytes: usize,
    /// Intents dropped for the per-tick count or byte limit (also in `rejected`).
    pub over_limit: usize,
    pub console: Vec<String>,
    pub console_bytes: usize,
    pub console_dropped: usize,
}

/// What the host functions of one runtime share with it.
pub(crate) struct HostEnv {
    /// Intents and console lines of the call in progress.
    pub collected: Arc<Mutex<Collected>>,
    /// Heap figures as of the last sample.
    pub heap: Arc<Mutex<HeapStatistics>>,
    /// The path grid and room names of the tick.
    pub shared: Arc<TickShared>,
    pub rooms: Arc<RoomMapIndex>,
}

type MakeHostFunction = fn(&HostEnv) -> Callback;

/// Global name → the callback installed under it.
pub(crate) const HOST_FUNCTIONS: &[(&str, MakeHostFunction)] = &[
    ("__isoshard_intents", intents),
    ("__isoshard_console", console),
    ("__isoshard_cpu_now", cpu_now),
    ("__isoshard_find_path", find_path_fn),
    ("__isoshard_closest_by_path", closest_by_path_fn),
    ("__isoshard_heap", heap),
    ("__isoshard_room_map", room_map),
];

/// Installs every host function into `context`.
///
/// # Errors
/// The context is gone.
pub(crate) fn install_host_functions(context: &Context, env: &HostEnv) -> Result<()> {
    for (name, make) in HOST_FUNCTIONS {
        context.set_callback(name, make(env))?;
    }
    Ok(())
}

/// `(roomName)` → `[terrain, exits]` or null: a room's map on first use.
fn room_map(env: &HostEnv) -> Callback {
    let rooms = env.rooms.clone();
    Callback::sync(move |args| {
        let name = args.first().and_then(|a| a.to_json().ok());
        Ok(match name.as_ref().and_then(Value::as_str) {
            Some(name) => rooms.room(name),
            None => ExternalCopy::null(),
        })
    })
}

/// `([intent…])`, ignored: parses and bounds the tick's intents (count and encoded bytes,
/// so a flood of intents cannot grow the shard's records without bound).
fn intents(env: &HostEnv) -> Callback {
    let c = env.collected.clone();
    Callback::ignored(move |args| {
        let mut c = c.lock();
        let Some(batch) = args.first().and_then(|a| a.to_json().ok()) else {
            c.rejected += 1;
            return;
        };
        let Some(items) = batch.as_array() else {
            c.rejected += 1;
            return;
        };
        for item in items {
            if c.intents.len() >= MAX_INTENTS_PER_TICK {
                c.rejected += 1;
                c.over_limit += 1;
                continue;
            }
            let Some(intent) = parse_intent(item) else {
                c.rejected += 1;
                continue;
            };
            let bytes = record_bytes(&intent);
            if c.intent_bytes + bytes > MAX_INTENT_BYTES_PER_TICK {
                c.rejected += 1;
                c.over_limit += 1;
                continue;
            }
            c.intent_bytes += bytes;
            c.intents.push(intent);
        }
    })
}

/// `([line…])`, ignored: console output, bounded per tick.
fn console(env: &HostEnv) -> Callback {
    let c = env.collected.clone();
    Callback::ignored(move |args| {
        let mut c = c.lock();
        let Some(lines) = args.first().and_then(|a| a.to_json().ok()) else {
            return;
        };
        for line in lines.as_array().into_iter().flatten() {
            let text = match line {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if c.console_bytes + text.len() > MAX_CONSOLE_BYTES {
                c.console_dropped += 1;
                continue;
            }
            c.console_bytes += text.len();
            c.console.push(text);
        }
    })
}

/// `()` → CPU nanoseconds the current call has used (`Game.cpu.getUsed`).
fn cpu_now(_: &HostEnv) -> Callback {
    Callback::sync(|_| {
        let used = call_cpu_time().unwrap_or_default();
        ExternalCopy::from_json(&json!(used.as_nanos() as f64)).map_err(|e| e.to_string())
    })
}

/// `()` → the heap figures of the last sample (`Game.cpu.getHeapStatistics`).
fn heap(env: &HostEnv) -> Callback {
    let h = env.heap.clone();
    Callback::sync(move |_| {
        let s = *h.lock();
        ExternalCopy::from_json(&json!({
            "total_heap_size": s.total_heap_size,
            "used_heap_size": s.used_heap_size,
            "heap_size_limit": s.heap_size_limit,
            "externally_allocated_size": s.externally_allocated_size,
        }))
        .map_err(|e| e.to_string())
    })
}

/// A coordinate inside a room, or `None`.
fn coord(v: &Value) -> Option<u8> {
    v.as_f64()
        .filter(|n| (0.0..50.0).contains(n))
        .map(|n| n as u8)
}

fn json_args(args: &[ExternalCopy]) -> Vec<Value> {
    args.iter()
        .map(|a| a.to_json().unwrap_or(Value::Null))
        .collect()
}

/// `(fromRoom, x, y, toRoom, x, y, range, ignoreCreeps)` → flat `[x, y, …]` of the path's
/// steps in the start room.
fn find_path_fn(env: &HostEnv) -> Callback {
    let s = env.shared.clone();
    Callback::sync(move |args| {
        let a = json_args(&args);
        let path = (|| {
            let from_room = s.room(a.first()?.as_str()?)?;
            let to_room = s.room(a.get(3)?.as_str()?)?;
            let from = Position::new(from_room, coord(a.get(1)?)?, coord(a.get(2)?)?);
            let to = Position::new(to_room, coord(a.get(4)?)?, coord(a.get(5)?)?);
            let range = a.get(6)?.as_f64().unwrap_or(1.0).clamp(0.0, 50.0) as u32;
            let ignore_creeps = a.get(7).and_then(Value::as_bool).unwrap_or(false);
            let grid = s.grid()?;
            let options = PathOptions {
                range,
                ignore_creeps,
                ..PathOptions::default()
            };
            Some(find_path(&grid, from, to, &options))
        })()
        .unwrap_or_default();
        let flat: Vec<u8> = path
            .iter()
            .filter(|p| Some(p.room) == path.first().map(|f| f.room))
            .flat_map(|p| [p.x, p.y])
            .collect();
        ExternalCopy::from_json(&json!(flat)).map_err(|e| e.to_string())
    })
}

/// `(room, x, y, [x, y, …])` → index of the goal closest by path, or -1 (at most 5 000 goals).
fn closest_by_path_fn(env: &HostEnv) -> Callback {
    let s = env.shared.clone();
    Callback::sync(move |args| {
        let a = json_args(&args);
        let index = (|| {
            let room = s.room(a.first()?.as_str()?)?;
            let from = Position::new(room, coord(a.get(1)?)?, coord(a.get(2)?)?);
            let flat = a.get(3)?.as_array()?;
            if flat.len() > 2 * 5000 {
                return None;
            }
            let goals: Vec<Position> = flat
                .chunks(2)
                .filter_map(|c| Some(Position::new(room, coord(c.first()?)?, coord(c.get(1)?)?)))
                .collect();
            let grid = s.grid()?;
            closest_by_path(&grid, from, &goals, 1, 10_000)
        })();
        ExternalCopy::from_json(&json!(index.map_or(-1, |i| i as i64))).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::HOST_FUNCTIONS;

    #[test]
    fn the_prelude_binds_exactly_the_host_functions_in_the_table() {
        let js = include_str!("../js/prelude/00_host.js");
        let start = js
            .find("HOST_FUNCTIONS = {")
            .expect("HOST_FUNCTIONS in 00_host.js");
        let end = start + js[start..].find("};").expect("end of HOST_FUNCTIONS");
        let mut in_js: Vec<&str> = js[start..end]
            .split('\'')
            .filter(|s| s.starts_with("__isoshard_"))
            .collect();
        let mut in_rust: Vec<&str> = HOST_FUNCTIONS.iter().map(|(name, _)| *name).collect();
        in_js.sort_unstable();
        in_rust.sort_unstable();
        assert_eq!(in_js, in_rust);
    }
}
