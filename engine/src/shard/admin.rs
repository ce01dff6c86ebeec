//! The operator's actions on players and on the store (`isoshard admin`): ban, reset code,
//! back up. Each is stored before it takes effect, like every change outside a tick.

use std::path::Path;

use isoshard_world::PlayerId;

use super::Shard;
use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};

/// The code a new or reset player runs: a loop that does nothing.
pub const STARTER_CODE: &str = "module.exports.loop = function () {}";

/// The starter code as a bundle.
///
/// # Errors
/// None in practice (the starter code is valid); typed for [`CodeBundle::new`].
pub fn starter_code() -> Result<CodeBundle> {
    CodeBundle::new([("main".to_string(), STARTER_CODE.to_string())].into())
}

impl Shard {
    /// Bans (or unbans) a player: a banned player's code does not run and the API refuses
    /// their tokens; their objects stay in the world. Their isolate is dropped.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], storage failures.
    pub fn set_banned(&mut self, player: PlayerId, banned: bool) -> Result<()> {
        self.change_record(player, |r| {
            r.account.banned = banned;
            Ok(())
        })?;
        self.host.reset(player);
        tracing::info!(player = player.0, banned, "ban changed by the operator");
        Ok(())
    }

    /// Replaces a player's code with the starter code (the active branch's code; other
    /// branches stay), lifting a suspension.
    ///
    /// # Errors
    /// As [`Shard::set_code`].
    pub fn reset_code(&mut self, player: PlayerId) -> Result<()> {
        self.set_code(player, starter_code()?)
    }

    /// Copies the store into `to` (which must not exist, or be empty) between ticks: the
    /// copy is the shard at its last committed tick. The recording is not copied.
    ///
    /// # Errors
    /// A non-empty `to`, a tick's commit pending, storage and I/O failures.
    pub fn backup(&mut self, to: &Path) -> Result<()> {
        self.writable()?;
        let empty = std::fs::read_dir(to).map_or(true, |mut d| d.next().is_none());
        if !empty {
            return Err(EngineError::Usage(format!(
                "{} is not empty: back up into a new directory",
                to.display()
            )));
        }
        std::fs::create_dir_all(to)
            .map_err(EngineError::io(format!("cannot create {}", to.display())))?;
        self.storage.backup_into(to)?;
        tracing::info!(to = %to.display(), tick = self.world.time(), "backup written");
        Ok(())
    }
}
