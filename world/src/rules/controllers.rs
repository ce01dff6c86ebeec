//! What creeps and players do to controllers: upgrade (with GCL), claim, reserve, attack,
//! sign, unclaim and safe mode; and each controller's own timers (downgrade, reservation,
//! safe mode, blocked upgrades), run by upkeep.
//!
//! Rules from screeps/engine `processor/intents/creeps/{upgrade,claim,reserve,attack,sign}
//! Controller.js` and `processor/intents/controllers/{tick,unclaim,activateSafeMode}.js`.
//! Screeps keeps absolute times (`downgradeTime = gameTime + n`); this world keeps ticks left
//! and counts them down once per tick in upkeep, so a value set here to `n + 1` reads `n` in
//! the next tick, as Screeps' `downgradeTime - gameTime` does.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::live;
use super::validate::{runnable, Accepted, WorkKind};
use crate::chemistry::BoostAction;
use crate::constants::*;
use crate::events::{EventKind, EventLog};
use crate::object::*;
use crate::state::{GameTime, Players};

/// Applies the tick's controller intents, in Screeps' per-creep order: claim, upgrade,
/// reserve, attack, sign; then the controllers' own intents (unclaim, safe mode).
pub(crate) fn apply_controller_intents(world: &mut World, accepted: &Accepted) {
    for (creep, target) in &accepted.claims {
        claim(world, *creep, *target);
    }
    let mut upgraded: BTreeMap<ObjectId, u32> = BTreeMap::new();
    for (creep, target) in &accepted.upgrades {
        upgrade(world, *creep, *target, &mut upgraded);
    }
    for (creep, target) in &accepted.reserves {
        reserve(world, *creep, *target);
    }
    for (creep, asked) in &accepted.work {
        for action in runnable(asked) {
            if action.kind == WorkKind::AttackController {
                attack(world, *creep, action.target);
            }
        }
    }
    let time = world.resource::<GameTime>().0;
    for (creep, (target, text)) in &accepted.signs {
        sign(world, *creep, *target, text, time);
    }
    for controller in &accepted.unclaims {
        unclaim(world, *controller);
    }
    // creeps/generateSafeMode.js.
    for (creep, target) in &accepted.safe_mode_gifts {
        let near = match (live::pos(world, *creep), live::pos(world, *target)) {
            (Some(a), Some(b)) => a.is_near_to(b),
            _ => false,
        };
        if near && live::amount(world, *creep, ResourceKind::Ghodium) >= SAFE_MODE_COST {
            live::take(world, *creep, ResourceKind::Ghodium, SAFE_MODE_COST);
            with_controller(world, *target, |c| c.safe_mode_available += 1);
        }
    }
    let safe_modes: BTreeSet<ObjectId> = accepted.safe_modes.values().copied().collect();
    for controller in safe_modes {
        with_controller(world, controller, |c| {
            if c.level > 0 && c.safe_mode_available > 0 && c.upgrade_blocked == 0 {
                c.safe_mode_available -= 1;
                c.safe_mode = SAFE_MODE_DURATION + 1;
                c.safe_mode_cooldown = SAFE_MODE_COOLDOWN + 1;
            }
        });
    }
    // Screeps' controller tick: an upgraded controller's timer is restored once per tick,
    // however many creeps upgraded it, unless upgrading is blocked.
    for controller in upgraded.keys() {
        with_controller(world, *controller, |c| {
            if c.upgrade_blocked == 0 && c.level > 0 {
                let full = CONTROLLER_DOWNGRADE[c.level as usize] + 1;
                c.ticks_to_downgrade =
                    (c.ticks_to_downgrade + CONTROLLER_DOWNGRADE_RESTORE + 1).min(full);
            }
        });
    }
}

fn with_controller(world: &mut World, id: ObjectId, f: impl FnOnce(&mut Controller)) {
    if let Some(mut kind) = live::kind_mut(world, id) {
        if let ObjectKind::Controller(c) = kind.as_mut() {
            f(c);
        }
    }
}

fn controller(world: &World, id: ObjectId) -> Option<&Controller> {
    match live::kind(world, id)? {
        ObjectKind::Controller(c) => Some(c),
        _ => None,
    }
}

/// Whether the creep still stands next to the target.
fn adjacent(world: &World, creep: ObjectId, target: ObjectId) -> bool {
    matches!((live::pos(world, creep), live::pos(world, target)), (Some(a), Some(b)) if a.is_near_to(b))
}

/// The room's controller is in another player's safe mode.
fn hostile_safe_mode(world: &World, target: ObjectId, player: PlayerId) -> bool {
    controller(world, target).is_some_and(|c| c.safe_mode > 0)
        && live::owner(world, target) != Some(player)
}

fn claim_parts(world: &World, creep: ObjectId) -> u32 {
    live::creep(world, creep).map_or(0, |c| c.active(BodyPartKind::Claim))
}

/// Energy a creep puts into a controller: one per active WORK part, at RCL 8 at most
/// `CONTROLLER_MAX_UPGRADE_PER_TICK` per controller per tick. Every unit counts toward the
/// owner's GCL, at RCL 8 too.
fn upgrade(
    world: &mut World,
    creep: ObjectId,
    target: ObjectId,
    upgraded: &mut BTreeMap<ObjectId, u32>,
) {
    let (Some(cp), Some(tp), Some(c), Some(owner)) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
        live::owner(world, creep),
    ) else {
        return;
    };
    let Some(ctl) = controller(world, target) else {
        return;
    };
    if !cp.in_range_to(tp, 3)
        || live::owner(world, target) != Some(owner)
        || ctl.level == 0
        || ctl.upgrade_blocked > 0
    {
        return;
    }
    let energy = live::amount(world, creep, ResourceKind::Energy);
    let done = upgraded.get(&target).copied().unwrap_or(0);
    let mut effect = (c.active(BodyPartKind::Work) * UPGRADE_CONTROLLER_POWER).min(energy);
    if ctl.level == CONTROLLER_MAX_LEVEL {
        effect = effect.min(CONTROLLER_MAX_UPGRADE_PER_TICK.saturating_sub(done));
    }
    if effect == 0 {
        return;
    }
    // upgradeController.js: boosts add progress (and GCL) for free; the per-tick RCL 8 limit
    // counts the energy spent.
    let boosted = c.boosted_effect(
        BoostAction::UpgradeController,
        UPGRADE_CONTROLLER_POWER,
        effect,
    );
    with_controller(world, target, |ctl| add_progress(ctl, boosted));
    *upgraded.entry(target).or_default() += effect;
    live::take(world, creep, ResourceKind::Energy, effect);
    let kind = EventKind::UpgradeController {
        amount: boosted,
        energy_spent: effect,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
    if let Some(p) = world
        .resource_mut::<Players>()
        .list
        .iter_mut()
        .find(|p| p.id == owner)
    {
        p.gcl += u64::from(boosted);
    }
}

/// Screeps levels a controller up only when its downgrade timer is (nearly) full: a
/// controller that lost time must first be restored.
fn add_progress(ctl: &mut Controller, effect: u32) {
    if ctl.level >= CONTROLLER_MAX_LEVEL {
        return;
    }
    let next = CONTROLLER_LEVELS[ctl.level as usize];
    let restored = ctl.ticks_to_downgrade + CONTROLLER_DOWNGRADE_RESTORE
        >= CONTROLLER_DOWNGRADE[ctl.level as usize];
    if ctl.progress + effect >= next && restored {
        ctl.progress = ctl.progress + effect - next;
        ctl.level += 1;
        ctl.ticks_to_downgrade = CONTROLLER_DOWNGRADE[ctl.level as usize] / 2;
        if ctl.level == CONTROLLER_MAX_LEVEL {
            ctl.progress = 0;
        }
        ctl.safe_mode_available += 1;
    } else {
        ctl.progress += effect;
    }
}

fn claim(world: &mut World, creep: ObjectId, target: ObjectId) {
    let Some(owner) = live::owner(world, creep) else {
        return;
    };
    let Some(ctl) = controller(world, target) else {
        return;
    };
    let reserved_by_other = ctl.reservation.as_ref().is_some_and(|r| r.player != owner);
    if !adjacent(world, creep, target)
        || ctl.level > 0
        || live::owner(world, target).is_some()
        || reserved_by_other
        || claim_parts(world, creep) == 0
    {
        return;
    }
    let claimed = Controller::claimed(ctl);
    let Some(e) = live::entity(world, target) else {
        return;
    };
    world
        .entity_mut(e)
        .insert((Owner(owner), ObjectKind::Controller(claimed)));
}

fn reserve(world: &mut World, creep: ObjectId, target: ObjectId) {
    let Some(owner) = live::owner(world, creep) else {
        return;
    };
    let effect = claim_parts(world, creep) * CONTROLLER_RESERVE;
    if !adjacent(world, creep, target) || live::owner(world, target).is_some() || effect == 0 {
        return;
    }
    let mut reserved = false;
    with_controller(world, target, |c| {
        let r = c.reservation.get_or_insert(Reservation {
            player: owner,
            ticks_to_end: 1,
        });
        if r.player != owner || r.ticks_to_end + effect > CONTROLLER_RESERVE_MAX {
            return;
        }
        r.ticks_to_end += effect;
        reserved = true;
    });
    if let (true, Some(at)) = (reserved, live::pos(world, creep)) {
        let kind = EventKind::ReserveController { amount: effect };
        world.resource_mut::<EventLog>().push(at.room, creep, kind);
    }
}

/// `attackController`: a reservation loses `CONTROLLER_RESERVE` ticks per CLAIM part, an
/// owned controller `CONTROLLER_CLAIM_DOWNGRADE` ticks of its downgrade timer and may not be
/// upgraded for `CONTROLLER_ATTACK_BLOCKED_UPGRADE` ticks.
fn attack(world: &mut World, creep: ObjectId, target: ObjectId) {
    let Some(attacker) = live::owner(world, creep) else {
        return;
    };
    let parts = claim_parts(world, creep);
    let owned = live::owner(world, target).is_some();
    if !adjacent(world, creep, target) || parts == 0 || hostile_safe_mode(world, target, attacker) {
        return;
    }
    let mut hit = false;
    with_controller(world, target, |c| {
        if c.upgrade_blocked > 0 {
            return;
        }
        hit = true;
        if let Some(r) = c.reservation.as_mut() {
            r.ticks_to_end = r.ticks_to_end.saturating_sub(parts * CONTROLLER_RESERVE);
        }
        if owned {
            c.ticks_to_downgrade = c
                .ticks_to_downgrade
                .saturating_sub(parts * CONTROLLER_CLAIM_DOWNGRADE);
            c.upgrade_blocked = CONTROLLER_ATTACK_BLOCKED_UPGRADE + 1;
        }
    });
    if let (true, Some(at)) = (hit, live::pos(world, creep)) {
        world
            .resource_mut::<EventLog>()
            .push(at.room, creep, EventKind::AttackController);
    }
}

fn sign(world: &mut World, creep: ObjectId, target: ObjectId, text: &str, time: u64) {
    let Some(player) = live::owner(world, creep) else {
        return;
    };
    if !adjacent(world, creep, target) {
        return;
    }
    with_controller(world, target, |c| {
        c.sign = (!text.is_empty()).then(|| ControllerSign {
            player,
            text: text.to_string(),
            time,
        });
    });
}

fn unclaim(world: &mut World, id: ObjectId) {
    let Some(e) = live::entity(world, id) else {
        return;
    };
    let before = controller(world, id).cloned().unwrap_or_default();
    if before.level == 0 {
        return;
    }
    world.entity_mut(e).remove::<Owner>();
    with_controller(world, id, lose_ownership);
}

/// What a controller keeps when its owner loses it (unclaim, or downgraded to 0).
fn lose_ownership(c: &mut Controller) {
    *c = Controller {
        safe_mode_cooldown: SAFE_MODE_COOLDOWN,
        upgrade_blocked: c.upgrade_blocked,
        sign: c.sign.take(),
        ..Controller::neutral()
    };
}

/// One tick of a controller's timers. Returns whether the owner lost the room (the caller
/// removes the [`Owner`]).
pub(crate) fn tick_controller(c: &mut Controller) -> bool {
    if let Some(r) = c.reservation.as_mut() {
        if r.ticks_to_end <= 1 {
            c.reservation = None;
        } else {
            r.ticks_to_end -= 1;
        }
    }
    c.safe_mode = c.safe_mode.saturating_sub(1);
    c.safe_mode_cooldown = c.safe_mode_cooldown.saturating_sub(1);
    c.upgrade_blocked = c.upgrade_blocked.saturating_sub(1);
    if c.level == 0 {
        return false;
    }
    c.ticks_to_downgrade = c.ticks_to_downgrade.saturating_sub(1);
    // Screeps' controllers/tick.js: each lapse drops one level, restores half the new
    // level's timer and 90 % of its progress, and takes the safe modes in store.
    while c.ticks_to_downgrade == 0 && c.level > 0 {
        c.level -= 1;
        if c.level == 0 {
            lose_ownership(c);
            return true;
        }
        c.ticks_to_downgrade = CONTROLLER_DOWNGRADE[c.level as usize] / 2 + 1;
        c.progress += (CONTROLLER_LEVELS[c.level as usize] * 9).div_ceil(10);
        c.safe_mode_available = 0;
        c.safe_mode_cooldown = SAFE_MODE_COOLDOWN;
    }
    false
}
