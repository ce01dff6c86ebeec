//! One tick of the shard, as named steps: copy the rooms, build every player's turn (skipping
//! suspended players and those whose bucket forces a skip), run the players, fold their
//! outputs, apply the world tick, commit, record.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_player_api::{room_copy, PlayerTickInput, PlayerTickOutput};
use isoshard_scripting::{ExternalCopy, OutcomeKind};
use isoshard_world::{IntentBatch, PlayerId, ReturnCode, TickOutcome, WorldViews};
use tracing::{debug, info_span, warn};

use super::*;
use crate::player_host::PlayerTurn;
use crate::storage::{StateChange, TickCommit, TickRecord};

/// A tick the world has run, kept until its commit lands.
pub(crate) struct PendingTick {
    pub(super) summary: TickSummary,
    outcome: TickOutcome,
    pub(super) record: TickRecord,
    /// Refused intents and console lines, for the recording.
    notes: isoshard_replays::TickNotes,
    snapshot: Option<isoshard_world::WorldSnapshot>,
    states: Vec<StateChange>,
}

/// What the players' outputs add up to.
struct FoldedOutputs {
    batch: IntentBatch,
    /// Memory and bucket of every player whose state changed, for the commit.
    states: Vec<StateChange>,
    /// CPU time and outcome per player, for the summary.
    players: BTreeMap<PlayerId, (Duration, Option<OutcomeKind>)>,
    /// Console lines so far (refused intents are added once the world ticked).
    notes: isoshard_replays::TickNotes,
}

impl Shard {
    /// Runs one tick and commits it, or, while an earlier tick's commit is failing, retries
    /// that commit instead (the summary is then that tick's).
    ///
    /// # Errors
    /// Storage failures: the tick is not committed and stays pending for the next call.
    pub fn tick(&mut self) -> Result<TickSummary> {
        if self.pending.is_some() {
            return self.commit_pending();
        }
        let started = Instant::now();
        let mut timings = TickTimings::default();
        let tick = self.world.time();
        let _span = info_span!("tick", n = tick).entered();
        let views = self.world.player_views();
        let copies = copy_rooms(&views)?;
        timings.views_ns = started.elapsed().as_nanos() as u64;
        let turns = self.build_turns(tick, &views, &copies);
        let players_run = turns.len();
        let ids: Vec<PlayerId> = turns.iter().map(|t| t.player).collect();
        let players_started = Instant::now();
        let outputs = self.host.run_tick(turns);
        timings.players_ns = players_started.elapsed().as_nanos() as u64;
        for o in &outputs {
            timings.marshal_ns += o.marshal_ns;
            timings.run_ns += o.run_ns;
            timings.collect_ns += o.collect_ns;
            timings.player_cpu_ns += o.cpu_time.as_nanos() as u64;
        }
        let folded = self.fold_outputs(ids, outputs);
        let intents = folded.batch.len();
        let world_started = Instant::now();
        let mut outcome = self.world.tick(&folded.batch);
        timings.world_ns = world_started.elapsed().as_nanos() as u64;
        for (player, message) in std::mem::take(&mut outcome.notifications) {
            self.world_notices.entry(player).or_default().push(message);
        }
        self.count_world_results(&outcome);
        // Only accepted intents are recorded: a rejected one changes nothing, so replaying
        // without it gives the same world (world/tests/determinism.rs), and a flood of
        // invalid intents costs no disk.
        let (accepted, refused) = folded.batch.split(&outcome.results);
        let mut notes = folded.notes;
        for (player, intents) in refused {
            notes.add_rejected(player, intents.into_iter().map(|(i, c)| (i, c as i32)));
        }
        let record = TickRecord {
            tick: outcome.tick,
            intents: accepted,
            state_hash: outcome.state_hash,
        };
        let snapshot = outcome
            .tick
            .is_multiple_of(self.meta.snapshot_every)
            .then(|| self.world.snapshot());
        self.pending = Some(PendingTick {
            summary: TickSummary {
                tick: outcome.tick,
                state_hash: outcome.state_hash,
                duration: started.elapsed(),
                players_run,
                intents,
                players: folded.players,
                timings,
            },
            outcome,
            record,
            notes,
            snapshot,
            states: folded.states,
        });
        self.commit_pending()
    }

    /// Commits the pending tick (atomically: intents, hash, changed players' states and a
    /// snapshot every `snapshot_every` ticks), then records it. On failure the tick stays
    /// pending, unpublished, and the next call retries the same commit; no new tick runs
    /// until it lands.
    fn commit_pending(&mut self) -> Result<TickSummary> {
        let Some(pending) = self.pending.as_ref() else {
            return Err(EngineError::Storage(
                "no tick is waiting for its commit".into(),
            ));
        };
        let commit_started = Instant::now();
        let committed = self.storage.commit_tick(TickCommit {
            record: &pending.record,
            snapshot: pending.snapshot.as_ref(),
            states: &pending.states,
        });
        if let Err(e) = committed {
            warn!(tick = pending.record.tick, error = %e, "tick commit failed; it will be retried");
            return Err(e);
        }
        let Some(mut pending) = self.pending.take() else {
            return Err(EngineError::Storage(
                "no tick is waiting for its commit".into(),
            ));
        };
        for change in &pending.states {
            if let Some(p) = self.players.get_mut(&change.id) {
                p.mark_saved();
            }
        }
        pending.summary.timings.commit_ns = commit_started.elapsed().as_nanos() as u64;
        debug!(
            tick = pending.record.tick,
            intents = pending.summary.intents,
            "tick committed"
        );
        // The recording is derived data: it follows the durable commit (and catches up from
        // the stored ticks after a crash).
        let cpu_us: Vec<(PlayerId, u64)> = pending
            .summary
            .players
            .iter()
            .map(|(id, (cpu, _))| (*id, cpu.as_micros() as u64))
            .collect();
        self.record(|r, w| {
            r.tick(
                w,
                &pending.record.intents,
                &pending.outcome,
                &cpu_us,
                &pending.notes,
            )
        });
        Ok(pending.summary)
    }

    /// One turn per player who runs this tick, with the copies of the rooms they see.
    /// Suspended players do not run; a player whose bucket cannot cover a tick skips it.
    fn build_turns(
        &mut self,
        tick: u64,
        views: &WorldViews,
        copies: &BTreeMap<&str, ExternalCopy>,
    ) -> Vec<PlayerTurn> {
        let mut turns = Vec::new();
        let market_book = std::sync::Arc::new(isoshard_player_api::MarketBook::build(
            &views.orders,
            &views.history,
        ));
        player_data::load_missing_segments(&mut self.players, self.storage.as_ref());
        let mut foreign = player_data::foreign_segments(&self.players, self.storage.as_ref());
        for (id, p) in self.players.iter_mut() {
            if p.account.suspended.is_some() || p.account.banned {
                continue;
            }
            if p.budget.skips() {
                p.budget.skip();
                p.stats.ticks_skipped += 1;
                continue;
            }
            let room_names: Vec<String> = views
                .players
                .get(id)
                .map(|pv| {
                    pv.rooms
                        .iter()
                        .filter(|r| copies.contains_key(r.as_str()))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let rooms = room_names
                .iter()
                .filter_map(|r| copies.get(r.as_str()).cloned())
                .collect();
            turns.push(PlayerTurn {
                player: *id,
                username: p.account.name.clone(),
                code: p.code.clone(),
                code_version: p.account.code_version,
                memory: p.memory.clone(),
                room_names,
                input: PlayerTickInput {
                    tick,
                    cpu: p.budget,
                    seed: player_seed(self.meta.world.seed, *id, tick),
                    memory: None,
                    rooms,
                    segments: p.data.active.clone(),
                    foreign_segment: foreign.remove(id),
                    inter_shard: p.data.inter_shard.clone(),
                    flags: p.data.flags_json.clone(),
                    gcl: views.players.get(id).map_or(0, |pv| pv.gcl),
                    market: market_json(views.players.get(id)),
                    resources: p.data.resources_json.clone(),
                    market_book: market_book.clone(),
                    commands: std::mem::take(&mut p.commands),
                },
            });
        }
        turns
    }

    /// Folds every player's output into their state and one intent batch.
    fn fold_outputs(
        &mut self,
        ids: Vec<PlayerId>,
        outputs: Vec<PlayerTickOutput>,
    ) -> FoldedOutputs {
        let mut folded = FoldedOutputs {
            batch: IntentBatch::new(),
            states: Vec::new(),
            players: BTreeMap::new(),
            notes: Default::default(),
        };
        for (id, out) in ids.into_iter().zip(outputs) {
            folded.players.insert(id, (out.cpu_time, out.outcome));
            folded.notes.add_console(id, &out.console);
            if !self.players.contains_key(&id) {
                continue;
            }
            self.absorb(id, out, &mut folded.batch);
        }
        self.deliver_world_notices();
        // Every player, not only those who ran: a skipped tick changes the bucket too.
        for (id, p) in &self.players {
            if let Some(change) = p.unsaved_state(*id) {
                folded.states.push(change);
            }
        }
        folded
    }

    /// Last tick's attack notifications join the players' stored notifications. As Screeps'
    /// notification queue groups a repeated message, one already stored in the last 100
    /// ticks is not stored again (a creep under attack for a minute is one message).
    fn deliver_world_notices(&mut self) {
        let tick = self.world.time();
        for (id, messages) in std::mem::take(&mut self.world_notices) {
            let Some(p) = self.players.get_mut(&id) else {
                continue;
            };
            let mut fresh: Vec<String> = Vec::new();
            for m in messages {
                let recent = p
                    .data
                    .notifications
                    .iter()
                    .rev()
                    .take_while(|(t, _)| t + 100 > tick)
                    .any(|(_, have)| *have == m);
                if !recent && !fresh.contains(&m) {
                    fresh.push(m);
                }
            }
            if !fresh.is_empty() {
                let changes = isoshard_player_api::PlayerDataChanges {
                    notifications: fresh,
                    ..Default::default()
                };
                p.data.absorb(tick, changes);
            }
        }
    }

    /// Adds the world's per-player counters and rejected intents to the players' stats.
    fn count_world_results(&mut self, outcome: &TickOutcome) {
        for (id, s) in &outcome.stats {
            if let Some(p) = self.players.get_mut(id) {
                p.stats.energy_harvested += s.energy_harvested as u64;
                p.stats.creeps_spawned += s.creeps_spawned as u64;
                p.stats.creeps_died += s.creeps_died as u64;
            }
        }
        for (id, codes) in &outcome.results {
            if let Some(p) = self.players.get_mut(id) {
                p.stats.intents_rejected +=
                    codes.iter().filter(|c| **c != ReturnCode::Ok).count() as u64;
            }
        }
    }

    /// Folds one player's output into their state and the tick's intent batch.
    fn absorb(&mut self, id: PlayerId, mut out: PlayerTickOutput, batch: &mut IntentBatch) {
        let tick = self.world.time();
        let Some(p) = self.players.get_mut(&id) else {
            return;
        };
        if out.crashed {
            p.stats.crashes += 1;
            p.budget.penalize(CRASH_PENALTY_MS);
            p.crashes.push_back(tick);
            while p
                .crashes
                .front()
                .is_some_and(|t| *t + CRASH_WINDOW_TICKS <= tick)
            {
                p.crashes.pop_front();
            }
            if p.crashes.len() >= CRASHES_TO_SUSPEND {
                let why = format!(
                    "code suspended after {} runner crashes in {} ticks; upload new code to resume",
                    p.crashes.len(),
                    CRASH_WINDOW_TICKS
                );
                warn!(player = id.0, "{why}");
                p.account.suspended = Some(why.clone());
                p.console.push_back(why);
                let record = p.record();
                if let Err(e) = self.storage.save_player(&record) {
                    warn!(player = id.0, error = %e, "could not persist the suspension");
                }
            }
        }
        let Some(p) = self.players.get_mut(&id) else {
            return;
        };
        let cpu_ms = out.cpu_time.as_secs_f64() * 1000.0;
        p.budget.charge(cpu_ms);
        p.stats.ticks_run += 1;
        p.stats.cpu_total_ms += cpu_ms;
        p.stats.cpu_max_ms = p.stats.cpu_max_ms.max(cpu_ms);
        p.stats.last_cpu_ms = cpu_ms;
        p.stats.last_heap_bytes = out.heap_used_bytes as u64;
        p.stats.intents_rejected += out.rejected_intents as u64;
        let ok = out.outcome == Some(OutcomeKind::Ok);
        if let Some(e) = &out.error {
            p.stats.errors += 1;
            // The whole stack (bounded by MAX_ERROR_BYTES in the runtime): the player's lines.
            p.stats.last_error = Some(e.clone());
        } else if !ok {
            p.stats.errors += 1;
            p.stats.last_error = out.outcome.map(|o| o.as_str().to_string());
        }
        if !ok {
            warn!(player = id.0, outcome = ?out.outcome, cpu_ms, "player tick did not complete");
        }
        p.visuals = Arc::from(std::mem::take(&mut out.visuals));
        // Screeps' pixel: 10 000 CPU from the bucket for one `Game.resources.pixel`.
        if out.data.generate_pixel && p.budget.bucket >= isoshard_player_api::PIXEL_CPU_COST {
            p.budget.bucket -= isoshard_player_api::PIXEL_CPU_COST;
            p.data.add_resource("pixel", 1);
        }
        p.data
            .absorb(self.world.time(), std::mem::take(&mut out.data));
        if let Some(m) = out.memory.filter(|m| *m != *p.memory) {
            p.memory = Arc::new(m);
        }
        for line in out.console {
            if p.console.len() >= CONSOLE_KEEP {
                p.console.pop_front();
            }
            p.console.push_back(line);
        }
        for line in out.command_results {
            if p.results.len() >= CONSOLE_KEEP {
                p.results.pop_front();
            }
            p.results.push_back(line);
        }
        if ok {
            p.stats.intents_applied += out.intents.len() as u64;
            batch.extend(id, out.intents);
        }
    }
}

/// Each room is copied once and shared by every player who sees it.
fn copy_rooms(views: &WorldViews) -> Result<BTreeMap<&str, ExternalCopy>> {
    let mut copies: BTreeMap<&str, ExternalCopy> = BTreeMap::new();
    for pv in views.players.values() {
        for r in &pv.rooms {
            if !copies.contains_key(r.as_str()) {
                if let Some(view) = views.rooms.get(r) {
                    copies.insert(r.as_str(), room_copy(view)?);
                }
            }
        }
    }
    Ok(copies)
}

/// `Game.market`'s data for a player as the prelude reads it (`80_game.js`):
/// `{credits, power, incoming, outgoing, orders}`, credits in thousandths.
fn market_json(view: Option<&isoshard_world::PlayerView>) -> std::sync::Arc<str> {
    let market = view.map(|v| &v.market);
    let json = serde_json::json!({
        "credits": market.map_or(0, |m| m.credits_milli),
        "power": market.map_or(0, |m| m.power),
        "incoming": market.map(|m| &m.incoming),
        "outgoing": market.map(|m| &m.outgoing),
        "orders": market.map(|m| &m.orders),
    });
    std::sync::Arc::from(json.to_string())
}
