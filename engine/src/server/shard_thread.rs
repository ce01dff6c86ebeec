//! The thread that owns the shard: runs ticks at the configured pace, takes commands between
//! ticks, and publishes an immutable view of each committed tick. HTTP handlers never touch
//! the shard directly.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_world::PlayerId;

use tokio::sync::{broadcast, oneshot, watch};

use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};
use crate::server::auth::issue_token;
use crate::shard::Shard;

mod account_ops;
mod admin_ops;
mod published;
pub use account_ops::AccountOp;
pub(crate) use admin_ops::AdminOp;
pub use published::{AccountView, Announcement, CommitFailure, Health, Published};

/// Recent console lines kept per player for `GET /api/me`, at most this many and this many
/// bytes (the oldest go first).
const RECENT_CONSOLE: usize = 100;
const RECENT_CONSOLE_BYTES: usize = 64 * 1024;
/// Commands run between two publishes at most.
const COMMAND_BATCH: usize = 256;
/// Recent errors kept per player (each already cut to 8 KiB by the player runtime).
const RECENT_ERRORS: usize = 10;
const RECENT_ERRORS_BYTES: usize = 80 * 1024;

/// A player's newest lines, bounded in count and bytes, with a shared copy for publishing:
/// a publish hands out the same `Arc` until a line arrives, instead of cloning every
/// player's lines every tick.
#[derive(Default)]
struct RecentLines {
    lines: VecDeque<String>,
    bytes: usize,
    shared: Option<Arc<[String]>>,
}

impl RecentLines {
    fn push(&mut self, line: String, max_lines: usize, max_bytes: usize) {
        self.bytes += line.len();
        self.lines.push_back(line);
        while self.lines.len() > max_lines || (self.bytes > max_bytes && self.lines.len() > 1) {
            if let Some(old) = self.lines.pop_front() {
                self.bytes -= old.len();
            }
        }
        self.shared = None;
    }

    fn last(&self) -> Option<&String> {
        self.lines.back()
    }

    fn shared(&mut self) -> Arc<[String]> {
        self.shared
            .get_or_insert_with(|| self.lines.iter().cloned().collect())
            .clone()
    }
}
/// First wait before retrying a failed commit; it doubles up to [`COMMIT_RETRY_MAX`].
const COMMIT_RETRY_FIRST: Duration = Duration::from_millis(50);
const COMMIT_RETRY_MAX: Duration = Duration::from_secs(5);

/// Work for the shard thread.
pub enum Command {
    Register {
        name: String,
        /// The argon2id hash, made off this thread.
        password_hash: Option<String>,
        reply: oneshot::Sender<Result<(PlayerId, String)>>,
    },
    SignIn {
        name: String,
        /// A new hash replacing an old fast one (made off this thread).
        upgraded_password: Option<String>,
        reply: oneshot::Sender<Result<String>>,
    },
    SetCode {
        player: PlayerId,
        code: CodeBundle,
        reply: oneshot::Sender<Result<u64>>,
    },
    /// A console expression for the player's next tick (`/api/user/console`; hidden for
    /// `POST /api/user/memory`).
    Console {
        player: PlayerId,
        expression: String,
        hidden: bool,
        reply: oneshot::Sender<Result<()>>,
    },
    ReadSegment {
        player: PlayerId,
        id: u8,
        reply: oneshot::Sender<Result<Option<String>>>,
    },
    WriteSegment {
        player: PlayerId,
        id: u8,
        text: String,
        reply: oneshot::Sender<Result<()>>,
    },
    /// A code branch operation (`/api/user/code`, `branches`, `clone-branch`,
    /// `set-active-branch`, `delete-branch`).
    Branch {
        player: PlayerId,
        op: BranchOp,
        reply: oneshot::Sender<Result<BranchReply>>,
    },
    /// A player's own change to the world: their first spawn or a respawn.
    Join {
        player: PlayerId,
        edit: isoshard_world::WorldEdit,
        reply: oneshot::Sender<Result<()>>,
    },
    /// An operator's edit of the world (`POST /api/admin/world`).
    EditWorld {
        edit: AdminEdit,
        reply: oneshot::Sender<Result<()>>,
    },
    /// A player's own account: tokens (the reply is a new one's secret), badge, messages.
    Account {
        player: PlayerId,
        op: AccountOp,
        reply: oneshot::Sender<Result<String>>,
    },
    /// Any other operator command (`/api/admin/…`).
    Admin {
        op: AdminOp,
        reply: oneshot::Sender<Result<serde_json::Value>>,
    },
    Shutdown,
}

/// Every room's encoded terrain (`/api/rooms/{name}/terrain`).
fn terrain_of(shard: &Shard) -> Arc<BTreeMap<String, String>> {
    Arc::new(
        shard
            .world()
            .map()
            .rooms
            .iter()
            .map(|r| (r.name.clone(), r.terrain.encode()))
            .collect(),
    )
}

/// Every room's status, by name.
fn statuses_of(shard: &Shard) -> Arc<BTreeMap<String, &'static str>> {
    Arc::new(
        shard
            .world()
            .map()
            .rooms
            .iter()
            .map(|r| (r.name.clone(), r.status.as_str()))
            .collect(),
    )
}

/// A name registration accepts: 1-30 characters of A-Z, a-z, 0-9, `_` or `-`.
pub(crate) fn valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 30
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What a branch command does.
#[derive(Debug, Clone)]
pub enum BranchOp {
    List,
    Read(String),
    Write {
        branch: String,
        code: CodeBundle,
    },
    Clone {
        from: Option<String>,
        new_name: String,
        default: Option<CodeBundle>,
    },
    SetActive(String),
    Delete(String),
}

/// A branch command's answer.
#[derive(Debug, Clone)]
pub enum BranchReply {
    List(crate::shard::BranchList),
    Code(Option<CodeBundle>),
    Done,
}

fn branch_op(shard: &mut Shard, player: PlayerId, op: BranchOp) -> Result<BranchReply> {
    Ok(match op {
        BranchOp::List => BranchReply::List(shard.branches(player)?),
        BranchOp::Read(b) => BranchReply::Code(shard.branch_code(player, &b)?),
        BranchOp::Write { branch, code } => {
            shard.set_branch_code(player, &branch, code)?;
            BranchReply::Done
        }
        BranchOp::Clone {
            from,
            new_name,
            default,
        } => {
            shard.clone_branch(player, from.as_deref(), &new_name, default)?;
            BranchReply::Done
        }
        BranchOp::SetActive(b) => {
            shard.set_active_branch(player, &b)?;
            BranchReply::Done
        }
        BranchOp::Delete(b) => {
            shard.delete_branch(player, &b)?;
            BranchReply::Done
        }
    })
}

/// An operator's world edit as the API names it (players by name).
#[derive(Debug, Clone)]
pub enum AdminEdit {
    AddRooms(Vec<isoshard_world::RoomSpec>),
    GrantCredits { username: String, milli: u64 },
}

pub(crate) struct ShardThread {
    shard: Shard,
    tick_every: Duration,
    /// Registration places players in a random free room (else they place a spawn).
    auto_place: bool,
    commands: std::sync::mpsc::Receiver<Command>,
    publish: watch::Sender<Published>,
    announce: broadcast::Sender<Announcement>,
    health: watch::Sender<Health>,
    recent_console: BTreeMap<PlayerId, RecentLines>,
    recent_errors: BTreeMap<PlayerId, RecentLines>,
    metrics: Arc<super::metrics::ShardMetrics>,
    slow_ticks: super::slow_ticks::SlowTicks,
    /// Paused by the operator: commands are answered, no tick runs.
    paused: bool,
    previous_rooms: Arc<BTreeMap<String, serde_json::Value>>,
    terrain: Arc<BTreeMap<String, String>>,
    statuses: Arc<BTreeMap<String, &'static str>>,
}

/// How the shard thread talks to the handlers: commands in; ticks, announcements and health
/// out.
pub(crate) struct ShardThreadLinks {
    pub commands: std::sync::mpsc::Receiver<Command>,
    pub publish: watch::Sender<Published>,
    pub announce: broadcast::Sender<Announcement>,
    pub health: watch::Sender<Health>,
    pub metrics: Arc<super::metrics::ShardMetrics>,
}

impl ShardThread {
    pub(crate) fn new(
        shard: Shard,
        tick_every: Duration,
        auto_place: bool,
        links: ShardThreadLinks,
    ) -> Self {
        let ShardThreadLinks {
            commands,
            publish,
            announce,
            health,
            metrics,
        } = links;
        let terrain = terrain_of(&shard);
        let statuses = statuses_of(&shard);
        let mut r = ShardThread {
            shard,
            tick_every,
            auto_place,
            commands,
            publish,
            announce,
            health,
            recent_console: BTreeMap::new(),
            recent_errors: BTreeMap::new(),
            metrics,
            slow_ticks: Default::default(),
            paused: false,
            previous_rooms: Arc::new(BTreeMap::new()),
            terrain,
            statuses,
        };
        r.publish_now(BTreeMap::new(), BTreeMap::new(), false);
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
                    password_hash,
                    reply,
                } => {
                    let result = self.register(&name, password_hash);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::SignIn {
                    name,
                    upgraded_password,
                    reply,
                } => {
                    let result = self.sign_in(&name, upgraded_password);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::Console {
                    player,
                    expression,
                    hidden,
                    reply,
                } => {
                    let result = self.shard.queue_console_command(player, expression, hidden);
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::ReadSegment { player, id, reply } => {
                    let result = self.shard.segment(player, id);
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::WriteSegment {
                    player,
                    id,
                    text,
                    reply,
                } => {
                    let result = self.shard.write_segment(player, id, text);
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::Branch { player, op, reply } => {
                    let result = branch_op(&mut self.shard, player, op);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::Join {
                    player,
                    edit,
                    reply,
                } => {
                    let result = if edit.by_player() == Some(player) {
                        self.shard.edit_world(&edit)
                    } else {
                        Err(EngineError::Usage("not a player's own change".into()))
                    };
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::EditWorld { edit, reply } => {
                    let result = self.edit_world(edit);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::Account { player, op, reply } => {
                    let result = self.account_op(player, op);
                    changed |= result.is_ok();
                    replies.push(Box::new(move || drop(reply.send(result))));
                }
                Command::Admin { op, reply } => {
                    let result = self.admin(op);
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
            self.publish_now(BTreeMap::new(), BTreeMap::new(), false);
        }
        for reply in replies {
            reply();
        }
        running
    }

    /// Resolves the edit's player by name and applies it (new rooms' terrain is served at
    /// once).
    fn edit_world(&mut self, edit: AdminEdit) -> Result<()> {
        let edit = match edit {
            AdminEdit::AddRooms(specs) => isoshard_world::WorldEdit::AddRooms(specs),
            AdminEdit::GrantCredits { username, milli } => {
                let player = self
                    .shard
                    .player_id(&username)
                    .ok_or_else(|| EngineError::UnknownPlayer(username.clone()))?;
                isoshard_world::WorldEdit::GrantCredits { player, milli }
            }
        };
        self.shard.edit_world(&edit)?;
        if matches!(edit, isoshard_world::WorldEdit::AddRooms(_)) {
            self.terrain = terrain_of(&self.shard);
            self.statuses = statuses_of(&self.shard);
        }
        Ok(())
    }

    fn register(
        &mut self,
        name: &str,
        password_hash: Option<String>,
    ) -> Result<(PlayerId, String)> {
        if !valid_username(name) {
            return Err(EngineError::Usage(
                "name must be 1-30 characters of A-Z, a-z, 0-9, _ or -".into(),
            ));
        }
        let starter = crate::shard::starter_code()?;
        let id = if self.auto_place {
            self.shard.add_player(name, starter)?
        } else {
            self.shard.register_player(name, starter)?
        };
        let (token, stored) = issue_token("registration", None);
        self.shard
            .set_credentials(id, Some(stored), password_hash)?;
        tracing::info!(
            player = id.0,
            name,
            placed = self.auto_place,
            "player joined"
        );
        Ok((id, token))
    }

    fn sign_in(&mut self, name: &str, upgraded_password: Option<String>) -> Result<String> {
        let id = self
            .shard
            .player_id(name)
            .ok_or_else(|| EngineError::UnknownPlayer(name.to_string()))?;
        let (token, stored) = issue_token(
            crate::shard::SIGN_IN_TOKEN,
            Some(crate::shard::SIGN_IN_TOKEN_DAYS),
        );
        self.shard
            .set_credentials(id, Some(stored), upgraded_password)?;
        Ok(token)
    }

    /// Runs until a Shutdown command (or every sender is gone), then returns the shard.
    ///
    /// A tick whose commit fails is not published; the shard keeps answering commands (writes
    /// get [`EngineError::CommitPending`]) and retries the same commit with backoff (50 ms
    /// doubling to 5 s) until it lands, then goes on by itself. `/api/health` and
    /// `isoshard_commit_failures_total` say so meanwhile. Shutdown is answered between
    /// attempts, so SIGTERM ends a shard whose disk is full within one backoff step.
    pub(crate) fn run(mut self) -> Shard {
        let mut backoff = Duration::ZERO;
        loop {
            let started = Instant::now();
            // Commands that arrived while we waited run before the tick.
            if let Ok(c) = self.commands.try_recv() {
                if !self.handle_batch(c) {
                    return self.stop();
                }
            }
            // Paused (with no commit pending): only commands, until resumed.
            if self.paused && self.shard.pending_commit().is_none() {
                let resumed = match self.commands.recv() {
                    Ok(c) => self.handle_batch(c),
                    Err(_) => false,
                };
                if !resumed {
                    return self.stop();
                }
                continue;
            }
            let wait = match self.shard.tick() {
                Ok(summary) => {
                    if backoff > Duration::ZERO {
                        tracing::info!(
                            tick = summary.tick,
                            "tick committed again: storage recovered"
                        );
                        backoff = Duration::ZERO;
                    }
                    self.health.send_modify(|h| {
                        h.committed_tick = summary.tick;
                        h.failing = None;
                    });
                    self.after_commit(&summary);
                    self.tick_every.saturating_sub(started.elapsed())
                }
                Err(e @ (EngineError::FencedOut { .. } | EngineError::RedisDamaged { .. })) => {
                    // Retrying cannot help: committing would fork the shard's history.
                    tracing::error!(error = %e, "the shard stops: its store belongs to another coordinator or lost committed ticks");
                    self.health.send_modify(|h| h.stopped = Some(e.to_string()));
                    return self.shard;
                }
                Err(e) => {
                    backoff = (backoff * 2).clamp(COMMIT_RETRY_FIRST, COMMIT_RETRY_MAX);
                    let tick = self.shard.pending_commit();
                    tracing::error!(error = %e, ?tick, retry_in_ms = backoff.as_millis() as u64, "tick commit failed");
                    self.health.send_modify(|h| {
                        h.commit_failures += 1;
                        let failing = h.failing.get_or_insert_with(|| CommitFailure {
                            tick: tick.unwrap_or(0),
                            since: std::time::SystemTime::now(),
                            attempts: 0,
                            error: String::new(),
                        });
                        failing.attempts += 1;
                        failing.error = e.to_string().chars().take(1024).collect();
                    });
                    backoff
                }
            };
            // Pace ticks (or retries); keep serving commands while waiting.
            let until = Instant::now() + wait;
            loop {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match self.commands.recv_timeout(left) {
                    Ok(c) => {
                        if !self.handle_batch(c) {
                            return self.stop();
                        }
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return self.stop(),
                }
            }
        }
    }

    /// On the way out: one last attempt at a pending commit, so a fault that cleared during
    /// the backoff loses nothing.
    fn stop(mut self) -> Shard {
        if self.shard.pending_commit().is_some() {
            match self.shard.tick() {
                Ok(summary) => {
                    tracing::info!(tick = summary.tick, "pending tick committed on shutdown")
                }
                Err(e) => {
                    tracing::error!(error = %e, "stopping with a tick not committed; it runs again after a restart")
                }
            }
        }
        self.shard
    }

    /// Console, errors, metrics and the publish of a committed tick.
    fn after_commit(&mut self, summary: &crate::shard::TickSummary) {
        self.slow_ticks.observe(summary, self.tick_every);
        self.metrics
            .tick_committed(summary, self.shard.live_isolates());
        let mut console = BTreeMap::new();
        let mut results = BTreeMap::new();
        let ids: Vec<PlayerId> = self.shard.player_stats().iter().map(|p| p.0).collect();
        for id in ids {
            let lines = self.shard.drain_console(id);
            let answers = self.shard.drain_command_results(id);
            let recent = self.recent_console.entry(id).or_default();
            for l in lines.iter().chain(&answers) {
                recent.push(l.clone(), RECENT_CONSOLE, RECENT_CONSOLE_BYTES);
            }
            if !lines.is_empty() {
                console.insert(id.0, lines);
            }
            if !answers.is_empty() {
                results.insert(id.0, answers);
            }
        }
        for (id, _, stats) in self.shard.player_stats() {
            if let Some(e) = stats.last_error {
                let errs = self.recent_errors.entry(id).or_default();
                if errs.last() != Some(&e) {
                    errs.push(e, RECENT_ERRORS, RECENT_ERRORS_BYTES);
                }
            }
        }
        self.publish_now(console, results, true);
    }

    /// Publishes the current state; `announce` only after a committed tick.
    fn publish_now(
        &mut self,
        console: BTreeMap<u32, Vec<String>>,
        results: BTreeMap<u32, Vec<String>>,
        announce: bool,
    ) {
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
        let holdings = Arc::new(super::holdings::Holdings::of(world));
        let mut accounts = BTreeMap::new();
        for (id, name, stats) in self.shard.player_stats() {
            let Some(acct) = self.shard.account(id) else {
                continue;
            };
            let budget = self
                .shard
                .budget(id)
                .unwrap_or(isoshard_player_api::CpuBudget::new(100));
            let held = holdings.players.get(&id.0);
            let (level, creeps) = held.map_or((0, 0), |h| (h.level(), h.creeps));
            accounts.insert(
                name.clone(),
                AccountView {
                    id: id.0,
                    name,
                    tokens: acct.tokens.clone(),
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
                    gcl: views.players.get(&id).map_or(0, |pv| pv.gcl),
                    flags_json: self.shard.flags_json(id),
                    creeps,
                    last_errors: self
                        .recent_errors
                        .get_mut(&id)
                        .map(RecentLines::shared)
                        .unwrap_or_else(|| Arc::new([])),
                    console: self
                        .recent_console
                        .get_mut(&id)
                        .map(RecentLines::shared)
                        .unwrap_or_else(|| Arc::new([])),
                    memory: self.shard.memory(id).unwrap_or_default(),
                    visuals: self.shard.visuals(id),
                    notifications: self
                        .shard
                        .notifications(id)
                        .into_iter()
                        .map(
                            |(tick, message)| serde_json::json!({"tick": tick, "message": message}),
                        )
                        .collect(),
                    suspended: acct.suspended.clone(),
                    banned: acct.banned,
                    active_branch: acct
                        .active_branch
                        .clone()
                        .unwrap_or_else(|| crate::shard::DEFAULT_BRANCH.to_string()),
                    resources: self.shard.player_resources(id),
                    credits_milli: world.market().credits.get(&id).copied().unwrap_or(0),
                    badge: acct.badge.clone(),
                    messages: self.shard.messages(id),
                },
            );
        }
        let published = Published {
            tick: world.time(),
            state_hash: world.state_hash().to_hex(),
            rooms,
            terrain: self.terrain.clone(),
            statuses: self.statuses.clone(),
            holdings,
            changed_rooms,
            accounts: Arc::new(accounts),
            console: Arc::new(console),
            market: Arc::new(published::MarketPublished::of(
                &views,
                world,
                &self.publish.borrow().market,
            )),
        };
        let _ = self.publish.send(published.clone());
        if announce {
            let visuals = published
                .accounts
                .values()
                .filter(|a| !a.visuals.is_empty())
                .map(|a| (a.id, a.visuals.clone()))
                .collect();
            let _ = self.announce.send(Announcement {
                visuals: Arc::new(visuals),
                tick: published.tick,
                state_hash: published.state_hash.as_str().into(),
                changed_rooms: published.changed_rooms.clone().into(),
                console: published.console.clone(),
                results: Arc::new(results),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_lines_keep_the_newest_within_count_and_bytes_and_share_one_copy() {
        let mut recent = RecentLines::default();
        for i in 0..5 {
            recent.push(format!("line {i}"), 3, 1 << 20);
        }
        assert_eq!(&*recent.shared(), ["line 2", "line 3", "line 4"]);
        let a = recent.shared();
        assert!(
            Arc::ptr_eq(&a, &recent.shared()),
            "unchanged lines are not copied again"
        );
        recent.push("x".repeat(1000), 3, 1500);
        recent.push("y".repeat(1000), 3, 1500);
        assert_eq!(
            recent.shared().len(),
            1,
            "over the byte bound the oldest go"
        );
        assert_eq!(recent.bytes, 1000);
        // One line over the bound is kept whole (it is already cut where it is made).
        recent.push("z".repeat(5000), 3, 1500);
        assert_eq!(recent.shared().len(), 1);
        assert_eq!(recent.bytes, 5000);
    }
}
