//! The two host functions behind `PathFinder.search` (the prelude's side is in
//! `js/prelude/80_game.js`):
//! - `__isoshard_pf_search(depth, [originRoom, x, y, plainCost, swampCost, maxRooms, maxOps,
//!   maxCost, flee, heuristicWeight, hasRoomCallback], [room, x, y, range, …])`
//! - `__isoshard_pf_room(depth, answer)`: `answer` is `false` (blocked), a CostMatrix's
//!   `Uint8Array` of 2 500 bytes, or anything else for terrain only (Screeps ignores a
//!   matrix of another length).
//!
//! Both answer a room name (call `roomCallback` for it, then `__isoshard_pf_room`), `0` (the
//! origin meets the goals), `-1` (the origin's room cannot be entered) or the result as one
//! string, `#ops,cost,incomplete;` and then two characters per step, its `xx` and `yy` on
//! Screeps' world plane as UTF-16 code units (below 12 800: never a surrogate). A lone string
//! crosses into the isolate without V8's deserializer.
//!
//! `depth` is how many searches of this call are already waiting on a `roomCallback` (a
//! callback may search too); each depth has its own search, and a search left behind by a
//! throwing callback is simply replaced.
//!
//! The searches' buffers (~110 KiB for a one-room search, more for more rooms) belong to the
//! thread, not to the player: a runner thread runs one call at a time, and a search lives
//! within one call, so every player of the thread shares one set instead of keeping its own
//! between ticks. Each search is tagged with the player's `Searches`; resuming another's
//! search is refused.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use isoshard_scripting::{call_cpu_time, Callback, CallbackResult, ExternalCopy};
use parking_lot::Mutex;
use serde_json::{json, Value};

use super::{
    Goal, MapPos, Outcome, PathSearch, RoomAnswer, RoomTerrains, SearchOptions, Step, WorldPos,
};

/// How deep `roomCallback`s may nest searches.
pub(crate) const MAX_SEARCH_DEPTH: usize = 8;
/// Goals one search takes (Screeps sets none; each costs a heuristic term per node).
const MAX_GOALS: usize = 1000;

thread_local! {
    /// This thread's searches by nesting depth, each with the id of the `Searches` that
    /// started it; their buffers are kept for the next search, whoever makes it.
    static BY_DEPTH: RefCell<Vec<(u64, PathSearch)>> = const { RefCell::new(Vec::new()) };
}

/// A runtime's searches: what they search and until when.
pub(crate) struct Searches {
    /// Tags this runtime's searches in [`BY_DEPTH`]; never reused.
    id: u64,
    terrains: Arc<dyn RoomTerrains>,
    /// The tick's CPU limit: a search past it stops (the watchdog ends the call anyway).
    cpu_limit_ns: Mutex<u64>,
}

impl Searches {
    pub(crate) fn new(terrains: Arc<dyn RoomTerrains>) -> Arc<Searches> {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Arc::new(Searches {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            terrains,
            cpu_limit_ns: Mutex::new(u64::MAX),
        })
    }

    pub(crate) fn set_cpu_limit(&self, limit: std::time::Duration) {
        *self.cpu_limit_ns.lock() = limit.as_nanos().min(u64::MAX as u128) as u64;
    }

    fn stop_check(&self) -> impl Fn() -> bool {
        let limit = *self.cpu_limit_ns.lock();
        move || call_cpu_time().is_some_and(|t| t.as_nanos() as u64 >= limit)
    }
}

fn number(v: Option<&Value>) -> f64 {
    v.and_then(Value::as_f64).unwrap_or(0.0)
}

fn position(room: Option<&Value>, x: Option<&Value>, y: Option<&Value>) -> Option<WorldPos> {
    let room = MapPos::of_name(room?.as_str()?)?;
    let coord = |v: Option<&Value>| {
        let n = v?.as_f64()?;
        (0.0..50.0).contains(&n).then_some(n as u8)
    };
    Some(WorldPos::new(room, coord(x)?, coord(y)?))
}

fn answer(step: Step) -> CallbackResult {
    let value = match step {
        Step::NeedRoom(room) => json!(room.name()),
        Step::Done(Outcome::AtGoal) => json!(0),
        Step::Done(Outcome::StartBlocked) => json!(-1),
        Step::Done(Outcome::Found {
            path,
            ops,
            cost,
            incomplete,
        }) => {
            let mut text = format!("#{ops},{cost},{};", incomplete as u8);
            for p in path {
                for v in [p.xx, p.yy] {
                    text.push(char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
            }
            return ExternalCopy::from_string(text).map_err(|e| e.to_string());
        }
    };
    ExternalCopy::from_json(&value).map_err(|e| e.to_string())
}

fn depth_of(v: Option<&ExternalCopy>) -> Result<usize, String> {
    let d = v
        .and_then(|v| v.to_json().ok())
        .and_then(|v| v.as_u64())
        .ok_or("PathFinder: bad call")? as usize;
    if d >= MAX_SEARCH_DEPTH {
        return Err(format!(
            "PathFinder.search nested more than {MAX_SEARCH_DEPTH} deep (roomCallback searching)"
        ));
    }
    Ok(d)
}

/// `__isoshard_pf_search`.
pub(crate) fn search_fn(searches: Arc<Searches>) -> Callback {
    Callback::sync(move |args| search(&searches, &args))
}

pub(super) fn search(searches: &Searches, args: &[ExternalCopy]) -> CallbackResult {
    let depth = depth_of(args.first())?;
    let json = |i: usize| args.get(i).and_then(|c| c.to_json().ok());
    let a = json(1)
        .and_then(|v| v.as_array().cloned())
        .ok_or("PathFinder: bad call")?;
    let goals_json = json(2).ok_or("PathFinder: bad goals")?;
    let origin = position(a.first(), a.get(1), a.get(2)).ok_or("Invalid room position")?;
    let flat = goals_json.as_array().ok_or("PathFinder: bad goals")?;
    if flat.len() > MAX_GOALS * 4 {
        return Err(format!("PathFinder.search takes at most {MAX_GOALS} goals"));
    }
    let mut goals = Vec::with_capacity(flat.len() / 4);
    for g in flat.chunks_exact(4) {
        let pos = position(g.first(), g.get(1), g.get(2)).ok_or("Invalid room position")?;
        let range = number(g.get(3)).clamp(0.0, u32::MAX as f64) as u32;
        goals.push(Goal { pos, range });
    }
    let options = SearchOptions {
        plain_cost: number(a.get(3)).clamp(1.0, 254.0) as u32,
        swamp_cost: number(a.get(4)).clamp(1.0, 254.0) as u32,
        max_rooms: number(a.get(5)).clamp(1.0, 64.0) as usize,
        max_ops: number(a.get(6)).clamp(1.0, u32::MAX as f64) as u32,
        max_cost: number(a.get(7)).clamp(1.0, u32::MAX as f64) as u32,
        flee: a.get(8).and_then(Value::as_bool).unwrap_or(false),
        heuristic_weight: number(a.get(9)).clamp(1.0, 9.0),
        room_callback: a.get(10).and_then(Value::as_bool).unwrap_or(false),
    };
    let stop = searches.stop_check();
    let step = BY_DEPTH.with_borrow_mut(|by_depth| {
        by_depth.truncate(depth + 1);
        while by_depth.len() <= depth {
            let fresh = PathSearch::new(searches.terrains.clone());
            by_depth.push((searches.id, fresh));
        }
        let (owner, search) = &mut by_depth[depth];
        *owner = searches.id;
        search.set_terrains(&searches.terrains);
        search.start(origin, goals, options, &stop)
    })?;
    answer(step)
}

/// `__isoshard_pf_room`.
pub(crate) fn room_fn(searches: Arc<Searches>) -> Callback {
    Callback::sync(move |args| room(&searches, &args))
}

pub(super) fn room(searches: &Searches, args: &[ExternalCopy]) -> CallbackResult {
    let depth = depth_of(args.first())?;
    let reply = args.get(1);
    let bytes = reply.and_then(ExternalCopy::to_bytes);
    let room_answer = match bytes {
        Some(b) => RoomAnswer::Matrix(<Box<[u8; 2500]>>::try_from(b.into_boxed_slice()).ok()),
        None if reply
            .and_then(|r| r.to_json().ok())
            .is_some_and(|v| v == Value::Bool(false)) =>
        {
            RoomAnswer::Blocked
        }
        None => RoomAnswer::Matrix(None),
    };
    let stop = searches.stop_check();
    let step = BY_DEPTH.with_borrow_mut(|by_depth| match by_depth.get_mut(depth) {
        Some((owner, search)) if *owner == searches.id => search.resume(room_answer, &stop),
        _ => Err("no PathFinder.search is waiting for a room"),
    })?;
    answer(step)
}
