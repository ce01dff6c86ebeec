//! Host-side validation of every intent, in Screeps' check order, against the state at tick
//! start. JavaScript computes the same codes as a courtesy; these are the ones that count.
//!
//! The phase is two systems: [`clear_last_says`] (last tick's `say` bubbles go) and
//! [`validate_intents`], which reads objects through a read-only query and a [`Census`] taken
//! once, and writes only [`Accepted`] and the tick's return codes. Checks for creep actions
//! are in `creep_actions`, for spawns, sites and towers in `structures`.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::census::{Census, Object, ObjectData};
use super::{TickInput, TickReport};
use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId};
use crate::intent::Intent;
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::{ObjectIndex, Players};

mod controllers;
mod creep_actions;
mod labs;
mod market;
mod structures;
mod terminals;

pub(crate) use labs::LabIntents;
pub(crate) use structures::next_to_open_exit;
pub(crate) use terminals::{rooms_distance, TerminalSend};

/// The creep actions Screeps lets block each other (`processor/intents/creeps/intents.js`,
/// `priorities`): an action runs only when none of the actions it yields to was asked for in
/// the same tick. The rest (transfer, move, upgrade, claim, …) never block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WorkKind {
    Heal,
    RangedHeal,
    AttackController,
    Dismantle,
    Repair,
    Build,
    Attack,
    Harvest,
    RangedMassAttack,
    RangedAttack,
}

impl WorkKind {
    /// The actions that cancel this one when asked for in the same tick.
    fn yields_to(self) -> &'static [WorkKind] {
        use WorkKind::*;
        match self {
            Heal => &[],
            RangedHeal => &[Heal],
            AttackController => &[RangedHeal, Heal],
            Dismantle => &[AttackController, RangedHeal, Heal],
            Repair => &[Dismantle, AttackController, RangedHeal, Heal],
            Build => &[Repair, Dismantle, AttackController, RangedHeal, Heal],
            Attack => &[Build, Repair, Dismantle, AttackController, RangedHeal, Heal],
            Harvest => &[
                Attack,
                Build,
                Repair,
                Dismantle,
                AttackController,
                RangedHeal,
                Heal,
            ],
            RangedMassAttack => &[Build, Repair, RangedHeal],
            RangedAttack => &[RangedMassAttack, Build, Repair, RangedHeal],
        }
    }
}

/// One accepted action of the blocking group and its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WorkAction {
    pub kind: WorkKind,
    pub target: ObjectId,
}

/// The actions of one creep's set that run: those not cancelled by another in the set.
pub(crate) fn runnable(asked: &BTreeMap<WorkKind, ObjectId>) -> Vec<WorkAction> {
    asked
        .iter()
        .filter(|(kind, _)| !kind.yields_to().iter().any(|k| asked.contains_key(k)))
        .map(|(kind, target)| WorkAction {
            kind: *kind,
            target: *target,
        })
        .collect()
}

/// A tower's one action per tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TowerAction {
    Attack(ObjectId),
    Heal(ObjectId),
    Repair(ObjectId),
}

/// Accepted intents, one per kind per object (a later intent of the same kind replaces an
/// earlier one, as in Screeps).
#[derive(Resource, Debug, Default)]
pub(crate) struct Accepted {
    pub moves: BTreeMap<ObjectId, Direction>,
    /// Creep → the adjacent creep whose tile it steps onto (`move(creep)`).
    pub moves_to: BTreeMap<ObjectId, ObjectId>,
    /// Puller → pulled creep.
    pub pulls: BTreeMap<ObjectId, ObjectId>,
    /// Pulled creep → its puller, as movement settled them (upkeep passes spare MOVE power
    /// up the chain).
    pub pulled_by: BTreeMap<ObjectId, ObjectId>,
    /// Per creep, the blocking-group actions asked for (one per kind, the last wins); the
    /// phases run only [`runnable`] ones.
    pub work: BTreeMap<ObjectId, BTreeMap<WorkKind, ObjectId>>,
    pub upgrades: BTreeMap<ObjectId, ObjectId>,
    pub claims: BTreeMap<ObjectId, ObjectId>,
    pub reserves: BTreeMap<ObjectId, ObjectId>,
    pub signs: BTreeMap<ObjectId, (ObjectId, String)>,
    /// Creep → the controller it gives a safe mode (`generateSafeMode`).
    pub safe_mode_gifts: BTreeMap<ObjectId, ObjectId>,
    pub unclaims: BTreeSet<ObjectId>,
    /// Per player, the one controller asked to enter safe mode (the last asked wins).
    pub safe_modes: BTreeMap<PlayerId, ObjectId>,
    pub transfers: BTreeMap<ObjectId, (ObjectId, ResourceKind, u32)>,
    pub withdraws: BTreeMap<ObjectId, (ObjectId, ResourceKind, u32)>,
    pub pickups: BTreeMap<ObjectId, ObjectId>,
    pub drops: BTreeMap<ObjectId, (ResourceKind, u32)>,
    pub says: BTreeMap<ObjectId, Saying>,
    pub suicides: BTreeSet<ObjectId>,
    /// Creeps a spawn recycles this tick.
    pub recycles: BTreeSet<ObjectId>,
    /// Spawn → the creep it renews (one a tick, the last asked).
    pub renews: BTreeMap<ObjectId, ObjectId>,
    pub removed_sites: BTreeSet<ObjectId>,
    /// Spawn → where its creep may step out (applied after this tick's spawning starts).
    pub spawn_directions: BTreeMap<ObjectId, Vec<Direction>>,
    pub cancels: BTreeSet<ObjectId>,
    pub destroys: BTreeSet<ObjectId>,
    pub towers: BTreeMap<ObjectId, TowerAction>,
    /// Rampart → whether public from now on.
    pub publics: BTreeMap<ObjectId, bool>,
    /// Link → (target link, amount).
    pub links: BTreeMap<ObjectId, (ObjectId, u32)>,
    /// Lab → what it was asked to do this tick.
    pub labs: BTreeMap<ObjectId, LabIntents>,
    /// Object → whether it notifies its owner when attacked.
    pub notify: BTreeMap<ObjectId, bool>,
    /// Nuker → where its nuke lands.
    pub launches: BTreeMap<ObjectId, Position>,
    /// Power spawns asked to process power this tick.
    pub power: BTreeSet<ObjectId>,
    /// Factory → what it produces this tick.
    pub produces: BTreeMap<ObjectId, ResourceKind>,
    /// Observer → the room it looks into this tick.
    pub observations: BTreeMap<ObjectId, RoomId>,
    /// Terminal → what it sends (the last `send` asked).
    pub sends: BTreeMap<ObjectId, TerminalSend>,
    /// Market intents (`createOrder`, `deal`, …) in validation order.
    pub market: Vec<(PlayerId, Intent)>,
    /// In validation order (player order, then submission order).
    pub spawns: Vec<AcceptedSpawn>,
    /// Spawns and extensions switched off at the tick's start (their energy does not spawn).
    pub off_energy: BTreeSet<ObjectId>,
    pub sites: Vec<(PlayerId, Position, StructureKind)>,
}

/// One accepted `spawnCreep`.
#[derive(Debug, Clone)]
pub(crate) struct AcceptedSpawn {
    pub player: PlayerId,
    pub spawn: ObjectId,
    pub body: Vec<BodyPartKind>,
    pub name: String,
    /// `energyStructures`, when given: where the energy comes from, in order.
    pub energy_from: Option<Vec<ObjectId>>,
}

/// Per-tick bookkeeping so that intents of one tick see each other where Screeps does.
#[derive(Default)]
struct Pending {
    names: BTreeSet<(PlayerId, String)>,
    busy_spawns: BTreeSet<ObjectId>,
    reserved_energy: BTreeMap<RoomId, u32>,
    sites: BTreeMap<PlayerId, usize>,
    site_tiles: BTreeSet<Position>,
    site_kinds: BTreeMap<(RoomId, StructureKind), usize>,
    claims: BTreeMap<PlayerId, usize>,
    market: BTreeMap<PlayerId, market::MarketPending>,
}

struct Validator<'a, 'w, 's> {
    objects: &'a Query<'w, 's, ObjectData>,
    index: &'a ObjectIndex,
    census: Census<'a>,
    map: &'a RoomMap,
    players: &'a Players,
    market: &'a crate::market::Market,
    pending: Pending,
    accepted: Accepted,
}

type Check<T> = Result<T, ReturnCode>;

impl<'a> Validator<'a, '_, '_> {
    fn get(&self, id: ObjectId) -> Option<Object<'a>> {
        let entity = *self.index.by_id.get(&id)?;
        self.objects.get(entity).ok()
    }

    /// The object an intent is about (not its target): missing is `ERR_NOT_FOUND`, another
    /// kind `ERR_INVALID_ARGS`.
    fn acting(&self, id: ObjectId, is: fn(&ObjectKind) -> bool) -> Check<Object<'a>> {
        let o = self.get(id).ok_or(ReturnCode::NotFound)?;
        if !is(o.kind) {
            return Err(ReturnCode::InvalidArgs);
        }
        Ok(o)
    }

    /// Your creep, not spawning.
    fn own_creep(&self, player: PlayerId, id: ObjectId) -> Check<(Object<'a>, &'a Creep)> {
        let o = self.get(id).ok_or(ReturnCode::NotFound)?;
        let ObjectKind::Creep(c) = o.kind else {
            return Err(ReturnCode::InvalidArgs);
        };
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if c.spawning {
            return Err(ReturnCode::Busy);
        }
        Ok((o, c))
    }

    /// Your creep with an active WORK part and energy (build, repair, upgrade share this).
    fn working_creep(&self, player: PlayerId, id: ObjectId) -> Check<Object<'a>> {
        let (o, c) = self.own_creep(player, id)?;
        if c.active(BodyPartKind::Work) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if o.energy() == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        Ok(o)
    }

    fn target(&self, id: ObjectId) -> Check<Object<'a>> {
        self.get(id).ok_or(ReturnCode::InvalidTarget)
    }

    fn controller_of(&self, room: RoomId) -> Option<(Object<'a>, &'a Controller)> {
        let o = self
            .objects
            .get(*self.census.controllers.get(&room)?)
            .ok()?;
        match o.kind {
            ObjectKind::Controller(c) => Some((o, c)),
            _ => None,
        }
    }

    /// Level of the room's controller if `player` owns it, else 0.
    fn own_level(&self, player: PlayerId, room: RoomId) -> u8 {
        self.controller_of(room)
            .filter(|(o, _)| o.owner() == Some(player))
            .map_or(0, |(_, c)| c.level)
    }

    /// Whether `room` is in another player's safe mode: there, Screeps' processor drops the
    /// player's hostile actions (attack, heal, withdraw, attackController, …) after the API
    /// returned OK (`processor/intents/creeps/*.js`, `roomController.safeMode > gameTime`).
    fn hostile_safe_mode(&self, player: PlayerId, room: RoomId) -> bool {
        self.controller_of(room)
            .is_some_and(|(o, c)| c.safe_mode > 0 && o.owner() != Some(player))
    }

    /// Whether another player's private rampart covers `pos` (what it shields cannot be
    /// withdrawn from: game/creeps.js `withdraw`).
    fn shielded_from(&self, player: PlayerId, pos: Position) -> bool {
        self.objects_at(pos).any(|o| {
            matches!(o.kind, ObjectKind::Rampart(r) if !r.is_public) && o.owner() != Some(player)
        })
    }

    /// Whether an obstacle (creep or obstacle structure) stands on `pos`.
    fn obstacle_at(&self, pos: Position) -> bool {
        self.objects_at(pos).any(|o| o.kind.is_obstacle())
    }

    fn objects_at(&self, pos: Position) -> impl Iterator<Item = Object<'a>> + '_ {
        self.census
            .by_tile
            .get(&pos)
            .map(|t| t.entities())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| self.objects.get(*e).ok())
    }

    fn check(&mut self, player: PlayerId, intent: &Intent) -> ReturnCode {
        match self.check_intent(player, intent) {
            Ok(()) => ReturnCode::Ok,
            Err(code) => code,
        }
    }

    fn check_intent(&mut self, player: PlayerId, intent: &Intent) -> Check<()> {
        match intent {
            Intent::Move { creep, direction } => self.check_move(player, *creep, *direction),
            Intent::MoveToCreep { creep, target } => {
                self.check_move_to_creep(player, *creep, *target)
            }
            Intent::Pull { creep, target } => self.check_pull(player, *creep, *target),
            Intent::Harvest { creep, target } => self.check_harvest(player, *creep, *target),
            Intent::Transfer {
                creep,
                target,
                resource,
                amount,
            } => self.check_transfer(player, *creep, *target, *resource, *amount),
            Intent::Withdraw {
                creep,
                target,
                resource,
                amount,
            } => self.check_withdraw(player, *creep, *target, *resource, *amount),
            Intent::Pickup { creep, target } => self.check_pickup(player, *creep, *target),
            Intent::Drop {
                creep,
                resource,
                amount,
            } => self.check_drop(player, *creep, *resource, *amount),
            Intent::Build { creep, target } => self.check_build(player, *creep, *target),
            Intent::Repair { creep, target } => self.check_repair(player, *creep, *target),
            Intent::UpgradeController { creep, target } => {
                self.check_upgrade(player, *creep, *target)
            }
            Intent::Attack { creep, target } => self.check_attack(player, *creep, *target, false),
            Intent::RangedAttack { creep, target } => {
                self.check_attack(player, *creep, *target, true)
            }
            Intent::Heal { creep, target } => self.check_heal(player, *creep, *target, false),
            Intent::RangedHeal { creep, target } => self.check_heal(player, *creep, *target, true),
            Intent::RangedMassAttack { creep } => self.check_mass_attack(player, *creep),
            Intent::Dismantle { creep, target } => self.check_dismantle(player, *creep, *target),
            Intent::ClaimController { creep, target } => self.check_claim(player, *creep, *target),
            Intent::ReserveController { creep, target } => {
                self.check_reserve(player, *creep, *target)
            }
            Intent::AttackController { creep, target } => {
                self.check_attack_controller(player, *creep, *target)
            }
            Intent::SignController {
                creep,
                target,
                text,
            } => self.check_sign(player, *creep, *target, text),
            Intent::Unclaim { controller } => self.check_unclaim(player, *controller),
            Intent::ActivateSafeMode { controller } => self.check_safe_mode(player, *controller),
            Intent::SpawnCreep {
                spawn,
                body,
                name,
                energy_structures,
            } => self.check_spawn(player, *spawn, body, name, energy_structures.as_deref()),
            Intent::CreateConstructionSite {
                room,
                x,
                y,
                structure,
            } => self.check_site(player, room, *x, *y, *structure),
            Intent::Say {
                creep,
                message,
                public,
            } => self.check_say(player, *creep, message, *public),
            Intent::Suicide { creep } => {
                self.own_creep(player, *creep)?;
                self.accepted.suicides.insert(*creep);
                Ok(())
            }
            Intent::RenewCreep { spawn, target } => self.check_renew(player, *spawn, *target),
            Intent::SetSpawnDirections { spawn, directions } => {
                self.check_directions(player, *spawn, directions)
            }
            Intent::CancelSpawning { spawn } => {
                self.own_spawn(player, *spawn)?;
                self.accepted.cancels.insert(*spawn);
                Ok(())
            }
            Intent::RecycleCreep { spawn, target } => self.check_recycle(player, *spawn, *target),
            Intent::RemoveConstructionSite { site } => self.check_remove_site(player, *site),
            Intent::DestroyStructure { structure } => self.check_destroy(player, *structure),
            Intent::GenerateSafeMode { creep, target } => {
                self.check_generate_safe_mode(player, *creep, *target)
            }
            Intent::NotifyWhenAttacked { object, enabled } => {
                self.check_notify(player, *object, *enabled)
            }
            other @ (Intent::SetPublic { .. }
            | Intent::TransferEnergy { .. }
            | Intent::TowerAttack { .. }
            | Intent::TowerHeal { .. }
            | Intent::TowerRepair { .. }
            | Intent::RunReaction { .. }
            | Intent::ReverseReaction { .. }
            | Intent::BoostCreep { .. }
            | Intent::UnboostCreep { .. }
            | Intent::Send { .. }
            | Intent::ObserveRoom { .. }
            | Intent::Produce { .. }
            | Intent::ProcessPower { .. }
            | Intent::LaunchNuke { .. }) => self.check_structure_intent(player, other),
            other @ (Intent::CreateOrder { .. }
            | Intent::CancelOrder { .. }
            | Intent::ChangeOrderPrice { .. }
            | Intent::ExtendOrder { .. }
            | Intent::Deal { .. }) => self.check_market(player, other),
        }
    }

    /// The intents of structures: ramparts, links, towers, labs and terminals.
    fn check_structure_intent(&mut self, player: PlayerId, intent: &Intent) -> Check<()> {
        match intent {
            Intent::SetPublic { rampart, is_public } => {
                let o = self.acting(*rampart, |k| matches!(k, ObjectKind::Rampart(_)))?;
                if o.owner() != Some(player) {
                    return Err(ReturnCode::NotOwner);
                }
                self.accepted.publics.insert(*rampart, *is_public);
                Ok(())
            }
            Intent::TransferEnergy {
                link,
                target,
                amount,
            } => self.check_link(player, *link, *target, *amount),
            Intent::RunReaction { lab, lab1, lab2 } => {
                self.check_reaction(player, *lab, *lab1, *lab2, false)
            }
            Intent::ReverseReaction { lab, lab1, lab2 } => {
                self.check_reaction(player, *lab, *lab1, *lab2, true)
            }
            Intent::BoostCreep {
                lab,
                creep,
                body_parts_count,
            } => self.check_boost(player, *lab, *creep, *body_parts_count),
            Intent::UnboostCreep { lab, creep } => self.check_unboost(player, *lab, *creep),
            Intent::Send {
                terminal,
                resource,
                amount,
                destination,
                description,
            } => {
                let send = TerminalSend {
                    resource: *resource,
                    amount: *amount,
                    destination: destination.clone(),
                    description: description.clone(),
                };
                self.check_send(player, *terminal, send)
            }
            Intent::TowerAttack { tower, target } => {
                self.check_tower(player, *tower, *target, TowerAction::Attack(*target))
            }
            Intent::TowerHeal { tower, target } => {
                self.check_tower(player, *tower, *target, TowerAction::Heal(*target))
            }
            Intent::TowerRepair { tower, target } => {
                self.check_tower(player, *tower, *target, TowerAction::Repair(*target))
            }
            Intent::ObserveRoom { observer, room } => self.check_observe(player, *observer, room),
            Intent::Produce { factory, resource } => {
                self.check_produce(player, *factory, *resource)
            }
            Intent::ProcessPower { power_spawn } => self.check_process_power(player, *power_spawn),
            Intent::LaunchNuke { nuker, room, x, y } => {
                self.check_launch(player, *nuker, room, (*x, *y))
            }
            // Creep and room intents are `check_intent`'s; none reaches here.
            _ => Err(ReturnCode::InvalidArgs),
        }
    }

    /// `Creep.notifyWhenAttacked` / `Structure.notifyWhenAttacked` (`game/creeps.js`,
    /// `game/structures.js`).
    fn check_notify(&mut self, player: PlayerId, object: ObjectId, enabled: bool) -> Check<()> {
        let o = self.get(object).ok_or(ReturnCode::NotFound)?;
        match o.kind {
            ObjectKind::Creep(c) => {
                if o.owner() != Some(player) {
                    return Err(ReturnCode::NotOwner);
                }
                if c.spawning {
                    return Err(ReturnCode::Busy);
                }
            }
            k if k.structure().is_some() => {
                let foreign_room = self
                    .controller_of(o.pos.room)
                    .is_some_and(|(c, _)| c.owner().is_some_and(|p| p != player));
                if o.owner().is_some_and(|p| p != player) || foreign_room {
                    return Err(ReturnCode::NotOwner);
                }
            }
            _ => return Err(ReturnCode::InvalidTarget),
        }
        self.accepted.notify.insert(object, enabled);
        Ok(())
    }

    fn set_work(&mut self, creep: ObjectId, kind: WorkKind, target: ObjectId) {
        self.accepted
            .work
            .entry(creep)
            .or_default()
            .insert(kind, target);
    }
}

/// Clears last tick's `say` bubbles (a creep says something for one tick).
pub(crate) fn clear_last_says(mut kinds: Query<&mut ObjectKind>) {
    for mut kind in &mut kinds {
        // Read first: writing marks the object changed, and the tick's hash re-encodes what
        // changed (`hash_cache.rs`).
        if !matches!(&*kind, ObjectKind::Creep(c) if c.saying.is_some()) {
            continue;
        }
        if let ObjectKind::Creep(c) = kind.as_mut() {
            c.saying = None;
        }
    }
}

/// Validates the tick's intents: every intent gets a return code; the accepted ones go to
/// [`Accepted`] for the apply phases.
pub(crate) fn validate_intents(
    objects: Query<ObjectData>,
    index: Res<ObjectIndex>,
    map: Res<RoomMap>,
    players: Res<Players>,
    market: Res<crate::market::Market>,
    input: Res<TickInput>,
    npc: Res<super::NpcIntents>,
    mut accepted: ResMut<Accepted>,
    mut report: ResMut<TickReport>,
) {
    let mut validator = Validator {
        objects: &objects,
        index: &index,
        census: Census::take(&objects),
        map: &map,
        players: &players,
        market: &market,
        pending: Pending::default(),
        accepted: Accepted::default(),
    };
    let mut results = BTreeMap::new();
    for (player, intents) in &input.0.by_player {
        let codes: Vec<ReturnCode> = if players.get(*player).is_some() {
            intents
                .iter()
                .map(|i| validator.check(*player, i))
                .collect()
        } else {
            vec![ReturnCode::NotOwner; intents.len()]
        };
        results.insert(*player, codes);
    }
    // The world's own creeps act after the players, by the same rules; nobody sees their
    // codes.
    for (npc, intent) in &npc.0 {
        validator.check(*npc, intent);
    }
    let census = &validator.census;
    validator.accepted.off_energy = census.off_energy_holders.iter().copied().collect();
    *accepted = validator.accepted;
    report.results = results;
}
