//! The operator's commands on the shard thread (`/api/admin/…`, `isoshard admin`): they run
//! between ticks like every other command, so each sees and leaves a committed state.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::ShardThread;
use crate::error::{EngineError, Result};

/// Sample bots one request may add at most.
pub(crate) const MAX_BOTS_PER_REQUEST: usize = 100;

/// One operator command.
#[derive(Debug)]
pub(crate) enum AdminOp {
    /// Ban or unban a player by name.
    Ban { name: String, banned: bool },
    /// Give a player the starter code.
    ResetCode { name: String },
    /// Respawn a player: their objects leave the world and they place a spawn again.
    ResetRoom { name: String },
    /// The minimum tick duration from now on (until the next start).
    TickRate { ms: u64 },
    /// Stop (`true`) or restart ticking; commands are still answered while paused.
    Pause(bool),
    /// Players running a sample bot, each placed in a free room.
    AddBots { kind: String, count: usize },
    /// A consistent copy of the store into a new directory.
    Backup { to: PathBuf },
}

impl ShardThread {
    fn player_named(&self, name: &str) -> Result<isoshard_world::PlayerId> {
        self.shard
            .player_id(name)
            .ok_or_else(|| EngineError::UnknownPlayer(name.to_string()))
    }

    /// Runs one operator command; the reply's JSON says what was done.
    pub(super) fn admin(&mut self, op: AdminOp) -> Result<Value> {
        tracing::info!(?op, "admin command");
        match op {
            AdminOp::Ban { name, banned } => {
                let id = self.player_named(&name)?;
                self.shard.set_banned(id, banned)?;
                Ok(json!({ "player": name, "banned": banned }))
            }
            AdminOp::ResetCode { name } => {
                let id = self.player_named(&name)?;
                self.shard.reset_code(id)?;
                Ok(json!({ "player": name, "codeVersion": self.shard.code_version(id) }))
            }
            AdminOp::ResetRoom { name } => {
                let id = self.player_named(&name)?;
                self.shard
                    .edit_world(&isoshard_world::WorldEdit::Respawn { player: id })?;
                Ok(json!({ "player": name, "respawned": true }))
            }
            AdminOp::TickRate { ms } => {
                let before = self.tick_every.as_millis() as u64;
                self.tick_every = std::time::Duration::from_millis(ms.max(1));
                self.health.send_modify(|h| h.tick_ms = ms.max(1));
                Ok(json!({ "tickMs": ms.max(1), "was": before }))
            }
            AdminOp::Pause(paused) => {
                self.paused = paused;
                self.health.send_modify(|h| h.paused = paused);
                Ok(json!({ "paused": paused, "tick": self.shard.time() }))
            }
            AdminOp::AddBots { kind, count } => self.add_bots(&kind, count),
            AdminOp::Backup { to } => {
                self.shard.backup(&to)?;
                Ok(json!({ "to": to.display().to_string(), "tick": self.shard.time() }))
            }
        }
    }

    /// Adds `count` players running sample bot `kind`, named `kind-N` with the first free Ns.
    fn add_bots(&mut self, kind: &str, count: usize) -> Result<Value> {
        if count == 0 || count > MAX_BOTS_PER_REQUEST {
            return Err(EngineError::Usage(format!(
                "add 1 to {MAX_BOTS_PER_REQUEST} bots at a time"
            )));
        }
        let samples = crate::sample_bots();
        let Some((_, code)) = samples.iter().find(|(k, _)| *k == kind) else {
            let kinds: Vec<&str> = samples.iter().map(|(k, _)| *k).collect();
            return Err(EngineError::Usage(format!(
                "no sample bot {kind:?}; there are {}",
                kinds.join(", ")
            )));
        };
        let mut names = Vec::new();
        let mut n = 1;
        while names.len() < count {
            let name = format!("{kind}-{n}");
            n += 1;
            if self.shard.player_id(&name).is_some() {
                continue;
            }
            let id = self.shard.add_player(&name, code.clone())?;
            tracing::info!(player = id.0, name, "sample bot added");
            names.push(name);
        }
        Ok(json!({ "added": names }))
    }
}
