//! What happened in each room during the last tick (Screeps' `Room.getEventLog`, the events
//! screeps/engine's processor pushes). Recorded by the apply phases, kept until the next
//! tick starts, shown to players with the room. Not part of the state: it is not hashed or
//! snapshotted, so after a restore the first tick shows an empty log.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::geometry::RoomId;
use crate::object::ObjectId;

/// `EVENT_ATTACK_TYPE_*`.
pub const ATTACK_MELEE: u8 = 1;
pub const ATTACK_RANGED: u8 = 2;
pub const ATTACK_RANGED_MASS: u8 = 3;
pub const ATTACK_DISMANTLE: u8 = 4;
pub const ATTACK_HIT_BACK: u8 = 5;
/// `EVENT_HEAL_TYPE_*`.
pub const HEAL_MELEE: u8 = 1;
pub const HEAL_RANGED: u8 = 2;

/// One event's kind and data, as screeps/engine records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Attack {
        target: ObjectId,
        damage: u32,
        attack_type: u8,
    },
    /// `type`: `creep` or the structure type.
    ObjectDestroyed {
        object_type: String,
    },
    AttackController,
    Build {
        target: ObjectId,
        amount: u32,
        energy_spent: u32,
    },
    Harvest {
        target: ObjectId,
        amount: u32,
    },
    Heal {
        target: ObjectId,
        amount: u32,
        heal_type: u8,
    },
    Repair {
        target: ObjectId,
        amount: u32,
        energy_spent: u32,
    },
    ReserveController {
        amount: u32,
    },
    UpgradeController {
        amount: u32,
        energy_spent: u32,
    },
    Exit {
        room: String,
        x: u8,
        y: u8,
    },
    Transfer {
        target: ObjectId,
        resource: crate::resources::ResourceKind,
        amount: u32,
    },
}

impl EventKind {
    /// The `EVENT_*` number.
    pub fn number(&self) -> u8 {
        match self {
            EventKind::Attack { .. } => 1,
            EventKind::ObjectDestroyed { .. } => 2,
            EventKind::AttackController => 3,
            EventKind::Build { .. } => 4,
            EventKind::Harvest { .. } => 5,
            EventKind::Heal { .. } => 6,
            EventKind::Repair { .. } => 7,
            EventKind::ReserveController { .. } => 8,
            EventKind::UpgradeController { .. } => 9,
            EventKind::Exit { .. } => 10,
            EventKind::Transfer { .. } => 12,
        }
    }
}

/// One event: what acted, and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomEvent {
    pub object: ObjectId,
    pub kind: EventKind,
}

/// The events of the tick being processed (then, until the next tick, of the last one), per
/// room, in the order the phases recorded them.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLog {
    pub by_room: BTreeMap<RoomId, Vec<RoomEvent>>,
}

impl EventLog {
    pub fn push(&mut self, room: RoomId, object: ObjectId, kind: EventKind) {
        self.by_room
            .entry(room)
            .or_default()
            .push(RoomEvent { object, kind });
    }
}
