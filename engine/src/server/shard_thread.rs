//! The thread that owns the shard: runs ticks at the configured pace, takes commands between
//! ticks, and publishes an immutable view of each committed tick. HTTP handlers never touch
//! the shard directly.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_world::{ObjectKind, PlayerId};
use serde::Serialize;
use tokio::sync::{broadcast, oneshot, watch};

use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};
use crate::server::auth::{new_token, password_hash, token_hash};
use crate::shard::Shard;

/// Recent console lines kept per player for `GET /api/me`.
const RECENT_CONSOLE: usize = 100;
/// Commands run between two publishes at most.
const COMMAND_BATCH: usize = 256;
/// Recent errors kept per player.
const RECENT_ERRORS: usize = 10;
/// Tick-duration histogram bucket bounds, in seconds.
pub const TICK_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// Work for the shard thread.
pub enum Command {
    Register {
        name: String,
        password: Option<String>,
        reply: oneshot::Sender<Result<(PlayerId, String)>>,
    },
    SignIn {
        name: String,
        reply: oneshot::Sender<Result<String>>,
    },
    SetCode {
        player: PlayerId,
        code: CodeBundle,
        reply: oneshot::Sender<Result<u64>>,
    },
    Shutdown,
}

/// A player as the API shows them.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: u32,
    pub name: String,
    #[serde(skip)]
    pub token_hashes: Vec<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    #[serde(skip)]
    pub code: Arc<CodeBundle>,
    pub code_version: u64,
    pub cpu_used_ms: f64,
    pub cpu_limit_ms: i64,
    pub bucket: i64,
    pub heap_bytes: u64,
    pub controller_level: u8,
    pub creeps: usize,
    pub last_errors: Vec<String>,
    pub console: Vec<String>,
    #[serde(skip)]
    pub memory: Arc<String>,
    pub suspended: Option<String>,
}

/// One committed tick, published after the commit is durable.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub tick: u64,
    pub state_hash: String,
    /// Room name → room view (JSON).
    pub rooms: Arc<BTreeMap<String, serde_json::Value>>,
    pub terrain: Arc<BTreeMap<String, String>>,
    pub changed_rooms: Vec<String>,
    /// By player name.
    pub accounts: Arc<BTreeMap<String, AccountView>>,
    /// Console lines produced this tick, by player id.
    pub console: Arc<BTreeMap<u32, Vec<String>>>,
    pub metrics: Arc<Metrics>,
}

/// What `/metrics` reports.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub tick_bucket_counts: [u64; TICK_BUCKETS.len()],
    pub tick_count: u64,
    pub tick_sum_seconds: f64,
    pub commit_sum_seconds: f64,
    pub isolates: usize,
}

/// A tick announcement for WebSocket subscribers.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub published: Published,
}

pub(crate) struct ShardThread {
    shard: Shard,
    tick_every: Duration,
    commands: std::sync::mpsc::Receiver<Command>,
    publish: watch::Sender<Published>,
    announce: broadcast::Sender<Announcement>,
    recent_console: BTreeMap<PlayerId, VecDeque<String>>,
    recent_errors: BTreeMap<PlayerId, VecDeque<String>>,
    metrics: Metrics,
    previous_rooms: Arc<BTreeMap<String, serde_json::Value>>,
    terrain: Arc<BTreeMap<String, String>>,
}

impl ShardThread {
    pub(crate) fn new(
        shard: Shard,
        tick_every: Duration,
        commands: std::sync::mpsc::Receiver<Command>,
        publish: watch::Sender<Published>,
        announce: broadcast::Sender<Announcement>,
    ) -> Self {
        let terrain = Arc::new(
            shard
                .world()
                .map()
                .rooms
                .iter()
                .map(|r| (r.name.clone(), r.terrain.encode()))
                .collect(),
        );
        let mut r = ShardThread {
            shard,
            tick_every,
            commands,
            publish,
            announce,
            recent_console: BTreeMap::new(),
            recent_errors: BTreeMap::new(),
            metrics: Metrics::default(),
            previous_rooms: Arc::new(BTreeMap::new()),
            terrain,
        };
        r.publish_now(BTreeMap::new(), false);
        r
    }

    /// Runs `first` and every command already queued behind it (up to [`COMMAND_BATCH`]), then
    /// publishes once if any changed something, then replies: a client acting on the reply (a
    /// new token, a new code version) must find it in the published state. One publish per
    /// batch, and none for a failed command, so a flood of uploads or bad sign-ins cannot turn
    /// into a flood of full publishes that starves the ticks. `false` on shutdown.
    fn handle_batch(&mut self, first: Command) -> bool {
        let mut replies: Vec<Box<dyn FnOnce()>> = Vec::new();
        let mut changed = false;
        let mut next = Some(first);
        let mut running = true;
        while let Some(command) = next.take() {
            match command {
                Command::Shutdown => {
                    running = false;
                    break;
                }
                Command::Register {
                    name,
                    password,
                    reply,
                } => {
                    let result = self.register(&name, password.as_deref());
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::SignIn { name, reply } => {
                    let result = self.sign_in(&name);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::SetCode {
                    player,
                    code,
                    reply,
                } => {
                    let result = self
                        .shard
                        .set_code(player, code)
                        .map(|_| self.shard.code_version(player).unwrap_or(0));
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
            }
            if replies.len() < COMMAND_BATCH {
                next = self.commands.try_recv().ok();
            }
        }
        if changed {
            self.publish_now(BTreeMap::new(), false);
        }
        for reply in replies {
            reply();
        }
        running
    }

    fn register(&mut self, name: &str, password: Option<&str>) -> Result<(PlayerId, String)> {
        let valid = !name.is_empty()
            && name.len() <= 30
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(EngineError::Usage(
                "name must be 1-30 characters of A-Z, a-z, 0-9, _ or -".into(),
            ));
        }
        let starter = CodeBundle::new(
            [(
                "main".to_string(),
                "module.exports.loop = function () {}".to_string(),
            )]
            .into(),
        )?;
        let id = self.shard.add_player(name, starter)?;
        let token = new_token();
        self.shard
            .set_credentials(id, Some(token_hash(&token)), password.map(password_hash))?;
        Ok((id, token))
    }

    fn sign_in(&mut self, name: &str) -> Result<String> {
        let id = self
            .shard
            .player_id(name)
            .ok_or_else(|| EngineError::UnknownPlayer(name.to_string()))?;
        let token = new_token();
        self.shard
            .set_credentials(id, Some(token_hash(&token)), None)?;
        Ok(token)
    }

    /// Runs until a Shutdown command (or every sender is gone), then returns the shard.
    pub(crate) fn run(mut self) -> Shard {
        loop {
            let started = Instant::now();
            // Commands that arrived while we waited run before the tick.
            if let Ok(c) = self.commands.try_recv() {
                if !self.handle_batch(c) {
                    return self.shard;
                }
            }
            match self.shard.tick() {
                Ok(summary) => {
                    let secs = summary.duration.as_secs_f64();
                    self.metrics.tick_count += 1;
                    self.metrics.tick_sum_seconds += secs;
                    self.metrics.commit_sum_seconds += summary.timings.commit_ns as f64 / 1e9;
                    for (i, b) in TICK_BUCKETS.iter().enumerate() {
                        if secs <= *b {
                            self.metrics.tick_bucket_counts[i] += 1;
                        }
                    }
                    let mut console = BTreeMap::new();
                    let ids: Vec<PlayerId> =
                        self.shard.player_stats().iter().map(|p| p.0).collect();
                    for id in ids {
                        let lines = self.shard.drain_console(id);
                        if !lines.is_empty() {
                            let recent = self.recent_console.entry(id).or_default();
                            for l in &lines {
                                if recent.len() >= RECENT_CONSOLE {
                                    recent.pop_front();
                                }
                                recent.push_back(l.clone());
                            }
                            console.insert(id.0, lines);
                        }
                    }
                    for (id, _, stats) in self.shard.player_stats() {
                        if let Some(e) = stats.last_error {
                            let errs = self.recent_errors.entry(id).or_default();
                            if errs.back() != Some(&e) {
                                if errs.len() >= RECENT_ERRORS {
                                    errs.pop_front();
                                }
                                errs.push_back(e);
                            }
                        }
                    }
                    self.publish_now(console, true);
                }
                Err(e) => {
                    // Storage failed: nothing was committed; stop rather than run uncommitted.
                    tracing::error!(error = %e, "tick failed to commit; stopping the shard");
                    return self.shard;
                }
            }
            // Pace ticks; keep serving commands while waiting.
            loop {
                let left = self.tick_every.saturating_sub(started.elapsed());
                if left.is_zero() {
                    break;
                }
                match self.commands.recv_timeout(left) {
                    Ok(c) => {
                        if !self.handle_batch(c) {
                            return self.shard;
                        }
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return self.shard,
                }
            }
        }
    }

    /// Publishes the current state; `announce` only after a committed tick.
    fn publish_now(&mut self, console: BTreeMap<u32, Vec<String>>, announce: bool) {
        let world = self.shard.world();
        let views = world.views();
        let rooms: BTreeMap<String, serde_json::Value> = views
            .rooms
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        let changed_rooms = rooms
            .iter()
            .filter(|(n, v)| self.previous_rooms.get(*n) != Some(*v))
            .map(|(n, _)| n.clone())
            .collect();
        let rooms = Arc::new(rooms);
        self.previous_rooms = rooms.clone();
        let mut levels: BTreeMap<PlayerId, (u8, usize)> = BTreeMap::new();
        for o in world.records() {
            let Some(owner) = o.owner else { continue };
            let e = levels.entry(owner).or_default();
            match o.kind {
                ObjectKind::Creep(_) => e.1 += 1,
                ObjectKind::Controller(c) => e.0 = c.level,
                _ => {}
            }
        }
        let mut accounts = BTreeMap::new();
        for (id, name, stats) in self.shard.player_stats() {
            let Some(acct) = self.shard.account(id) else {
                continue;
            };
            let budget = self
                .shard
                .budget(id)
                .unwrap_or(isoshard_player_api::CpuBudget::new(100));
            let (level, creeps) = levels.get(&id).copied().unwrap_or_default();
            accounts.insert(
                name.clone(),
                AccountView {
                    id: id.0,
                    name,
                    token_hashes: acct.token_hashes.clone(),
                    password_hash: acct.password_hash.clone(),
                    code: self.shard.code(id).unwrap_or_else(|| {
                        Arc::new(CodeBundle {
                            modules: BTreeMap::new(),
                        })
                    }),
                    code_version: acct.code_version,
                    cpu_used_ms: stats.last_cpu_ms,
                    cpu_limit_ms: budget.limit,
                    bucket: budget.bucket,
                    heap_bytes: stats.last_heap_bytes,
                    controller_level: level,
                    creeps,
                    last_errors: self
                        .recent_errors
                        .get(&id)
                        .map(|e| e.iter().cloned().collect())
                        .unwrap_or_default(),
                    console: self
                        .recent_console
                        .get(&id)
                        .map(|e| e.iter().cloned().collect())
                        .unwrap_or_default(),
                    memory: self.shard.memory(id).unwrap_or_default(),
                    suspended: acct.suspended.clone(),
                },
            );
        }
        self.metrics.isolates = self.shard.live_isolates();
        let published = Published {
            tick: world.time(),
            state_hash: world.state_hash().to_hex(),
            rooms,
            terrain: self.terrain.clone(),
            changed_rooms,
            accounts: Arc::new(accounts),
            console: Arc::new(console),
            metrics: Arc::new(self.metrics.clone()),
        };
        let _ = self.publish.send(published.clone());
        if announce {
            let _ = self.announce.send(Announcement { published });
        }
    }
}
