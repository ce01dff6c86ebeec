//! A deterministic Screeps-style world on bevy_ecs.
//!
//! The world is a grid of 50×50 rooms with terrain, sources, controllers, minerals, creeps
//! and structures. [`GameWorld::tick`] takes every player's [`Intent`]s and advances one tick;
//! it is a pure function of (state, intents): no clock, no IO, no V8, no thread timing, no
//! hash-map iteration order, no floats in state. Randomness comes from a ChaCha8 RNG stored in
//! the state. [`GameWorld::state_hash`] (blake3 over a canonical postcard encoding, per room and
//! overall) is the contract replays and crash recovery check.
//!
//! It is not the JavaScript API (that is `player-api`) and does no persistence (that is
//! `engine`); [`WorldSnapshot`] is plain serde data for them to store.
//!
//! # Layout
//! - `geometry`, `terrain`: rooms, positions, directions, generated terrain.
//! - `object`: components ([`ObjectKind`] and friends) and [`ObjectRecord`].
//! - `resources`: [`ResourceKind`] (every `RESOURCES_ALL` entry) and [`Store`].
//! - `chemistry`: `REACTIONS`, `REACTION_TIME`, `BOOSTS` and what boosts do to a body.
//! - `npc`: the world's own players and their creeps' bodies.
//! - `market`: credits, terminal transactions and orders ([`market::Market`]); `orders`:
//!   an order, its fees and the price history.
//! - `intent`: [`Intent`], [`IntentBatch`].
//! - `rules`: the tick's phases ([`TickSet`]). Validation, combat and movement are systems
//!   whose signatures say what they read and write (`Query`, `Res`, `ResMut`); spawning,
//!   economy, upkeep and cleanup create and remove objects and stay exclusive.
//! - `world_edit`: changes between ticks ([`WorldEdit`]: an operator's rooms and credits, a
//!   player's first spawn and respawn).
//! - `joining`: players joining ([`GameWorld::register_player`], then
//!   [`GameWorld::place_player`] with Screeps' place-spawn checks, or [`GameWorld::add_player`]
//!   in a random free room) and respawning ([`GameWorld::respawn`]).
//! - `world_config`, `room_map`: how a world is created; the map and its generation. Up to
//!   65 536 rooms in Screeps' layout ([`RoomKind`]: highways every tenth row and column,
//!   crossroads, eight source-keeper rooms round each sector centre) with a [`RoomStatus`]
//!   each. A room's terrain and first objects are a function of the seed and its place, so
//!   snapshots keep only places and statuses ([`RoomSpec`]), terrain is packed two bits a
//!   tile (6 MB for 10 000 rooms) and [`GameWorld::add_rooms`] grows a running map.
//! - `state`: time, RNG, ids, players, the id → entity index; spawning and despawning objects.
//! - `snapshot`: [`WorldSnapshot`] and [`StateHash`] (hashing).
//! - `game_world`: [`GameWorld`], the schedule and the entry points.
//! - `events`: what happened in each room during the last tick (`Room.getEventLog`),
//!   recorded by the apply phases; not part of the hashed state.
//! - `view`: what players see ([`RoomView`], [`PlayerView`]).
//! - `pathfinding`: A* over terrain and objects.
//!
//! # Rules
//! Screeps' public constants (`constants` module). One tick runs these phases in order
//! ([`TickSet`]):
//! 1. **Validate**: every intent is checked in Screeps' check order against the state at tick
//!    start and gets a [`ReturnCode`]. One intent per kind per object (the last wins); creep
//!    actions cancel each other by Screeps' priorities (`intents.js`: heal cancels rangedHeal,
//!    attackController, dismantle, repair, build, attack and harvest; build and repair cancel
//!    rangedAttack; attack and rangedAttack both run). Names, busy spawns, room energy,
//!    construction-site counts and claims are tracked across the tick's intents so two
//!    intents cannot both spend the same thing. In another player's safe mode, hostile
//!    actions (attack, rangedAttack, heal, withdraw, attackController, claim) are refused.
//! 2. **Spawn**: creeps are created inside their spawn (energy from spawns first, then
//!    extensions, nearest first); `CREEP_SPAWN_TIME` (3) ticks per part; construction sites are placed.
//! 3. **Economy**: drops, pickups, withdrawals, transfers, then harvest (overflow drops on the
//!    ground; a source's 300-tick regeneration timer starts at the first harvest), build,
//!    repair, upgrade (level-ups at `CONTROLLER_LEVELS`), claims. Amounts are re-clamped to the
//!    live state in creep-id order. Then controllers (`rules::controllers`): claim (GCL
//!    allows one room per level: `gcl_needed`), upgrade (every unit adds a GCL point; at RCL 8
//!    at most 15 a tick; a level-up needs a full downgrade timer, sets it to half, and adds a
//!    safe mode), reserve (1 tick per CLAIM part, up to 5000), attackController (−300
//!    downgrade ticks per CLAIM part, upgrades blocked 1000 ticks), sign, unclaim, safe mode
//!    (20 000 ticks, cooldown 50 000; a new colony starts in it).
//! 4. **Combat**: damage and healing per target are summed, then applied at once.
//! 5. **Movement**: see the conflict rule in `rules::movement` — one winner per tile by a
//!    per-tick hash of (tick, creep id); chains, swaps and cycles move together; moving onto a
//!    border tile crosses into the neighbouring room; a road wears one decay tick per body
//!    part that steps on it (`ROAD_WEAROUT`). Fatigue: non-MOVE parts (empty CARRY
//!    excepted) ×2 on plain, ×10 on swamp, ×1 on road; each MOVE part removes 2 per tick.
//! 6. **Upkeep**: spawning progress (finished creeps step out TOP-first clockwise), ageing,
//!    fatigue recovery, spawn regeneration (+1/tick while the room's energy is below 300),
//!    dropped energy decays `ceil(amount/1000)` per tick, tombstones decay (5 ticks per part)
//!    and release their energy, roads and containers decay; controllers count down their
//!    downgrade, reservation, safe mode, cooldown and blocked-upgrade timers (a lapsed
//!    downgrade drops a level, keeps half the lower level's timer and 90 % of its progress;
//!    past level 1 the owner loses the room); sources hold 3000 in owned or reserved rooms,
//!    1500 in neutral ones.
//! 7. **Cleanup** (`rules::cleanup`): creeps with no hits or no ticks left, suicided or
//!    recycled die into tombstones holding their energy and a share of their body's cost
//!    (20 % by the life left, 100 % when recycled, at most 125 a part; a container under the
//!    creep takes it first); destroyed structures leave ruins with their store for 500 ticks.
//!
//! Links (`transferEnergy`: 3 % loss rounded up, one tick of cooldown per tile) and
//! structures switched off past their room's `CONTROLLER_STRUCTURES` limit (nearest the
//! controller stay on, ties by id: spawns, towers and links refuse to act with
//! `ERR_RCL_NOT_ENOUGH`) are modelled.
//!
//! Ramparts: private ones stop other players' creeps (`setPublic` opens them), attacks and
//! tower shots on what stands under one hit the rampart, they decay 300 hits per 100 ticks
//! and their maximum follows the owner's level (`RAMPART_HITS_MAX`, 0 outside the owner's
//! room). A creep hit in melee hits back with its ATTACK parts, unless the attacker stands
//! under a rampart or in its own safe mode.
//!
//! Spawns send a finished creep out by the directions asked (`setDirections`; TOP first,
//! clockwise, by default) and may cancel a spawning (the energy is lost). Spawns renew (`floor(600 / parts)` ticks for `ceil(1.2 × cost / 3 / parts)` energy) and
//! recycle creeps; construction sites are removed by their owner or the room's (half their
//! progress dropped as energy); structures are destroyed by the room's owner when no other
//! player's creep is in it.
//!
//! Creeps also `dismantle` (50 hits per WORK part, a two-hundredth back as energy),
//! `rangedMassAttack` (100/100/40/10 % at range 0–3 to every other owner's object, what a
//! rampart covers spared) and `rangedHeal` (4 per HEAL part within 3).
//!
//! Stores (`resources`) hold any of Screeps' 84 resources under the engine's capacity rules
//! (a total, energy alone, or a lab's energy and one mineral); transfers, withdrawals, drops
//! (one pile per resource per tile), pickups, tombstones and ruins carry every resource.
//!
//! Minerals (`rules::minerals`): an extractor on the deposit (RCL 6) lets its owner's creeps
//! harvest `HARVEST_MINERAL_POWER` per WORK part (several creeps in one tick), then cools
//! down `EXTRACTOR_COOLDOWN` ticks; an exhausted deposit regenerates after
//! `MINERAL_REGEN_TIME` to its density's amount, low and ultra densities (and others at 5 %)
//! re-drawn from `MINERAL_DENSITY_PROBABILITY` with the world's RNG where Screeps uses
//! `Math.random`. Generated deposits all start at moderate density (35 000).
//!
//! Labs (`rules::labs`, RCL 6: 3, 7: 6, 8: 10): `runReaction` and `reverseReaction` (5 of
//! each reagent, `REACTIONS` and `REACTION_TIME` in `chemistry`), `boostCreep` (30 of the
//! compound and 20 energy a part; TOUGH parts from the first, others from the last) and
//! `unboostCreep` (15 a part dropped, the lab cooling down by the compounds' reaction time).
//! Boosts act as `utils.calcBodyEffectiveness` says: harvest, dismantle, attack, ranged and
//! mass attack, heal and ranged heal, carry capacity and MOVE parts' fatigue are multiplied;
//! build, repair and upgrade gain their boost's extra without more energy; TOUGH parts
//! boosted against damage take only their ratio of what they absorb. A creep's capacity
//! follows its CARRY parts with hits left; what no longer fits is dropped in upkeep.
//!
//! Terminals (`rules::terminals`, RCL 6): `send` moves what fits into the destination room's
//! owned terminal after every room's intents, for `calcTerminalEnergyCost` energy by the
//! wrapped room distance, then 10 ticks of cooldown; each player keeps the last 100
//! transactions in and out (`market`, hashed and snapshotted with the world).
//!
//! `notifyWhenAttacked`: an object damaged this tick tells its owner (an unowned structure
//! the room's owner) in [`TickOutcome::notifications`], unless its owner turned that off
//! (`Quiet`, snapshotted and hashed).
//!
//! `generateSafeMode` (1 000 ghodium, one more safe mode for any controller next to the
//! creep) and observers (`observeRoom`, RCL 8, `OBSERVER_RANGE` rooms on each axis: the room
//! is in the player's views built after the tick, `state::Observations`) are modelled.
//!
//! `pull` (movement.js `addPulling`, no loops): a pulled creep moving onto its puller's tile
//! (`move(creep)`) needs neither MOVE parts nor zero fatigue; its fatigue goes to the head
//! of the chain, and its spare MOVE power takes fatigue off it.
//!
//! Factories (RCL 7) `produce` level-0 commodities (`commodities`, Screeps' `COMMODITIES`);
//! a leveled recipe needs a factory level only power creeps give.
//!
//! Power spawns (RCL 8) `processPower`: 1 power and `POWER_SPAWN_ENERGY_RATIO` energy add one
//! to the owner's processed power (`market::Market::power`, `Game.gpl`).
//!
//! Nukers (`rules::nukes`, RCL 8): `launchNuke` empties a full nuker (100 000 ticks of
//! cooldown) and puts a `Nuke` in the target room; it lands `NUKE_LAND_TIME` later as
//! `nukes/tick.js` says (every creep dies; sites, piles, tombstones and ruins go; spawning
//! stops; 10 M on the tile and 5 M within 2, a rampart taking its hits first; safe mode ends;
//! upgrades blocked 200 ticks). A target room off the map is refused (`ERR_INVALID_TARGET`).
//!
//! The market (`rules::trading`, after the terminals' sends, as `global-intents/market.js`):
//! `createOrder` (a terminal of the player's in the room, `MARKET_FEE` of the order's value),
//! `changeOrderPrice` (the fee on a raise; no deal trades on a repriced order that tick),
//! `extendOrder`, `cancelOrder`, and `deal` (at most 10 a player a tick, nearest first, through
//! the dealer's terminal, which pays the energy and cools down; a buyer pays what the order's
//! price asks, capped by credits and free space). Orders existing at a tick's start are then
//! refreshed: a sell order is active while its terminal holds the resource, a buy order while
//! its owner can pay and store; an order expires after `orders::MARKET_ORDER_LIFE_TICKS`
//! (Screeps' 30 days, counted in 3 s ticks) with the rest of its fee refunded. Deals feed the
//! price history (14 market days of `orders::MARKET_TICKS_PER_DAY` ticks). Credits enter only
//! by trade with NPC traders or an operator's grant ([`WorldEdit::GrantCredits`]).
//!
//! NPC traders (`rules::npc_market`, `recreateNpcOrders`): every 4 000–6 000 ticks each
//! crossroads room's NPC orders are replaced: 200 000 of a mineral for sale (3, 6 or 18
//! credits), half the time 200 000 energy for sale at 1, a quarter of the time a buy order of
//! 100 000 of a mineral at 1. They always have what they sell and the credits for what they
//! buy; no terminal object stands there (Screeps places one).
//!
//! The world's own creeps (`npc`, `rules::npc`), owned by "Invader" and "Source Keeper",
//! players outside [`Players`]: every source and mineral of a source-keeper room has a lair
//! two tiles off; a lair whose keeper is gone or below 5 000 hits spawns a fresh one
//! (`keeper_body`, no age) 300 ticks later; a keeper guards the resource within 5 and
//! strikes what comes within 1 (attack) and 3 (ranged, or mass attack when that hits harder).
//! Every harvest counts towards its room's raid (`invaderHarvested`); a normal room whose
//! sources gave `INVADERS_ENERGY_GOAL` (then a goal re-drawn as `genInvaders` does) and holds
//! no invader is raided from a side whose neighbour nobody holds: one to five invaders of
//! `genInvaders`' bodies (big ones from RCL 4), some boosted. They act by `pretick.js`'s
//! rules (healers heal the most hurt, fighters go for the nearest hostile creep, else a spawn,
//! ranged ones keep off melee, everything ranged shoots at will; a shut way is dismantled),
//! stepping greedily where Screeps paths, and live 1 500 ticks. Their intents pass the
//! players' validation. Screeps' newer rule that a raid needs a stronghold in the sector is
//! not followed (strongholds are not modelled), nor sector centres' larger raids. A player
//! may also summon invaders into a room they hold and remove them (`summoning`, the
//! private server's `create-invader`): a [`WorldEdit`] between ticks.
//!
//! Spawning and renewing take energy from the owner's spawns, then extensions, each nearest
//! the spawn first, skipping switched-off ones (`_charge-energy.js`), or from the
//! `energyStructures` listed, in their order.
//!
//! Lesser invader cores (`rules::invader_cores`, level 0): each sector with a centre room has
//! an unseen NPC stronghold whose lives (level, deploy stage, ~75 000 active ticks) follow
//! from the seed; while active it sends a lesser core every `INVADER_CORE_EXPAND_TIME[level]`
//! ticks to the nearest room with an unowned controller and no core (`expandStronghold`),
//! near its controller. A core (100 000 hits, owned by "Invader") reserves the controller two
//! ticks a tick, or wears a player's reservation down as much; it collapses with its
//! stronghold, and destroyed leaves a ruin lasting until then.
//!
//! Power banks (`rules::power_banks`): each highway room gets one every 37 500–62 500 ticks
//! (`genPowerBanks`, its times, amounts and tiles drawn from the seed and the room), 2 M hits
//! and 500–5 000 power (30 % of them 5 000 more), gone 5 000 ticks later; attackers take half
//! their damage back (melee, ranged and mass attacks alike); destroyed, its ruin drops the
//! power on the ground after 10 ticks. Power then feeds power spawns (`processPower`, GPL).
//!
//! Deposits (`rules::deposits`): every 100 ticks (the backend's 5-minute `genDeposits`), a
//! sector whose border-highway deposits give a throughput below 2.5 (Σ 20 / max(1,
//! 0.001 × harvested^1.2)) gets one more in a border highway without one, on its side; it
//! gives its room's `depositType` (mist, biomass, metal or silicon, drawn from the seed), one
//! a WORK part, each harvest setting a cooldown of ceil(0.001 × harvested^1.2) and putting
//! off its decay to 50 000 ticks. Harvesting a source in a room another player (or the
//! Invader) reserves is refused (`ERR_NOT_OWNER`), as in `harvest.js`.
//!
//! Not modelled (yet): strongholds themselves (levels 1–5: towers, ramparts, defenders, loot),
//! power creeps, intershard resources and portals in highways.

mod change_ticks;
mod chemistry;
pub mod commodities;
mod constants;
mod error;
pub mod events;
mod game_world;
mod geometry;
mod hash_cache;
mod intent;
mod joining;
pub mod market;
pub mod money_history;
pub mod npc;
mod object;
pub mod orders;
mod pathfinding;
mod resources;
mod room_map;
mod rules;
pub mod scripted_colony;
mod snapshot;
mod state;
pub mod summoning;
mod terrain;
mod view;
mod view_cache;
mod world_config;
mod world_edit;

pub use chemistry::{
    boost_factor, boosts, reaction, reaction_time, reagents, total_reactions_time, BoostAction,
};
pub use constants::*;
pub use error::{Result, WorldError};
pub use game_world::{GameWorld, TickOutcome, MAX_ROOMS};
pub use geometry::{Direction, Position, RoomCoord, RoomId, ROOM_SIZE};
pub use intent::{Intent, IntentActor, IntentBatch, RefusedIntents};
pub use object::*;
pub use pathfinding::{closest_by_path, find_path, PathGrid, PathGridRoom, PathOptions};
pub use resources::{ResourceKind, Store, StoreLimit};
pub use room_map::{RoomInfo, RoomKind, RoomMap, RoomSpec, RoomStatus};
pub use rules::TickSet;
pub use rules::{
    deposit_cooldown, deposit_type_of, npc_order_rounds, power_bank_spawns, stronghold_cycles,
    NpcOrderRound, PlayerTickStats, PowerBankSpawn, StrongholdCycle, DEPOSIT_CRON_TICKS,
};
pub use snapshot::{StateHash, WorldSnapshot, SNAPSHOT_FORMAT_VERSION};
pub use state::{GameTime, IdAllocator, ObjectIndex, PlayerInfo, Players, WorldRng};
pub use terrain::{Terrain, Tile};
pub use view::{
    BodyPartView, ObjectView, PlayerView, ReservationView, RoomView, RuinStructureView, SignView,
    SpawningView, WorldViews,
};
pub use world_config::WorldConfig;
pub use world_edit::WorldEdit;
