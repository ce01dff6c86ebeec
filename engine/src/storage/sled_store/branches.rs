//! A player's code branches other than the active one, in their Memory tree
//! (`branch/<name>`): read when asked for, never held in memory with the player.

use isoshard_world::PlayerId;

use super::super::record::encode;
use super::{memory_tree_name, SledStorage, Writes, BRANCH_PREFIX};
use crate::code_bundle::CodeBundle;
use crate::error::Result;

pub(in crate::storage) fn branch_key(name: &str) -> Vec<u8> {
    [BRANCH_PREFIX, name.as_bytes()].concat()
}

impl SledStorage {
    pub(super) fn stored_branch_names(&self, player: PlayerId) -> Result<Vec<String>> {
        let name = memory_tree_name(player.0 as u64);
        let tree = self.db.open_tree(&name).map_err(|e| self.sled(e))?;
        let mut names = Vec::new();
        for item in tree.scan_prefix(BRANCH_PREFIX) {
            let (k, _) = item.map_err(|e| self.sled(e))?;
            names.push(String::from_utf8_lossy(&k[BRANCH_PREFIX.len()..]).into_owned());
        }
        Ok(names)
    }

    pub(super) fn stored_branch(
        &self,
        player: PlayerId,
        branch: &str,
    ) -> Result<Option<CodeBundle>> {
        self.read_in_memory_tree(player.0 as u64, &branch_key(branch), true)
    }

    pub(super) fn store_branch(
        &mut self,
        player: PlayerId,
        branch: &str,
        code: Option<&CodeBundle>,
    ) -> Result<()> {
        let mut batch = Writes::default();
        let id = player.0 as u64;
        match code {
            Some(code) => batch.set_in_memory_tree(id, branch_key(branch), encode(code)?),
            None => batch.remove_in_memory_tree(id, branch_key(branch)),
        }
        self.write(batch, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_keys_are_prefixed_names() {
        assert_eq!(branch_key("sim"), b"branch/sim".to_vec());
    }

    /// An account as stores kept it before branches: it reads with `default` active.
    #[derive(serde::Serialize)]
    struct AccountBeforeBranches {
        id: PlayerId,
        name: String,
        code_version: u64,
        token_hashes: Vec<String>,
        password_hash: Option<String>,
        suspended: Option<String>,
    }

    #[test]
    fn accounts_stored_before_branches_still_read() {
        let old = AccountBeforeBranches {
            id: PlayerId(3),
            name: "old".into(),
            code_version: 9,
            token_hashes: vec!["h".into()],
            password_hash: None,
            suspended: None,
        };
        let bytes = encode(&old).unwrap();
        let now: crate::storage::PlayerAccount =
            crate::storage::record::decode(b"player/x", &bytes).unwrap();
        assert_eq!((now.id, now.code_version), (PlayerId(3), 9));
        assert_eq!(now.active_branch, None);
    }
}
