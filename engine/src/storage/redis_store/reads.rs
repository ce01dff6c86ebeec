//! Reading the shard back from Redis, checked as sled's reads are: a value that fails its
//! checksum, a tick missing between the snapshot and `tick`, a player the world knows
//! without an account are all [`EngineError::RedisDamaged`], never a shorter shard.

use std::collections::BTreeMap;

use isoshard_world::WorldSnapshot;

use super::{keys, RedisStorage};
use crate::error::{EngineError, Result};
use crate::storage::sled_store::{
    FLAG_PREFIX, INTER_SHARD_KEY, MESSAGES_KEY, NOTIFICATIONS_KEY, RESOURCES_KEY,
    SEGMENT_SETTINGS_KEY,
};
use crate::storage::{
    PlayerAccount, PlayerRecord, PlayerTickState, ShardMeta, StoredPlayerData, StoredShard,
    TickRecord, STORAGE_FORMAT_VERSION,
};

/// A player's hashes: field → value.
type Fields = BTreeMap<Vec<u8>, Vec<u8>>;

impl RedisStorage {
    pub(super) fn read_memory_field<T: serde::de::DeserializeOwned>(
        &self,
        id: u64,
        field: &[u8],
    ) -> Result<Option<T>> {
        let raw: Option<Vec<u8>> = self.run(|con| {
            redis::cmd("HGET")
                .arg(keys::memory(id))
                .arg(field)
                .query(con)
        })?;
        let name = format!("mem:{id}/{}", String::from_utf8_lossy(field));
        raw.map(|r| self.decode(&name, &r)).transpose()
    }

    /// The whole shard, or `None` when the database holds none.
    pub(super) fn read_shard(&self) -> Result<Option<StoredShard>> {
        let (format, meta, tick): (Option<String>, Option<Vec<u8>>, Option<String>) =
            self.run(|con| {
                redis::pipe()
                    .atomic()
                    .get(keys::FORMAT)
                    .get(keys::META)
                    .get(keys::TICK)
                    .query(con)
            })?;
        let Some(format) = format else {
            if meta.is_some() || tick.is_some() {
                return Err(self.damaged("the format key is missing beside a shard".into()));
            }
            return Ok(None);
        };
        if format != STORAGE_FORMAT_VERSION.to_string() {
            return Err(EngineError::Storage(format!(
                "storage format version {format} is not supported (this build reads version {STORAGE_FORMAT_VERSION})"
            )));
        }
        let meta: ShardMeta = self.decode(
            "meta",
            &meta.ok_or_else(|| self.damaged("record meta is missing".into()))?,
        )?;
        let last_tick: u64 = tick
            .as_deref()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| self.damaged(format!("the last tick is not a number: {tick:?}")))?;
        let (snapshot, ticks) = self.read_history(last_tick)?;
        let players = self.read_players(&snapshot)?;
        Ok(Some(StoredShard {
            meta,
            last_tick,
            snapshot,
            ticks,
            players,
        }))
    }

    /// The newest snapshot at or before `last_tick` and every tick after it, without gaps.
    fn read_history(&self, last_tick: u64) -> Result<(WorldSnapshot, Vec<TickRecord>)> {
        let newest = self
            .snapshots
            .range(..=last_tick)
            .next_back()
            .copied()
            .ok_or_else(|| self.damaged(format!("no snapshot at or before tick {last_tick}")))?;
        let raw: Option<Vec<u8>> = self.run(|con| {
            redis::cmd("HGET")
                .arg(keys::SNAPSHOTS)
                .arg(newest.to_string())
                .query(con)
        })?;
        let snapshot: WorldSnapshot = self.decode(
            &format!("snap/{newest}"),
            &raw.ok_or_else(|| self.damaged(format!("snapshot {newest} is missing")))?,
        )?;
        if last_tick == snapshot.time {
            return Ok((snapshot, Vec::new()));
        }
        let wanted: Vec<String> = (snapshot.time + 1..=last_tick)
            .map(|t| t.to_string())
            .collect();
        let raws: Vec<Option<Vec<u8>>> =
            self.run(|con| redis::cmd("HMGET").arg(keys::TICKS).arg(&wanted).query(con))?;
        let mut ticks = Vec::with_capacity(raws.len());
        for (t, raw) in (snapshot.time + 1..).zip(raws) {
            let raw = raw.ok_or_else(|| self.damaged(format!("tick record {t} is missing")))?;
            let record: TickRecord = self.decode(&format!("ticks/{t}"), &raw)?;
            if record.tick != t {
                return Err(self.damaged(format!("tick record {t} holds tick {}", record.tick)));
            }
            ticks.push(record);
        }
        Ok((snapshot, ticks))
    }

    /// Every player with an account, checked against the players the world knows.
    fn read_players(&self, snapshot: &WorldSnapshot) -> Result<Vec<PlayerRecord>> {
        let (accounts, code, budgets, memories): (Fields, Fields, Fields, Fields) =
            self.run(|con| {
                redis::pipe()
                    .atomic()
                    .hgetall(keys::ACCOUNTS)
                    .hgetall(keys::CODE)
                    .hgetall(keys::BUDGETS)
                    .hgetall(keys::MEMORIES)
                    .query(con)
            })?;
        let mut ids = Vec::with_capacity(accounts.len());
        for field in accounts.keys() {
            let id = std::str::from_utf8(field)
                .ok()
                .and_then(|f| f.parse::<u64>().ok())
                .ok_or_else(|| self.damaged("an account field is not a player id".into()))?;
            ids.push(id);
        }
        ids.sort_unstable();
        let data: Vec<Fields> = self.run(|con| {
            let mut pipe = redis::pipe();
            for id in &ids {
                pipe.hgetall(keys::memory(*id));
            }
            pipe.query(con)
        })?;
        let mut players = Vec::with_capacity(ids.len());
        for (id, fields) in ids.iter().zip(&data) {
            let required = |hash, name| self.required(hash, *id, name);
            let account: PlayerAccount =
                self.decode(&format!("player/{id}"), required(&accounts, "player")?)?;
            players.push(PlayerRecord {
                account,
                code: self.decode(&format!("code/{id}"), required(&code, "code")?)?,
                state: PlayerTickState {
                    memory: self.decode(&format!("memory/{id}"), required(&memories, "memory")?)?,
                    budget: self.decode(&format!("budget/{id}"), required(&budgets, "budget")?)?,
                    data: self.player_data(*id, fields)?,
                },
            });
        }
        if let Some(problem) = crate::storage::unknown_player(snapshot, &players) {
            return Err(self.damaged(problem));
        }
        Ok(players)
    }

    /// Player `id`'s field in one of the per-player hashes (`name` says which).
    fn required<'a>(&self, hash: &'a Fields, id: u64, name: &str) -> Result<&'a Vec<u8>> {
        hash.get(id.to_string().as_bytes())
            .ok_or_else(|| self.damaged(format!("record {name}/{id} is missing")))
    }

    /// What a player keeps besides Memory, from their Memory hash.
    fn player_data(&self, id: u64, fields: &Fields) -> Result<StoredPlayerData> {
        let mut flags = BTreeMap::new();
        for (k, raw) in fields.range(FLAG_PREFIX.to_vec()..) {
            if !k.starts_with(FLAG_PREFIX) {
                break;
            }
            let flag: isoshard_player_api::FlagRecord = self.field(id, k, raw)?;
            flags.insert(flag.name.clone(), flag);
        }
        fn read<'a>(fields: &'a Fields, key: &'a [u8]) -> Option<(&'a [u8], &'a Vec<u8>)> {
            fields.get(key).map(|raw| (key, raw))
        }
        Ok(StoredPlayerData {
            settings: self.optional(id, read(fields, SEGMENT_SETTINGS_KEY))?,
            inter_shard: self.optional(id, read(fields, INTER_SHARD_KEY))?,
            flags,
            notifications: self.optional(id, read(fields, NOTIFICATIONS_KEY))?,
            resources: self.optional(id, read(fields, RESOURCES_KEY))?,
            messages: self.optional(id, read(fields, MESSAGES_KEY))?,
        })
    }

    fn field<T: serde::de::DeserializeOwned>(&self, id: u64, key: &[u8], raw: &[u8]) -> Result<T> {
        self.decode(&format!("mem:{id}/{}", String::from_utf8_lossy(key)), raw)
    }

    /// A field's value, or the type's default when the field is absent.
    fn optional<T: serde::de::DeserializeOwned + Default>(
        &self,
        id: u64,
        found: Option<(&[u8], &Vec<u8>)>,
    ) -> Result<T> {
        match found {
            Some((key, raw)) => self.field(id, key, raw),
            None => Ok(T::default()),
        }
    }
}
