//! A player's `RawMemory` segments, segment settings, `InterShardMemory`, `Game.notify`
//! messages and flags between ticks: what the next tick hands in, and what the next commit
//! writes.
//! The rules are screeps/driver's (`lib/runtime/data.js`, `make.js`): the active segments are
//! read for the tick after `setActiveSegments`, a segment never written reads as `""`, and
//! another player's segment is handed in only while that player lists it as public.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use isoshard_player_api::{
    FlagOp, FlagRecord, ForeignSegment, PlayerDataChanges, SegmentSettings, FLAGS_LIMIT,
};
use isoshard_world::PlayerId;
use tracing::warn;

use super::PlayerState;
use crate::storage::{PlayerDataWrite, ShardStorage, StoredMessage, StoredPlayerData};

/// How many `Game.notify` messages a player keeps (newest last).
pub(crate) const NOTIFICATIONS_KEPT: usize = 50;

pub(crate) struct PlayerData {
    pub settings: SegmentSettings,
    /// The active segments' texts, as of the last tick, in `settings.active` order once
    /// loaded ([`PlayerData::missing`] lists what still has to be read).
    pub active: Vec<(u8, Arc<str>)>,
    pub inter_shard: Arc<str>,
    /// (tick, message), newest last.
    pub notifications: VecDeque<(u64, String)>,
    /// By name.
    pub flags: BTreeMap<String, FlagRecord>,
    /// `flags` as the prelude reads them, rebuilt when they change.
    pub flags_json: Arc<str>,
    /// `Game.resources` by name (pixels), and as the prelude reads them.
    pub resources: BTreeMap<String, u64>,
    pub resources_json: Arc<str>,
    /// The mailbox, oldest first, shared with the published view.
    pub messages: Arc<[StoredMessage]>,
    /// What the next commit writes.
    pub unsaved: PlayerDataWrite,
}

impl PlayerData {
    pub fn new(stored: StoredPlayerData) -> PlayerData {
        PlayerData {
            settings: stored.settings,
            active: Vec::new(),
            inter_shard: Arc::from(stored.inter_shard),
            notifications: stored.notifications.into_iter().collect(),
            flags_json: flags_json(&stored.flags),
            flags: stored.flags,
            resources_json: resources_json(&stored.resources),
            resources: stored.resources,
            messages: stored.messages.into(),
            unsaved: PlayerDataWrite::default(),
        }
    }

    /// Adds `amount` of an account resource (`Game.resources`), to be written at the commit.
    pub fn add_resource(&mut self, name: &str, amount: u64) {
        *self.resources.entry(name.to_string()).or_default() += amount;
        self.resources_json = resources_json(&self.resources);
        self.unsaved.resources = Some(self.resources.clone());
    }

    /// Active segments whose text is not held yet (after a restart or a new request).
    pub fn missing(&self) -> Vec<u8> {
        self.settings
            .active
            .iter()
            .copied()
            .filter(|id| !self.active.iter().any(|(have, _)| have == id))
            .collect()
    }

    /// A segment's text read from storage (`None`: never written, which reads as `""`).
    pub fn loaded(&mut self, id: u8, text: Option<String>) {
        let text = self
            .unsaved
            .segments
            .get(&id)
            .cloned()
            .or(text)
            .unwrap_or_default();
        self.active.retain(|(have, _)| *have != id);
        self.active.push((id, Arc::from(text)));
        self.order_active();
    }

    /// Folds one tick's changes in.
    pub fn absorb(&mut self, tick: u64, changes: PlayerDataChanges) {
        if changes.apply_settings(&mut self.settings) {
            self.unsaved.settings = Some(self.settings.clone());
        }
        for (id, text) in changes.segments {
            if let Some(slot) = self.active.iter_mut().find(|(have, _)| *have == id) {
                slot.1 = Arc::from(text.as_str());
            }
            self.unsaved.segments.insert(id, text);
        }
        let active = &self.settings.active;
        self.active.retain(|(id, _)| active.contains(id));
        self.order_active();
        if let Some(local) = changes.inter_shard {
            self.inter_shard = Arc::from(local.as_str());
            self.unsaved.inter_shard = Some(local);
        }
        self.apply_flag_ops(changes.flags);
        if !changes.notifications.is_empty() {
            for message in changes.notifications {
                if self.notifications.len() >= NOTIFICATIONS_KEPT {
                    self.notifications.pop_front();
                }
                self.notifications.push_back((tick, message));
            }
            self.unsaved.notifications = Some(self.notifications.iter().cloned().collect());
        }
    }

    /// A tick's flag changes as Screeps' room processor applies them: every removal, then
    /// every creation whose name is free, up to [`FLAGS_LIMIT`] flags.
    fn apply_flag_ops(&mut self, ops: Vec<FlagOp>) {
        if ops.is_empty() {
            return;
        }
        let mut creates = Vec::new();
        for op in ops {
            match op {
                FlagOp::Remove(name) => {
                    if self.flags.remove(&name).is_some() {
                        self.unsaved.flags.insert(name, None);
                    }
                }
                FlagOp::Create(flag) => creates.push(flag),
            }
        }
        for flag in creates {
            if self.flags.len() >= FLAGS_LIMIT || self.flags.contains_key(&flag.name) {
                continue;
            }
            self.unsaved
                .flags
                .insert(flag.name.clone(), Some(flag.clone()));
            self.flags.insert(flag.name.clone(), flag);
        }
        self.flags_json = flags_json(&self.flags);
    }

    /// The held text of segment `id` when it is active (what another player may read).
    pub fn held(&self, id: u8) -> Option<&Arc<str>> {
        self.active
            .iter()
            .find(|(have, _)| *have == id)
            .map(|(_, t)| t)
    }

    fn order_active(&mut self) {
        let order = &self.settings.active;
        self.active
            .sort_by_key(|(id, _)| order.iter().position(|a| a == id).unwrap_or(usize::MAX));
    }
}

fn flags_json(flags: &BTreeMap<String, FlagRecord>) -> Arc<str> {
    let list: Vec<serde_json::Value> = flags.values().map(FlagRecord::to_json).collect();
    Arc::from(serde_json::Value::Array(list).to_string())
}

/// Reads the active segments players do not hold yet (after a restart, or requested by the
/// last tick). A segment that cannot be read stays out of `RawMemory.segments` this tick, so
/// the player cannot overwrite what it never saw; the failure is logged.
pub(super) fn load_missing_segments(
    players: &mut BTreeMap<PlayerId, PlayerState>,
    storage: &dyn ShardStorage,
) {
    for (id, p) in players.iter_mut() {
        for n in p.data.missing() {
            match storage.read_segment(*id, n) {
                Ok(text) => p.data.loaded(n, text),
                Err(e) => {
                    warn!(player = id.0, segment = n, error = %e, "could not read a memory segment")
                }
            }
        }
    }
}

/// For each player with a foreign-segment request, the segment it reads this tick: the other
/// player's requested (or default public) segment, while that one is in their public list.
pub(super) fn foreign_segments(
    players: &BTreeMap<PlayerId, PlayerState>,
    storage: &dyn ShardStorage,
) -> BTreeMap<PlayerId, ForeignSegment> {
    let mut out = BTreeMap::new();
    for (id, p) in players {
        let Some(request) = &p.data.settings.foreign else {
            continue;
        };
        let Some((other_id, other)) = players
            .iter()
            .find(|(_, o)| o.account.name == request.username)
        else {
            continue;
        };
        let settings = &other.data.settings;
        let Some(n) = request.id.or(settings.default_public) else {
            continue;
        };
        if !settings.public.contains(&n) {
            continue;
        }
        let data = match other.data.held(n) {
            Some(text) => text.to_string(),
            None => match other.data.unsaved.segments.get(&n) {
                Some(text) => text.clone(),
                None => match storage.read_segment(*other_id, n) {
                    Ok(text) => text.unwrap_or_default(),
                    Err(e) => {
                        warn!(player = other_id.0, segment = n, error = %e, "could not read a public segment");
                        continue;
                    }
                },
            },
        };
        out.insert(
            *id,
            ForeignSegment {
                username: request.username.clone(),
                id: n,
                data,
            },
        );
    }
    out
}

/// `Game.resources` as JSON text.
fn resources_json(resources: &BTreeMap<String, u64>) -> Arc<str> {
    Arc::from(serde_json::to_string(resources).unwrap_or_else(|_| "{}".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(name: &str, x: u8) -> FlagRecord {
        FlagRecord {
            name: name.into(),
            room: "W0N0".into(),
            x,
            y: 1,
            color: 1,
            secondary_color: 1,
        }
    }

    #[test]
    fn flag_removals_apply_before_creations_and_the_cap_holds_against_a_flood() {
        let mut d = PlayerData::new(StoredPlayerData::default());
        let ops = |list: Vec<FlagOp>| PlayerDataChanges {
            flags: list,
            ..PlayerDataChanges::default()
        };
        d.absorb(1, ops(vec![FlagOp::Create(flag("a", 1))]));
        // setPosition: remove then create under the same name, the creation listed first.
        d.absorb(
            2,
            ops(vec![
                FlagOp::Create(flag("a", 9)),
                FlagOp::Remove("a".into()),
                FlagOp::Create(flag("a", 5)),
            ]),
        );
        assert_eq!(
            d.flags["a"].x, 9,
            "the first creation after the removal wins"
        );
        assert_eq!(&*d.flags_json, r#"[["a",1,1,"W0N0",9,1]]"#);
        let flood = (0..FLAGS_LIMIT + 50)
            .map(|i| FlagOp::Create(flag(&format!("f{i}"), 2)))
            .collect();
        d.absorb(3, ops(flood));
        assert_eq!(d.flags.len(), FLAGS_LIMIT);
        assert_eq!(d.unsaved.flags.len(), FLAGS_LIMIT);
    }

    #[test]
    fn a_segment_written_then_activated_reads_its_unsaved_text_and_inactive_ones_are_dropped() {
        let mut d = PlayerData::new(StoredPlayerData::default());
        d.absorb(
            1,
            PlayerDataChanges {
                segments: vec![(5, "five".into())],
                active: Some(vec![5, 7]),
                ..PlayerDataChanges::default()
            },
        );
        assert_eq!(d.missing(), [5, 7]);
        d.loaded(7, None);
        d.loaded(5, Some("stale on disk".into()));
        assert_eq!(
            d.active
                .iter()
                .map(|(id, t)| (*id, t.to_string()))
                .collect::<Vec<_>>(),
            [(5, "five".to_string()), (7, String::new())]
        );
        d.absorb(
            2,
            PlayerDataChanges {
                active: Some(vec![7]),
                ..PlayerDataChanges::default()
            },
        );
        assert_eq!(d.active.len(), 1);
        assert!(d.missing().is_empty());
        assert!(d.unsaved.settings.is_some());
    }
}
