//! The JavaScript API players program against, and the Rust glue around it.
//!
//! A [`PlayerRuntime`] is one player's persistent isolate: the runtime prelude (`js/prelude/*.js`,
//! a Screeps-compatible subset: `Game`, `Memory`, `RawMemory`, the classes and constants,
//! `require` over the player's modules), lodash 3.10.1 as `_` ([`LODASH_JS`]), operator preloads and the player's code. Each tick
//! the engine hands it the rooms the player sees (shared [`ExternalCopy`]s) and gets back
//! intents (through an ignored callback), console lines, the new Memory string and the CPU
//! used. [`CpuBudget`] holds Screeps' bucket arithmetic.
//!
//! It is not the scheduler (that is `engine`) and does not apply intents (that is `world`):
//! every intent it returns is re-validated by the world.
//!
//! # Layout
//! - `player_runtime`: [`PlayerRuntime`], setup and tick calls.
//! - `intent_wire`: JavaScript intent objects → [`isoshard_world::Intent`].
//! - `room_map`: terrain and exits, served to isolates a room at a time.
//! - `room_wire`: [`room_copy`], a room view in the compact form the prelude decodes.
//! - `cpu_budget`: [`CpuBudget`].
//! - `tick_meta`: [`PlayerTickInput`] and [`TickMeta`], the tick's metadata array and its
//!   field names.
//! - `path_finder`: `PathFinder.search`, screeps/driver's native search ported, resumable
//!   at each `roomCallback`.
//! - `player_data`: what a player keeps besides Memory, across the boundary: `RawMemory`
//!   segments, `InterShardMemory`, `Game.notify`, flags ([`PlayerDataChanges`],
//!   [`SegmentSettings`], [`FlagRecord`]).
//! - `error`: [`PlayerApiError`].
//!
//! [`ExternalCopy`]: isoshard_scripting::ExternalCopy

mod cpu_budget;
mod error;
mod host_functions;
mod intent_wire;
mod market_book;
mod path_finder;
mod player_data;
mod player_runtime;
mod room_map;
mod room_wire;
mod tick_meta;

pub use cpu_budget::{CpuBudget, PIXEL_CPU_COST};
pub use error::{PlayerApiError, Result};
pub use host_functions::MAX_CONSOLE_BYTES;
pub use intent_wire::{
    intent_js, parse_intent, record_bytes, MAX_INTENTS_PER_TICK, MAX_INTENT_BYTES_PER_TICK,
};
pub use market_book::MarketBook;
pub use player_data::{
    FlagOp, FlagRecord, ForeignRequest, ForeignSegment, PlayerDataChanges, SegmentSettings,
    FLAGS_LIMIT, MAX_ACTIVE_SEGMENTS, MAX_SEGMENT_BYTES, SEGMENT_COUNT,
};
pub use player_runtime::{
    prelude_context, prelude_snapshot, wall_backstop, PlayerRuntime, PlayerRuntimeOptions,
    PlayerSetup, PlayerTickOutput, Preload, MAX_ERROR_BYTES, MAX_MEMORY_BYTES,
};
pub use room_wire::{encode_room, room_copy, FIELDS as ROOM_WIRE_FIELDS};
pub use tick_meta::{ConsoleCommand, PlayerTickInput, TickMeta};

/// lodash 3.10.1, the npm package's `index.js` unchanged (`js/vendor/lodash-LICENSE`): Screeps
/// gives every player `_` as this version, and bots use it without requiring it.
pub const LODASH_JS: &str = include_str!("../js/vendor/lodash-3.10.1.js");

/// screeps/common 2.16.1's `lib/constants.js`, the npm package's file unchanged
/// (`js/vendor/screeps-common-LICENSE.txt`), joined into the prelude: every constant with the
/// real game's value.
pub const SCREEPS_CONSTANTS_JS: &str =
    include_str!("../js/vendor/screeps-common-2.16.1-constants.js");

/// Declares the prelude's parts once: their names and their concatenation.
macro_rules! prelude_parts {
    ($($file:literal),* $(,)?) => {
        /// The prelude's parts under `js/`, in the order they are joined. Each is a fragment
        /// of one function (`prelude/00_host.js` opens it, `prelude/90_entry.js` closes it)
        /// that shares the closure's captured builtins and state; the one vendored part is
        /// screeps/common's constants file, wrapped by `10_constants.js`/`11_constants.js`.
        pub const PRELUDE_PARTS: &[&str] = &[$($file),*];
        /// The runtime prelude's source: the parts joined in order.
        pub const PRELUDE_JS: &str = concat!($(include_str!(concat!("../js/", $file))),*);
    };
}

prelude_parts!(
    "prelude/00_host.js",
    "prelude/10_constants.js",
    "vendor/screeps-common-2.16.1-constants.js",
    "prelude/11_constants.js",
    "prelude/20_determinism.js",
    "prelude/30_tick_state.js",
    "prelude/40_positions.js",
    "prelude/50_objects.js",
    "prelude/52_labs.js",
    "prelude/53_npc_structures.js",
    "prelude/55_unmodelled.js",
    "prelude/57_flags.js",
    "prelude/60_creeps.js",
    "prelude/70_rooms.js",
    "prelude/75_paths.js",
    "prelude/80_game.js",
    "prelude/82_market.js",
    "prelude/90_entry.js",
);
/// TypeScript declarations for the player API.
pub const TYPESCRIPT_DECLARATIONS: &str = include_str!("../isoshard.d.ts");

#[cfg(test)]
mod tests {
    /// V8 keeps a script's source in the heap of every isolate that ran it (from the
    /// snapshot, for the prelude), and one character outside Latin-1 makes it store the whole
    /// text as UTF-16: twice the bytes in every player's isolate. Write comments in ASCII.
    #[test]
    fn the_prelude_is_ascii_so_every_isolate_keeps_it_at_one_byte_a_character() {
        let wide: Vec<(usize, &str)> = super::PRELUDE_JS
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.is_ascii())
            .map(|(n, l)| (n + 1, l))
            .collect();
        assert!(wide.is_empty(), "non-ASCII prelude lines: {wide:?}");
    }
}
