//! What an operator may change on a shard that exists: the CPU limit and the snapshot
//! interval, given at the restart that applies them. The world's seed and size are fixed at
//! creation (`server::serve_on` refuses different ones).

use super::Shard;
use crate::error::Result;
use crate::storage::ShardMeta;

/// The settings [`Shard::retune`] changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tunables {
    /// `Game.cpu.limit` of every player, in ms.
    pub cpu_limit_ms: i64,
    /// A world snapshot every this many ticks.
    pub snapshot_every: u64,
}

impl Shard {
    /// The settings stored with the shard.
    pub fn meta(&self) -> &ShardMeta {
        &self.meta
    }

    /// Applies `tunables` and stores them; one line per setting that changed.
    ///
    /// Players' budgets are stored before the settings: a crash between the two leaves the
    /// old settings stored, and the next start applies the change again.
    ///
    /// # Errors
    /// Storage failures, or a tick's commit pending.
    pub fn retune(&mut self, tunables: Tunables) -> Result<Vec<String>> {
        self.writable()?;
        let mut meta = self.meta.clone();
        let mut changes = Vec::new();
        let cpu_limit_ms = tunables.cpu_limit_ms.max(1);
        if meta.cpu_limit_ms != cpu_limit_ms {
            changes.push(format!(
                "CPU limit {} ms -> {cpu_limit_ms} ms",
                meta.cpu_limit_ms
            ));
            meta.cpu_limit_ms = cpu_limit_ms;
        }
        let snapshot_every = tunables.snapshot_every.max(1);
        if meta.snapshot_every != snapshot_every {
            changes.push(format!(
                "snapshot every {} ticks -> every {snapshot_every} ticks",
                meta.snapshot_every
            ));
            meta.snapshot_every = snapshot_every;
        }
        if changes.is_empty() {
            return Ok(changes);
        }
        for player in self.players.values_mut() {
            if player.budget.limit != cpu_limit_ms {
                let mut record = player.record();
                record.state.budget.limit = cpu_limit_ms;
                self.storage.save_player(&record)?;
                player.budget = record.state.budget;
            }
        }
        self.storage.save_meta(&meta)?;
        self.meta = meta;
        Ok(changes)
    }
}
