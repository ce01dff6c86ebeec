//! A player's code branches, as Screeps keeps them (`users.code`, one document a branch):
//! the active branch's code is the code that runs; the others are stored apart and read
//! only when asked for. Screeps' limits: 30 branches, names up to 30 characters.

use std::collections::BTreeMap;

use isoshard_world::PlayerId;

use super::Shard;
use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};

/// Most branches a player may have.
pub const MAX_BRANCHES: usize = 30;
/// Longest branch name.
pub const MAX_BRANCH_NAME: usize = 30;
/// The branch every player starts with.
pub const DEFAULT_BRANCH: &str = "default";

/// A player's branches: which one runs, and all their names (sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchList {
    pub active: String,
    pub names: Vec<String>,
    /// Each branch's modules, by branch name (Screeps lists them with the branches).
    pub modules: BTreeMap<String, BTreeMap<String, String>>,
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_BRANCH_NAME
        && !name.starts_with('$')
        && !name.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(EngineError::Usage(format!(
            "invalid branch name {name:?}: 1 to {MAX_BRANCH_NAME} characters, not starting with $"
        )))
    }
}

impl Shard {
    fn active_branch(&self, player: PlayerId) -> Result<String> {
        let p = self
            .players
            .get(&player)
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        Ok(p.account
            .active_branch
            .clone()
            .unwrap_or_else(|| DEFAULT_BRANCH.to_string()))
    }

    /// The player's branches.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], storage read errors.
    pub fn branches(&self, player: PlayerId) -> Result<BranchList> {
        let active = self.active_branch(player)?;
        let mut names = self.storage.branch_names(player)?;
        names.push(active.clone());
        names.sort();
        names.dedup();
        let mut modules = BTreeMap::new();
        for name in &names {
            if let Some(code) = self.branch_code(player, name)? {
                modules.insert(name.clone(), code.modules);
            }
        }
        Ok(BranchList {
            active,
            names,
            modules,
        })
    }

    /// A branch's code (`$activeWorld` and `$activeSim` name the active branch; there is no
    /// simulation here, so they are the same), or `None` when there is no such branch.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], storage read errors.
    pub fn branch_code(&self, player: PlayerId, branch: &str) -> Result<Option<CodeBundle>> {
        let active = self.active_branch(player)?;
        if branch == active || branch.starts_with('$') {
            return Ok(self.code(player).map(|c| (*c).clone()));
        }
        self.storage.read_branch(player, branch)
    }

    /// Uploads code to a branch: the active one (or `$activeWorld`) runs it at once.
    ///
    /// # Errors
    /// [`EngineError::Usage`] "branch does not exist", as Screeps; storage errors.
    pub fn set_branch_code(
        &mut self,
        player: PlayerId,
        branch: &str,
        code: CodeBundle,
    ) -> Result<()> {
        let active = self.active_branch(player)?;
        if branch == active || branch == "$activeWorld" || branch == "$activeSim" {
            return self.set_code(player, code);
        }
        if self.storage.read_branch(player, branch)?.is_none() {
            return Err(EngineError::Usage("branch does not exist".into()));
        }
        self.writable()?;
        self.storage.write_branch(player, branch, Some(&code))
    }

    /// Screeps' clone-branch: `new_name` gets `from`'s code (or `default`, or an empty
    /// `main`), replacing a branch of that name; the active branch cannot be replaced.
    ///
    /// # Errors
    /// [`EngineError::Usage`] for a bad name, the branch limit, a missing `from`, or the
    /// active branch as `new_name`.
    pub fn clone_branch(
        &mut self,
        player: PlayerId,
        from: Option<&str>,
        new_name: &str,
        default: Option<CodeBundle>,
    ) -> Result<()> {
        check_name(new_name)?;
        let list = self.branches(player)?;
        if new_name == list.active {
            return Err(EngineError::Usage(
                "the active branch cannot be replaced".into(),
            ));
        }
        if !list.names.iter().any(|n| n == new_name) && list.names.len() >= MAX_BRANCHES {
            return Err(EngineError::Usage("too many branches".into()));
        }
        let code = match from {
            Some(from) => self
                .branch_code(player, from)?
                .ok_or_else(|| EngineError::Usage(format!("no branch {from:?}")))?,
            None => match default {
                Some(code) => code,
                None => CodeBundle::new([("main".to_string(), String::new())].into())?,
            },
        };
        self.writable()?;
        self.storage.write_branch(player, new_name, Some(&code))
    }

    /// Makes `branch` the one that runs (Screeps' set-active-branch with `activeWorld`): the
    /// old active branch is stored, the new one's code runs from the next tick.
    ///
    /// # Errors
    /// [`EngineError::Usage`] "no branch"; storage errors.
    pub fn set_active_branch(&mut self, player: PlayerId, branch: &str) -> Result<()> {
        let active = self.active_branch(player)?;
        if branch == active {
            return Ok(());
        }
        let code = self
            .storage
            .read_branch(player, branch)?
            .ok_or_else(|| EngineError::Usage("no branch".into()))?;
        let running = self
            .code(player)
            .map(|c| (*c).clone())
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        self.writable()?;
        self.storage.write_branch(player, &active, Some(&running))?;
        let set = |s: &mut Shard, name: Option<String>| {
            if let Some(p) = s.players.get_mut(&player) {
                p.account.active_branch = name;
            }
        };
        set(self, Some(branch.to_string()));
        // Stores the account (with its new active branch) and the code, then resets.
        if let Err(e) = self.set_code(player, code) {
            set(self, Some(active));
            return Err(e);
        }
        self.storage.write_branch(player, branch, None)
    }

    /// Deletes a branch that is not active.
    ///
    /// # Errors
    /// [`EngineError::Usage`] for the active branch; storage errors.
    pub fn delete_branch(&mut self, player: PlayerId, branch: &str) -> Result<()> {
        if branch == self.active_branch(player)? {
            return Err(EngineError::Usage(
                "the active branch cannot be deleted".into(),
            ));
        }
        self.writable()?;
        self.storage.write_branch(player, branch, None)
    }
}
