//! `StructureTerminal.send`, `StructureObserver.observeRoom` and
//! `StructureFactory.produce`, in screeps/engine `game/structures.js`'s order of checks.

use super::{Check, Validator};
use crate::commodities::commodity;
use crate::constants::*;
use crate::geometry::RoomCoord;
use crate::market::terminal_energy_cost;
use crate::object::*;
use crate::room_map::RoomMap;

/// One accepted `send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TerminalSend {
    pub resource: ResourceKind,
    pub amount: u32,
    pub destination: String,
    pub description: Option<String>,
}

/// `utils.calcRoomsDistance(a, b, true)`: the larger axis distance, wrapping round the world
/// (not for places farther apart than the world is wide, where Screeps' formula turns
/// negative; the prelude's `getRoomLinearDistance` agrees).
pub(crate) fn rooms_distance(map: &RoomMap, a: RoomCoord, b: RoomCoord) -> u32 {
    let size = i64::from(map.world_size());
    let wrap = |d: i64| if d <= size { d.min(size - d) } else { d };
    let dx = wrap((i64::from(a.x) - i64::from(b.x)).abs());
    let dy = wrap((i64::from(a.y) - i64::from(b.y)).abs());
    dx.max(dy) as u32
}

/// `/^(W|E)\d+(N|S)\d+$/`.
fn is_room_name(name: &str) -> bool {
    let b = name.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let Some(split) = b.iter().skip(1).position(|c| *c == b'N' || *c == b'S') else {
        return false;
    };
    matches!(b.first(), Some(b'W' | b'E')) && digits(&b[1..=split]) && digits(&b[split + 2..])
}

impl Validator<'_, '_, '_> {
    pub(super) fn check_send(
        &mut self,
        player: PlayerId,
        terminal: ObjectId,
        send: TerminalSend,
    ) -> Check<()> {
        let o = self.acting(terminal, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Terminal))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if self.census.inactive.contains(&terminal) {
            return Err(ReturnCode::RclNotEnough);
        }
        if !is_room_name(&send.destination) {
            return Err(ReturnCode::InvalidArgs);
        }
        let held = o.amount(send.resource);
        if held == 0 || held < send.amount {
            return Err(ReturnCode::NotEnoughResources);
        }
        if o.cooldown.is_some_and(|c| c.ticks > 0) {
            return Err(ReturnCode::Tired);
        }
        let here = self.map.get(o.pos.room).coord;
        let there = RoomCoord::parse(&send.destination).ok_or(ReturnCode::InvalidArgs)?;
        let cost = terminal_energy_cost(send.amount, rooms_distance(self.map, here, there));
        let energy_needed = if send.resource == ResourceKind::Energy {
            send.amount + cost
        } else {
            cost
        };
        if o.energy() < energy_needed {
            return Err(ReturnCode::NotEnoughResources);
        }
        if send
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 100)
        {
            return Err(ReturnCode::InvalidArgs);
        }
        self.accepted.sends.insert(terminal, send);
        Ok(())
    }

    /// `produce`: factories have no level here (power creeps set it), so only level-0
    /// commodities can be made.
    pub(super) fn check_produce(
        &mut self,
        player: PlayerId,
        factory: ObjectId,
        product: ResourceKind,
    ) -> Check<()> {
        let o = self.acting(factory, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Factory))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if o.cooldown.is_some_and(|c| c.ticks > 0) {
            return Err(ReturnCode::Tired);
        }
        let recipe = commodity(product).ok_or(ReturnCode::InvalidArgs)?;
        if recipe.level != 0 {
            return Err(ReturnCode::InvalidTarget);
        }
        if self.census.inactive.contains(&factory) {
            return Err(ReturnCode::RclNotEnough);
        }
        if recipe.components.iter().any(|(r, n)| o.amount(*r) < *n) {
            return Err(ReturnCode::NotEnoughResources);
        }
        let store = o.store.ok_or(ReturnCode::Full)?;
        let used: u32 = recipe.components.iter().map(|(_, n)| n).sum();
        if store.used() - used + recipe.amount > store.limit.total().unwrap_or(0) {
            return Err(ReturnCode::Full);
        }
        self.accepted.produces.insert(factory, product);
        Ok(())
    }

    /// `launchNuke`, in `game/structures.js`'s order; a room off this map is an invalid
    /// target (Screeps would launch at a name it cannot land in).
    pub(super) fn check_launch(
        &mut self,
        player: PlayerId,
        nuker: ObjectId,
        room: &str,
        (x, y): (u8, u8),
    ) -> Check<()> {
        let o = self.acting(nuker, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Nuker))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        let there = RoomCoord::parse(room).ok_or(ReturnCode::InvalidArgs)?;
        let target = self.map.at(there).ok_or(ReturnCode::InvalidTarget)?;
        if o.cooldown.is_some_and(|c| c.ticks > 0) {
            return Err(ReturnCode::Tired);
        }
        if self.census.inactive.contains(&nuker) {
            return Err(ReturnCode::RclNotEnough);
        }
        let here = self.map.get(o.pos.room).coord;
        let range = NUKE_RANGE as i32;
        if (here.x - there.x).abs() > range || (here.y - there.y).abs() > range {
            return Err(ReturnCode::NotInRange);
        }
        if o.energy() < NUKER_ENERGY_CAPACITY
            || o.amount(ResourceKind::Ghodium) < NUKER_GHODIUM_CAPACITY
        {
            return Err(ReturnCode::NotEnoughResources);
        }
        let pos = crate::geometry::Position::new(target, x, y);
        self.accepted.launches.insert(nuker, pos);
        Ok(())
    }

    /// `processPower`: 1 power and 50 energy.
    pub(super) fn check_process_power(&mut self, player: PlayerId, spawn: ObjectId) -> Check<()> {
        let o = self.acting(spawn, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::PowerSpawn))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if self.census.inactive.contains(&spawn) {
            return Err(ReturnCode::RclNotEnough);
        }
        if o.amount(ResourceKind::Power) < 1 || o.energy() < POWER_SPAWN_ENERGY_RATIO {
            return Err(ReturnCode::NotEnoughResources);
        }
        self.accepted.power.insert(spawn);
        Ok(())
    }

    /// `observeRoom`: a room within `OBSERVER_RANGE` on each axis (no wrapping). A name off
    /// the map is accepted and shows nothing, as Screeps does for a room it lacks.
    pub(super) fn check_observe(
        &mut self,
        player: PlayerId,
        observer: ObjectId,
        room: &str,
    ) -> Check<()> {
        let o = self.acting(observer, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Observer))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if !is_room_name(room) {
            return Err(ReturnCode::InvalidArgs);
        }
        if self.census.inactive.contains(&observer) {
            return Err(ReturnCode::RclNotEnough);
        }
        let here = self.map.get(o.pos.room).coord;
        let there = RoomCoord::parse(room).ok_or(ReturnCode::InvalidArgs)?;
        let range = OBSERVER_RANGE as i32;
        if (here.x - there.x).abs() > range || (here.y - there.y).abs() > range {
            return Err(ReturnCode::NotInRange);
        }
        if let Some(id) = self.map.at(there) {
            self.accepted.observations.insert(observer, id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_names_are_screeps_pattern() {
        for ok in ["W0N0", "E12S7", "W127N127"] {
            assert!(is_room_name(ok), "{ok}");
        }
        for bad in [
            "", "W", "WN1", "W1N", "X1N1", "W1X1", "w1n1", "W1N1 ", "W-1N1",
        ] {
            assert!(!is_room_name(bad), "{bad}");
        }
    }
}
