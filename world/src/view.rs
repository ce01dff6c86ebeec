//! What players see: per-room object lists with Screeps' field names, built once per tick and
//! shared by every player who sees the room.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::constants::{CONTROLLER_LEVELS, LAB_MINERAL_CAPACITY};
use crate::game_world::GameWorld;
use crate::geometry::{Position, RoomId};
use crate::object::*;
use crate::state::RecordRef;

/// One body part as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPartView {
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    pub hits: u32,
    /// The compound boosting the part (`boost`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<ResourceKind>,
}

/// A spawn's current job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpawningView {
    pub name: String,
    pub need_time: u32,
    pub remaining_time: u32,
    /// `setDirections`' order; empty when none was set.
    #[serde(default)]
    pub directions: Vec<u8>,
}

/// A controller's reservation as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservationView {
    pub username: String,
    pub ticks_to_end: u32,
}

/// A controller's sign as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignView {
    pub username: String,
    pub text: String,
    pub time: u64,
}

/// What a ruin shows of the structure it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuinStructureView {
    pub id: String,
    pub structure_type: String,
    pub hits_max: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// An encoding of a view that its consumer keeps with it (the player API's wire text). A view
/// is immutable once built and handed out again from tick to tick while its object does not
/// change (`view_cache.rs`), so it is encoded once. Not part of the view's value: never
/// serialized or compared, and a clone starts without it (a clone may be edited).
#[derive(Default)]
pub struct KeptEncoding(std::sync::OnceLock<Box<str>>);

impl KeptEncoding {
    /// The kept text, made by `encode` on first use.
    pub fn get_or_init(&self, encode: impl FnOnce() -> String) -> &str {
        self.0.get_or_init(|| encode().into_boxed_str())
    }

    /// The kept text, if made.
    pub fn get(&self) -> Option<&str> {
        self.0.get().map(|t| &**t)
    }
}

impl Clone for KeptEncoding {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for KeptEncoding {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for KeptEncoding {}

impl std::fmt::Debug for KeptEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeptEncoding")
    }
}

/// An object as JavaScript receives it. Fields not applying to the object's type are absent.
/// Build a new view rather than editing one that was encoded: the kept encoding would not follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Cow<'static, str>,
    pub x: u8,
    pub y: u8,
    pub room: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits_max: Option<u32>,
    /// Sources only (a store's energy is in `store`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy_capacity: Option<u32>,
    /// What the object holds, by resource (Screeps' `store`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<Vec<(ResourceKind, u32)>>,
    /// `storeCapacity`: the total a general store holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_capacity: Option<u32>,
    /// `storeCapacityResource`: resources with a capacity of their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_capacity_resource: Option<Vec<(ResourceKind, u32)>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Vec<BodyPartView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatigue: Option<u32>,
    /// Creeps: the game time at which the creep dies (Screeps' `ageTime`; `ticksToLive` is it
    /// less the time). A time, not a count, so that a creep's view does not change only
    /// because it aged: the view, and its encoding, are kept then (`view_cache.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_time: Option<u64>,
    /// Creeps: whether still inside the spawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawning: Option<bool>,
    /// Spawns: the creep being spawned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawn_job: Option<Box<SpawningView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saying: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saying_public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure_type: Option<Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_total: Option<u32>,
    /// Owned controllers: the game time of the downgrade (Screeps' `downgradeTime`;
    /// `ticksToDowngrade` is it less the time), a time for the same reason as `age_time`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downgrade_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticks_to_regeneration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mineral_type: Option<Cow<'static, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mineral_amount: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub density: Option<u8>,
    /// Nukes: ticks until they land, and where they came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_land: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_room_name: Option<String>,
    /// `Some(true)` when its owner turned `notifyWhenAttacked` off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub death_time: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticks_to_decay: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creep_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Box<ReservationView>>,
    /// Controllers: safe mode, its cooldown and blocked upgrades, in ticks left (absent when 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safe_mode: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safe_mode_available: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safe_mode_cooldown: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_blocked: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign: Option<Box<SignView>>,
    /// Structures that cool down (links): ticks left, absent when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooldown: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
    /// Ruins: the structure destroyed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruin_structure: Option<Box<RuinStructureView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destroy_time: Option<u64>,
    /// Applied effects as `(effect, ticksRemaining)` (`RoomObject.effects`); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<(u32, u64)>>,
    /// Deposits: what they give (`depositType`) and the cooldown of their last harvest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_type: Option<Cow<'static, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_cooldown: Option<u32>,
    /// The consumer's encoding of this view, made once (see [`KeptEncoding`]).
    #[serde(skip)]
    pub kept: KeptEncoding,
}

impl ObjectView {
    fn controller(
        rec: &RecordRef<'_>,
        c: &Controller,
        room: &str,
        tick: u64,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        let mut v = Self::base(rec, "controller", room, names);
        v.structure_type = Some("controller".into());
        v.level = Some(c.level);
        v.progress = (c.level > 0).then_some(c.progress);
        v.progress_total = CONTROLLER_LEVELS
            .get(c.level as usize)
            .copied()
            .filter(|t| *t > 0);
        v.downgrade_time = (c.level > 0).then_some(tick + u64::from(c.ticks_to_downgrade));
        let name = |p: PlayerId| names.get(&p).cloned().unwrap_or_default();
        v.reservation = c.reservation.as_ref().map(|r| {
            Box::new(ReservationView {
                username: name(r.player),
                ticks_to_end: r.ticks_to_end,
            })
        });
        let ticks = |t: u32| (t > 0).then_some(t);
        v.safe_mode = ticks(c.safe_mode);
        v.safe_mode_available = Some(c.safe_mode_available);
        v.safe_mode_cooldown = ticks(c.safe_mode_cooldown);
        v.upgrade_blocked = ticks(c.upgrade_blocked);
        v.sign = c.sign.as_ref().map(|s| {
            Box::new(SignView {
                username: name(s.player),
                text: s.text.clone(),
                time: s.time,
            })
        });
        v
    }

    fn base(
        rec: &RecordRef<'_>,
        kind: &'static str,
        room: &str,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        ObjectView {
            id: rec.id.to_js(),
            kind: Cow::Borrowed(kind),
            x: rec.pos.x,
            y: rec.pos.y,
            room: room.to_string(),
            owner: rec.owner.and_then(|p| names.get(&p).cloned()),
            hits: rec.hits.map(|h| h.hits),
            hits_max: rec.hits.map(|h| h.max),
            energy: None,
            energy_capacity: None,
            store: None,
            store_capacity: None,
            store_capacity_resource: None,
            name: None,
            body: None,
            fatigue: None,
            age_time: None,
            spawning: None,
            spawn_job: None,
            saying: None,
            saying_public: None,
            structure_type: None,
            level: None,
            progress: None,
            progress_total: None,
            downgrade_time: None,
            ticks_to_regeneration: None,
            resource_type: None,
            amount: None,
            mineral_type: None,
            mineral_amount: None,
            density: None,
            quiet: None,
            time_to_land: None,
            launch_room_name: None,
            death_time: None,
            ticks_to_decay: None,
            creep_name: None,
            reservation: None,
            safe_mode: None,
            safe_mode_available: None,
            safe_mode_cooldown: None,
            upgrade_blocked: None,
            sign: None,
            cooldown: rec.cooldown.map(|c| c.ticks),
            is_public: None,
            ruin_structure: None,
            destroy_time: None,
            effects: None,
            deposit_type: None,
            last_cooldown: None,
            kept: KeptEncoding::default(),
        }
    }

    /// Screeps' `store`, `storeCapacity` and `storeCapacityResource` of a store.
    fn show_store(&mut self, s: &Store) {
        self.store = Some(s.contents().to_vec());
        // A lab holding a mineral has no total (transfer.js sets it to null).
        let lab_with_mineral = s.limit == StoreLimit::Lab && s.mineral().is_some();
        self.store_capacity = s.limit.total().filter(|_| !lab_with_mineral);
        let per = s.limit.per_resource();
        self.store_capacity_resource = match s.limit {
            StoreLimit::Energy(n) => Some(vec![(ResourceKind::Energy, n)]),
            // transfer.js: a lab holding a mineral has a capacity of its own for it.
            StoreLimit::Lab => Some(
                per.iter()
                    .copied()
                    .chain(s.mineral().map(|m| (m, LAB_MINERAL_CAPACITY)))
                    .collect(),
            ),
            _ if per.is_empty() => None,
            _ => Some(per.to_vec()),
        };
    }

    fn nuke(rec: &RecordRef<'_>, n: &Nuke, room: &str, names: &BTreeMap<PlayerId, String>) -> Self {
        let mut v = Self::base(rec, "nuke", room, names);
        v.time_to_land = Some(n.time_to_land);
        v.launch_room_name = Some(n.launch_room.clone());
        v
    }

    fn creep(
        rec: &RecordRef<'_>,
        c: &Creep,
        room: &str,
        tick: u64,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        let mut v = Self::base(rec, "creep", room, names);
        if let Some(st) = rec.store {
            v.show_store(st);
        }
        v.name = Some(c.name.clone());
        v.body = Some(
            c.body
                .iter()
                .map(|p| BodyPartView {
                    kind: p.kind.as_str().into(),
                    hits: p.hits,
                    boost: p.boost,
                })
                .collect(),
        );
        v.fatigue = Some(c.fatigue);
        // A keeper has no age: `ticksToLive` is undefined.
        // A keeper has no age, and a creep still in its spawn none yet (its timer waits):
        // `ticksToLive` is undefined.
        v.age_time = (!c.spawning && c.ticks_to_live != crate::npc::KEEPER_LIFE)
            .then_some(tick + u64::from(c.ticks_to_live));
        v.spawning = Some(c.spawning);
        if let Some(s) = &c.saying {
            v.saying = Some(s.message.clone());
            v.saying_public = Some(s.public);
        }
        v
    }

    /// The world's own objects: lesser invader cores, power banks and deposits.
    fn world_owned(
        rec: &RecordRef<'_>,
        room: &str,
        tick: u64,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        let until = |t: u64| u32::try_from(t.saturating_sub(tick)).unwrap_or(u32::MAX);
        match &rec.kind {
            ObjectKind::InvaderCore(core) => {
                let mut v = Self::base(rec, "invaderCore", room, names);
                v.structure_type = Some("invaderCore".into());
                v.level = Some(core.level);
                v.effects = Some(vec![(
                    crate::constants::EFFECT_COLLAPSE_TIMER,
                    core.collapse_time.saturating_sub(tick),
                )]);
                v
            }
            ObjectKind::PowerBank(bank) => {
                let mut v = Self::base(rec, "powerBank", room, names);
                if let Some(st) = rec.store {
                    v.show_store(st);
                }
                v.structure_type = Some("powerBank".into());
                v.ticks_to_decay = Some(until(bank.decay_time));
                v
            }
            ObjectKind::Deposit(d) => {
                let mut v = Self::base(rec, "deposit", room, names);
                v.deposit_type = Some(d.deposit_type.as_str().into());
                v.last_cooldown = Some(crate::rules::deposit_cooldown(d.harvested));
                v.ticks_to_decay = Some(until(d.decay_time));
                v
            }
            _ => Self::base(rec, "object", room, names),
        }
    }

    /// The view of one record at game time `tick`.
    pub fn of(
        rec: &ObjectRecord,
        room: &str,
        tick: u64,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        let borrowed = RecordRef {
            id: &rec.id,
            pos: &rec.pos,
            owner: rec.owner,
            hits: rec.hits.as_ref(),
            store: rec.store.as_ref(),
            decay: rec.decay.as_ref(),
            cooldown: rec.cooldown.as_ref(),
            kind: &rec.kind,
        };
        Self::of_ref(&borrowed, room, tick, names)
    }

    /// The view of one object as the world holds it (no copy of it first).
    pub(crate) fn of_ref(
        rec: &RecordRef<'_>,
        room: &str,
        tick: u64,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        let store = |v: &mut ObjectView| {
            if let Some(st) = &rec.store {
                v.show_store(st);
            }
        };
        match &rec.kind {
            ObjectKind::Creep(c) => Self::creep(rec, c, room, tick, names),
            ObjectKind::Spawn(s) => {
                let mut v = Self::base(rec, "spawn", room, names);
                store(&mut v);
                v.structure_type = Some("spawn".into());
                v.name = Some(s.name.clone());
                v.spawn_job = s.spawning.as_ref().map(|sp| {
                    Box::new(SpawningView {
                        name: sp.name.clone(),
                        need_time: sp.need_time,
                        remaining_time: sp.remaining_time,
                        directions: sp.directions.iter().map(|d| *d as u8).collect(),
                    })
                });
                v
            }
            ObjectKind::Structure(k) => {
                let mut v = Self::base(rec, k.as_str(), room, names);
                store(&mut v);
                v.structure_type = Some(k.as_str().into());
                if let Some(d) = rec.decay {
                    v.ticks_to_decay = Some(d.ticks);
                }
                v
            }
            ObjectKind::Controller(c) => Self::controller(rec, c, room, tick, names),
            ObjectKind::Source(s) => {
                let mut v = Self::base(rec, "source", room, names);
                v.energy = Some(s.energy);
                v.energy_capacity = Some(s.capacity);
                v.ticks_to_regeneration = s.ticks_to_regeneration;
                v
            }
            ObjectKind::Mineral(m) => {
                let mut v = Self::base(rec, "mineral", room, names);
                v.mineral_type = Some(m.mineral_type.as_str().into());
                v.mineral_amount = Some(m.amount);
                v.density = Some(m.density);
                v.ticks_to_regeneration = m.ticks_to_regeneration;
                v
            }
            ObjectKind::ConstructionSite(s) => {
                let mut v = Self::base(rec, "constructionSite", room, names);
                v.structure_type = Some(s.structure.as_str().into());
                v.progress = Some(s.progress);
                v.progress_total = Some(s.total);
                v
            }
            ObjectKind::Rampart(r) => {
                let mut v = Self::base(rec, "rampart", room, names);
                v.structure_type = Some("rampart".into());
                v.is_public = Some(r.is_public);
                v.ticks_to_decay = rec.decay.map(|d| d.ticks);
                v
            }
            ObjectKind::Resource => {
                let mut v = Self::base(rec, "energy", room, names);
                let (resource, amount) = rec
                    .store
                    .as_ref()
                    .and_then(|s| s.contents().first().copied())
                    .unwrap_or((ResourceKind::Energy, 0));
                v.resource_type = Some(resource.as_str().into());
                v.amount = Some(amount);
                v
            }
            ObjectKind::Ruin(r) => {
                let mut v = Self::base(rec, "ruin", room, names);
                store(&mut v);
                v.destroy_time = Some(r.destroy_time);
                v.ticks_to_decay = Some(r.ticks_to_decay);
                v.ruin_structure = Some(Box::new(RuinStructureView {
                    id: r.structure.to_js(),
                    structure_type: r.structure_kind.as_str().into(),
                    hits_max: r.hits_max,
                    owner: r.structure_owner.and_then(|p| names.get(&p).cloned()),
                }));
                v
            }
            ObjectKind::Nuke(n) => Self::nuke(rec, n, room, names),
            ObjectKind::InvaderCore(_) | ObjectKind::PowerBank(_) | ObjectKind::Deposit(_) => {
                Self::world_owned(rec, room, tick, names)
            }
            ObjectKind::Tombstone(t) => {
                let mut v = Self::base(rec, "tombstone", room, names);
                store(&mut v);
                v.death_time = Some(t.death_time);
                v.ticks_to_decay = Some(t.ticks_to_decay);
                v.creep_name = Some(t.creep_name.clone());
                v
            }
        }
    }
}

/// Every object in one room at one tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub name: String,
    pub tick: u64,
    /// Shared: an object that did not change keeps its view from tick to tick.
    pub objects: Vec<Arc<ObjectView>>,
    /// What happened in the room during the last tick (`Room.getEventLog`).
    #[serde(default)]
    pub events: Vec<crate::events::RoomEvent>,
}

/// What one player can see this tick: the rooms where they own something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayerView {
    pub tick: u64,
    pub player: PlayerId,
    pub username: String,
    pub rooms: Vec<String>,
    /// Global control points (`Game.gcl` derives from them).
    pub gcl: u64,
    /// Credits and terminal transactions (`Game.market`).
    pub market: crate::market::MarketView,
}

/// All views of one tick: each room once, each player's list of visible rooms, and the
/// market everyone shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldViews {
    pub tick: u64,
    pub rooms: BTreeMap<String, RoomView>,
    pub players: BTreeMap<PlayerId, PlayerView>,
    /// Active orders (`Game.market.getAllOrders`).
    pub orders: Vec<crate::orders::OrderView>,
    /// `Game.market.getHistory`.
    pub history: Vec<crate::orders::HistoryView>,
}

impl GameWorld {
    /// Builds every room's view once, and each player's visible-room list.
    pub fn views(&self) -> WorldViews {
        let tick = self.time();
        let names = self.view_names();
        let visible = self.visible_rooms();
        let by_room = crate::state::records_by_room(&self.world, self.map().rooms.len());
        let quiet = &self.world.resource::<crate::state::Quiet>().0;
        self.assemble_views(&names, &visible, None, |room, name| {
            by_room
                .room(room)
                .iter()
                .map(|rec| {
                    let mut view = ObjectView::of_ref(rec, name, tick, &names);
                    if quiet.contains(rec.id) {
                        view.quiet = Some(true);
                    }
                    Arc::new(view)
                })
                .collect()
        })
    }

    /// Every player's and NPC's name by id, as views show owners.
    pub(crate) fn view_names(&self) -> BTreeMap<PlayerId, String> {
        let npcs = [crate::npc::INVADER, crate::npc::SOURCE_KEEPER];
        self.players()
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .chain(
                npcs.iter()
                    .filter_map(|p| Some((*p, crate::npc::npc_name(*p)?.into()))),
            )
            .collect()
    }

    /// The rooms each player sees: where they own an object other than a construction site,
    /// and what their observers look at.
    pub(crate) fn visible_rooms(&self) -> BTreeMap<PlayerId, BTreeSet<RoomId>> {
        let mut visible: BTreeMap<PlayerId, BTreeSet<RoomId>> = BTreeMap::new();
        if let Some(mut owned) = self.world.try_query::<(&Position, &Owner, &ObjectKind)>() {
            for (pos, owner, kind) in owned.iter(&self.world) {
                if !matches!(kind, ObjectKind::ConstructionSite(_)) {
                    visible.entry(owner.0).or_default().insert(pos.room);
                }
            }
        }
        if let Some(observed) = self.world.get_resource::<crate::state::Observations>() {
            for (p, rooms) in &observed.0 {
                visible.entry(*p).or_default().extend(rooms.iter().copied());
            }
        }
        visible
    }

    /// The views of the rooms marked in `seen` (every room when `None`), their objects from
    /// `objects_of(room number, room name)`, and every player's view.
    pub(crate) fn assemble_views(
        &self,
        names: &BTreeMap<PlayerId, String>,
        visible: &BTreeMap<PlayerId, BTreeSet<RoomId>>,
        seen: Option<&[bool]>,
        mut objects_of: impl FnMut(usize, &str) -> Vec<Arc<ObjectView>>,
    ) -> WorldViews {
        let tick = self.time();
        let map = self.map();
        let rooms = map
            .rooms
            .iter()
            .filter(|r| seen.is_none_or(|s| s.get(r.id.0 as usize).copied().unwrap_or(false)))
            .map(|r| {
                let view = RoomView {
                    name: r.name.clone(),
                    tick,
                    objects: objects_of(r.id.0 as usize, &r.name),
                    events: self
                        .events()
                        .by_room
                        .get(&r.id)
                        .cloned()
                        .unwrap_or_default(),
                };
                (r.name.clone(), view)
            })
            .collect();
        let players = self
            .players()
            .iter()
            .map(|p| {
                // By name, as players have always received them (Game.rooms' order).
                let rooms: BTreeSet<String> = visible
                    .get(&p.id)
                    .map(|s| s.iter().map(|id| map.get(*id).name.clone()).collect())
                    .unwrap_or_default();
                let rooms = rooms.into_iter().collect();
                (
                    p.id,
                    PlayerView {
                        tick,
                        player: p.id,
                        username: p.name.clone(),
                        rooms,
                        gcl: p.gcl,
                        market: self
                            .market()
                            .view_for(p.id, names, |r| map.get(r).name.clone()),
                    },
                )
            })
            .collect();
        WorldViews {
            tick,
            rooms,
            players,
            orders: self.market().active_orders(|r| map.get(r).name.clone()),
            history: self.market().history_views(),
        }
    }

    /// One room's view.
    pub fn room_view(&self, room: &str) -> Option<RoomView> {
        let mut views = self.views();
        views.rooms.remove(room)
    }
}
