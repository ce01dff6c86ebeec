//! Attacks, heals and tower actions. Damage and healing to each target are summed first and
//! applied together, so the order of attackers cannot matter.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::validate::{runnable, Accepted, TowerAction, WorkKind};
use super::TickReport;
use crate::chemistry::{boost_factor, BoostAction};
use crate::constants::*;
use crate::events::*;
use crate::geometry::Position;
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::{ObjectIndex, Quiet};

/// Screeps' tower falloff: full power within 5 tiles, 25% at 20 or more, linear between.
pub fn tower_power(base: u32, range: u32) -> u32 {
    if range <= TOWER_OPTIMAL_RANGE {
        return base;
    }
    let r = range.min(TOWER_FALLOFF_RANGE) - TOWER_OPTIMAL_RANGE;
    let span = TOWER_FALLOFF_RANGE - TOWER_OPTIMAL_RANGE;
    base - base * TOWER_FALLOFF_PERCENT * r / (100 * span)
}

/// `creeps/tick.js` `_applyDamage`: damage meets the body from its first part on, and a
/// part boosted against damage (TOUGH with GO, GHO2, XGHO2) takes only its ratio of what it
/// absorbs; the saving is rounded. Kept in thousandths of a hit.
pub(crate) fn damage_after_boosts(creep: &Creep, damage: u32) -> u32 {
    if damage == 0 || creep.body.iter().all(|p| p.boost.is_none()) {
        return damage;
    }
    let mut left = u64::from(damage) * 1000;
    let mut saved = 0u64;
    for part in &creep.body {
        if left == 0 {
            break;
        }
        let ratio = part
            .boost
            .and_then(|b| boost_factor(part.kind, b, BoostAction::Damage))
            .unwrap_or(1000);
        let absorbs = u64::from(part.hits) * 1_000_000 / u64::from(ratio.max(1));
        let taken = absorbs.min(left);
        saved += taken * u64::from(1000 - ratio.min(1000)) / 1000;
        left -= taken;
    }
    damage - ((saved + 500) / 1000).min(u64::from(damage)) as u32
}

/// Re-derives body part hits from a creep's total: parts fill from the last one, so damage
/// eats the first parts first.
pub(crate) fn distribute_body_hits(creep: &mut Creep, total: u32) {
    let mut left = total;
    for part in creep.body.iter_mut().rev() {
        part.hits = left.min(BODYPART_HITS);
        left -= part.hits;
    }
}

type Combatants<'w, 's> = Query<
    'w,
    's,
    (
        &'static Position,
        &'static mut ObjectKind,
        Option<&'static mut Hits>,
        Option<&'static mut Store>,
    ),
>;

/// Damage and healing per target, summed before anything applies.
#[derive(Default)]
struct Ledger {
    damage: BTreeMap<ObjectId, u32>,
    healing: BTreeMap<ObjectId, u32>,
    /// The events of the attacks and heals, in the order booked.
    events: Vec<(crate::geometry::RoomId, ObjectId, EventKind)>,
}

/// What combat needs to know of the room before anything moves: ramparts by tile (attacks on
/// what stands under one hit the rampart: `creeps/attack.js`, `rangedAttack.js`,
/// `towers/attack.js`) and who holds safe mode where.
#[derive(Default)]
struct Battlefield {
    ramparts: BTreeMap<Position, ObjectId>,
    safe_mode_owner: BTreeMap<crate::geometry::RoomId, PlayerId>,
    /// Owned rooms' owners: told when an unowned structure there is attacked.
    room_owner: BTreeMap<crate::geometry::RoomId, PlayerId>,
}

/// What [`Battlefield::survey`] reads of every object.
type Surveyed<'w, 's> = Query<
    'w,
    's,
    (
        &'static ObjectId,
        &'static Position,
        &'static ObjectKind,
        Option<&'static Owner>,
    ),
>;

impl Battlefield {
    /// One pass in storage order: a tile holds one rampart and a room one controller, so
    /// the order cannot matter (were there two ramparts on a tile, the newer one shields, as
    /// when this walked ids in order).
    fn survey(objects: &Surveyed) -> Self {
        let mut field = Battlefield::default();
        for (id, pos, kind, owner) in objects.iter() {
            match kind {
                ObjectKind::Rampart(_) => {
                    let shield = field.ramparts.entry(*pos).or_insert(*id);
                    *shield = (*shield).max(*id);
                }
                ObjectKind::Controller(c) => {
                    if let Some(o) = owner {
                        field.room_owner.insert(pos.room, o.0);
                        if c.safe_mode > 0 {
                            field.safe_mode_owner.insert(pos.room, o.0);
                        }
                    }
                }
                _ => {}
            }
        }
        field
    }

    /// The object an attack on `target` at `pos` hits: the rampart there, if any.
    fn shielded(&self, target: ObjectId, pos: Position) -> ObjectId {
        self.ramparts.get(&pos).copied().unwrap_or(target)
    }
}

impl Ledger {
    /// The victim of an attack hitting back: a creep with ATTACK parts in melee, a power bank
    /// always.
    fn hit_back(&mut self, at: Position, victim: ObjectId, attacker: ObjectId, damage: u32) {
        *self.damage.entry(attacker).or_default() += damage;
        let kind = EventKind::Attack {
            target: attacker,
            damage,
            attack_type: ATTACK_HIT_BACK,
        };
        self.events.push((at.room, victim, kind));
    }
}

/// The event of a creep's attack or heal.
fn action_event(action: WorkKind, target: ObjectId, amount: u32) -> EventKind {
    match action {
        WorkKind::Heal => EventKind::Heal {
            target,
            amount,
            heal_type: HEAL_MELEE,
        },
        WorkKind::RangedHeal => EventKind::Heal {
            target,
            amount,
            heal_type: HEAL_RANGED,
        },
        _ => EventKind::Attack {
            target,
            damage: amount,
            attack_type: if action == WorkKind::Attack {
                ATTACK_MELEE
            } else {
                ATTACK_RANGED
            },
        },
    }
}

/// A creep's range, power and whether it heals, for one attack or heal.
fn reach(c: &Creep, kind: WorkKind) -> Option<(u32, u32, bool)> {
    let (part, boost, base, range, heal) = match kind {
        WorkKind::Attack => (
            BodyPartKind::Attack,
            BoostAction::Attack,
            ATTACK_POWER,
            1,
            false,
        ),
        WorkKind::RangedAttack => (
            BodyPartKind::RangedAttack,
            BoostAction::RangedAttack,
            RANGED_ATTACK_POWER,
            3,
            false,
        ),
        WorkKind::Heal => (BodyPartKind::Heal, BoostAction::Heal, HEAL_POWER, 1, true),
        WorkKind::RangedHeal => (
            BodyPartKind::Heal,
            BoostAction::RangedHeal,
            RANGED_HEAL_POWER,
            3,
            true,
        ),
        _ => return None,
    };
    Some((range, c.power(part, boost, base), heal))
}

/// Applies attacks, ranged attacks, heals and tower actions accepted this tick.
pub(crate) fn apply_combat_intents(
    mut accepted: ResMut<Accepted>,
    index: Res<ObjectIndex>,
    mut objects: ParamSet<(Surveyed, Combatants)>,
    owners: Query<&Owner>,
    mut log: ResMut<EventLog>,
    (quiet, map, mut report): (Res<Quiet>, Res<RoomMap>, ResMut<TickReport>),
) {
    let work = std::mem::take(&mut accepted.work);
    let towers = std::mem::take(&mut accepted.towers);
    let entity = |id: &ObjectId| index.by_id.get(id).copied();
    let field = Battlefield::survey(&objects.p0());
    let mut objects = objects.p1();
    let mut rooms = RoomObjects::default();
    let mut ledger = Ledger::default();
    for (creep, action) in work
        .iter()
        .flat_map(|(creep, asked)| runnable(asked).into_iter().map(move |a| (creep, a)))
    {
        let Some(Ok((cp, ObjectKind::Creep(c), _, _))) = entity(creep).map(|e| objects.get(e))
        else {
            continue;
        };
        let mut target = action.target;
        if action.kind == WorkKind::RangedMassAttack {
            let power = c.power(
                BodyPartKind::RangedAttack,
                BoostAction::RangedMassAttack,
                RANGED_ATTACK_POWER,
            );
            let owner = entity(creep).and_then(|e| owners.get(e).ok()).map(|o| o.0);
            mass_attack(
                rooms.of(&index, &objects, cp.room),
                &objects,
                &owners,
                &field,
                *cp,
                (*creep, owner),
                power,
                &mut ledger,
            );
            continue;
        }
        let Some((range, amount, heal)) = reach(c, action.kind) else {
            continue;
        };
        let Some(Ok((tp, target_kind, ..))) = entity(&target).map(|e| objects.get(e)) else {
            continue;
        };
        if !cp.in_range_to(*tp, range) {
            continue;
        }
        if !heal {
            target = field.shielded(target, *tp);
        }
        if !heal && target == action.target {
            let owner = entity(creep).and_then(|e| owners.get(e).ok()).map(|o| o.0);
            let striker = Striker {
                id: *creep,
                at: *cp,
                owner,
            };
            hit_back(
                &striker,
                action.kind,
                (target, target_kind),
                amount,
                &field,
                &mut ledger,
            );
        }
        let kind = action_event(action.kind, target, amount);
        ledger.events.push((cp.room, *creep, kind));
        let book = if heal {
            &mut ledger.healing
        } else {
            &mut ledger.damage
        };
        *book.entry(target).or_default() += amount;
    }
    for (tower, action) in &towers {
        fire_tower(&mut objects, &entity, *tower, *action, &field, &mut ledger);
    }
    let tell = Tell {
        quiet: &quiet,
        map: &map,
        out: &mut report.notices,
    };
    notify_attacked(&ledger, &entity, &objects, &owners, &field, tell);
    apply_ledger(&ledger, &entity, &mut objects);
    for (room, object, kind) in ledger.events {
        log.push(room, object, kind);
    }
}

/// A creep attacking.
struct Striker {
    id: ObjectId,
    at: Position,
    owner: Option<PlayerId>,
}

/// `_damage.js`'s hit back on an attack that reached its target: a power bank returns half of
/// any damage (`POWER_BANK_HIT_BACK`); a creep hit in melee strikes back with its ATTACK
/// parts, unless the attacker stands under a rampart or in its own safe mode.
fn hit_back(
    striker: &Striker,
    action: WorkKind,
    (target, kind): (ObjectId, &ObjectKind),
    damage: u32,
    field: &Battlefield,
    ledger: &mut Ledger,
) {
    match (action, kind) {
        (_, ObjectKind::PowerBank(_)) => {
            ledger.hit_back(striker.at, target, striker.id, damage.div_ceil(2));
        }
        (WorkKind::Attack, ObjectKind::Creep(victim)) => {
            let sheltered = field.ramparts.contains_key(&striker.at)
                || striker.owner.is_some()
                    && field.safe_mode_owner.get(&striker.at.room) == striker.owner.as_ref();
            let back = victim.power(BodyPartKind::Attack, BoostAction::Attack, ATTACK_POWER);
            if back > 0 && !sheltered {
                ledger.hit_back(striker.at, target, striker.id, back);
            }
        }
        _ => {}
    }
}

/// Where attack notifications go.
struct Tell<'a> {
    quiet: &'a Quiet,
    map: &'a RoomMap,
    out: &'a mut Vec<(PlayerId, String)>,
}

/// What `utils.sendAttackingNotification` says to the owner of each object damaged this tick
/// (or to the room's owner for an unowned structure), unless `notifyWhenAttacked(false)`.
fn notify_attacked(
    ledger: &Ledger,
    entity: &impl Fn(&ObjectId) -> Option<Entity>,
    objects: &Combatants,
    owners: &Query<&Owner>,
    field: &Battlefield,
    tell: Tell,
) {
    for (target, damage) in &ledger.damage {
        let Some(e) = entity(target) else {
            continue;
        };
        let Ok((pos, kind, ..)) = objects.get(e) else {
            continue;
        };
        let owner = owners.get(e).ok().map(|o| o.0);
        let Some(to) = owner.or_else(|| field.room_owner.get(&pos.room).copied()) else {
            continue;
        };
        // The world's own creeps have no one to tell.
        if *damage == 0 || tell.quiet.0.contains(target) || crate::npc::is_npc(to) {
            continue;
        }
        let label = match kind {
            ObjectKind::Creep(c) => format!("creep {}", c.name),
            ObjectKind::Spawn(s) => format!("spawn {}", s.name),
            k => format!(
                "{} #{}",
                k.structure().map_or("object", |s| s.as_str()),
                target.to_js()
            ),
        };
        let room = tell.map.get(pos.room).name.clone();
        tell.out
            .push((to, format!("Your {label} in room {room} is under attack!")));
    }
}

/// Applies the summed damage and healing (`creeps/tick.js`: damage, boosts' reductions
/// included, then healing, capped at the maximum).
fn apply_ledger(
    ledger: &Ledger,
    entity: &impl Fn(&ObjectId) -> Option<Entity>,
    objects: &mut Combatants,
) {
    let targets: std::collections::BTreeSet<ObjectId> = ledger
        .damage
        .keys()
        .chain(ledger.healing.keys())
        .copied()
        .collect();
    for target in targets {
        let Some(Ok((_, mut kind, Some(mut hits), store))) =
            entity(&target).map(|e| objects.get_mut(e))
        else {
            continue;
        };
        let mut damage = ledger.damage.get(&target).copied().unwrap_or(0);
        if let ObjectKind::Creep(c) = kind.as_ref() {
            damage = damage_after_boosts(c, damage);
        }
        // Healing stops at the maximum; damage never raises hits to it (a rampart outside its
        // owner's room has a maximum of 0 and keeps its hits).
        let upper = hits.max.max(hits.hits) as i64;
        let after = (hits.hits as i64 - damage as i64
            + ledger.healing.get(&target).copied().unwrap_or(0) as i64)
            .clamp(0, upper) as u32;
        if hits.hits != after {
            hits.hits = after;
        }
        if let ObjectKind::Creep(c) = kind.as_mut() {
            distribute_body_hits(c, after);
            // _recalc-body.js: capacity follows the CARRY parts left (upkeep drops what no
            // longer fits); a creep at 0 dies first, with all it carried.
            if let (Some(mut store), true) = (store, after > 0) {
                let limit = StoreLimit::Total(c.carry_capacity());
                if store.limit != limit {
                    store.limit = limit;
                }
            }
        }
    }
}

/// The objects of each room, in id order, gathered on the tick's first mass attack (one pass
/// for all of them, instead of one over the world per attacking creep).
#[derive(Default)]
struct RoomObjects(Option<BTreeMap<crate::geometry::RoomId, Vec<(ObjectId, Entity)>>>);

impl RoomObjects {
    fn of(
        &mut self,
        index: &ObjectIndex,
        objects: &Combatants,
        room: crate::geometry::RoomId,
    ) -> &[(ObjectId, Entity)] {
        let rooms = self.0.get_or_insert_with(|| {
            let mut rooms: BTreeMap<_, Vec<_>> = BTreeMap::new();
            for (id, e) in &index.by_id {
                if let Ok((pos, ..)) = objects.get(*e) {
                    rooms.entry(pos.room).or_default().push((*id, *e));
                }
            }
            for objects in rooms.values_mut() {
                objects.sort_unstable_by_key(|(id, _)| *id);
            }
            rooms
        });
        rooms.get(&room).map_or(&[], Vec::as_slice)
    }
}

/// screeps/engine `creeps/rangedMassAttack.js`: every object of another owner within 3 takes
/// the creep's ranged power at 100 % (range 0–1), 40 % (2) or 10 % (3), rounded; what stands
/// under a rampart is spared (the rampart is hit instead, as an object of its own).
#[allow(clippy::too_many_arguments)]
fn mass_attack(
    in_room: &[(ObjectId, Entity)],
    objects: &Combatants,
    owners: &Query<&Owner>,
    field: &Battlefield,
    at: Position,
    (attacker_id, attacker): (ObjectId, Option<PlayerId>),
    power: u32,
    ledger: &mut Ledger,
) {
    for (id, e) in in_room {
        let Ok((pos, kind, Some(hits), _)) = objects.get(*e) else {
            continue;
        };
        let owner = owners.get(*e).ok().map(|o| o.0);
        let range = at.range_to(*pos);
        // rangedMassAttack.js: objects of another owner, and power banks.
        let bank = matches!(kind, ObjectKind::PowerBank(_));
        if pos.room != at.room || range > 3 || (owner.is_none() && !bank) || owner == attacker {
            continue;
        }
        let under_rampart = field.ramparts.get(pos).is_some_and(|r| r != id);
        let spawning = matches!(kind, ObjectKind::Creep(c) if c.spawning);
        if under_rampart || spawning || hits.hits == 0 {
            continue;
        }
        let tenths = [10, 10, 4, 1][range as usize];
        let damage = (power * tenths + 5) / 10;
        *ledger.damage.entry(*id).or_default() += damage;
        let kind = EventKind::Attack {
            target: *id,
            damage,
            attack_type: ATTACK_RANGED_MASS,
        };
        ledger.events.push((at.room, attacker_id, kind));
        if bank {
            ledger.hit_back(at, *id, attacker_id, damage.div_ceil(2));
        }
    }
}

/// One tower action: spends the energy, books attack or heal, repairs at once.
fn fire_tower(
    objects: &mut Combatants,
    entity: &impl Fn(&ObjectId) -> Option<Entity>,
    tower: ObjectId,
    action: TowerAction,
    field: &Battlefield,
    ledger: &mut Ledger,
) {
    let target = match action {
        TowerAction::Attack(t) | TowerAction::Heal(t) | TowerAction::Repair(t) => t,
    };
    let (Some(tower_entity), Some(target_entity)) = (entity(&tower), entity(&target)) else {
        return;
    };
    // Read both first and write one at a time: a tower may repair or attack itself.
    let (Ok((tp, _, _, Some(store))), Ok((target_pos, ..))) =
        (objects.get(tower_entity), objects.get(target_entity))
    else {
        return;
    };
    if store.energy() < TOWER_ENERGY_COST {
        return;
    }
    let range = tp.range_to(*target_pos);
    let target_pos = *target_pos;
    if let Ok((_, _, _, Some(mut store))) = objects.get_mut(tower_entity) {
        store.take(ResourceKind::Energy, TOWER_ENERGY_COST);
    }
    match action {
        TowerAction::Attack(_) => {
            let hit = field.shielded(target, target_pos);
            let damage = tower_power(TOWER_POWER_ATTACK, range);
            *ledger.damage.entry(hit).or_default() += damage;
            let kind = EventKind::Attack {
                target: hit,
                damage,
                attack_type: ATTACK_RANGED,
            };
            ledger.events.push((target_pos.room, tower, kind));
        }
        TowerAction::Heal(_) => {
            let amount = tower_power(TOWER_POWER_HEAL, range);
            *ledger.healing.entry(target).or_default() += amount;
            let kind = EventKind::Heal {
                target,
                amount,
                heal_type: HEAL_RANGED,
            };
            ledger.events.push((target_pos.room, tower, kind));
        }
        TowerAction::Repair(_) => {
            let amount = tower_power(TOWER_POWER_REPAIR, range);
            if let Ok((_, _, Some(mut h), _)) = objects.get_mut(target_entity) {
                h.hits = h.hits.saturating_add(amount).min(h.max);
            }
            let kind = EventKind::Repair {
                target,
                amount,
                energy_spent: TOWER_ENERGY_COST,
            };
            ledger.events.push((target_pos.room, tower, kind));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tower_falloff_matches_screeps() {
        assert_eq!(tower_power(600, 1), 600);
        assert_eq!(tower_power(600, 5), 600);
        assert_eq!(tower_power(600, 20), 150);
        assert_eq!(tower_power(600, 40), 150);
        assert_eq!(tower_power(600, 10), 450);
    }
}
