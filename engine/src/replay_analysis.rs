//! `isoshard replay export --from A --to B` and `isoshard replay stats`: a recording's ticks
//! for analysis. Export writes one JSON object per tick (JSON Lines; `tick` is the state's
//! time, `gameTime` the `Game.time` players' code saw in it): each player's CPU, the
//! intents the world applied and those it refused with their Screeps return codes (intents in
//! the JavaScript form players write, so ids read as in rooms: `"00000000002a"`), and their
//! console lines. Stats writes a CSV row per tick and player: CPU, creeps, energy held, RCL.
//! Both re-simulate from the recording; neither runs JavaScript.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use isoshard_replays::{Playback, TickEntry};
use isoshard_world::{GameWorld, ObjectKind, PlayerId, ResourceKind};
use serde_json::{json, Value};

use crate::error::{EngineError, Result};
use crate::replay_cli::recording_dir;

/// Ticks `from..=to` clamped to what the recording holds (the first tick shown is the first
/// one with a record: a segment's opening snapshot has none).
fn range(playback: &mut Playback, from: Option<u64>, to: Option<u64>) -> Result<(u64, u64)> {
    let (first, last) = playback.range()?;
    let from = from.unwrap_or(first + 1).max(first + 1);
    let to = to.unwrap_or(last).min(last);
    if from > to {
        return Err(EngineError::Usage(format!(
            "the recording holds ticks {first}..={last}; nothing in the range asked for"
        )));
    }
    Ok((from, to))
}

/// Walks `from..=to`, handing each tick's world and record to `each`.
fn walk(
    data: &Path,
    from: Option<u64>,
    to: Option<u64>,
    mut each: impl FnMut(&GameWorld, Option<&TickEntry>) -> Result<()>,
) -> Result<u64> {
    let mut playback = Playback::open(&recording_dir(data))?;
    let (from, to) = range(&mut playback, from, to)?;
    for tick in from..=to {
        playback.seek(tick)?;
        let world = playback
            .current_world()
            .ok_or_else(|| EngineError::Storage(format!("tick {tick} did not load")))?;
        each(world, playback.last_tick())?;
    }
    Ok(to - from + 1)
}

fn names(world: &GameWorld) -> BTreeMap<PlayerId, String> {
    world
        .players()
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect()
}

/// One tick as its JSON line.
fn tick_json(world: &GameWorld, entry: Option<&TickEntry>) -> Value {
    let names = names(world);
    let mut players: BTreeMap<String, Value> = BTreeMap::new();
    fn player<'a>(
        players: &'a mut BTreeMap<String, Value>,
        names: &BTreeMap<PlayerId, String>,
        id: &PlayerId,
    ) -> &'a mut Value {
        let name = names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", id.0));
        players.entry(name).or_insert_with(
            || json!({ "id": id.0, "cpuMs": null, "intents": [], "refused": [], "console": [] }),
        )
    }
    if let Some(e) = entry {
        for (id, us) in &e.cpu_us {
            player(&mut players, &names, id)["cpuMs"] = json!(*us as f64 / 1000.0);
        }
        for (id, intents) in &e.intents.by_player {
            let list: Vec<Value> = intents.iter().map(|i| with_result(i, 0)).collect();
            player(&mut players, &names, id)["intents"] = json!(list);
        }
        for (id, refused) in &e.notes.rejected {
            let list: Vec<Value> = refused
                .iter()
                .map(|(i, code)| with_result(i, *code))
                .collect();
            player(&mut players, &names, id)["refused"] = json!(list);
        }
        for (id, n) in &e.notes.rejected_omitted {
            player(&mut players, &names, id)["refusedOmitted"] = json!(n);
        }
        for (id, lines) in &e.notes.console {
            player(&mut players, &names, id)["console"] = json!(lines);
        }
        for (id, n) in &e.notes.console_omitted {
            player(&mut players, &names, id)["consoleOmitted"] = json!(n);
        }
    }
    // `tick` is the state's time, as everywhere in replays; the code ran at `gameTime`.
    json!({
        "tick": world.time(),
        "gameTime": world.time().saturating_sub(1),
        "stateHash": world.state_hash().to_hex(),
        "players": players,
    })
}

fn with_result(intent: &isoshard_world::Intent, code: i32) -> Value {
    let mut v = isoshard_player_api::intent_js(intent);
    v["result"] = json!(code);
    v
}

/// `replay export DATA --from A --to B`: JSON Lines into `out`; the number of ticks written.
///
/// # Errors
/// A range outside the recording, corrupt segments, write failures.
pub fn export_ticks(
    data: &Path,
    from: Option<u64>,
    to: Option<u64>,
    out: &mut impl Write,
) -> Result<u64> {
    walk(data, from, to, |world, entry| {
        writeln!(out, "{}", tick_json(world, entry))
            .map_err(EngineError::io("cannot write the export"))
    })
}

/// Per player: creeps, energy held (creeps and structures), highest controller level.
fn holdings(world: &GameWorld) -> BTreeMap<PlayerId, (u64, u64, u8)> {
    let mut by_player: BTreeMap<PlayerId, (u64, u64, u8)> = BTreeMap::new();
    for o in world.records() {
        let Some(owner) = o.owner else { continue };
        let row = by_player.entry(owner).or_default();
        match &o.kind {
            ObjectKind::Creep(_) => row.0 += 1,
            ObjectKind::Controller(c) => row.2 = row.2.max(c.level),
            _ => {}
        }
        if let Some(store) = &o.store {
            row.1 += u64::from(store.get(ResourceKind::Energy));
        }
    }
    by_player
}

/// `replay stats DATA`: `tick,player,cpu_ms,creeps,energy,rcl` rows into `out`; the number
/// of ticks written. A player who did not run that tick has an empty `cpu_ms`.
///
/// # Errors
/// As [`export_ticks`].
pub fn stats_csv(
    data: &Path,
    from: Option<u64>,
    to: Option<u64>,
    out: &mut impl Write,
) -> Result<u64> {
    writeln!(out, "tick,player,cpu_ms,creeps,energy,rcl")
        .map_err(EngineError::io("cannot write the stats"))?;
    walk(data, from, to, |world, entry| {
        let cpu: BTreeMap<PlayerId, u64> = entry
            .map(|e| e.cpu_us.iter().copied().collect())
            .unwrap_or_default();
        let held = holdings(world);
        for p in world.players() {
            let (creeps, energy, rcl) = held.get(&p.id).copied().unwrap_or_default();
            let cpu_ms = cpu
                .get(&p.id)
                .map_or(String::new(), |us| format!("{:.3}", *us as f64 / 1000.0));
            // Names are 1-30 characters of A-Z, a-z, 0-9, `_` or `-`: nothing to quote.
            writeln!(
                out,
                "{},{},{cpu_ms},{creeps},{energy},{rcl}",
                world.time(),
                p.name
            )
            .map_err(EngineError::io("cannot write the stats"))?;
        }
        Ok(())
    })
}
