//! Intents: the only way anything in the world changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::constants::ReturnCode;
use crate::object::{BodyPartKind, ObjectId, PlayerId, StructureKind};
use crate::orders::{OrderId, OrderType};
use crate::resources::ResourceKind;

/// One action a player asks for. Validated on the host; JavaScript-side checks are a courtesy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Intent {
    Move {
        creep: ObjectId,
        direction: u8,
    },
    /// `Creep.move(creep)`: a step onto an adjacent creep's tile (how a pulled creep follows).
    MoveToCreep {
        creep: ObjectId,
        target: ObjectId,
    },
    /// `Creep.pull`.
    Pull {
        creep: ObjectId,
        target: ObjectId,
    },
    Harvest {
        creep: ObjectId,
        target: ObjectId,
    },
    Transfer {
        creep: ObjectId,
        target: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        amount: Option<u32>,
    },
    Withdraw {
        creep: ObjectId,
        target: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        amount: Option<u32>,
    },
    Pickup {
        creep: ObjectId,
        target: ObjectId,
    },
    Drop {
        creep: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        amount: Option<u32>,
    },
    Build {
        creep: ObjectId,
        target: ObjectId,
    },
    Repair {
        creep: ObjectId,
        target: ObjectId,
    },
    UpgradeController {
        creep: ObjectId,
        target: ObjectId,
    },
    Attack {
        creep: ObjectId,
        target: ObjectId,
    },
    RangedAttack {
        creep: ObjectId,
        target: ObjectId,
    },
    Heal {
        creep: ObjectId,
        target: ObjectId,
    },
    RangedHeal {
        creep: ObjectId,
        target: ObjectId,
    },
    RangedMassAttack {
        creep: ObjectId,
    },
    Dismantle {
        creep: ObjectId,
        target: ObjectId,
    },
    ClaimController {
        creep: ObjectId,
        target: ObjectId,
    },
    ReserveController {
        creep: ObjectId,
        target: ObjectId,
    },
    AttackController {
        creep: ObjectId,
        target: ObjectId,
    },
    /// An empty `text` removes the sign.
    SignController {
        creep: ObjectId,
        target: ObjectId,
        text: String,
    },
    Unclaim {
        controller: ObjectId,
    },
    ActivateSafeMode {
        controller: ObjectId,
    },
    SpawnCreep {
        spawn: ObjectId,
        body: Vec<BodyPartKind>,
        name: String,
        /// `energyStructures`: the spawns and extensions to take the energy from, in order.
        #[serde(
            default,
            rename = "energyStructures",
            skip_serializing_if = "Option::is_none"
        )]
        energy_structures: Option<Vec<ObjectId>>,
    },
    CreateConstructionSite {
        room: String,
        x: u8,
        y: u8,
        structure: StructureKind,
    },
    Say {
        creep: ObjectId,
        message: String,
        public: bool,
    },
    Suicide {
        creep: ObjectId,
    },
    /// `StructureSpawn.renewCreep`.
    RenewCreep {
        spawn: ObjectId,
        target: ObjectId,
    },
    /// `Spawning.setDirections`, and `spawnCreep`'s `directions` option.
    SetSpawnDirections {
        spawn: ObjectId,
        directions: Vec<u8>,
    },
    /// `Spawning.cancel`.
    CancelSpawning {
        spawn: ObjectId,
    },
    /// `StructureSpawn.recycleCreep`.
    RecycleCreep {
        spawn: ObjectId,
        target: ObjectId,
    },
    /// `ConstructionSite.remove`.
    RemoveConstructionSite {
        site: ObjectId,
    },
    /// `Structure.destroy`.
    DestroyStructure {
        structure: ObjectId,
    },
    /// `StructureRampart.setPublic`.
    SetPublic {
        rampart: ObjectId,
        #[serde(rename = "isPublic")]
        is_public: bool,
    },
    /// `StructureLink.transferEnergy`.
    TransferEnergy {
        link: ObjectId,
        target: ObjectId,
        amount: Option<u32>,
    },
    TowerAttack {
        tower: ObjectId,
        target: ObjectId,
    },
    TowerHeal {
        tower: ObjectId,
        target: ObjectId,
    },
    TowerRepair {
        tower: ObjectId,
        target: ObjectId,
    },
    /// `StructureLab.runReaction`.
    RunReaction {
        lab: ObjectId,
        lab1: ObjectId,
        lab2: ObjectId,
    },
    /// `StructureLab.reverseReaction`.
    ReverseReaction {
        lab: ObjectId,
        lab1: ObjectId,
        lab2: ObjectId,
    },
    /// `StructureLab.boostCreep`; no count boosts every part it can.
    BoostCreep {
        lab: ObjectId,
        creep: ObjectId,
        #[serde(rename = "bodyPartsCount")]
        body_parts_count: Option<u32>,
    },
    /// `StructureNuker.launchNuke`.
    LaunchNuke {
        nuker: ObjectId,
        #[serde(rename = "roomName")]
        room: String,
        x: u8,
        y: u8,
    },
    /// `StructurePowerSpawn.processPower`.
    ProcessPower {
        #[serde(rename = "powerSpawn")]
        power_spawn: ObjectId,
    },
    /// `StructureFactory.produce`.
    Produce {
        factory: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
    },
    /// `StructureObserver.observeRoom`.
    ObserveRoom {
        observer: ObjectId,
        #[serde(rename = "roomName")]
        room: String,
    },
    /// `Creep.generateSafeMode`.
    GenerateSafeMode {
        creep: ObjectId,
        target: ObjectId,
    },
    /// `Creep.notifyWhenAttacked` and `Structure.notifyWhenAttacked`.
    NotifyWhenAttacked {
        object: ObjectId,
        enabled: bool,
    },
    /// `StructureTerminal.send`.
    Send {
        terminal: ObjectId,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        amount: u32,
        #[serde(rename = "targetRoomName")]
        destination: String,
        description: Option<String>,
    },
    /// `StructureLab.unboostCreep`.
    UnboostCreep {
        lab: ObjectId,
        creep: ObjectId,
    },
    /// `Game.market.createOrder`; the price in thousandths of a credit.
    CreateOrder {
        #[serde(rename = "orderType")]
        order_type: OrderType,
        #[serde(rename = "resourceType")]
        resource: ResourceKind,
        #[serde(rename = "price")]
        price_milli: u64,
        #[serde(rename = "totalAmount")]
        total_amount: u32,
        #[serde(rename = "roomName")]
        room: String,
    },
    /// `Game.market.cancelOrder`.
    CancelOrder {
        #[serde(rename = "orderId")]
        order: OrderId,
    },
    /// `Game.market.changeOrderPrice`; the price in thousandths.
    ChangeOrderPrice {
        #[serde(rename = "orderId")]
        order: OrderId,
        #[serde(rename = "newPrice")]
        new_price_milli: u64,
    },
    /// `Game.market.extendOrder`.
    ExtendOrder {
        #[serde(rename = "orderId")]
        order: OrderId,
        #[serde(rename = "addAmount")]
        add_amount: u32,
    },
    /// `Game.market.deal`.
    Deal {
        #[serde(rename = "orderId")]
        order: OrderId,
        amount: u32,
        #[serde(rename = "targetRoomName")]
        room: String,
    },
}

/// Every player's intents for one tick. Keyed by player so arrival order cannot matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentBatch {
    pub by_player: BTreeMap<PlayerId, Vec<Intent>>,
}

/// Per player, the intents a tick refused and why, in submission order.
pub type RefusedIntents = Vec<(PlayerId, Vec<(Intent, ReturnCode)>)>;

/// What an intent acts through: an object of the player's, a room by name (a construction
/// site, a terminal-less market order's room), or the player's account (market orders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentActor<'a> {
    Object(ObjectId),
    Room(&'a str),
    Account,
}

impl Intent {
    /// The object (or room) the intent is given through: the creep, spawn, tower, … whose
    /// method the player called. Replay analysis groups intents by its room.
    pub fn actor(&self) -> IntentActor<'_> {
        use Intent::*;
        match self {
            Move { creep, .. }
            | MoveToCreep { creep, .. }
            | Pull { creep, .. }
            | Harvest { creep, .. }
            | Transfer { creep, .. }
            | Withdraw { creep, .. }
            | Pickup { creep, .. }
            | Drop { creep, .. }
            | Build { creep, .. }
            | Repair { creep, .. }
            | UpgradeController { creep, .. }
            | Attack { creep, .. }
            | RangedAttack { creep, .. }
            | Heal { creep, .. }
            | RangedHeal { creep, .. }
            | RangedMassAttack { creep }
            | Dismantle { creep, .. }
            | ClaimController { creep, .. }
            | ReserveController { creep, .. }
            | AttackController { creep, .. }
            | SignController { creep, .. }
            | Say { creep, .. }
            | Suicide { creep }
            | GenerateSafeMode { creep, .. } => IntentActor::Object(*creep),
            Unclaim { controller } | ActivateSafeMode { controller } => {
                IntentActor::Object(*controller)
            }
            SpawnCreep { spawn, .. }
            | RenewCreep { spawn, .. }
            | SetSpawnDirections { spawn, .. }
            | CancelSpawning { spawn }
            | RecycleCreep { spawn, .. } => IntentActor::Object(*spawn),
            CreateConstructionSite { room, .. } => IntentActor::Room(room),
            RemoveConstructionSite { site } => IntentActor::Object(*site),
            DestroyStructure { structure } => IntentActor::Object(*structure),
            SetPublic { rampart, .. } => IntentActor::Object(*rampart),
            TransferEnergy { link, .. } => IntentActor::Object(*link),
            TowerAttack { tower, .. } | TowerHeal { tower, .. } | TowerRepair { tower, .. } => {
                IntentActor::Object(*tower)
            }
            RunReaction { lab, .. }
            | ReverseReaction { lab, .. }
            | BoostCreep { lab, .. }
            | UnboostCreep { lab, .. } => IntentActor::Object(*lab),
            LaunchNuke { nuker, .. } => IntentActor::Object(*nuker),
            ProcessPower { power_spawn } => IntentActor::Object(*power_spawn),
            Produce { factory, .. } => IntentActor::Object(*factory),
            ObserveRoom { observer, .. } => IntentActor::Object(*observer),
            NotifyWhenAttacked { object, .. } => IntentActor::Object(*object),
            Send { terminal, .. } => IntentActor::Object(*terminal),
            CreateOrder { room, .. } | Deal { room, .. } => IntentActor::Room(room),
            CancelOrder { .. } | ChangeOrderPrice { .. } | ExtendOrder { .. } => {
                IntentActor::Account
            }
        }
    }
}

impl IntentBatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `intents` to `player`'s list.
    pub fn extend(&mut self, player: PlayerId, intents: impl IntoIterator<Item = Intent>) {
        self.by_player.entry(player).or_default().extend(intents);
    }

    pub fn is_empty(&self) -> bool {
        self.by_player.values().all(|v| v.is_empty())
    }

    pub fn len(&self) -> usize {
        self.by_player.values().map(|v| v.len()).sum()
    }

    /// Only the intents `results` (a tick's return codes, in submission order) accepted.
    ///
    /// A rejected intent changes nothing, not even how later intents validate, so ticking the
    /// accepted ones alone gives the same world: this is what a shard records, and a flood of
    /// invalid intents costs no disk (`world/tests/determinism.rs` proves the equivalence).
    pub fn accepted(self, results: &BTreeMap<PlayerId, Vec<ReturnCode>>) -> IntentBatch {
        self.split(results).0
    }

    /// The accepted intents (as [`IntentBatch::accepted`]) and, per player, the refused ones
    /// with their codes (what replay analysis shows beside them).
    pub fn split(
        self,
        results: &BTreeMap<PlayerId, Vec<ReturnCode>>,
    ) -> (IntentBatch, RefusedIntents) {
        let mut by_player = BTreeMap::new();
        let mut refused = Vec::new();
        for (player, intents) in self.by_player {
            let Some(codes) = results.get(&player) else {
                continue;
            };
            let (mut kept, mut not) = (Vec::new(), Vec::new());
            for (intent, code) in intents.into_iter().zip(codes) {
                if *code == ReturnCode::Ok {
                    kept.push(intent);
                } else {
                    not.push((intent, *code));
                }
            }
            if !kept.is_empty() {
                by_player.insert(player, kept);
            }
            if !not.is_empty() {
                refused.push((player, not));
            }
        }
        (IntentBatch { by_player }, refused)
    }
}
