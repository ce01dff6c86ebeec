//! Resources and stores: every resource of Screeps' `RESOURCES_ALL` and the store rules of
//! screeps/engine (`utils.capacityForResource`, `game/store.js`).

use bevy_ecs::prelude::Component;
use serde::{Deserialize, Serialize};

use crate::constants::*;

/// Defines [`ResourceKind`] from Screeps' names, in `RESOURCES_ALL` order (which is also the
/// order a store lists and hashes its contents in).
macro_rules! resource_kinds {
    ($($variant:ident = $name:literal,)*) => {
        /// A resource (Screeps' `RESOURCE_*` constants); serialised as Screeps' string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum ResourceKind {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl ResourceKind {
            /// Every resource, in `RESOURCES_ALL` order.
            pub const ALL: &'static [ResourceKind] = &[$(ResourceKind::$variant,)*];

            /// Screeps' string for the resource (`"energy"`, `"H"`, `"XGHO2"`, …).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ResourceKind::$variant => $name,)*
                }
            }

            pub fn parse(s: &str) -> Option<ResourceKind> {
                Some(match s {
                    $($name => ResourceKind::$variant,)*
                    _ => return None,
                })
            }
        }
    };
}

resource_kinds! {
    Energy = "energy",
    Power = "power",
    Hydrogen = "H",
    Oxygen = "O",
    Utrium = "U",
    Keanium = "K",
    Lemergium = "L",
    Zynthium = "Z",
    Catalyst = "X",
    Ghodium = "G",
    Hydroxide = "OH",
    ZynthiumKeanite = "ZK",
    UtriumLemergite = "UL",
    UtriumHydride = "UH",
    UtriumOxide = "UO",
    KeaniumHydride = "KH",
    KeaniumOxide = "KO",
    LemergiumHydride = "LH",
    LemergiumOxide = "LO",
    ZynthiumHydride = "ZH",
    ZynthiumOxide = "ZO",
    GhodiumHydride = "GH",
    GhodiumOxide = "GO",
    UtriumAcid = "UH2O",
    UtriumAlkalide = "UHO2",
    KeaniumAcid = "KH2O",
    KeaniumAlkalide = "KHO2",
    LemergiumAcid = "LH2O",
    LemergiumAlkalide = "LHO2",
    ZynthiumAcid = "ZH2O",
    ZynthiumAlkalide = "ZHO2",
    GhodiumAcid = "GH2O",
    GhodiumAlkalide = "GHO2",
    CatalyzedUtriumAcid = "XUH2O",
    CatalyzedUtriumAlkalide = "XUHO2",
    CatalyzedKeaniumAcid = "XKH2O",
    CatalyzedKeaniumAlkalide = "XKHO2",
    CatalyzedLemergiumAcid = "XLH2O",
    CatalyzedLemergiumAlkalide = "XLHO2",
    CatalyzedZynthiumAcid = "XZH2O",
    CatalyzedZynthiumAlkalide = "XZHO2",
    CatalyzedGhodiumAcid = "XGH2O",
    CatalyzedGhodiumAlkalide = "XGHO2",
    Ops = "ops",
    Silicon = "silicon",
    Metal = "metal",
    Biomass = "biomass",
    Mist = "mist",
    UtriumBar = "utrium_bar",
    LemergiumBar = "lemergium_bar",
    ZynthiumBar = "zynthium_bar",
    KeaniumBar = "keanium_bar",
    GhodiumMelt = "ghodium_melt",
    Oxidant = "oxidant",
    Reductant = "reductant",
    Purifier = "purifier",
    Battery = "battery",
    Composite = "composite",
    Crystal = "crystal",
    Liquid = "liquid",
    Wire = "wire",
    Switch = "switch",
    Transistor = "transistor",
    Microchip = "microchip",
    Circuit = "circuit",
    Device = "device",
    Cell = "cell",
    Phlegm = "phlegm",
    Tissue = "tissue",
    Muscle = "muscle",
    Organoid = "organoid",
    Organism = "organism",
    Alloy = "alloy",
    Tube = "tube",
    Fixtures = "fixtures",
    Frame = "frame",
    Hydraulics = "hydraulics",
    Machine = "machine",
    Condensate = "condensate",
    Concentrate = "concentrate",
    Extract = "extract",
    Spirit = "spirit",
    Emanation = "emanation",
    Essence = "essence",
}

impl ResourceKind {
    /// The seven base minerals a room's deposit can hold (`MINERAL_MIN_AMOUNT`'s keys).
    pub const BASE_MINERALS: [ResourceKind; 7] = [
        ResourceKind::Hydrogen,
        ResourceKind::Oxygen,
        ResourceKind::Utrium,
        ResourceKind::Lemergium,
        ResourceKind::Keanium,
        ResourceKind::Zynthium,
        ResourceKind::Catalyst,
    ];
}

/// How much a store may hold: Screeps' `storeCapacity` and `storeCapacityResource` as the
/// engine sets them per structure (`processor/intents/creeps/build.js`). A closed set, so a
/// store's limits cost no allocation and cannot drift from its structure's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreLimit {
    /// Any mix up to a total (creeps, containers, storage, terminals, factories).
    Total(u32),
    /// Energy alone (spawns, extensions, towers, links).
    Energy(u32),
    /// 2 000 energy and 3 000 of one mineral at a time.
    Lab,
    /// 5 000 energy and 100 power.
    PowerSpawn,
    /// 300 000 energy and 5 000 ghodium.
    Nuker,
    /// No capacity (tombstones, ruins, dropped resources).
    Unlimited,
}

impl StoreLimit {
    /// `storeCapacityResource`: the resources with a capacity of their own.
    pub fn per_resource(self) -> &'static [(ResourceKind, u32)] {
        match self {
            StoreLimit::Lab => &[(ResourceKind::Energy, LAB_ENERGY_CAPACITY)],
            StoreLimit::PowerSpawn => &[
                (ResourceKind::Energy, POWER_SPAWN_ENERGY_CAPACITY),
                (ResourceKind::Power, POWER_SPAWN_POWER_CAPACITY),
            ],
            StoreLimit::Nuker => &[
                (ResourceKind::Energy, NUKER_ENERGY_CAPACITY),
                (ResourceKind::Ghodium, NUKER_GHODIUM_CAPACITY),
            ],
            _ => &[],
        }
    }

    /// `storeCapacity`: the total, where the store has one.
    pub fn total(self) -> Option<u32> {
        match self {
            StoreLimit::Total(n) => Some(n),
            StoreLimit::Lab => Some(LAB_ENERGY_CAPACITY + LAB_MINERAL_CAPACITY),
            _ => None,
        }
    }

    /// Whether amounts count per resource (`storeCapacityResource` set) rather than in all.
    pub fn counts_per_resource(self) -> bool {
        !matches!(self, StoreLimit::Total(_) | StoreLimit::Unlimited)
    }
}

/// What an object holds. Amounts are kept in resource order without zeros, so equal stores
/// encode and hash equally.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    amounts: Vec<(ResourceKind, u32)>,
    pub limit: StoreLimit,
}

impl Store {
    /// An empty store.
    pub fn empty(limit: StoreLimit) -> Self {
        Store {
            amounts: Vec::new(),
            limit,
        }
    }

    /// A store holding `amount` of `resource`.
    pub fn with(limit: StoreLimit, resource: ResourceKind, amount: u32) -> Self {
        let mut s = Store::empty(limit);
        s.add(resource, amount);
        s
    }

    /// An energy-only store (spawn, extension, tower, link).
    pub fn energy_only(amount: u32, capacity: u32) -> Self {
        Store::with(StoreLimit::Energy(capacity), ResourceKind::Energy, amount)
    }

    pub fn get(&self, resource: ResourceKind) -> u32 {
        self.amounts
            .iter()
            .find(|(r, _)| *r == resource)
            .map_or(0, |(_, n)| *n)
    }

    /// Energy held (the common case).
    pub fn energy(&self) -> u32 {
        self.get(ResourceKind::Energy)
    }

    /// Everything held, in resource order.
    pub fn contents(&self) -> &[(ResourceKind, u32)] {
        &self.amounts
    }

    /// The total held (`getUsedCapacity()`).
    pub fn used(&self) -> u32 {
        self.amounts.iter().map(|(_, n)| *n).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.amounts.is_empty()
    }

    /// The one mineral a lab holds (`mineralType`).
    pub fn mineral(&self) -> Option<ResourceKind> {
        self.amounts
            .iter()
            .map(|(r, _)| *r)
            .find(|r| *r != ResourceKind::Energy)
    }

    /// `utils.capacityForResource`: what the store can hold of `resource` in all; `None`
    /// without a capacity.
    pub fn capacity_for(&self, resource: ResourceKind) -> Option<u32> {
        if self.limit == StoreLimit::Unlimited {
            return None;
        }
        let per = self.limit.per_resource();
        if let StoreLimit::Energy(n) = self.limit {
            return Some(if resource == ResourceKind::Energy {
                n
            } else {
                0
            });
        }
        if let Some((_, n)) = per.iter().find(|(r, _)| *r == resource) {
            return Some(*n);
        }
        // transfer.js: a lab's mineral gets a capacity of its own and the total goes, so
        // any other mineral has none.
        if let (StoreLimit::Lab, Some(m)) = (self.limit, self.mineral()) {
            return Some(if m == resource {
                LAB_MINERAL_CAPACITY
            } else {
                0
            });
        }
        let reserved: u32 = per.iter().map(|(_, n)| *n).sum();
        Some(self.limit.total().unwrap_or(0).saturating_sub(reserved))
    }

    /// Room left for `resource`, as the engine's transfer checks it: against that resource
    /// alone where capacities are per resource, else against the total.
    pub fn free_for(&self, resource: ResourceKind) -> u32 {
        let Some(cap) = self.capacity_for(resource) else {
            return u32::MAX;
        };
        let stored = if self.limit.counts_per_resource() {
            self.get(resource)
        } else {
            self.used()
        };
        cap.saturating_sub(stored)
    }

    /// Adds `amount` of `resource` (callers check the room first; stores never refuse).
    pub fn add(&mut self, resource: ResourceKind, amount: u32) {
        if amount == 0 {
            return;
        }
        match self.amounts.binary_search_by_key(&resource, |(r, _)| *r) {
            Ok(i) => self.amounts[i].1 = self.amounts[i].1.saturating_add(amount),
            Err(i) => self.amounts.insert(i, (resource, amount)),
        }
    }

    /// Takes up to `amount` of `resource`; returns what was taken.
    pub fn take(&mut self, resource: ResourceKind, amount: u32) -> u32 {
        let Ok(i) = self.amounts.binary_search_by_key(&resource, |(r, _)| *r) else {
            return 0;
        };
        let taken = amount.min(self.amounts[i].1);
        self.amounts[i].1 -= taken;
        if self.amounts[i].1 == 0 {
            self.amounts.remove(i);
        }
        taken
    }

    /// Empties the store, returning what it held.
    pub fn drain(&mut self) -> Vec<(ResourceKind, u32)> {
        std::mem::take(&mut self.amounts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_name_round_trips_and_the_list_is_screeps_length() {
        assert_eq!(ResourceKind::ALL.len(), 84);
        for r in ResourceKind::ALL {
            assert_eq!(ResourceKind::parse(r.as_str()), Some(*r));
        }
        assert_eq!(ResourceKind::parse("unobtainium"), None);
        assert_eq!(
            serde_json::to_string(&ResourceKind::CatalyzedGhodiumAlkalide).unwrap(),
            "\"XGHO2\""
        );
    }

    #[test]
    fn a_general_store_counts_every_resource_against_its_total() {
        let mut s = Store::with(StoreLimit::Total(100), ResourceKind::Energy, 60);
        s.add(ResourceKind::Hydrogen, 30);
        assert_eq!(s.used(), 90);
        assert_eq!(s.free_for(ResourceKind::Oxygen), 10);
        assert_eq!(s.capacity_for(ResourceKind::Oxygen), Some(100));
        assert_eq!(s.take(ResourceKind::Hydrogen, 50), 30);
        assert_eq!(s.contents(), &[(ResourceKind::Energy, 60)]);
    }

    #[test]
    fn a_lab_holds_energy_apart_and_one_mineral_at_a_time() {
        let mut lab = Store::empty(StoreLimit::Lab);
        assert_eq!(lab.capacity_for(ResourceKind::Energy), Some(2000));
        assert_eq!(lab.capacity_for(ResourceKind::Hydrogen), Some(3000));
        lab.add(ResourceKind::Energy, 2000);
        assert_eq!(lab.free_for(ResourceKind::Hydrogen), 3000);
        lab.add(ResourceKind::Hydrogen, 100);
        assert_eq!(lab.free_for(ResourceKind::Hydrogen), 2900);
        assert_eq!(lab.free_for(ResourceKind::Oxygen), 0);
        assert_eq!(lab.capacity_for(ResourceKind::Oxygen), Some(0));
        assert_eq!(lab.mineral(), Some(ResourceKind::Hydrogen));
    }

    #[test]
    fn single_resource_stores_refuse_other_resources() {
        let spawn = Store::energy_only(100, 300);
        assert_eq!(spawn.free_for(ResourceKind::Energy), 200);
        assert_eq!(spawn.free_for(ResourceKind::Hydrogen), 0);
        let nuker = Store::empty(StoreLimit::Nuker);
        assert_eq!(nuker.free_for(ResourceKind::Ghodium), 5000);
        assert_eq!(nuker.free_for(ResourceKind::Oxygen), 0);
        assert_eq!(
            Store::empty(StoreLimit::Unlimited).capacity_for(ResourceKind::Energy),
            None
        );
    }
}
