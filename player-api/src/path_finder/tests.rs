//! The search on small worlds: paths and costs worked out by hand, the resumable search
//! against the uninterrupted one, and the costs against a plain Dijkstra over the same moves.

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use isoshard_scripting::ExternalCopy;
use proptest::prelude::*;

use super::*;

/// Rooms by map position, terrain `x * 50 + y`.
struct Terrains(BTreeMap<(u8, u8), Arc<[u8; 2500]>>);

impl RoomTerrains for Terrains {
    fn tiles(&self, room: MapPos) -> Option<Arc<[u8; 2500]>> {
        self.0.get(&(room.xx, room.yy)).cloned()
    }
}

const E0S0: MapPos = MapPos { xx: 128, yy: 128 };
const E1S0: MapPos = MapPos { xx: 129, yy: 128 };
const E0S1: MapPos = MapPos { xx: 128, yy: 129 };
const E1S1: MapPos = MapPos { xx: 129, yy: 129 };

fn open_room() -> [u8; 2500] {
    [0; 2500]
}

fn world(rooms: &[(MapPos, [u8; 2500])]) -> Arc<Terrains> {
    Arc::new(Terrains(
        rooms
            .iter()
            .map(|(p, t)| ((p.xx, p.yy), Arc::new(*t)))
            .collect(),
    ))
}

fn options() -> SearchOptions {
    SearchOptions::default()
}

fn goal(room: MapPos, x: u8, y: u8, range: u32) -> Vec<Goal> {
    vec![Goal {
        pos: WorldPos::new(room, x, y),
        range,
    }]
}

/// Runs a search to its end, answering each room with `answer`.
fn run(
    terrains: Arc<Terrains>,
    origin: WorldPos,
    goals: Vec<Goal>,
    options: SearchOptions,
    answer: &mut dyn FnMut(MapPos) -> RoomAnswer,
) -> (Outcome, Vec<MapPos>) {
    let mut search = PathSearch::new(terrains);
    let mut asked = Vec::new();
    let mut step = search.start(origin, goals, options, &|| false).unwrap();
    loop {
        match step {
            Step::Done(outcome) => return (outcome, asked),
            Step::NeedRoom(room) => {
                asked.push(room);
                step = search.resume(answer(room), &|| false).unwrap();
            }
        }
    }
}

fn found(outcome: &Outcome) -> (&Vec<WorldPos>, u32, bool) {
    match outcome {
        Outcome::Found {
            path,
            cost,
            incomplete,
            ..
        } => (path, *cost, *incomplete),
        other => panic!("no path: {other:?}"),
    }
}

#[test]
fn room_names_map_as_screeps_parses_them() {
    assert_eq!(MapPos::of_name("E0S0"), Some(E0S0));
    assert_eq!(MapPos::of_name("W0N0"), Some(MapPos { xx: 127, yy: 127 }));
    assert_eq!(MapPos::of_name("W127N127"), Some(MapPos { xx: 0, yy: 0 }));
    assert_eq!(MapPos::of_name("E128S0"), None);
    assert_eq!(MapPos::of_name("sim"), None);
    assert_eq!(MapPos { xx: 127, yy: 129 }.name(), "W0S1");
}

#[test]
fn an_open_room_is_crossed_in_a_straight_line_at_plain_cost() {
    let t = world(&[(E0S0, open_room())]);
    let (outcome, _) = run(
        t,
        WorldPos::new(E0S0, 10, 10),
        goal(E0S0, 20, 10, 0),
        options(),
        &mut |_| unreachable!(),
    );
    let (path, cost, incomplete) = found(&outcome);
    assert!(!incomplete);
    assert_eq!(cost, 10);
    assert_eq!(path.len(), 10);
    assert_eq!(*path.last().unwrap(), WorldPos::new(E0S0, 20, 10));
    assert!(path.windows(2).all(|w| w[0].range_to(w[1]) == 1));
}

#[test]
fn standing_in_range_is_at_goal_and_an_unreachable_goal_gives_the_path_to_the_closest_tile() {
    let t = world(&[(E0S0, open_room())]);
    let (outcome, _) = run(
        t.clone(),
        WorldPos::new(E0S0, 10, 10),
        goal(E0S0, 11, 11, 1),
        options(),
        &mut |_| unreachable!(),
    );
    assert_eq!(outcome, Outcome::AtGoal);
    // A goal walled in on every side: the path ends next to the wall, incomplete.
    let mut walled = open_room();
    for (dx, dy) in [
        (-1, -1),
        (0, -1),
        (1, -1),
        (-1, 0),
        (1, 0),
        (-1, 1),
        (0, 1),
        (1, 1),
    ] {
        walled[((30 + dx) * 50 + (30 + dy)) as usize] = 1;
    }
    let (outcome, _) = run(
        world(&[(E0S0, walled)]),
        WorldPos::new(E0S0, 10, 30),
        goal(E0S0, 30, 30, 0),
        options(),
        &mut |_| unreachable!(),
    );
    let (path, _, incomplete) = found(&outcome);
    assert!(incomplete);
    assert_eq!(
        path.last().unwrap().range_to(WorldPos::new(E0S0, 30, 30)),
        2
    );
}

#[test]
fn a_cost_matrix_wall_forces_a_detour() {
    let t = world(&[(E0S0, open_room())]);
    let origin = WorldPos::new(E0S0, 10, 10);
    let mut matrix = Box::new([0u8; 2500]);
    for y in 0..40 {
        matrix[15 * 50 + y] = 255;
    }
    let mut opts = options();
    opts.room_callback = true;
    let (outcome, asked) = run(t, origin, goal(E0S0, 20, 10, 0), opts, &mut |_| {
        RoomAnswer::Matrix(Some(matrix.clone()))
    });
    assert_eq!(
        asked,
        [E0S0],
        "roomCallback is asked once, for the origin's room"
    );
    let (path, cost, incomplete) = found(&outcome);
    assert!(!incomplete);
    assert!(path.iter().all(|p| !(p.xx % 50 == 15 && p.yy % 50 < 40)));
    assert!(
        path.iter().any(|p| p.yy % 50 >= 40),
        "goes round the end of the wall"
    );
    assert!(cost > 10);
}

/// Four rooms in a square, borders open: E0S0 E1S0 / E0S1 E1S1.
fn four_rooms() -> Arc<Terrains> {
    world(&[
        (E0S0, open_room()),
        (E1S0, open_room()),
        (E0S1, open_room()),
        (E1S1, open_room()),
    ])
}

#[test]
fn a_path_into_the_next_room_names_each_step_s_own_room() {
    let (outcome, _) = run(
        four_rooms(),
        WorldPos::new(E0S0, 45, 25),
        goal(E1S0, 5, 25, 0),
        options(),
        &mut |_| unreachable!(),
    );
    let (path, cost, incomplete) = found(&outcome);
    assert!(!incomplete);
    assert_eq!(cost, 10);
    let rooms: Vec<MapPos> = path.iter().map(|p| p.map_pos().unwrap()).collect();
    assert_eq!(rooms.iter().filter(|r| **r == E0S0).count(), 4);
    assert_eq!(rooms.iter().filter(|r| **r == E1S0).count(), 6);
}

#[test]
fn a_room_the_callback_blocks_is_walked_around() {
    let mut opts = options();
    opts.room_callback = true;
    opts.max_ops = 20_000;
    // E0S0 (40, 45) to E1S0 (10, 45): straight through the border unless E1S0's direct route
    // is refused; block E1S0 and the goal cannot be reached at all.
    let (outcome, asked) = run(
        four_rooms(),
        WorldPos::new(E0S0, 40, 45),
        goal(E1S1, 10, 5, 0),
        opts,
        &mut |room| {
            if room == E1S0 {
                RoomAnswer::Blocked
            } else {
                RoomAnswer::Matrix(None)
            }
        },
    );
    let (path, _, incomplete) = found(&outcome);
    assert!(!incomplete);
    assert!(asked.contains(&E1S0));
    assert!(path.iter().all(|p| p.map_pos() != Some(E1S0)));
    assert!(path.iter().any(|p| p.map_pos() == Some(E0S1)));
}

#[test]
fn max_rooms_one_keeps_the_search_in_its_room() {
    let mut opts = options();
    opts.max_rooms = 1;
    let (outcome, _) = run(
        four_rooms(),
        WorldPos::new(E0S0, 40, 25),
        goal(E1S0, 10, 25, 0),
        opts,
        &mut |_| unreachable!(),
    );
    let (path, _, incomplete) = found(&outcome);
    assert!(incomplete);
    assert!(path.iter().all(|p| p.map_pos() == Some(E0S0)));
    assert_eq!(
        path.last().unwrap().xx % 50,
        49,
        "ends at the border, closest to the goal"
    );
}

#[test]
fn fleeing_ends_out_of_range_of_every_goal() {
    let t = world(&[(E0S0, open_room())]);
    let mut opts = options();
    opts.flee = true;
    let (outcome, _) = run(
        t,
        WorldPos::new(E0S0, 25, 25),
        goal(E0S0, 24, 25, 6),
        opts,
        &mut |_| unreachable!(),
    );
    let (path, cost, incomplete) = found(&outcome);
    assert!(!incomplete);
    assert_eq!(
        path.last().unwrap().range_to(WorldPos::new(E0S0, 24, 25)),
        6
    );
    assert_eq!(cost, 5);
}

#[test]
fn an_origin_room_the_callback_blocks_is_incomplete_at_once() {
    let mut opts = options();
    opts.room_callback = true;
    let (outcome, _) = run(
        four_rooms(),
        WorldPos::new(E0S0, 10, 10),
        goal(E0S0, 20, 20, 0),
        opts,
        &mut |_| RoomAnswer::Blocked,
    );
    assert_eq!(outcome, Outcome::StartBlocked);
}

/// Dijkstra over the moves Screeps' search allows (from a border tile: straight across, or
/// into the room), entering a tile costing its terrain cost.
/// The cheapest cost from `from` to `to` over all eight moves; with `borders`, moves on a
/// border tile are limited as pf.cc's `astar()` limits them ([`super::search::border_allows`]).
fn dijkstra(
    t: &Terrains,
    from: WorldPos,
    to: WorldPos,
    o: &SearchOptions,
    borders: bool,
) -> Option<u32> {
    let cost_of = |p: WorldPos| -> Option<u32> {
        let m = p.map_pos()?;
        let tiles = t.tiles(m)?;
        match tiles[(p.xx % 50 * 50 + p.yy % 50) as usize] {
            0 => Some(o.plain_cost),
            2 => Some(o.swamp_cost),
            _ => None,
        }
    };
    let mut best: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    let mut queue = BinaryHeap::new();
    queue.push(std::cmp::Reverse((0u32, from.xx, from.yy)));
    best.insert((from.xx, from.yy), 0);
    while let Some(std::cmp::Reverse((g, xx, yy))) = queue.pop() {
        let pos = WorldPos { xx, yy };
        if pos == to {
            return Some(g);
        }
        if best.get(&(xx, yy)).is_some_and(|b| *b < g) {
            continue;
        }
        for (dx, dy) in super::search::DIRECTIONS {
            let n = pos.offset(dx, dy);
            if borders && !super::search::border_allows(pos, n) {
                continue;
            }
            let Some(c) = cost_of(n) else { continue };
            let ng = g + c;
            if best.get(&(n.xx, n.yy)).is_none_or(|b| ng < *b) {
                best.insert((n.xx, n.yy), ng);
                queue.push(std::cmp::Reverse((ng, n.xx, n.yy)));
            }
        }
    }
    None
}

fn arb_room() -> impl Strategy<Value = [u8; 2500]> {
    // Mostly plain, some walls and swamps, in blobs of 3×3 so there are corridors.
    proptest::collection::vec(
        prop_oneof![6 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8)],
        17 * 17,
    )
    .prop_map(|cells| {
        let mut t = [0u8; 2500];
        for x in 0..50 {
            for y in 0..50 {
                t[x * 50 + y] = cells[(x / 3) * 17 + y / 3];
            }
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_search_stopped_at_every_room_ends_as_the_uninterrupted_one(
        rooms in proptest::collection::vec(arb_room(), 4),
        from in (1u8..49, 1u8..49), to in (1u8..49, 1u8..49), target in 0usize..4,
    ) {
        let places = [E0S0, E1S0, E0S1, E1S1];
        let t = world(&places.iter().copied().zip(rooms).collect::<Vec<_>>());
        let origin = WorldPos::new(E0S0, from.0, from.1);
        let goals = goal(places[target], to.0, to.1, 0);
        let mut opts = options();
        opts.max_ops = 50_000;
        let (plain, _) = run(t.clone(), origin, goals.clone(), opts, &mut |_| unreachable!());
        opts.room_callback = true;
        let (resumed, asked) = run(t, origin, goals, opts, &mut |_| RoomAnswer::Matrix(None));
        prop_assert_eq!(plain, resumed);
        prop_assert!(asked.len() <= 4);
    }

    /// pf.cc is not a shortest-path oracle at room borders: its jump-point expansion lets a
    /// path that crossed at a corner run along the next room's edge (which `astar()` forbids),
    /// and prunes some moves along borders. So the property is: the path is walkable and costs
    /// what it reports, never less than the unrestricted optimum; and when borders play no
    /// part (the optimum with and without pf.cc's border limits is the same and the path
    /// touches no border), it is that optimum.
    #[test]
    fn with_an_unweighted_heuristic_the_cost_is_the_cheapest_one(
        rooms in proptest::collection::vec(arb_room(), 4),
        from in (1u8..49, 1u8..49), to in (1u8..49, 1u8..49), target in 0usize..4,
    ) {
        let places = [E0S0, E1S0, E0S1, E1S1];
        let t = world(&places.iter().copied().zip(rooms).collect::<Vec<_>>());
        let origin = WorldPos::new(E0S0, from.0, from.1);
        let dest = WorldPos::new(places[target], to.0, to.1);
        let mut opts = options();
        opts.heuristic_weight = 1.0;
        opts.max_ops = 1_000_000;
        let (outcome, _) = run(t.clone(), origin, goal(places[target], to.0, to.1, 0), opts, &mut |_| unreachable!());
        let Outcome::Found { path, cost, incomplete, .. } = &outcome else { return Ok(()) };
        if path.is_empty() {
            // Nothing better than the origin was found; what it reports is pinned in the
            // unit tests above.
            prop_assert!(*incomplete);
            return Ok(());
        }
        let tile = |p: WorldPos| t.tiles(p.map_pos().unwrap()).unwrap()[(p.xx % 50 * 50 + p.yy % 50) as usize];
        let mut prev = origin;
        let mut sum = 0;
        for p in path {
            let step = (p.xx as i64 - prev.xx as i64).abs().max((p.yy as i64 - prev.yy as i64).abs());
            prop_assert_eq!(step, 1, "{:?} -> {:?} is not one step", prev, p);
            prop_assert_ne!(tile(*p) & 1, 1, "the path enters a wall at {:?}", p);
            sum += if tile(*p) == 2 { opts.swamp_cost } else { opts.plain_cost };
            prev = *p;
        }
        prop_assert_eq!(*cost, sum, "the reported cost is the path's");
        if tile(dest) & 1 == 1 {
            // A goal on a wall is never entered.
            prop_assert!(*incomplete);
            return Ok(());
        }
        let free = dijkstra(&t, origin, dest, &opts, false);
        if !*incomplete {
            prop_assert!(free.is_some_and(|f| *cost >= f), "cheaper than possible: {} < {:?}", cost, free);
        }
        let limited = dijkstra(&t, origin, dest, &opts, true);
        let on_border = |p: &WorldPos| [p.xx % 50, p.yy % 50].iter().any(|c| *c == 0 || *c == 49);
        if free.is_some() && free == limited && !path.iter().any(on_border) {
            prop_assert!(!*incomplete, "reachable, yet incomplete");
            prop_assert_eq!(Some(*cost), free);
        }
    }
}

/// `__isoshard_pf_search`'s arguments: depth 0, from E0S0 (40, 45) to E1S0 (10, 45), asking
/// the room callback.
fn search_args() -> Vec<ExternalCopy> {
    let call = serde_json::json!(["E0S0", 40, 45, 1, 5, 16, 20000, 1e9, false, 1.2, true]);
    let goals = serde_json::json!(["E1S0", 10, 45, 0]);
    [serde_json::json!(0), call, goals]
        .iter()
        .map(|v| ExternalCopy::from_json(v).unwrap())
        .collect()
}

#[test]
fn hostile_resume_of_another_players_search_waiting_for_a_room_is_refused() {
    // Two players' runtimes on one thread share the searches' buffers: a search one of them
    // left waiting for its roomCallback must not be resumed (and its path read) by the other.
    use super::host::{room, search, Searches};
    let terrains: Arc<dyn RoomTerrains> = four_rooms();
    let (alice, mallory) = (Searches::new(terrains.clone()), Searches::new(terrains));
    let asked = search(&alice, &search_args()).unwrap().to_json().unwrap();
    assert_eq!(
        asked,
        serde_json::json!("E0S0"),
        "alice's search waits for a room"
    );
    let terrain_only = [0, 0].map(|n| ExternalCopy::from_json(&serde_json::json!(n)).unwrap());
    let stolen = room(&mallory, &terrain_only);
    assert_eq!(
        stolen.unwrap_err(),
        "no PathFinder.search is waiting for a room"
    );
    // Alice's own search goes on.
    let next = room(&alice, &terrain_only).unwrap().to_json().unwrap();
    assert!(next.is_string(), "the next room or the path: {next}");
    // Mallory's own search takes the buffers over; alice's is gone, not resumed.
    search(&mallory, &search_args()).unwrap();
    assert!(room(&alice, &terrain_only).is_err());
}
