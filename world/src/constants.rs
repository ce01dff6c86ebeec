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
    /// Every code, in Screeps' numbering order.
    pub const ALL: [ReturnCode; 15] = [
        ReturnCode::Ok,
        ReturnCode::NotOwner,
        ReturnCode::NoPath,
        ReturnCode::NameExists,
        ReturnCode::Busy,
        ReturnCode::NotFound,
        ReturnCode::NotEnoughResources,
        ReturnCode::InvalidTarget,
        ReturnCode::Full,
        ReturnCode::NotInRange,
        ReturnCode::InvalidArgs,
        ReturnCode::Tired,
        ReturnCode::NoBodypart,
        ReturnCode::RclNotEnough,
        ReturnCode::GclNotEnough,
    ];

    /// The numeric code JavaScript sees.
    pub fn code(self) -> i8 {
        self as i8
    }

    /// The JavaScript constant holding this code.
    pub fn js_name(self) -> &'static str {
        match self {
            ReturnCode::Ok => "OK",
            ReturnCode::NotOwner => "ERR_NOT_OWNER",
            ReturnCode::NoPath => "ERR_NO_PATH",
            ReturnCode::NameExists => "ERR_NAME_EXISTS",
            ReturnCode::Busy => "ERR_BUSY",
            ReturnCode::NotFound => "ERR_NOT_FOUND",
            ReturnCode::NotEnoughResources => "ERR_NOT_ENOUGH_RESOURCES",
            ReturnCode::InvalidTarget => "ERR_INVALID_TARGET",
            ReturnCode::Full => "ERR_FULL",
            ReturnCode::NotInRange => "ERR_NOT_IN_RANGE",
            ReturnCode::InvalidArgs => "ERR_INVALID_ARGS",
            ReturnCode::Tired => "ERR_TIRED",
            ReturnCode::NoBodypart => "ERR_NO_BODYPART",
            ReturnCode::RclNotEnough => "ERR_RCL_NOT_ENOUGH",
            ReturnCode::GclNotEnough => "ERR_GCL_NOT_ENOUGH",
        }
    }
}

/// Declares constants Screeps publishes to JavaScript under the same name, and lists them in
/// [`JS_NUMERIC_CONSTANTS`]: the contract test (`tests/shard/contract.rs`) checks each against
/// the prelude and @types/screeps, so a value changed here and not there fails.
macro_rules! js_constants {
    ($($(#[$meta:meta])* $name:ident: $ty:ty = $value:expr;)*) => {
        $($(#[$meta])* pub const $name: $ty = $value;)*
        /// Every numeric constant the prelude also defines, by its Screeps name.
        pub const JS_NUMERIC_CONSTANTS: &[(&str, i64)] = &[$((stringify!($name), $value as i64)),*];
    };
}

js_constants! {
    CREEP_LIFE_TIME: u32 = 1500;
    CREEP_CLAIM_LIFE_TIME: u32 = 600;
    CREEP_SPAWN_TIME: u32 = 3;
    MAX_CREEP_SIZE: usize = 50;
    CARRY_CAPACITY: u32 = 50;
    HARVEST_POWER: u32 = 2;
    BUILD_POWER: u32 = 5;
    REPAIR_POWER: u32 = 100;
    UPGRADE_CONTROLLER_POWER: u32 = 1;
    ATTACK_POWER: u32 = 30;
    RANGED_ATTACK_POWER: u32 = 10;
    HEAL_POWER: u32 = 12;
    RANGED_HEAL_POWER: u32 = 4;
    DISMANTLE_POWER: u32 = 50;
    SOURCE_ENERGY_CAPACITY: u32 = 3000;
    SOURCE_ENERGY_NEUTRAL_CAPACITY: u32 = 1500;
    SOURCE_ENERGY_KEEPER_CAPACITY: u32 = 4000;
    ENERGY_REGEN_TIME: u32 = 300;
    ENERGY_DECAY: u32 = 1000;
    SPAWN_HITS: u32 = 5000;
    SPAWN_ENERGY_START: u32 = 300;
    SPAWN_ENERGY_CAPACITY: u32 = 300;
    EXTENSION_HITS: u32 = 1000;
    ROAD_HITS: u32 = 5000;
    ROAD_DECAY_AMOUNT: u32 = 100;
    ROAD_DECAY_TIME: u32 = 1000;
    ROAD_WEAROUT: u32 = 1;
    WALL_HITS: u32 = 1;
    WALL_HITS_MAX: u32 = 300_000_000;
    CONTAINER_HITS: u32 = 250_000;
    CONTAINER_CAPACITY: u32 = 2000;
    CONTAINER_DECAY: u32 = 5000;
    CONTAINER_DECAY_TIME: u32 = 100;
    CONTAINER_DECAY_TIME_OWNED: u32 = 500;
    TOWER_HITS: u32 = 3000;
    TOWER_CAPACITY: u32 = 1000;
    TOWER_ENERGY_COST: u32 = 10;
    TOWER_POWER_ATTACK: u32 = 600;
    TOWER_POWER_HEAL: u32 = 400;
    TOWER_POWER_REPAIR: u32 = 800;
    TOWER_OPTIMAL_RANGE: u32 = 5;
    TOWER_FALLOFF_RANGE: u32 = 20;
    STORAGE_CAPACITY: u32 = 1_000_000;
    STORAGE_HITS: u32 = 10_000;
    LINK_HITS: u32 = 1000;
    LINK_HITS_MAX: u32 = 1000;
    LINK_CAPACITY: u32 = 800;
    LINK_COOLDOWN: u32 = 1;
    RAMPART_DECAY_AMOUNT: u32 = 300;
    RAMPART_DECAY_TIME: u32 = 100;
    RAMPART_HITS: u32 = 1;
    TOMBSTONE_DECAY_PER_PART: u32 = 5;
    RUIN_DECAY: u32 = 500;
    CREEP_PART_MAX_ENERGY: u32 = 125;
    MAX_CONSTRUCTION_SITES: usize = 100;
    CONTROLLER_DOWNGRADE_RESTORE: u32 = 100;
    CONSTRUCTION_COST_ROAD_SWAMP_RATIO: u32 = 5;
    CONSTRUCTION_COST_ROAD_WALL_RATIO: u32 = 150;
    CONTROLLER_RESERVE: u32 = 1;
    CONTROLLER_RESERVE_MAX: u32 = 5000;
    CONTROLLER_CLAIM_DOWNGRADE: u32 = 300;
    CONTROLLER_ATTACK_BLOCKED_UPGRADE: u32 = 1000;
    CONTROLLER_MAX_UPGRADE_PER_TICK: u32 = 15;
    CONTROLLER_DOWNGRADE_SAFEMODE_THRESHOLD: u32 = 5000;
    SAFE_MODE_DURATION: u32 = 20_000;
    SAFE_MODE_COOLDOWN: u32 = 50_000;
    GCL_MULTIPLY: u64 = 1_000_000;
    GCL_NOVICE: usize = 3;
    LAB_ENERGY_CAPACITY: u32 = 2000;
    LAB_MINERAL_CAPACITY: u32 = 3000;
    POWER_SPAWN_ENERGY_CAPACITY: u32 = 5000;
    POWER_SPAWN_POWER_CAPACITY: u32 = 100;
    NUKER_ENERGY_CAPACITY: u32 = 300_000;
    NUKER_GHODIUM_CAPACITY: u32 = 5000;
    TERMINAL_CAPACITY: u32 = 300_000;
    FACTORY_CAPACITY: u32 = 50_000;
    EXTRACTOR_HITS: u32 = 500;
    EXTRACTOR_COOLDOWN: u32 = 5;
    HARVEST_MINERAL_POWER: u32 = 1;
    MINERAL_REGEN_TIME: u32 = 50_000;
    DENSITY_LOW: u8 = 1;
    DENSITY_MODERATE: u8 = 2;
    DENSITY_HIGH: u8 = 3;
    DENSITY_ULTRA: u8 = 4;
    LAB_HITS: u32 = 500;
    LAB_REACTION_AMOUNT: u32 = 5;
    LAB_BOOST_ENERGY: u32 = 20;
    LAB_BOOST_MINERAL: u32 = 30;
    LAB_UNBOOST_ENERGY: u32 = 0;
    LAB_UNBOOST_MINERAL: u32 = 15;
    TERMINAL_HITS: u32 = 3000;
    TERMINAL_COOLDOWN: u32 = 10;
    SAFE_MODE_COST: u32 = 1000;
    OBSERVER_HITS: u32 = 500;
    OBSERVER_RANGE: u32 = 10;
    FACTORY_HITS: u32 = 1000;
    POWER_SPAWN_HITS: u32 = 5000;
    POWER_SPAWN_ENERGY_RATIO: u32 = 50;
    NUKER_HITS: u32 = 1000;
    NUKER_COOLDOWN: u32 = 100_000;
    NUKE_LAND_TIME: u32 = 50_000;
    NUKE_RANGE: u32 = 10;
    CONTROLLER_NUKE_BLOCKED_UPGRADE: u32 = 200;
    INVADER_CORE_HITS: u32 = 100_000;
    INVADER_CORE_CONTROLLER_POWER: u32 = 2;
    STRONGHOLD_DECAY_TICKS: u32 = 75_000;
    EFFECT_COLLAPSE_TIMER: u32 = 1002;
    POWER_BANK_HITS: u32 = 2_000_000;
    POWER_BANK_CAPACITY_MAX: u32 = 5000;
    POWER_BANK_CAPACITY_MIN: u32 = 500;
    POWER_BANK_DECAY: u32 = 5000;
    POWER_BANK_RESPAWN_TIME: u32 = 50_000;
    HARVEST_DEPOSIT_POWER: u32 = 1;
    DEPOSIT_DECAY_TIME: u32 = 50_000;
}

/// `POWER_BANK_CAPACITY_CRIT` (0.3), in percent: the chance a bank holds `POWER_BANK_CAPACITY_MAX`
/// more.
pub const POWER_BANK_CAPACITY_CRIT_PERCENT: u32 = 30;
/// `RUIN_DECAY_STRUCTURES.powerBank`: a power bank's ruin lasts 10 ticks.
pub const RUIN_DECAY_POWER_BANK: u32 = 10;

/// `INVADER_CORE_EXPAND_TIME`: ticks between a stronghold's lesser cores, by its level (1–5).
pub const INVADER_CORE_EXPAND_TIME: [u32; 6] = [0, 4000, 3500, 3000, 2500, 2000];
/// A stronghold's deploy stage (screeps/backend-local `strongholds.js`'s `strongholdDeployTime`).
pub const STRONGHOLD_DEPLOY_TIME: u32 = 5000;

// Rust-side rules with no JavaScript constant of the same meaning.
pub const BODYPART_HITS: u32 = 100;
pub const CREEP_NAME_MAX: usize = 100;
pub const SAY_MAX_LENGTH: usize = 10;
/// Energy per repaired hit is 0.01: one WORK part repairs 100 hits for 1 energy.
pub const REPAIR_HITS_PER_ENERGY: u32 = 100;
/// Percent of power lost at TOWER_FALLOFF_RANGE (Screeps' 0.75, in integer percent).
pub const TOWER_FALLOFF_PERCENT: u32 = 75;
pub const CONTROLLER_MAX_LEVEL: u8 = 8;
/// Share of a dying creep's body returned as energy, in percent: 20 (Screeps'
/// CREEP_CORPSE_RATE 0.2), 100 when recycled.
pub const CREEP_CORPSE_PERCENT: u32 = 20;
/// Hits dismantled per unit of energy returned (Screeps' DISMANTLE_COST 0.005, floored).
pub const DISMANTLE_HITS_PER_ENERGY: u32 = 200;
/// Percent of a link transfer lost (Screeps' LINK_LOSS_RATIO 0.03), rounded up per transfer.
pub const LINK_LOSS_PERCENT: u32 = 3;

/// Progress needed to leave each controller level (index = level).
pub const CONTROLLER_LEVELS: [u32; 8] = [
    0, 200, 45_000, 135_000, 405_000, 1_215_000, 3_645_000, 10_935_000,
];

/// Ticks before a controller at each level downgrades without upgrades (index = level).
pub const CONTROLLER_DOWNGRADE: [u32; 9] = [
    0, 20_000, 10_000, 20_000, 40_000, 80_000, 120_000, 150_000, 200_000,
];

/// A rampart's maximum hits at each controller level of its owner's room (index = level).
pub const RAMPART_HITS_MAX: [u32; 9] = [
    0,
    0,
    300_000,
    1_000_000,
    3_000_000,
    10_000_000,
    30_000_000,
    100_000_000,
    300_000_000,
];

/// Energy capacity of an extension at each controller level (index = level).
/// `NUKE_DAMAGE[0]`: the landing tile.
pub const NUKE_DAMAGE_CENTER: u32 = 10_000_000;
/// `NUKE_DAMAGE[2]`: every other tile within range 2.
pub const NUKE_DAMAGE_AREA: u32 = 5_000_000;
/// A mineral's amount when it regenerates, by density (`MINERAL_DENSITY`).
pub const MINERAL_DENSITY: [u32; 5] = [0, 15_000, 35_000, 70_000, 100_000];
/// `MINERAL_DENSITY_PROBABILITY` in thousandths: density d is drawn when a draw in 0..1000
/// is below the d-th entry.
pub const MINERAL_DENSITY_PROBABILITY_MILLI: [u32; 4] = [100, 500, 900, 1000];
/// `MINERAL_DENSITY_CHANGE` (0.05) in thousandths.
pub const MINERAL_DENSITY_CHANGE_MILLI: u32 = 50;
pub const EXTENSION_ENERGY_CAPACITY: [u32; 9] = [50, 50, 50, 50, 50, 50, 50, 100, 200];

/// GCL points needed to reach each global control level (index = level - 1): Screeps'
/// `GCL_MULTIPLY * (level - 1) ^ GCL_POW` with `GCL_POW` = 2.4, as the smallest integer not
/// below it. Screeps computes it with `Math.pow`; this world keeps floats out of its rules, so
/// the values are exact (g^5 >= 10^30 * (level - 1)^12) and `tests` below checks them against
/// the float formula. Level 64 needs 2·10^10 points, past any real game.
const GCL_NEEDED: [u64; 64] = [
    0,
    1000000,
    5278032,
    13966611,
    27857619,
    47591349,
    73716211,
    106717415,
    147033390,
    195066200,
    251188644,
    315749335,
    389076492,
    471480837,
    563257893,
    664689812,
    776046883,
    897588772,
    1029565574,
    1172218692,
    1325781607,
    1490480531,
    1666534981,
    1854158287,
    2053558032,
    2264936449,
    2488490776,
    2724413565,
    2972892979,
    3234113037,
    3508253857,
    3795491868,
    4096000000,
    4409947871,
    4737501941,
    5078825676,
    5434079676,
    5803421814,
    6187007349,
    6584989047,
    6997517274,
    7424740103,
    7866803403,
    8323850920,
    8796024363,
    9283463476,
    9786306109,
    10304688287,
    10838744272,
    11388606622,
    11954406248,
    12536272467,
    13134333055,
    13748714290,
    14379541005,
    15026936625,
    15691023211,
    16371921500,
    17069750943,
    17784629738,
    18516674869,
    19266002133,
    20032726178,
    20816960527,
];

/// GCL points needed for `level` (Screeps' `utils.calcNeededGcl`); `u64::MAX` past the table.
pub fn gcl_needed(level: u32) -> u64 {
    match level {
        0 | 1 => 0,
        l => GCL_NEEDED.get(l as usize - 1).copied().unwrap_or(u64::MAX),
    }
}

/// The global control level `points` reach (Screeps' `Game.gcl.level`): how many rooms a
/// player may own.
pub fn gcl_level(points: u64) -> u32 {
    GCL_NEEDED
        .iter()
        .take_while(|needed| **needed <= points)
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcl_table_matches_the_float_formula() {
        for level in 1..=64u32 {
            let float = 1e6 * f64::from(level - 1).powf(2.4);
            let exact = gcl_needed(level) as f64;
            assert!(
                (exact - float.ceil()).abs() <= 1.0,
                "level {level}: {exact} vs {float}"
            );
        }
        assert_eq!(gcl_level(0), 1);
        assert_eq!(gcl_level(999_999), 1);
        assert_eq!(gcl_level(1_000_000), 2);
        assert_eq!(gcl_level(5_278_032), 3);
        assert_eq!(gcl_needed(65), u64::MAX);
    }
}
