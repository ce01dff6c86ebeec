//! The world's own creeps: source keepers guarding the sources of source-keeper rooms, and
//! invaders raiding rooms whose sources have been harvested (screeps/engine
//! `processor/intents/keeper-lairs/tick.js`, `creeps/keepers/pretick.js`,
//! `creeps/invaders/*.js`, and the backend's `genInvaders`).
//!
//! They belong to two players that are not in [`crate::Players`]: Screeps' users `2`
//! ("Invader") and `3` ("Source Keeper"). Their ids sit at the top of the id space, where
//! no registered player's id reaches.

use crate::object::{BodyPartKind, PlayerId};

/// Screeps' user 2.
pub const INVADER: PlayerId = PlayerId(u32::MAX - 1);
/// Screeps' user 3.
pub const SOURCE_KEEPER: PlayerId = PlayerId(u32::MAX - 2);

/// The NPC traders' orders (the private server's `recreateNpcOrders`, orders without a
/// user): not a player, never named.
pub const MARKET_NPC: PlayerId = PlayerId(u32::MAX - 3);

/// A keeper has no age (`ageTime` is never set in `keeper-lairs/tick.js`): this life stands
/// for "never", and upkeep does not count it down.
pub const KEEPER_LIFE: u32 = u32::MAX;
/// A keeper's hits, below which its lair starts to spawn a fresh one.
pub const KEEPER_HITS: u32 = 5000;
/// Invaders live `CREEP_LIFE_TIME` like players' creeps.
pub const INVADER_LIFE: u32 = 1500;
/// `INVADERS_ENERGY_GOAL`: energy harvested in a room before invaders come.
pub const INVADERS_ENERGY_GOAL: u32 = 100_000;

/// Whether `player` is one of the world's own.
pub fn is_npc(player: PlayerId) -> bool {
    player == INVADER || player == SOURCE_KEEPER
}

/// The username players see.
pub fn npc_name(player: PlayerId) -> Option<&'static str> {
    match player {
        INVADER => Some("Invader"),
        SOURCE_KEEPER => Some("Source Keeper"),
        _ => None,
    }
}

/// A keeper's body (`keeper-lairs/tick.js`): 17 TOUGH, 13 MOVE, then 10 ATTACK and 10
/// RANGED_ATTACK alternating.
pub fn keeper_body() -> Vec<BodyPartKind> {
    use BodyPartKind::*;
    let mut body = vec![Tough; 17];
    body.extend([Move; 13]);
    for _ in 0..10 {
        body.extend([Attack, RangedAttack]);
    }
    body
}

/// The six invader bodies of `genInvaders` (`small*` below RCL 4, `big*` from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum InvaderKind {
    SmallMelee,
    SmallRanged,
    SmallHealer,
    BigMelee,
    BigRanged,
    BigHealer,
}

impl InvaderKind {
    pub fn body(self) -> Vec<BodyPartKind> {
        use BodyPartKind::*;
        let mut body = Vec::new();
        let mut add = |kind: BodyPartKind, n: usize| body.extend(std::iter::repeat_n(kind, n));
        match self {
            InvaderKind::SmallMelee => {
                add(Tough, 2);
                add(Move, 4);
                add(RangedAttack, 1);
                add(Work, 1);
                add(Attack, 1);
                add(Move, 1);
            }
            InvaderKind::SmallRanged => {
                add(Tough, 2);
                add(Move, 4);
                add(RangedAttack, 3);
                add(Move, 1);
            }
            InvaderKind::SmallHealer => {
                add(Move, 4);
                add(Heal, 5);
                add(Move, 1);
            }
            InvaderKind::BigMelee => {
                add(Tough, 16);
                add(Move, 24);
                add(RangedAttack, 3);
                add(Work, 4);
                add(Attack, 2);
                add(Move, 1);
            }
            InvaderKind::BigRanged => {
                add(Tough, 6);
                add(Move, 24);
                add(RangedAttack, 18);
                add(Work, 1);
                add(Move, 1);
            }
            InvaderKind::BigHealer => {
                add(Move, 24);
                add(Heal, 25);
                add(Move, 1);
            }
        }
        body
    }

    /// The same role in a raid on a room of RCL 4 or more.
    pub fn big(self) -> InvaderKind {
        match self {
            InvaderKind::SmallMelee => InvaderKind::BigMelee,
            InvaderKind::SmallRanged => InvaderKind::BigRanged,
            InvaderKind::SmallHealer => InvaderKind::BigHealer,
            big => big,
        }
    }

    /// The boost `genInvaders` gives a boosted invader's part outside sector centres.
    pub fn boost_for(part: BodyPartKind) -> Option<crate::resources::ResourceKind> {
        use crate::resources::ResourceKind::*;
        Some(match part {
            BodyPartKind::Heal => LemergiumOxide,
            BodyPartKind::RangedAttack => KeaniumOxide,
            BodyPartKind::Work => ZynthiumHydride,
            BodyPartKind::Attack => UtriumHydride,
            BodyPartKind::Tough => GhodiumOxide,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_screeps_sizes() {
        assert_eq!(keeper_body().len(), 50);
        let sizes: Vec<usize> = [
            InvaderKind::SmallMelee,
            InvaderKind::SmallRanged,
            InvaderKind::SmallHealer,
            InvaderKind::BigMelee,
            InvaderKind::BigRanged,
            InvaderKind::BigHealer,
        ]
        .iter()
        .map(|k| k.body().len())
        .collect();
        assert_eq!(sizes, [10, 10, 10, 50, 50, 50]);
    }
}
