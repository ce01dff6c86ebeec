//! Factories' recipes: Screeps' `COMMODITIES` (screeps/common constants, generated from the
//! vendored file), in its order.

use crate::resources::ResourceKind;
use crate::resources::ResourceKind as R;

/// One recipe: `components` make `amount` of `product`, then the factory cools down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commodity {
    pub product: ResourceKind,
    pub amount: u32,
    pub cooldown: u32,
    /// The factory level it needs; 0 for any factory.
    pub level: u8,
    pub components: &'static [(ResourceKind, u32)],
}

/// `COMMODITIES[product]`.
pub fn commodity(product: ResourceKind) -> Option<&'static Commodity> {
    COMMODITIES.iter().find(|c| c.product == product)
}

/// `COMMODITIES`.
pub const COMMODITIES: &[Commodity] = &[
    Commodity {
        product: R::UtriumBar,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Utrium, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Utrium,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::UtriumBar, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::LemergiumBar,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Lemergium, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Lemergium,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::LemergiumBar, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::ZynthiumBar,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Zynthium, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Zynthium,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::ZynthiumBar, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::KeaniumBar,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Keanium, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Keanium,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::KeaniumBar, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::GhodiumMelt,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Ghodium, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Ghodium,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::GhodiumMelt, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::Oxidant,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Oxygen, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Oxygen,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::Oxidant, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::Reductant,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Hydrogen, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Hydrogen,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::Reductant, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::Purifier,
        amount: 100,
        cooldown: 20,
        level: 0,
        components: &[(R::Catalyst, 500), (R::Energy, 200)],
    },
    Commodity {
        product: R::Catalyst,
        amount: 500,
        cooldown: 20,
        level: 0,
        components: &[(R::Purifier, 100), (R::Energy, 200)],
    },
    Commodity {
        product: R::Battery,
        amount: 50,
        cooldown: 10,
        level: 0,
        components: &[(R::Energy, 600)],
    },
    Commodity {
        product: R::Energy,
        amount: 500,
        cooldown: 10,
        level: 0,
        components: &[(R::Battery, 50)],
    },
    Commodity {
        product: R::Composite,
        amount: 20,
        cooldown: 50,
        level: 1,
        components: &[(R::UtriumBar, 20), (R::ZynthiumBar, 20), (R::Energy, 20)],
    },
    Commodity {
        product: R::Crystal,
        amount: 6,
        cooldown: 21,
        level: 2,
        components: &[
            (R::LemergiumBar, 6),
            (R::KeaniumBar, 6),
            (R::Purifier, 6),
            (R::Energy, 45),
        ],
    },
    Commodity {
        product: R::Liquid,
        amount: 12,
        cooldown: 60,
        level: 3,
        components: &[
            (R::Oxidant, 12),
            (R::Reductant, 12),
            (R::GhodiumMelt, 12),
            (R::Energy, 90),
        ],
    },
    Commodity {
        product: R::Wire,
        amount: 20,
        cooldown: 8,
        level: 0,
        components: &[(R::UtriumBar, 20), (R::Silicon, 100), (R::Energy, 40)],
    },
    Commodity {
        product: R::Switch,
        amount: 5,
        cooldown: 70,
        level: 1,
        components: &[
            (R::Wire, 40),
            (R::Oxidant, 95),
            (R::UtriumBar, 35),
            (R::Energy, 20),
        ],
    },
    Commodity {
        product: R::Transistor,
        amount: 1,
        cooldown: 59,
        level: 2,
        components: &[
            (R::Switch, 4),
            (R::Wire, 15),
            (R::Reductant, 85),
            (R::Energy, 8),
        ],
    },
    Commodity {
        product: R::Microchip,
        amount: 1,
        cooldown: 250,
        level: 3,
        components: &[
            (R::Transistor, 2),
            (R::Composite, 50),
            (R::Wire, 117),
            (R::Purifier, 25),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Circuit,
        amount: 1,
        cooldown: 800,
        level: 4,
        components: &[
            (R::Microchip, 1),
            (R::Transistor, 5),
            (R::Switch, 4),
            (R::Oxidant, 115),
            (R::Energy, 32),
        ],
    },
    Commodity {
        product: R::Device,
        amount: 1,
        cooldown: 600,
        level: 5,
        components: &[
            (R::Circuit, 1),
            (R::Microchip, 3),
            (R::Crystal, 110),
            (R::GhodiumMelt, 150),
            (R::Energy, 64),
        ],
    },
    Commodity {
        product: R::Cell,
        amount: 20,
        cooldown: 8,
        level: 0,
        components: &[(R::LemergiumBar, 20), (R::Biomass, 100), (R::Energy, 40)],
    },
    Commodity {
        product: R::Phlegm,
        amount: 2,
        cooldown: 35,
        level: 1,
        components: &[
            (R::Cell, 20),
            (R::Oxidant, 36),
            (R::LemergiumBar, 16),
            (R::Energy, 8),
        ],
    },
    Commodity {
        product: R::Tissue,
        amount: 2,
        cooldown: 164,
        level: 2,
        components: &[
            (R::Phlegm, 10),
            (R::Cell, 10),
            (R::Reductant, 110),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Muscle,
        amount: 1,
        cooldown: 250,
        level: 3,
        components: &[
            (R::Tissue, 3),
            (R::Phlegm, 3),
            (R::ZynthiumBar, 50),
            (R::Reductant, 50),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Organoid,
        amount: 1,
        cooldown: 800,
        level: 4,
        components: &[
            (R::Muscle, 1),
            (R::Tissue, 5),
            (R::Purifier, 208),
            (R::Oxidant, 256),
            (R::Energy, 32),
        ],
    },
    Commodity {
        product: R::Organism,
        amount: 1,
        cooldown: 600,
        level: 5,
        components: &[
            (R::Organoid, 1),
            (R::Liquid, 150),
            (R::Tissue, 6),
            (R::Cell, 310),
            (R::Energy, 64),
        ],
    },
    Commodity {
        product: R::Alloy,
        amount: 20,
        cooldown: 8,
        level: 0,
        components: &[(R::ZynthiumBar, 20), (R::Metal, 100), (R::Energy, 40)],
    },
    Commodity {
        product: R::Tube,
        amount: 2,
        cooldown: 45,
        level: 1,
        components: &[(R::Alloy, 40), (R::ZynthiumBar, 16), (R::Energy, 8)],
    },
    Commodity {
        product: R::Fixtures,
        amount: 1,
        cooldown: 115,
        level: 2,
        components: &[
            (R::Composite, 20),
            (R::Alloy, 41),
            (R::Oxidant, 161),
            (R::Energy, 8),
        ],
    },
    Commodity {
        product: R::Frame,
        amount: 1,
        cooldown: 125,
        level: 3,
        components: &[
            (R::Fixtures, 2),
            (R::Tube, 4),
            (R::Reductant, 330),
            (R::ZynthiumBar, 31),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Hydraulics,
        amount: 1,
        cooldown: 800,
        level: 4,
        components: &[
            (R::Liquid, 150),
            (R::Fixtures, 3),
            (R::Tube, 15),
            (R::Purifier, 208),
            (R::Energy, 32),
        ],
    },
    Commodity {
        product: R::Machine,
        amount: 1,
        cooldown: 600,
        level: 5,
        components: &[
            (R::Hydraulics, 1),
            (R::Frame, 2),
            (R::Fixtures, 3),
            (R::Tube, 12),
            (R::Energy, 64),
        ],
    },
    Commodity {
        product: R::Condensate,
        amount: 20,
        cooldown: 8,
        level: 0,
        components: &[(R::KeaniumBar, 20), (R::Mist, 100), (R::Energy, 40)],
    },
    Commodity {
        product: R::Concentrate,
        amount: 3,
        cooldown: 41,
        level: 1,
        components: &[
            (R::Condensate, 30),
            (R::KeaniumBar, 15),
            (R::Reductant, 54),
            (R::Energy, 12),
        ],
    },
    Commodity {
        product: R::Extract,
        amount: 2,
        cooldown: 128,
        level: 2,
        components: &[
            (R::Concentrate, 10),
            (R::Condensate, 30),
            (R::Oxidant, 60),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Spirit,
        amount: 1,
        cooldown: 200,
        level: 3,
        components: &[
            (R::Extract, 2),
            (R::Concentrate, 6),
            (R::Reductant, 90),
            (R::Purifier, 20),
            (R::Energy, 16),
        ],
    },
    Commodity {
        product: R::Emanation,
        amount: 1,
        cooldown: 800,
        level: 4,
        components: &[
            (R::Spirit, 2),
            (R::Extract, 2),
            (R::Concentrate, 3),
            (R::KeaniumBar, 112),
            (R::Energy, 32),
        ],
    },
    Commodity {
        product: R::Essence,
        amount: 1,
        cooldown: 600,
        level: 5,
        components: &[
            (R::Emanation, 1),
            (R::Spirit, 3),
            (R::Crystal, 110),
            (R::GhodiumMelt, 150),
            (R::Energy, 64),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_are_screeps_commodities() {
        assert_eq!(COMMODITIES.len(), 45);
        let bar = commodity(R::UtriumBar).unwrap();
        assert_eq!((bar.amount, bar.cooldown, bar.level), (100, 20, 0));
        assert_eq!(bar.components, &[(R::Utrium, 500), (R::Energy, 200)]);
        assert_eq!(
            commodity(R::Battery).unwrap().components,
            &[(R::Energy, 600)]
        );
        assert!(commodity(R::Hydroxide).is_none());
        assert!(COMMODITIES.iter().any(|c| c.level == 5));
    }
}
