//! Labs (screeps/engine `processor/intents/labs/*.js`, `game/structures.js`): reactions both
//! ways, boosting and unboosting creeps, each with its return codes in Screeps' order; and
//! what boosts do to the actions of body parts (`utils.calcBodyEffectiveness`, `_applyDamage`).

mod support;

use isoshard_world::BodyPartKind::*;
use isoshard_world::ReturnCode as R;
use isoshard_world::*;
use support::*;

use ResourceKind::{Energy, Hydrogen, Hydroxide, Oxygen};

/// A level-6 room and a free tile `r` from its controller in each direction asked.
fn lab_room() -> Scenario {
    let mut s = scenario();
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 6);
    s
}

fn add_lab(s: &mut Scenario, pos: Position, contents: &[(ResourceKind, u32)]) -> ObjectId {
    let me = s.player;
    let lab = s.add_store(pos, Some(me), StructureKind::Lab, StoreLimit::Lab);
    for (r, n) in contents {
        s.give(lab, *r, *n);
    }
    lab
}

/// Three labs in a row two tiles apart from `at`: reagents either side, the middle one
/// reacting.
fn three_labs(
    s: &mut Scenario,
    left: &[(ResourceKind, u32)],
    right: &[(ResourceKind, u32)],
) -> [ObjectId; 3] {
    let ctl = s.controller();
    let mid = s.free_at_range(ctl.pos, 6);
    let l = Position::new(mid.room, mid.x - 1, mid.y);
    let r = Position::new(mid.room, mid.x + 1, mid.y);
    [
        add_lab(s, l, left),
        add_lab(s, mid, &[]),
        add_lab(s, r, right),
    ]
}

fn run_reaction(lab: ObjectId, lab1: ObjectId, lab2: ObjectId) -> Intent {
    Intent::RunReaction { lab, lab1, lab2 }
}

#[test]
fn a_reaction_takes_five_of_each_reagent_and_cools_the_lab_down() {
    let mut s = lab_room();
    let [h, mid, o] = three_labs(&mut s, &[(Hydrogen, 12)], &[(Oxygen, 12)]);
    assert_eq!(s.run(vec![run_reaction(mid, h, o)]), vec![R::Ok]);
    assert_eq!(s.amount(mid, Hydroxide), LAB_REACTION_AMOUNT);
    assert_eq!((s.amount(h, Hydrogen), s.amount(o, Oxygen)), (7, 7));
    // REACTION_TIME[OH] = 20: 19 left as the next tick starts.
    assert_eq!(s.rec(mid).cooldown.map(|c| c.ticks), Some(19));
    assert_eq!(s.run(vec![run_reaction(mid, h, o)]), vec![R::Tired]);
    // The product's lab now holds OH: its store shows OH's own capacity.
    let view = s.world.views();
    let room = &view.rooms[&s.world.map().get(s.room).name];
    let shown = room.objects.iter().find(|v| v.id == mid.to_js()).unwrap();
    assert_eq!(shown.store_capacity, None);
    assert_eq!(
        shown.store_capacity_resource,
        Some(vec![
            (Energy, LAB_ENERGY_CAPACITY),
            (Hydroxide, LAB_MINERAL_CAPACITY)
        ])
    );
}

#[test]
fn run_reaction_answers_screeps_codes_in_order() {
    let mut s = lab_room();
    let [h, mid, o] = three_labs(&mut s, &[(Hydrogen, 12)], &[(Hydrogen, 4)]);
    assert_eq!(
        s.run(vec![run_reaction(mid, mid, o)]),
        vec![R::InvalidTarget]
    );
    assert_eq!(
        s.run(vec![run_reaction(mid, h, s.spawn)]),
        vec![R::InvalidTarget]
    );
    assert_eq!(
        s.run(vec![run_reaction(mid, h, o)]),
        vec![R::NotEnoughResources]
    );
    s.give(o, Hydrogen, 10);
    assert_eq!(
        s.run(vec![run_reaction(mid, h, o)]),
        vec![R::InvalidArgs],
        "H + H"
    );
    // A lab too far: three tiles from the middle one.
    let far_pos = {
        let p = s.rec(o).pos;
        Position::new(p.room, p.x + 2, p.y)
    };
    let far = add_lab(&mut s, far_pos, &[(Oxygen, 10)]);
    assert_eq!(s.run(vec![run_reaction(mid, h, far)]), vec![R::NotInRange]);
    // A full lab.
    let [h2, full, o2] = {
        let ctl = s.controller();
        let at = s.free_at_range(ctl.pos, 3);
        let l = Position::new(at.room, at.x, at.y - 1);
        let r = Position::new(at.room, at.x, at.y + 1);
        [
            add_lab(&mut s, l, &[(Hydrogen, 10)]),
            add_lab(&mut s, at, &[(Hydroxide, LAB_MINERAL_CAPACITY - 4)]),
            add_lab(&mut s, r, &[(Oxygen, 10)]),
        ]
    };
    assert_eq!(s.run(vec![run_reaction(full, h2, o2)]), vec![R::Full]);
    // Past RCL 6's three labs none works; another's lab is not yours to run.
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 5);
    assert_eq!(
        s.run(vec![run_reaction(full, h2, o2)]),
        vec![R::RclNotEnough]
    );
    let (bob, _) = s.add_rival();
    assert_eq!(
        s.run_as(bob, vec![run_reaction(full, h2, o2)]),
        vec![R::NotOwner]
    );
}

#[test]
fn a_reverse_reaction_splits_the_compound_back() {
    let mut s = lab_room();
    let [a, mid, b] = three_labs(&mut s, &[], &[(Oxygen, 5)]);
    s.give(mid, Hydroxide, 12);
    let reverse = |lab1, lab2| Intent::ReverseReaction {
        lab: mid,
        lab1,
        lab2,
    };
    assert_eq!(s.run(vec![reverse(a, a)]), vec![R::InvalidArgs]);
    // getReactionVariants: [H, O] comes before [O, H]; lab2 already holds O, so H goes left.
    assert_eq!(s.run(vec![reverse(a, b)]), vec![R::Ok]);
    assert_eq!(s.amount(a, Hydrogen), 5);
    assert_eq!(s.amount(b, Oxygen), 10);
    assert_eq!(s.amount(mid, Hydroxide), 7);
    assert_eq!(s.run(vec![reverse(a, b)]), vec![R::Tired]);
}

/// A lab holding `mineral` (60) and 40 energy, and a creep of `body` next to it.
fn boost_bench(mineral: ResourceKind, body: &[BodyPartKind]) -> (Scenario, ObjectId, ObjectId) {
    let mut s = lab_room();
    let ctl = s.controller();
    let at = s.free_at_range(ctl.pos, 5);
    let lab = add_lab(&mut s, at, &[(mineral, 60), (Energy, 40)]);
    let beside = s.free_at_range(at, 1);
    let creep = s.add_creep(beside, body, 0);
    (s, lab, creep)
}

fn boosts_of(s: &Scenario, creep: ObjectId) -> Vec<Option<ResourceKind>> {
    match s.rec(creep).kind {
        ObjectKind::Creep(c) => c.body.iter().map(|p| p.boost).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn boosting_takes_30_of_the_compound_and_20_energy_a_part_last_parts_first() {
    use ResourceKind::UtriumHydride as UH;
    let (mut s, lab, creep) = boost_bench(UH, &[Attack, Attack, Attack, Move]);
    let boost = |n| Intent::BoostCreep {
        lab,
        creep,
        body_parts_count: n,
    };
    assert_eq!(
        s.run(vec![boost(Some(4))]),
        vec![R::NotFound],
        "three ATTACK parts"
    );
    assert_eq!(s.run(vec![boost(None)]), vec![R::Ok]);
    // Enough for two parts: the lab runs out of both.
    assert_eq!(boosts_of(&s, creep), [None, Some(UH), Some(UH), None]);
    assert_eq!((s.amount(lab, UH), s.amount(lab, Energy)), (0, 0));
    assert_eq!(s.run(vec![boost(None)]), vec![R::NotEnoughResources]);
    // Boosted ATTACK parts hit for 30 × 2 each (UH: attack ×2).
    let victim_at = s.free_at_range(s.rec(creep).pos, 1);
    let (bob, _) = s.add_rival();
    let victim = s.add_creep_for(bob, victim_at, &[Move; 5], 0);
    let hit = Intent::Attack {
        creep,
        target: victim,
    };
    assert_eq!(s.run(vec![hit]), vec![R::Ok]);
    assert_eq!(s.rec(victim).hits.unwrap().hits, 500 - (30 + 60 + 60));
}

#[test]
fn unboosting_drops_15_a_part_and_cools_the_lab_by_the_compounds_reaction_time() {
    use ResourceKind::KeaniumHydride as KH;
    let (mut s, lab, creep) = boost_bench(KH, &[Carry, Carry, Move]);
    let boost = Intent::BoostCreep {
        lab,
        creep,
        body_parts_count: None,
    };
    assert_eq!(s.run(vec![boost]), vec![R::Ok]);
    // KH doubles a CARRY part's capacity.
    assert_eq!(s.rec(creep).store.unwrap().limit, StoreLimit::Total(200));
    s.give(creep, Energy, 150);
    let unboost = Intent::UnboostCreep { lab, creep };
    assert_eq!(s.run(vec![unboost.clone()]), vec![R::Ok]);
    assert_eq!(boosts_of(&s, creep), [None, None, None]);
    let store = s.rec(creep).store.unwrap();
    assert_eq!(store.limit, StoreLimit::Total(100));
    assert_eq!(store.used(), 100, "what no longer fits falls");
    let at = s.rec(creep).pos;
    let dropped: u32 = s
        .world
        .records()
        .iter()
        .filter(|o| o.pos == at && matches!(o.kind, ObjectKind::Resource))
        .filter_map(|o| o.store.as_ref().map(|st| st.get(KH)))
        .sum();
    // 2 parts × 15, less the pile's first decay.
    assert_eq!(dropped, 2 * LAB_UNBOOST_MINERAL - 1);
    // 2 parts × REACTION_TIME[KH] (10) × 15 / 5 = 60, one counted off already.
    assert_eq!(s.rec(lab).cooldown.map(|c| c.ticks), Some(59));
    assert_eq!(s.run(vec![unboost]), vec![R::Tired]);
}

#[test]
fn boosted_work_parts_harvest_more_and_build_more_for_the_same_energy() {
    use ResourceKind::{LemergiumHydride as LH, UtriumOxide as UO};
    let (mut s, lab, creep) = boost_bench(UO, &[Work, Carry, Move]);
    s.run(vec![Intent::BoostCreep {
        lab,
        creep,
        body_parts_count: None,
    }]);
    let source = s.source();
    let beside = s.free_at_range(source.pos, 1);
    s.edit(|snap| {
        if let Some(o) = snap.objects.iter_mut().find(|o| o.id == creep) {
            o.pos = beside;
        }
    });
    let harvest = Intent::Harvest {
        creep,
        target: source.id,
    };
    assert_eq!(s.run(vec![harvest]), vec![R::Ok]);
    assert_eq!(s.energy(creep), HARVEST_POWER * 3, "UO: harvest ×3");
    // LH: build ×1.5 — 5 energy a WORK part buys 7 (7.5 rounded down) of progress.
    let (mut s, lab, builder) = boost_bench(LH, &[Work, Work, Carry, Move]);
    s.run(vec![Intent::BoostCreep {
        lab,
        creep: builder,
        body_parts_count: None,
    }]);
    s.give(builder, Energy, 50);
    let site_at = s.free_at_range(s.rec(builder).pos, 2);
    let me = s.player;
    let site = s.add(
        site_at,
        Some(me),
        None,
        None,
        ObjectKind::ConstructionSite(ConstructionSite {
            structure: StructureKind::Road,
            progress: 0,
            total: 300,
        }),
    );
    let build = Intent::Build {
        creep: builder,
        target: site,
    };
    assert_eq!(s.run(vec![build]), vec![R::Ok]);
    let progress = match s.rec(site).kind {
        ObjectKind::ConstructionSite(c) => c.progress,
        _ => 0,
    };
    assert_eq!(progress, 10 + 5, "two parts: 10 paid, 2 × 2.5 free");
    assert_eq!(s.energy(builder), 40);
}

#[test]
fn tough_parts_boosted_against_damage_take_a_fraction_of_it() {
    use ResourceKind::CatalyzedGhodiumAlkalide as XGHO2;
    let (mut s, lab, creep) = boost_bench(XGHO2, &[Tough, Move]);
    s.run(vec![Intent::BoostCreep {
        lab,
        creep,
        body_parts_count: None,
    }]);
    assert_eq!(boosts_of(&s, creep), [Some(XGHO2), None]);
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.safe_mode = 0);
    let (bob, _) = s.add_rival();
    let at = s.free_at_range(s.rec(creep).pos, 1);
    let brute = s.add_creep_for(bob, at, &[Attack, Attack, Attack, Move], 0);
    let hit = Intent::Attack {
        creep: brute,
        target: creep,
    };
    assert_eq!(s.run_as(bob, vec![hit]), vec![R::Ok]);
    // 90 damage meets the TOUGH part first: XGHO2 lets 30 % through (27).
    assert_eq!(s.rec(creep).hits.unwrap().hits, 200 - 27);
}

#[test]
fn a_factory_turns_components_into_a_commodity_and_cools_down() {
    use ResourceKind::{Battery, Utrium, UtriumBar};
    let mut s = lab_room();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 7);
    let at = s.free_at_range(ctl.pos, 4);
    let me = s.player;
    let factory = s.add_store(
        at,
        Some(me),
        StructureKind::Factory,
        StoreLimit::Total(FACTORY_CAPACITY),
    );
    let produce = |resource| Intent::Produce { factory, resource };
    assert_eq!(s.run(vec![produce(UtriumBar)]), vec![R::NotEnoughResources]);
    s.give(factory, Utrium, 600);
    s.give(factory, Energy, 250);
    assert_eq!(
        s.run(vec![produce(Hydroxide)]),
        vec![R::InvalidArgs],
        "not a commodity"
    );
    assert_eq!(s.run(vec![produce(UtriumBar)]), vec![R::Ok]);
    assert_eq!(s.amount(factory, UtriumBar), 100);
    assert_eq!(
        (s.amount(factory, Utrium), s.amount(factory, Energy)),
        (100, 50)
    );
    assert_eq!(s.rec(factory).cooldown.map(|c| c.ticks), Some(19));
    assert_eq!(s.run(vec![produce(Battery)]), vec![R::Tired]);
    // Level 1 and up need a factory level, which only power creeps give.
    let mut s2 = s;
    for _ in 0..19 {
        s2.run(vec![]);
    }
    assert_eq!(
        s2.run(vec![produce(ResourceKind::Composite)]),
        vec![R::InvalidTarget]
    );
}

#[test]
fn a_power_spawn_turns_power_and_energy_into_gpl() {
    let mut s = lab_room();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 8);
    let at = s.free_at_range(ctl.pos, 4);
    let me = s.player;
    let spawn = s.add_store(
        at,
        Some(me),
        StructureKind::PowerSpawn,
        StoreLimit::PowerSpawn,
    );
    let process = Intent::ProcessPower { power_spawn: spawn };
    assert_eq!(s.run(vec![process.clone()]), vec![R::NotEnoughResources]);
    s.give(spawn, ResourceKind::Power, 2);
    s.give(spawn, Energy, 60);
    assert_eq!(s.run(vec![process.clone()]), vec![R::Ok]);
    assert_eq!(s.amount(spawn, ResourceKind::Power), 1);
    assert_eq!(s.energy(spawn), 10);
    assert_eq!(s.world.market().power.get(&me), Some(&1));
    assert_eq!(s.world.views().players[&me].market.power, 1);
    assert_eq!(
        s.run(vec![process]),
        vec![R::NotEnoughResources],
        "10 energy left"
    );
    let hydrogen = s.rec(spawn).store.unwrap().free_for(Hydrogen);
    assert_eq!(hydrogen, 0, "a power spawn holds energy and power alone");
}
