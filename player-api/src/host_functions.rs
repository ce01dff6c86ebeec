//! The host functions the prelude binds, in one named table (deno_core's `ops` list is the
//! model). The prelude's `HOST_FUNCTIONS` (`js/prelude/00_host.js`) names the same globals;
//! `setup` captures them into the prelude's closure and deletes them from the global object
//! before any player code runs. A unit test keeps the two lists equal.
//!
//! Every function takes copies and returns copies; none hands JavaScript a host object.

use std::sync::Arc;

use isoshard_scripting::{call_cpu_time, Callback, Context, ExternalCopy, HeapStatistics};
use isoshard_world::Intent;
use parking_lot::Mutex;
use serde_json::{json, Value};

use crate::error::Result;
use crate::intent_wire::{
    parse_intent, record_bytes, MAX_INTENTS_PER_TICK, MAX_INTENT_BYTES_PER_TICK,
};
use crate::market_book::MarketBook;
use crate::path_finder::{self, host::Searches};
use crate::room_map::RoomMapIndex;

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
    /// `Game.cpu.halt()` was called: the call was ended and the isolate is to be reset.
    pub halted: bool,
}

/// What the host functions of one runtime share with it.
pub(crate) struct HostEnv {
    /// Intents and console lines of the call in progress.
    pub collected: Arc<Mutex<Collected>>,
    /// Heap figures as of the last sample.
    pub heap: Arc<Mutex<HeapStatistics>>,
    pub rooms: Arc<RoomMapIndex>,
    /// `PathFinder.search` in progress.
    pub searches: Arc<Searches>,
    /// Set by `Game.cpu.halt()`; the runtime then reports itself disposed.
    pub halted: Arc<std::sync::atomic::AtomicBool>,
    /// The market of the tick in progress.
    pub market_book: Arc<Mutex<Arc<MarketBook>>>,
}

type MakeHostFunction = fn(&HostEnv) -> Callback;

/// Global name → the callback installed under it.
pub(crate) const HOST_FUNCTIONS: &[(&str, MakeHostFunction)] = &[
    ("__isoshard_intents", intents),
    ("__isoshard_console", console),
    ("__isoshard_cpu_now", cpu_now),
    ("__isoshard_heap", heap),
    ("__isoshard_room_map", room_map),
    ("__isoshard_halt", halt),
    ("__isoshard_market", market),
    ("__isoshard_pf_search", |env| {
        path_finder::host::search_fn(env.searches.clone())
    }),
    ("__isoshard_pf_room", |env| {
        path_finder::host::room_fn(env.searches.clone())
    }),
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

/// `(kind, resourceType)` → a copy of the tick's market text: `kind` `'orders'` gives
/// `{id: order}`, `'history'` the days traded; null when there is none.
fn market(env: &HostEnv) -> Callback {
    let book = env.market_book.clone();
    Callback::sync(move |args| {
        let arg = |i: usize| args.get(i).and_then(|a| a.to_json().ok());
        let (kind, resource) = (arg(0), arg(1));
        let book = book.lock().clone();
        let text = match (
            kind.as_ref().and_then(Value::as_str),
            resource.as_ref().and_then(Value::as_str),
        ) {
            (Some("orders"), Some(r)) => book.orders(r),
            (Some("history"), Some(r)) => book.history(r),
            _ => None,
        };
        match text {
            Some(t) => ExternalCopy::from_string(t.to_string()).map_err(|e| e.to_string()),
            None => Ok(ExternalCopy::null()),
        }
    })
}

/// `()`: `Game.cpu.halt()`, screeps/driver's `_halt`: ends the call at once (nothing the
/// player's code can catch) and marks the runtime for a global reset before its next tick.
fn halt(env: &HostEnv) -> Callback {
    let c = env.collected.clone();
    let halted = env.halted.clone();
    Callback::sync(move |_| {
        c.lock().halted = true;
        halted.store(true, std::sync::atomic::Ordering::Release);
        isoshard_scripting::terminate_current_call();
        Ok(ExternalCopy::undefined())
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
            if item.get("type").and_then(Value::as_str) == Some("$cancel") {
                cancel_intents(&mut c, item);
                continue;
            }
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

/// `Creep.cancelOrder`: drops the creep's intents of the named types collected so far
/// (`{type: '$cancel', creep, methods}`); anything malformed is a rejected intent.
fn cancel_intents(c: &mut Collected, item: &Value) {
    let creep = item
        .get("creep")
        .and_then(Value::as_str)
        .and_then(isoshard_world::ObjectId::from_js);
    let methods: Vec<&str> = item
        .get("methods")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(creep) = creep else {
        c.rejected += 1;
        return;
    };
    let mut freed = 0;
    c.intents.retain(|intent| {
        let v = serde_json::to_value(intent).unwrap_or(Value::Null);
        let mine = v.get("creep").and_then(Value::as_u64) == Some(creep.0);
        let named = v
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| methods.contains(&t));
        if mine && named {
            freed += record_bytes(intent);
        }
        !(mine && named)
    });
    c.intent_bytes -= freed;
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
