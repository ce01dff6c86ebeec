//! One tick's input ([`PlayerTickInput`]) and [`TickMeta`], the part of it that is
//! what the prelude's `tick(m, ...rooms)` receives as `m`.
//!
//! A dense array, cheaper to copy into the isolate than an object with names. The names and
//! their order are defined once, here ([`TickMeta::FIELDS`]); the prelude (`90_entry.js`)
//! unpacks `m` by them, and `tests/shard/contract.rs` fails if the two drift.

use std::sync::Arc;

use isoshard_scripting::ExternalCopy;
use serde_json::{json, Value};

use crate::cpu_budget::CpuBudget;
use crate::player_data::ForeignSegment;

/// Date.now() at tick 0: 2020-01-01T00:00:00Z. Time moves one second per tick, so `Date` is a
/// function of the tick and replays see the same clock.
const DATE_EPOCH_MS: f64 = 1_577_836_800_000.0;

/// One tick's input.
#[derive(Debug, Clone)]
pub struct PlayerTickInput {
    pub tick: u64,
    pub cpu: CpuBudget,
    /// Seed for `Math.random` this tick (derive from world seed, player and tick).
    pub seed: u64,
    /// Memory string to install, when the host's copy differs from the isolate's.
    pub memory: Option<String>,
    /// The rooms the player sees, shared copies.
    pub rooms: Vec<ExternalCopy>,
    /// The active `RawMemory` segments (requested by an earlier tick), by id.
    pub segments: Vec<(u8, Arc<str>)>,
    /// The other player's public segment `RawMemory.setActiveForeignSegment` asked for.
    pub foreign_segment: Option<ForeignSegment>,
    /// `InterShardMemory.getLocal()` (this shard's data; empty when never set).
    pub inter_shard: Arc<str>,
    /// The player's flags as a JSON array of `[name, color, secondaryColor, room, x, y]`
    /// (the same text while they do not change: the prelude parses it again only then).
    pub flags: Arc<str>,
    /// The player's global control points (`Game.gcl`).
    pub gcl: u64,
    /// `Game.market`'s data as JSON text: `{credits, incoming, outgoing, orders}` (credits
    /// in thousandths); the prelude parses it again only when it changes.
    pub market: Arc<str>,
    /// `Game.resources` as JSON text (`{"pixel": n}`).
    pub resources: Arc<str>,
    /// The tick's orders and price history, shared by every player; read on demand through
    /// a host function, not copied into the tick's arguments.
    pub market_book: Arc<crate::MarketBook>,
    /// Console expressions typed since the player's last tick, run after `loop()`.
    pub commands: Vec<ConsoleCommand>,
}

impl PlayerTickInput {
    /// A tick with nothing but its rooms: Memory as the isolate has it, no segments, flags,
    /// market, GCL or console commands (a new player's quiet tick; benches time these).
    pub fn rooms_only(tick: u64, cpu: CpuBudget, rooms: Vec<ExternalCopy>) -> Self {
        Self {
            tick,
            cpu,
            seed: tick,
            memory: None,
            rooms,
            segments: Vec::new(),
            foreign_segment: None,
            inter_shard: "".into(),
            flags: "[]".into(),
            gcl: 0,
            market: Arc::from("{}"),
            resources: Arc::from("{}"),
            market_book: Arc::default(),
            commands: Vec::new(),
        }
    }
}

/// An expression a player sent to their console (`POST /api/user/console`): run in their
/// own global scope after the main loop of their next tick, under the same CPU limit, as
/// Screeps' `game.run` does (`src/game/game.js`). `hidden` ones (a Memory write through the
/// API) do not print their result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsoleCommand {
    pub expression: String,
    pub hidden: bool,
}

/// One tick's metadata for the prelude.
#[derive(Debug, Clone, PartialEq)]
pub struct TickMeta {
    pub tick: u64,
    pub cpu_limit: i64,
    pub tick_limit: i64,
    pub bucket: i64,
    /// The tick's `Math.random` seed, split: JS numbers hold 53 bits, not 64.
    pub seed_hi: u32,
    pub seed_lo: u32,
    /// `Date.now()` for the tick (ms).
    pub now: f64,
    /// A new Memory string to install, when the host's copy differs from the isolate's.
    pub memory: Option<String>,
    /// `[id, text, id, text, …]`: the active segments.
    pub segments: Vec<Value>,
    /// `{username, id, data}` or null.
    pub foreign_segment: Value,
    pub inter_shard: Arc<str>,
    pub flags: Arc<str>,
    /// Global control points; a JS number holds them exactly up to 2^53.
    pub gcl: f64,
    pub market: Arc<str>,
    pub resources: Arc<str>,
    /// `[expression, hidden, …]` pairs flattened.
    pub commands: Vec<Value>,
}

impl TickMeta {
    /// The JavaScript names of the array's entries, in order.
    pub const FIELDS: [&'static str; 16] = [
        "tick",
        "cpuLimit",
        "tickLimit",
        "bucket",
        "seedHi",
        "seedLo",
        "now",
        "memory",
        "segments",
        "foreignSegment",
        "interShard",
        "flags",
        "gcl",
        "market",
        "resources",
        "commands",
    ];

    pub fn of(input: &PlayerTickInput) -> TickMeta {
        TickMeta {
            tick: input.tick,
            cpu_limit: input.cpu.limit,
            tick_limit: input.cpu.tick_limit(),
            bucket: input.cpu.bucket,
            seed_hi: (input.seed >> 32) as u32,
            seed_lo: input.seed as u32,
            now: DATE_EPOCH_MS + input.tick as f64 * 1000.0,
            memory: input.memory.clone(),
            segments: input
                .segments
                .iter()
                .flat_map(|(id, text)| [json!(id), json!(&**text)])
                .collect(),
            foreign_segment: input.foreign_segment.as_ref().map_or(
                Value::Null,
                |f| json!({"username": f.username, "id": f.id, "data": f.data}),
            ),
            inter_shard: input.inter_shard.clone(),
            flags: input.flags.clone(),
            gcl: input.gcl as f64,
            market: input.market.clone(),
            resources: input.resources.clone(),
            commands: input
                .commands
                .iter()
                .flat_map(|c| [json!(c.expression), json!(c.hidden)])
                .collect(),
        }
    }

    /// The array, entries in [`TickMeta::FIELDS`] order.
    pub fn to_json(&self) -> Value {
        // Destructured so that a new field does not compile until it is placed here.
        let TickMeta {
            tick,
            cpu_limit,
            tick_limit,
            bucket,
            seed_hi,
            seed_lo,
            now,
            memory,
            segments,
            foreign_segment,
            inter_shard,
            flags,
            gcl,
            market,
            resources,
            commands,
        } = self;
        json!([
            tick,
            cpu_limit,
            tick_limit,
            bucket,
            seed_hi,
            seed_lo,
            now,
            memory,
            segments,
            foreign_segment,
            &**inter_shard,
            &**flags,
            gcl,
            &**market,
            &**resources,
            commands
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CpuBudget;

    #[test]
    fn entries_follow_the_field_names() {
        let input = PlayerTickInput {
            tick: 7,
            cpu: CpuBudget {
                limit: 20,
                bucket: 9000,
            },
            seed: (3 << 32) | 5,
            memory: Some("{}".into()),
            rooms: Vec::new(),
            segments: vec![(3, "three".into())],
            foreign_segment: None,
            inter_shard: "local".into(),
            flags: "[]".into(),
            gcl: 1_000_000,
            market: Arc::from("{\"credits\":0}"),
            market_book: Arc::default(),
            resources: Arc::from("{}"),
            commands: vec![ConsoleCommand {
                expression: "1 + 1".into(),
                hidden: false,
            }],
        };
        let meta = TickMeta::of(&input);
        let array = meta.to_json();
        let entries = array.as_array().expect("array");
        assert_eq!(entries.len(), TickMeta::FIELDS.len());
        let named: std::collections::BTreeMap<_, _> =
            TickMeta::FIELDS.iter().zip(entries).collect();
        assert_eq!(named[&"tick"], &json!(7));
        assert_eq!(named[&"cpuLimit"], &json!(20));
        assert_eq!(named[&"tickLimit"], &json!(input.cpu.tick_limit()));
        assert_eq!(named[&"bucket"], &json!(9000));
        assert_eq!(named[&"seedHi"], &json!(3));
        assert_eq!(named[&"seedLo"], &json!(5));
        assert_eq!(named[&"now"], &json!(DATE_EPOCH_MS + 7000.0));
        assert_eq!(named[&"memory"], &json!("{}"));
        assert_eq!(named[&"segments"], &json!([3, "three"]));
        assert_eq!(named[&"foreignSegment"], &Value::Null);
        assert_eq!(named[&"interShard"], &json!("local"));
        assert_eq!(named[&"flags"], &json!("[]"));
        assert_eq!(named[&"gcl"], &json!(1_000_000.0));
        assert_eq!(named[&"commands"], &json!(["1 + 1", false]));
    }
}
