//! Game objects as ECS components. Every object is an entity with an [`ObjectId`], a
//! [`Position`] and an [`ObjectKind`]; owner, hits, store and decay are optional components.

use bevy_ecs::component::Component;
use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::geometry::Position;
pub use crate::resources::{ResourceKind, Store, StoreLimit};

/// Stable object id; allocated from a counter in the world state, never reused.
#[derive(
    Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct ObjectId(pub u64);

impl ObjectId {
    /// The id string JavaScript sees.
    pub fn to_js(self) -> String {
        // `format!("{:012x}")` by hand: views write one per object every tick.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digits = (16 - self.0.leading_zeros().min(63) as usize / 4).max(12);
        let mut out = String::with_capacity(digits);
        for i in (0..digits).rev() {
            out.push(HEX[((self.0 >> (i * 4)) & 0xf) as usize] as char);
        }
        out
    }

    /// Parses an id string.
    pub fn from_js(s: &str) -> Option<ObjectId> {
        if s.is_empty() || s.len() > 16 {
            return None;
        }
        u64::from_str_radix(s, 16).ok().map(ObjectId)
    }
}

/// A player, numbered from 1 in the order they joined.
#[derive(
    Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct PlayerId(pub u32);

/// Who owns an object.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner(pub PlayerId);

/// Hit points.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hits {
    pub hits: u32,
    pub max: u32,
}

/// Ticks until a structure loses hits to decay (roads, containers).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decay {
    pub ticks: u32,
}

/// Ticks until a structure may act again (links; Screeps' `cooldown`), counted down in upkeep.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cooldown {
    pub ticks: u32,
}

/// A creep body part type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyPartKind {
    Move,
    Work,
    Carry,
    Attack,
    RangedAttack,
    Tough,
    Heal,
    Claim,
}

impl BodyPartKind {
    /// Every part, in Screeps' `BODYPARTS_ALL` order.
    pub const ALL: [BodyPartKind; 8] = [
        BodyPartKind::Move,
        BodyPartKind::Work,
        BodyPartKind::Carry,
        BodyPartKind::Attack,
        BodyPartKind::RangedAttack,
        BodyPartKind::Tough,
        BodyPartKind::Heal,
        BodyPartKind::Claim,
    ];

    /// Energy to spawn one part (Screeps' `BODYPART_COST`).
    pub fn cost(self) -> u32 {
        match self {
            BodyPartKind::Move => 50,
            BodyPartKind::Work => 100,
            BodyPartKind::Carry => 50,
            BodyPartKind::Attack => 80,
            BodyPartKind::RangedAttack => 150,
            BodyPartKind::Tough => 10,
            BodyPartKind::Heal => 250,
            BodyPartKind::Claim => 600,
        }
    }

    /// Screeps' string for the part.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyPartKind::Move => "move",
            BodyPartKind::Work => "work",
            BodyPartKind::Carry => "carry",
            BodyPartKind::Attack => "attack",
            BodyPartKind::RangedAttack => "ranged_attack",
            BodyPartKind::Tough => "tough",
            BodyPartKind::Heal => "heal",
            BodyPartKind::Claim => "claim",
        }
    }

    pub fn parse(s: &str) -> Option<BodyPartKind> {
        Some(match s {
            "move" => BodyPartKind::Move,
            "work" => BodyPartKind::Work,
            "carry" => BodyPartKind::Carry,
            "attack" => BodyPartKind::Attack,
            "ranged_attack" => BodyPartKind::RangedAttack,
            "tough" => BodyPartKind::Tough,
            "heal" => BodyPartKind::Heal,
            "claim" => BodyPartKind::Claim,
            _ => return None,
        })
    }
}

/// One body part, its remaining hits (0..=100) and the compound boosting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyPart {
    pub kind: BodyPartKind,
    pub hits: u32,
    pub boost: Option<ResourceKind>,
}

impl BodyPart {
    /// A new, unboosted part at full hits.
    pub fn new(kind: BodyPartKind) -> Self {
        BodyPart {
            kind,
            hits: BODYPART_HITS,
            boost: None,
        }
    }
}

/// A creep's own data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creep {
    pub name: String,
    pub body: Vec<BodyPart>,
    pub fatigue: u32,
    pub ticks_to_live: u32,
    pub spawning: bool,
    /// Last `say` message, shown for one tick.
    pub saying: Option<Saying>,
}

/// A `say` bubble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saying {
    pub message: String,
    pub public: bool,
}

impl Creep {
    /// Parts of `kind` that still have hits (Screeps' getActiveBodyparts).
    pub fn active(&self, kind: BodyPartKind) -> u32 {
        self.body
            .iter()
            .filter(|p| p.kind == kind && p.hits > 0)
            .count() as u32
    }
}

/// The structures this world implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StructureKind {
    Spawn,
    Extension,
    Road,
    ConstructedWall,
    Container,
    Tower,
    Storage,
    Link,
    Rampart,
    Controller,
    Extractor,
    Lab,
    Terminal,
    Observer,
    Factory,
    PowerSpawn,
    Nuker,
    /// A source keeper's lair in a source-keeper room (unowned, no hits, never built).
    KeeperLair,
    /// An NPC invader core (owned by "Invader", never built; [`ObjectKind::InvaderCore`]).
    InvaderCore,
    /// A power bank in a highway room (unowned, never built; [`ObjectKind::PowerBank`]).
    PowerBank,
}

impl StructureKind {
    /// Every structure this world implements.
    pub const ALL: [StructureKind; 20] = [
        StructureKind::Spawn,
        StructureKind::Extension,
        StructureKind::Road,
        StructureKind::ConstructedWall,
        StructureKind::Container,
        StructureKind::Tower,
        StructureKind::Storage,
        StructureKind::Link,
        StructureKind::Rampart,
        StructureKind::Controller,
        StructureKind::Extractor,
        StructureKind::Lab,
        StructureKind::Terminal,
        StructureKind::Observer,
        StructureKind::Factory,
        StructureKind::PowerSpawn,
        StructureKind::Nuker,
        StructureKind::KeeperLair,
        StructureKind::InvaderCore,
        StructureKind::PowerBank,
    ];

    /// Screeps' `structureType` string.
    pub fn as_str(self) -> &'static str {
        match self {
            StructureKind::Spawn => "spawn",
            StructureKind::Extension => "extension",
            StructureKind::Road => "road",
            StructureKind::ConstructedWall => "constructedWall",
            StructureKind::Container => "container",
            StructureKind::Tower => "tower",
            StructureKind::Storage => "storage",
            StructureKind::Link => "link",
            StructureKind::Rampart => "rampart",
            StructureKind::Controller => "controller",
            StructureKind::Extractor => "extractor",
            StructureKind::Lab => "lab",
            StructureKind::Terminal => "terminal",
            StructureKind::Observer => "observer",
            StructureKind::Factory => "factory",
            StructureKind::PowerSpawn => "powerSpawn",
            StructureKind::Nuker => "nuker",
            StructureKind::KeeperLair => "keeperLair",
            StructureKind::InvaderCore => "invaderCore",
            StructureKind::PowerBank => "powerBank",
        }
    }

    pub fn parse(s: &str) -> Option<StructureKind> {
        Some(match s {
            "spawn" => StructureKind::Spawn,
            "extension" => StructureKind::Extension,
            "road" => StructureKind::Road,
            "constructedWall" => StructureKind::ConstructedWall,
            "container" => StructureKind::Container,
            "tower" => StructureKind::Tower,
            "storage" => StructureKind::Storage,
            "link" => StructureKind::Link,
            "rampart" => StructureKind::Rampart,
            "controller" => StructureKind::Controller,
            "extractor" => StructureKind::Extractor,
            "lab" => StructureKind::Lab,
            "terminal" => StructureKind::Terminal,
            "observer" => StructureKind::Observer,
            "factory" => StructureKind::Factory,
            "powerSpawn" => StructureKind::PowerSpawn,
            "nuker" => StructureKind::Nuker,
            "keeperLair" => StructureKind::KeeperLair,
            "invaderCore" => StructureKind::InvaderCore,
            "powerBank" => StructureKind::PowerBank,
            _ => return None,
        })
    }

    /// Whether creeps cannot stand on it (Screeps' OBSTACLE_OBJECT_TYPES). A rampart is not
    /// one: it blocks only other players' creeps, unless public (movement checks that).
    pub fn is_obstacle(self) -> bool {
        !matches!(
            self,
            StructureKind::Road
                | StructureKind::Container
                | StructureKind::Rampart
                | StructureKind::Extractor
                | StructureKind::KeeperLair
        )
    }

    /// Energy cost to build (Screeps' CONSTRUCTION_COST); `None` when not buildable.
    pub fn construction_cost(self) -> Option<u32> {
        Some(match self {
            StructureKind::Spawn => 15_000,
            StructureKind::Extension => 3_000,
            StructureKind::Road => 300,
            StructureKind::ConstructedWall => 1,
            StructureKind::Container => 5_000,
            StructureKind::Tower => 5_000,
            StructureKind::Storage => 30_000,
            StructureKind::Link => 5_000,
            StructureKind::Rampart => 1,
            StructureKind::Extractor => 5_000,
            StructureKind::Lab => 50_000,
            StructureKind::Terminal => 100_000,
            StructureKind::Observer => 8_000,
            StructureKind::Factory => 100_000,
            StructureKind::PowerSpawn => 100_000,
            StructureKind::Nuker => 100_000,
            StructureKind::Controller
            | StructureKind::KeeperLair
            | StructureKind::InvaderCore
            | StructureKind::PowerBank => return None,
        })
    }

    /// How many may exist per room at a controller level (Screeps' CONTROLLER_STRUCTURES).
    pub fn allowed_at(self, level: u8) -> usize {
        let l = level.min(8) as usize;
        match self {
            StructureKind::Spawn => [0, 1, 1, 1, 1, 1, 1, 2, 3][l],
            StructureKind::Extension => [0, 0, 5, 10, 20, 30, 40, 50, 60][l],
            StructureKind::Road => 2500,
            StructureKind::ConstructedWall => [0, 0, 2500, 2500, 2500, 2500, 2500, 2500, 2500][l],
            StructureKind::Container => 5,
            StructureKind::Tower => [0, 0, 0, 1, 1, 2, 2, 3, 6][l],
            StructureKind::Storage => [0, 0, 0, 0, 1, 1, 1, 1, 1][l],
            StructureKind::Link => [0, 0, 0, 0, 0, 2, 3, 4, 6][l],
            StructureKind::Rampart => [0, 0, 2500, 2500, 2500, 2500, 2500, 2500, 2500][l],
            StructureKind::Extractor => [0, 0, 0, 0, 0, 0, 1, 1, 1][l],
            StructureKind::Lab => [0, 0, 0, 0, 0, 0, 3, 6, 10][l],
            StructureKind::Terminal => [0, 0, 0, 0, 0, 0, 1, 1, 1][l],
            StructureKind::Observer => [0, 0, 0, 0, 0, 0, 0, 0, 1][l],
            StructureKind::Factory => [0, 0, 0, 0, 0, 0, 0, 1, 1][l],
            StructureKind::PowerSpawn => [0, 0, 0, 0, 0, 0, 0, 0, 1][l],
            StructureKind::Nuker => [0, 0, 0, 0, 0, 0, 0, 0, 1][l],
            StructureKind::Controller
            | StructureKind::KeeperLair
            | StructureKind::InvaderCore
            | StructureKind::PowerBank => 0,
        }
    }

    /// Hits of a freshly built structure and its maximum.
    pub fn initial_hits(self) -> Hits {
        let (hits, max) = match self {
            StructureKind::Spawn => (SPAWN_HITS, SPAWN_HITS),
            StructureKind::Extension => (EXTENSION_HITS, EXTENSION_HITS),
            StructureKind::Road => (ROAD_HITS, ROAD_HITS),
            StructureKind::ConstructedWall => (WALL_HITS, WALL_HITS_MAX),
            StructureKind::Container => (CONTAINER_HITS, CONTAINER_HITS),
            StructureKind::Tower => (TOWER_HITS, TOWER_HITS),
            StructureKind::Storage => (STORAGE_HITS, STORAGE_HITS),
            StructureKind::Link => (LINK_HITS, LINK_HITS_MAX),
            // Its maximum follows the room's level (`RAMPART_HITS_MAX`), set each tick.
            StructureKind::Rampart => (RAMPART_HITS, 0),
            StructureKind::Extractor => (EXTRACTOR_HITS, EXTRACTOR_HITS),
            StructureKind::Lab => (LAB_HITS, LAB_HITS),
            StructureKind::Terminal => (TERMINAL_HITS, TERMINAL_HITS),
            StructureKind::Observer => (OBSERVER_HITS, OBSERVER_HITS),
            StructureKind::Factory => (FACTORY_HITS, FACTORY_HITS),
            StructureKind::PowerSpawn => (POWER_SPAWN_HITS, POWER_SPAWN_HITS),
            StructureKind::Nuker => (NUKER_HITS, NUKER_HITS),
            StructureKind::InvaderCore => (INVADER_CORE_HITS, INVADER_CORE_HITS),
            StructureKind::PowerBank => (POWER_BANK_HITS, POWER_BANK_HITS),
            StructureKind::Controller | StructureKind::KeeperLair => (0, 0),
        };
        Hits { hits, max }
    }
}

/// A spawn's own data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureSpawn {
    pub name: String,
    pub spawning: Option<Spawning>,
}

/// A creep being spawned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spawning {
    pub creep: ObjectId,
    pub name: String,
    pub need_time: u32,
    pub remaining_time: u32,
    /// Where the creep may step out, in order (`setDirections`); empty: TOP first, clockwise.
    pub directions: Vec<crate::geometry::Direction>,
}

/// A room controller. Screeps keeps absolute game times (`downgradeTime`, `safeMode`, …);
/// this world keeps the ticks left, counted down in upkeep, which is the same rule and what
/// the API shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Controller {
    pub level: u8,
    pub progress: u32,
    pub ticks_to_downgrade: u32,
    /// A player's hold on an unowned controller (`reserveController`).
    pub reservation: Option<Reservation>,
    /// Ticks of safe mode left; 0 when off.
    pub safe_mode: u32,
    pub safe_mode_available: u32,
    /// Ticks until safe mode may be activated again; 0 when it may.
    pub safe_mode_cooldown: u32,
    /// Ticks until upgrading is allowed again after `attackController`; 0 when it is.
    pub upgrade_blocked: u32,
    pub sign: Option<ControllerSign>,
}

impl Controller {
    /// A controller no one owns or reserves.
    pub fn neutral() -> Self {
        Controller::default()
    }

    /// A controller just claimed (`claimController`): level 1, the downgrade timer full
    /// once the tick ends (upkeep takes one tick off).
    pub fn claimed(previous: &Controller) -> Self {
        Controller {
            level: 1,
            progress: 0,
            ticks_to_downgrade: CONTROLLER_DOWNGRADE[1] + 1,
            reservation: None,
            safe_mode: 0,
            safe_mode_available: previous.safe_mode_available,
            safe_mode_cooldown: previous.safe_mode_cooldown,
            upgrade_blocked: 0,
            sign: previous.sign.clone(),
        }
    }
}

/// `reserveController`'s hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    pub player: PlayerId,
    pub ticks_to_end: u32,
}

/// `signController`'s text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControllerSign {
    pub player: PlayerId,
    pub text: String,
    /// Game time when signed.
    pub time: u64,
}

/// An energy source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub energy: u32,
    pub capacity: u32,
    /// Counts down from ENERGY_REGEN_TIME once harvesting starts; `None` while untouched.
    pub ticks_to_regeneration: Option<u32>,
    /// Energy harvested since the room's last invader raid (`invaderHarvested`).
    #[serde(default)]
    pub invader_harvested: u32,
}

/// A mineral deposit, harvested through an extractor built on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mineral {
    pub mineral_type: ResourceKind,
    pub amount: u32,
    /// `DENSITY_LOW` … `DENSITY_ULTRA`: the amount it regenerates to (`MINERAL_DENSITY`).
    pub density: u8,
    /// Ticks until it regenerates, once exhausted (`MINERAL_REGEN_TIME`).
    pub ticks_to_regeneration: Option<u32>,
}

/// A construction site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstructionSite {
    pub structure: StructureKind,
    pub progress: u32,
    pub total: u32,
}

/// A rampart's own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rampart {
    /// Other players' creeps may pass (`setPublic`).
    pub is_public: bool,
}

/// What a destroyed structure leaves behind (its store, until it decays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruin {
    pub structure: ObjectId,
    pub structure_kind: StructureKind,
    pub structure_owner: Option<PlayerId>,
    pub hits_max: u32,
    pub destroy_time: u64,
    pub ticks_to_decay: u32,
}

/// A nuke on its way (`StructureNuker.launchNuke`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nuke {
    /// The launching nuker's room, by name (`launchRoomName`).
    pub launch_room: String,
    /// Ticks until it lands (`timeToLand`).
    pub time_to_land: u32,
}

/// What a creep leaves behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub creep_name: String,
    pub creep_owner: PlayerId,
    pub death_time: u64,
    pub ticks_to_decay: u32,
}

/// An NPC invader core (screeps/engine `invader-core/*`). Only lesser cores (level 0) are
/// modelled: they reserve or attack their room's controller and collapse with the
/// stronghold that sent them (`crate::invader_cores`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvaderCore {
    pub level: u8,
    /// Game time of `EFFECT_COLLAPSE_TIMER`'s end: the core is removed at that tick.
    pub collapse_time: u64,
}

/// A power bank (screeps/backend-local `genPowerBanks`): its power is in its store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerBank {
    /// Game time it decays at (`decayTime`); it is gone from that tick's view on.
    pub decay_time: u64,
}

/// A deposit in a highway room (screeps/backend-local `genDeposits`): harvested for a
/// commodity's raw resource, each harvest lengthening its cooldown; its cooldown is the
/// object's [`Cooldown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    /// `depositType`: mist, biomass, metal or silicon.
    pub deposit_type: ResourceKind,
    /// Everything harvested from it so far (`harvested`).
    pub harvested: u32,
    /// Game time it decays at unless harvested again (`decayTime`).
    pub decay_time: u64,
}

/// What kind of object an entity is, with the kind's own data.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectKind {
    Creep(Creep),
    Structure(StructureKind),
    Spawn(StructureSpawn),
    Controller(Controller),
    Source(Source),
    Mineral(Mineral),
    ConstructionSite(ConstructionSite),
    /// A dropped resource: its [`Store`] holds one resource.
    Resource,
    Rampart(Rampart),
    Tombstone(Tombstone),
    Ruin(Ruin),
    Nuke(Nuke),
    InvaderCore(InvaderCore),
    PowerBank(PowerBank),
    Deposit(Deposit),
}

impl ObjectKind {
    /// The structure type, for spawns, controllers and plain structures.
    pub fn structure(&self) -> Option<StructureKind> {
        match self {
            ObjectKind::Structure(k) => Some(*k),
            ObjectKind::Spawn(_) => Some(StructureKind::Spawn),
            ObjectKind::Controller(_) => Some(StructureKind::Controller),
            ObjectKind::Rampart(_) => Some(StructureKind::Rampart),
            ObjectKind::InvaderCore(_) => Some(StructureKind::InvaderCore),
            ObjectKind::PowerBank(_) => Some(StructureKind::PowerBank),
            _ => None,
        }
    }

    /// Whether creeps cannot stand on it.
    pub fn is_obstacle(&self) -> bool {
        match self {
            ObjectKind::Creep(_) | ObjectKind::Source(_) | ObjectKind::Mineral(_) => true,
            ObjectKind::Spawn(_) | ObjectKind::Controller(_) => true,
            ObjectKind::InvaderCore(_) | ObjectKind::PowerBank(_) | ObjectKind::Deposit(_) => true,
            ObjectKind::Structure(k) => k.is_obstacle(),
            _ => false,
        }
    }
}

/// Everything about one object, as stored in snapshots, hashed, and turned into views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRecord {
    pub id: ObjectId,
    pub pos: Position,
    pub owner: Option<PlayerId>,
    pub hits: Option<Hits>,
    pub store: Option<Store>,
    pub decay: Option<Decay>,
    pub cooldown: Option<Cooldown>,
    pub kind: ObjectKind,
}

#[cfg(test)]
mod object_id_tests {
    use super::ObjectId;

    #[test]
    fn js_ids_are_twelve_hex_digits_or_more_and_parse_back() {
        for n in [
            0u64,
            1,
            0xabc,
            0xffff_ffff_ffff,
            0x1_0000_0000_0000,
            u64::MAX,
        ] {
            let id = ObjectId(n);
            assert_eq!(id.to_js(), format!("{n:012x}"));
            assert_eq!(ObjectId::from_js(&id.to_js()), Some(id));
        }
    }
}
