//! What players see: per-room object lists with Screeps' field names, built once per tick and
//! shared by every player who sees the room.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::constants::{CONTROLLER_LEVELS, LAB_MINERAL_CAPACITY};
use crate::game_world::GameWorld;
use crate::geometry::RoomId;
use crate::object::*;
use crate::state::RecordRef;

/// One body part as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPartView {
    #[serde(rename = "type")]
    pub kind: String,
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

/// An object as JavaScript receives it. Fields not applying to the object's type are absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticks_to_live: Option<u32>,
    /// Creeps: whether still inside the spawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawning: Option<bool>,
    /// Spawns: the creep being spawned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawn_job: Option<SpawningView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saying: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saying_public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_total: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticks_to_downgrade: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticks_to_regeneration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mineral_type: Option<String>,
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
    pub reservation: Option<ReservationView>,
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
    pub sign: Option<SignView>,
    /// Structures that cool down (links): ticks left, absent when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooldown: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
    /// Ruins: the structure destroyed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruin_structure: Option<RuinStructureView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destroy_time: Option<u64>,
    /// Applied effects as `(effect, ticksRemaining)` (`RoomObject.effects`); absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<(u32, u64)>>,
    /// Deposits: what they give (`depositType`) and the cooldown of their last harvest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_cooldown: Option<u32>,
}

impl ObjectView {
    fn controller(
        rec: &RecordRef<'_>,
        c: &Controller,
        room: &str,
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
        v.ticks_to_downgrade = (c.level > 0).then_some(c.ticks_to_downgrade);
        let name = |p: PlayerId| names.get(&p).cloned().unwrap_or_default();
        v.reservation = c.reservation.as_ref().map(|r| ReservationView {
            username: name(r.player),
            ticks_to_end: r.ticks_to_end,
        });
        let ticks = |t: u32| (t > 0).then_some(t);
        v.safe_mode = ticks(c.safe_mode);
        v.safe_mode_available = Some(c.safe_mode_available);
        v.safe_mode_cooldown = ticks(c.safe_mode_cooldown);
        v.upgrade_blocked = ticks(c.upgrade_blocked);
        v.sign = c.sign.as_ref().map(|s| SignView {
            username: name(s.player),
            text: s.text.clone(),
            time: s.time,
        });
        v
    }

    fn base(
        rec: &RecordRef<'_>,
        kind: &str,
        room: &str,
        names: &BTreeMap<PlayerId, String>,
    ) -> Self {
        ObjectView {
            id: rec.id.to_js(),
            kind: kind.to_string(),
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
            ticks_to_live: None,
            spawning: None,
            spawn_job: None,
            saying: None,
            saying_public: None,
            structure_type: None,
            level: None,
            progress: None,
            progress_total: None,
            ticks_to_downgrade: None,
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
        v.ticks_to_live = (c.ticks_to_live != crate::npc::KEEPER_LIFE).then_some(c.ticks_to_live);
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
            ObjectKind::Creep(c) => Self::creep(rec, c, room, names),
            ObjectKind::Spawn(s) => {
                let mut v = Self::base(rec, "spawn", room, names);
                store(&mut v);
                v.structure_type = Some("spawn".into());
                v.name = Some(s.name.clone());
                v.spawn_job = s.spawning.as_ref().map(|sp| SpawningView {
                    name: sp.name.clone(),
                    need_time: sp.need_time,
                    remaining_time: sp.remaining_time,
                    directions: sp.directions.iter().map(|d| *d as u8).collect(),
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
            ObjectKind::Controller(c) => Self::controller(rec, c, room, names),
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
                v.ruin_structure = Some(RuinStructureView {
                    id: r.structure.to_js(),
                    structure_type: r.structure_kind.as_str().into(),
                    hits_max: r.hits_max,
                    owner: r.structure_owner.and_then(|p| names.get(&p).cloned()),
                });
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
    pub objects: Vec<ObjectView>,
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
        self.build_views(false)
    }

    /// [`GameWorld::views`] of only the rooms some player sees: what a shard copies into the
    /// player runtimes each tick (a large map's other rooms cost nothing then).
    pub fn player_views(&self) -> WorldViews {
        self.build_views(true)
    }

    fn build_views(&self, seen_only: bool) -> WorldViews {
        let tick = self.time();
        let npcs = [crate::npc::INVADER, crate::npc::SOURCE_KEEPER];
        let names: BTreeMap<PlayerId, String> = self
            .players()
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .chain(
                npcs.iter()
                    .filter_map(|p| Some((*p, crate::npc::npc_name(*p)?.into()))),
            )
            .collect();
        let map = self.map();
        // Grouped by room and sorted by id within each: the order each room lists its objects.
        let by_room = crate::state::records_by_room(&self.world, map.rooms.len());
        let mut visible: BTreeMap<PlayerId, BTreeSet<RoomId>> = BTreeMap::new();
        for rec in (0..by_room.rooms()).flat_map(|i| by_room.room(i)) {
            if let (Some(p), false) = (
                rec.owner,
                matches!(rec.kind, ObjectKind::ConstructionSite(_)),
            ) {
                visible.entry(p).or_default().insert(rec.pos.room);
            }
        }
        if let Some(observed) = self.world.get_resource::<crate::state::Observations>() {
            for (p, rooms) in &observed.0 {
                visible.entry(*p).or_default().extend(rooms.iter().copied());
            }
        }
        let seen: BTreeSet<RoomId> = visible.values().flatten().copied().collect();
        // Indexed by room id: one lookup per object, not a search by name.
        let mut rooms: Vec<Option<RoomView>> = map
            .rooms
            .iter()
            .map(|r| {
                (!seen_only || seen.contains(&r.id)).then(|| RoomView {
                    name: r.name.clone(),
                    tick,
                    // Sized once: a view is large, and growing the list copies every one.
                    objects: Vec::with_capacity(by_room.room(r.id.0 as usize).len()),
                    events: self
                        .events()
                        .by_room
                        .get(&r.id)
                        .cloned()
                        .unwrap_or_default(),
                })
            })
            .collect();
        let quiet = &self.world.resource::<crate::state::Quiet>().0;
        for (i, slot) in rooms.iter_mut().enumerate() {
            let Some(r) = slot else { continue };
            for rec in by_room.room(i) {
                let mut view = ObjectView::of_ref(rec, &r.name, tick, &names);
                if quiet.contains(rec.id) {
                    view.quiet = Some(true);
                }
                r.objects.push(view);
            }
        }
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
                            .view_for(p.id, &names, |r| map.get(r).name.clone()),
                    },
                )
            })
            .collect();
        let rooms = rooms
            .into_iter()
            .flatten()
            .map(|r| (r.name.clone(), r))
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
