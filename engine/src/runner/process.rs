//! The runner process: `isoshard runner`. Hosts many player isolates (one at a time, so the
//! player running when the process dies is known) and talks to the shard over the protocol.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use isoshard_player_api::{
    CpuBudget, PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, PlayerTickInput, Preload,
    TickShared,
};
use isoshard_scripting::ExternalCopy;
use isoshard_world::{PathGrid, RoomId};

use super::protocol::{
    read_frame, write_frame, write_frame_buffered, FromRunner, GridUpdate, ToRunner, WireOutput,
    PROTOCOL_VERSION,
};
use crate::error::{EngineError, Result};

struct Hosted {
    runtime: Option<PlayerRuntime>,
    code_version: u64,
    username: String,
    modules: BTreeMap<String, String>,
    memory: String,
}

/// Runs a runner over `input`/`output` until Shutdown or end of stream.
///
/// # Errors
/// Protocol violations and I/O failures.
pub fn run_runner(input: impl Read, output: impl Write) -> Result<()> {
    isoshard_scripting::set_home_thread_count(1);
    let mut input = BufReader::new(input);
    let mut out = BufWriter::new(output);
    let io = |e: std::io::Error| EngineError::Storage(format!("runner protocol: {e}"));
    let Some(ToRunner::Hello {
        version,
        map,
        room_names,
        settings,
    }) = read_frame::<ToRunner>(&mut input).map_err(io)?
    else {
        return Err(EngineError::Usage("runner: expected Hello".into()));
    };
    if version != PROTOCOL_VERSION {
        write_frame(
            &mut out,
            &FromRunner::Refused {
                reason: format!("protocol {version}, this runner speaks {PROTOCOL_VERSION}"),
            },
        )
        .map_err(io)?;
        return Err(EngineError::Usage("protocol version mismatch".into()));
    }
    let map = ExternalCopy::from_wire_bytes(map)?;
    let rooms: BTreeMap<String, RoomId> = room_names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, RoomId(i as u16)))
        .collect();
    let shared = Arc::new(TickShared::new(rooms));
    let options = PlayerRuntimeOptions {
        memory_limit_mb: settings.memory_limit_mb,
        setup_cpu_limit: std::time::Duration::from_millis(settings.setup_cpu_ms),
        preloads: settings
            .preloads
            .into_iter()
            .map(|(name, source)| Preload {
                name,
                source: source.into(),
            })
            .collect(),
        // Each runner makes its own prelude snapshot on its first player.
        ..PlayerRuntimeOptions::default()
    };
    let test_hooks = std::env::var_os("ISOSHARD_RUNNER_TEST_HOOKS").is_some();
    write_frame(
        &mut out,
        &FromRunner::Ready {
            version: PROTOCOL_VERSION,
            pid: std::process::id(),
        },
    )
    .map_err(io)?;
    let mut hosted: BTreeMap<u32, Hosted> = BTreeMap::new();
    // The path grid as of the last tick (updates arrive as changed rooms).
    let mut held_grid: Option<Arc<PathGrid>> = None;
    while let Some(msg) = read_frame::<ToRunner>(&mut input).map_err(io)? {
        match msg {
            ToRunner::Hello { .. } => {
                return Err(EngineError::Usage("runner: a second Hello".into()))
            }
            ToRunner::Shutdown => break,
            ToRunner::Reset { player } => {
                if let Some(h) = hosted.get_mut(&player) {
                    if let Some(rt) = h.runtime.take() {
                        rt.dispose();
                    }
                }
            }
            ToRunner::Tick {
                tick,
                rooms,
                grid,
                turns,
            } => {
                // The shared grid changes only when the shard says so: unchanged ticks
                // neither copy nor rebuild it.
                match grid {
                    GridUpdate::Full(bytes) => {
                        let g = rmp_serde::from_slice::<PathGrid>(&bytes).map_err(|e| {
                            EngineError::Usage(format!("runner: undecodable path grid: {e}"))
                        })?;
                        let g = Arc::new(g);
                        shared.set_grid(g.clone());
                        held_grid = Some(g);
                    }
                    GridUpdate::Rooms(rooms) if rooms.is_empty() => {}
                    GridUpdate::Rooms(rooms) => {
                        let held = held_grid.as_mut().ok_or_else(|| {
                            EngineError::Usage("runner: grid changes before a full grid".into())
                        })?;
                        Arc::make_mut(held)
                            .apply_rooms(rooms)
                            .map_err(|e| EngineError::Usage(format!("runner: {e}")))?;
                        shared.set_grid(held.clone());
                    }
                }
                let mut copies = BTreeMap::new();
                for room in rooms {
                    copies.insert(room.name, ExternalCopy::from_wire_bytes(room.bytes)?);
                }
                for turn in turns {
                    let h = hosted.entry(turn.player).or_insert_with(|| Hosted {
                        runtime: None,
                        code_version: 0,
                        username: turn.username.clone(),
                        modules: BTreeMap::new(),
                        memory: String::new(),
                    });
                    if let Some((modules, memory)) = turn.code {
                        if let Some(rt) = h.runtime.take() {
                            rt.dispose();
                        }
                        h.modules = modules;
                        h.memory = memory;
                        h.code_version = turn.code_version;
                        h.username = turn.username.clone();
                    }
                    if h.runtime.as_ref().is_none_or(|r| r.is_disposed()) && !h.modules.is_empty() {
                        let setup = PlayerSetup {
                            username: h.username.clone(),
                            modules: h.modules.clone(),
                            memory: h.memory.clone(),
                            map: map.clone(),
                        };
                        h.runtime = PlayerRuntime::start(setup, shared.clone(), &options).ok();
                    }
                    // Setup is done: from here on a crash is this player's.
                    write_frame(
                        &mut out,
                        &FromRunner::Starting {
                            player: turn.player,
                        },
                    )
                    .map_err(io)?;
                    if test_hooks && h.username.starts_with("test-abort") {
                        std::process::abort();
                    }
                    let output = match &h.runtime {
                        None => WireOutput {
                            outcome: Some("exception".into()),
                            error: Some("global reset failed".into()),
                            ..WireOutput::default()
                        },
                        Some(rt) => {
                            let input = PlayerTickInput {
                                tick,
                                cpu: CpuBudget {
                                    limit: turn.cpu_limit,
                                    bucket: turn.bucket,
                                },
                                seed: turn.seed,
                                memory: None,
                                rooms: turn
                                    .rooms
                                    .iter()
                                    .filter_map(|r| copies.get(r).cloned())
                                    .collect(),
                            };
                            let o = rt.run_tick(&input);
                            if let Some(m) = &o.memory {
                                h.memory = m.clone();
                            }
                            WireOutput {
                                outcome: o.outcome.map(|k| k.as_str().to_string()),
                                error: o.error,
                                intents: o.intents,
                                rejected_intents: o.rejected_intents,
                                console: o.console,
                                memory: o.memory,
                                cpu_ns: o.cpu_time.as_nanos() as u64,
                                wall_ns: o.wall_time.as_nanos() as u64,
                                heap_used_bytes: o.heap_used_bytes,
                                marshal_ns: o.marshal_ns,
                                run_ns: o.run_ns,
                                collect_ns: o.collect_ns,
                            }
                        }
                    };
                    // Buffered: it goes out together with the next Starting (or TickDone).
                    write_frame_buffered(
                        &mut out,
                        &FromRunner::Result {
                            player: turn.player,
                            output,
                        },
                    )
                    .map_err(io)?;
                }
                write_frame(&mut out, &FromRunner::TickDone).map_err(io)?;
            }
        }
    }
    for h in hosted.values() {
        if let Some(rt) = &h.runtime {
            rt.dispose();
        }
    }
    Ok(())
}
