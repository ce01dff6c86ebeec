//! Screeps' public constants (screeps/common `constants.js`), the subset this world implements.

use serde::{Deserialize, Serialize};

/// A Screeps return code. `Ok` is 0; errors are negative, with Screeps' numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(i8)]
pub enum ReturnCode {
    Ok = 0,
    NotOwner = -1,
    NoPath = -2,
    NameExists = -3,
    Busy = -4,
    NotFound = -5,
    NotEnoughResources = -6,
    InvalidTarget = -7,
    Full = -8,
    NotInRange = -9,
    InvalidArgs = -10,
    Tired = -11,
    NoBodypart = -12,
    RclNotEnough = -14,
    GclNotEnough = -15,
}

impl ReturnCode {
    /// The numeric code JavaScript sees.
    pub fn code(self) -> i8 {
        self as i8
    }
}

pub const BODYPART_HITS: u32 = 100;
pub const CREEP_LIFE_TIME: u32 = 1500;
pub const CREEP_CLAIM_LIFE_TIME: u32 = 600;
pub const CREEP_SPAWN_TIME: u32 = 3;
pub const MAX_CREEP_SIZE: usize = 50;
pub const CREEP_NAME_MAX: usize = 100;
pub const SAY_MAX_LENGTH: usize = 10;
pub const CARRY_CAPACITY: u32 = 50;
pub const HARVEST_POWER: u32 = 2;
pub const BUILD_POWER: u32 = 5;
pub const REPAIR_POWER: u32 = 100;
/// Energy per repaired hit is 0.01: one WORK part repairs 100 hits for 1 energy.
pub const REPAIR_HITS_PER_ENERGY: u32 = 100;
pub const UPGRADE_CONTROLLER_POWER: u32 = 1;
pub const ATTACK_POWER: u32 = 30;
pub const RANGED_ATTACK_POWER: u32 = 10;
pub const HEAL_POWER: u32 = 12;
pub const SOURCE_ENERGY_CAPACITY: u32 = 3000;
pub const SOURCE_ENERGY_NEUTRAL_CAPACITY: u32 = 1500;
pub const ENERGY_REGEN_TIME: u32 = 300;
pub const ENERGY_DECAY: u32 = 1000;
pub const SPAWN_HITS: u32 = 5000;
pub const SPAWN_ENERGY_START: u32 = 300;
pub const SPAWN_ENERGY_CAPACITY: u32 = 300;
pub const EXTENSION_HITS: u32 = 1000;
pub const ROAD_HITS: u32 = 5000;
pub const ROAD_DECAY_AMOUNT: u32 = 100;
pub const ROAD_DECAY_TIME: u32 = 1000;
pub const WALL_HITS: u32 = 1;
pub const WALL_HITS_MAX: u32 = 300_000_000;
pub const CONTAINER_HITS: u32 = 250_000;
pub const CONTAINER_CAPACITY: u32 = 2000;
pub const CONTAINER_DECAY: u32 = 5000;
pub const CONTAINER_DECAY_TIME: u32 = 100;
pub const CONTAINER_DECAY_TIME_OWNED: u32 = 500;
pub const TOWER_HITS: u32 = 3000;
pub const TOWER_CAPACITY: u32 = 1000;
pub const TOWER_ENERGY_COST: u32 = 10;
pub const TOWER_POWER_ATTACK: u32 = 600;
pub const TOWER_POWER_HEAL: u32 = 400;
pub const TOWER_POWER_REPAIR: u32 = 800;
pub const TOWER_OPTIMAL_RANGE: u32 = 5;
pub const TOWER_FALLOFF_RANGE: u32 = 20;
/// Percent of power lost at TOWER_FALLOFF_RANGE (Screeps' 0.75, in integer percent).
pub const TOWER_FALLOFF_PERCENT: u32 = 75;
pub const STORAGE_CAPACITY: u32 = 1_000_000;
pub const STORAGE_HITS: u32 = 10_000;
pub const TOMBSTONE_DECAY_PER_PART: u32 = 5;
pub const MAX_CONSTRUCTION_SITES: usize = 100;
pub const CONTROLLER_DOWNGRADE_RESTORE: u32 = 100;
pub const CONTROLLER_MAX_LEVEL: u8 = 8;
pub const CONSTRUCTION_COST_ROAD_SWAMP_RATIO: u32 = 5;
pub const CONSTRUCTION_COST_ROAD_WALL_RATIO: u32 = 150;

/// Progress needed to leave each controller level (index = level).
pub const CONTROLLER_LEVELS: [u32; 8] = [
    0, 200, 45_000, 135_000, 405_000, 1_215_000, 3_645_000, 10_935_000,
];

/// Ticks before a controller at each level downgrades without upgrades (index = level).
pub const CONTROLLER_DOWNGRADE: [u32; 9] = [
    0, 20_000, 10_000, 20_000, 40_000, 80_000, 120_000, 150_000, 200_000,
];

/// Energy capacity of an extension at each controller level (index = level).
pub const EXTENSION_ENERGY_CAPACITY: [u32; 9] = [50, 50, 50, 50, 50, 50, 50, 100, 200];

/// Gcl points a player needs to own `rooms` rooms: GCL_MULTIPLY * (rooms-1)^GCL_POW. With no GCL
/// progression in this world, every player owns at most one room.
pub const GCL_ROOMS: usize = 1;
