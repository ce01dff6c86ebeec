//! Reading a player's Memory tree: Memory, segment settings, InterShardMemory, flags,
//! notifications and resources, each checked as it is read.

use super::super::record::decode;
use super::{
    memory_tree_name, SledStorage, FLAG_PREFIX, INTER_SHARD_KEY, MEMORY_KEY, MESSAGES_KEY,
    NOTIFICATIONS_KEY, RESOURCES_KEY, SEGMENT_SETTINGS_KEY,
};
use crate::error::Result;
use crate::storage::StoredPlayerData;

impl SledStorage {
    /// Player `id`'s Memory from its tree (`exists`: the tree is listed; opening a missing
    /// one would create it).
    pub(super) fn read_memory(&self, id: u64, exists: bool) -> Result<String> {
        let name = memory_tree_name(id);
        let missing = || {
            self.damaged(format!(
                "record {} is missing",
                super::super::record::key_name(&name)
            ))
        };
        if !exists {
            return Err(missing());
        }
        let tree = self.db.open_tree(&name).map_err(|e| self.sled(e))?;
        let sealed = tree
            .get(MEMORY_KEY)
            .map_err(|e| self.sled(e))?
            .ok_or_else(missing)?;
        decode(&name, &sealed).map_err(|p| self.damaged(p))
    }
}

impl SledStorage {
    /// One key of player `id`'s Memory tree, decoded; `None` when absent (`exists`: the tree
    /// is there; opening a missing one would create it).
    pub(super) fn read_in_memory_tree<T: serde::de::DeserializeOwned>(
        &self,
        id: u64,
        k: &[u8],
        exists: bool,
    ) -> Result<Option<T>> {
        let name = memory_tree_name(id);
        if !exists {
            return Ok(None);
        }
        let tree = self.db.open_tree(&name).map_err(|e| self.sled(e))?;
        match tree.get(k).map_err(|e| self.sled(e))? {
            Some(sealed) => Ok(Some(decode(&name, &sealed).map_err(|p| self.damaged(p))?)),
            None => Ok(None),
        }
    }

    /// Segment settings and InterShardMemory (absent in stores written before them: empty).
    pub(super) fn read_player_data(&self, id: u64, exists: bool) -> Result<StoredPlayerData> {
        Ok(StoredPlayerData {
            settings: self
                .read_in_memory_tree(id, SEGMENT_SETTINGS_KEY, exists)?
                .unwrap_or_default(),
            inter_shard: self
                .read_in_memory_tree(id, INTER_SHARD_KEY, exists)?
                .unwrap_or_default(),
            flags: self.read_flags(id, exists)?,
            notifications: self
                .read_in_memory_tree(id, NOTIFICATIONS_KEY, exists)?
                .unwrap_or_default(),
            resources: self
                .read_in_memory_tree(id, RESOURCES_KEY, exists)?
                .unwrap_or_default(),
            messages: self
                .read_in_memory_tree(id, MESSAGES_KEY, exists)?
                .unwrap_or_default(),
        })
    }

    fn read_flags(
        &self,
        id: u64,
        exists: bool,
    ) -> Result<std::collections::BTreeMap<String, isoshard_player_api::FlagRecord>> {
        let mut flags = std::collections::BTreeMap::new();
        if !exists {
            return Ok(flags);
        }
        let name = memory_tree_name(id);
        let tree = self.db.open_tree(&name).map_err(|e| self.sled(e))?;
        for item in tree.scan_prefix(FLAG_PREFIX) {
            let (_, sealed) = item.map_err(|e| self.sled(e))?;
            let flag: isoshard_player_api::FlagRecord =
                decode(&name, &sealed).map_err(|p| self.damaged(p))?;
            flags.insert(flag.name.clone(), flag);
        }
        Ok(flags)
    }
}
