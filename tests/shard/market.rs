//! The market through the player API (screeps/engine `game/market.js`): one player sells
//! hydrogen on an order, another finds it with `getAllOrders`, deals, and both see the
//! credits, resources, transactions and price history move; each sees only its own orders
//! in `Game.market.orders`. The rules are `world/tests/market.rs`.

use isoshard_world::*;

use crate::support::*;

const SELLER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, t = room.terminal;
  const log = Memory.log = Memory.log || [];
  if (log.length >= 10) return;
  const mine = Object.keys(Game.market.orders);
  const e = { t: Game.time, credits: Game.market.credits, orders: mine.length, H: t.store[RESOURCE_HYDROGEN] };
  if (!Memory.created) {
    e.create = Game.market.createOrder({ type: ORDER_SELL, resourceType: RESOURCE_HYDROGEN,
      price: 2.5, totalAmount: 200, roomName: room.name });
    e.unknown = Game.market.createOrder(ORDER_SELL, 'nothing', 1, 1, room.name);
    e.noTerminal = Game.market.createOrder(ORDER_BUY, RESOURCE_OXYGEN, 1, 1, 'W99N99');
    e.tooCostly = Game.market.createOrder(ORDER_BUY, RESOURCE_OXYGEN, 1000, 1000, room.name);
    let threw = null;
    try { Game.market.createOrder(ORDER_SELL, PIXEL, 1, 1, room.name); } catch (err) { threw = String(err.message); }
    e.pixel = threw;
    Memory.created = true;
  }
  if (mine.length) {
    const o = Game.market.orders[mine[0]];
    e.order = { active: o.active, amount: o.amount, remaining: o.remainingAmount, price: o.price,
      type: o.type, room: o.roomName, resourceType: o.resourceType, byId: Game.market.getOrderById(o.id).id === o.id };
  }
  const out = Game.market.outgoingTransactions[0];
  if (out) e.out = { amount: out.amount, to: out.recipient.username, order: out.order };
  log.push(e);
};
"#;

const BUYER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, t = room.terminal;
  const log = Memory.log = Memory.log || [];
  if (log.length >= 10) return;
  const orders = Game.market.getAllOrders({ type: ORDER_SELL, resourceType: RESOURCE_HYDROGEN });
  const e = { t: Game.time, credits: Game.market.credits, seen: orders.length, H: t.store[RESOURCE_HYDROGEN],
    mine: Object.keys(Game.market.orders).length, all: Game.market.getAllOrders().length,
    cheap: Game.market.getAllOrders((o) => o.price < 2).length };
  if (orders.length && !Memory.dealt) {
    const o = orders[0];
    e.price = Game.market.getOrderById(o.id).price;
    e.cost = Game.market.calcTransactionCost(30, room.name, o.roomName);
    e.deal = Game.market.deal(o.id, 30, room.name);
    e.cancelTheirs = Game.market.cancelOrder(o.id);
    e.dealNowhere = Game.market.deal(o.id, 1, 'W99N99');
    e.dealZero = Game.market.deal(o.id, 0, room.name);
    e.dealUnknown = Game.market.deal('ffff', 1, room.name);
    Memory.dealt = true;
  }
  const days = Game.market.getHistory(RESOURCE_HYDROGEN);
  if (Array.isArray(days)) e.history = days;
  const inc = Game.market.incomingTransactions[0];
  if (inc) e.in = { amount: inc.amount, from: inc.sender.username, resourceType: inc.resourceType };
  log.push(e);
};
"#;

/// A free tile two steps from `at` in the snapshot.
fn free_near(snap: &WorldSnapshot, at: Position) -> Position {
    let taken: Vec<Position> = snap.objects.iter().map(|o| o.pos).collect();
    (-2i32..=2)
        .flat_map(|dx| (-2i32..=2).map(move |dy| (dx, dy)))
        .filter(|(dx, dy)| dx.abs() == 2 || dy.abs() == 2)
        .map(|(dx, dy)| Position::new(at.room, (at.x as i32 + dx) as u8, (at.y as i32 + dy) as u8))
        .find(|p| !taken.contains(p))
        .expect("a free tile by the spawn")
}

/// Gives `p` a level-6 room with a terminal holding `store`, and `credits` thousandths.
fn give_terminal(
    snap: &mut WorldSnapshot,
    p: PlayerId,
    store: &[(ResourceKind, u32)],
    credits: u64,
) {
    let spawn = snap
        .objects
        .iter()
        .find(|o| o.owner == Some(p) && matches!(o.kind, ObjectKind::Spawn(_)))
        .map(|o| o.pos)
        .expect("spawn");
    for o in &mut snap.objects {
        if let ObjectKind::Controller(c) = &mut o.kind {
            if o.pos.room == spawn.room {
                c.level = 6;
            }
        }
    }
    let at = free_near(snap, spawn);
    let mut held = Store::empty(StoreLimit::Total(TERMINAL_CAPACITY));
    for (resource, amount) in store {
        held.add(*resource, *amount);
    }
    let terminal = StructureKind::Terminal;
    let kind = ObjectKind::Structure(terminal);
    push_object(
        snap,
        at,
        Some(p),
        Some(terminal.initial_hits()),
        Some(held),
        kind,
    );
    snap.market.credits.insert(p, credits);
}

#[test]
fn a_player_buys_another_players_hydrogen_on_the_market() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 11, |_| {});
    let seller = shard
        .add_player("seller", code(&[("main", SELLER_BOT)]))
        .unwrap();
    let buyer = shard
        .add_player("buyer", code(&[("main", BUYER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        use ResourceKind::{Energy, Hydrogen};
        give_terminal(snap, seller, &[(Hydrogen, 1000), (Energy, 1000)], 50_000);
        give_terminal(snap, buyer, &[(Energy, 5000)], 100_000);
        snap.objects.sort_by_key(|o| o.id);
    });
    for _ in 0..8 {
        shard.tick().unwrap();
    }
    let sold = memory_json(shard, seller)["log"].clone();
    let bought = memory_json(shard, buyer)["log"].clone();
    let first = &sold[0];
    assert_eq!(first["create"], 0, "{sold}");
    assert_eq!(first["unknown"], ERR_INVALID_ARGS_CODE, "{sold}");
    assert_eq!(first["noTerminal"], -1, "ERR_NOT_OWNER: {sold}");
    assert_eq!(first["tooCostly"], -6, "ERR_NOT_ENOUGH_RESOURCES: {sold}");
    assert!(
        first["pixel"]
            .as_str()
            .unwrap_or("")
            .ends_with("is not supported on this server"),
        "{sold}"
    );
    // The fee: 2.5 × 200 × 5 % = 25 credits.
    assert_eq!(sold[1]["credits"], 25.0, "{sold}");
    let order = &sold[1]["order"];
    assert_eq!(order["active"], false, "opens after a refresh: {sold}");
    assert_eq!(
        (order["price"].as_f64(), order["type"].as_str()),
        (Some(2.5), Some("sell"))
    );
    assert_eq!(order["byId"], true);
    let deal_tick = bought
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("deal").is_some())
        .unwrap_or_else(|| panic!("the buyer dealt: {bought}"));
    assert_eq!(deal_tick["deal"], 0, "{bought}");
    assert_eq!(deal_tick["price"], 2.5);
    assert_eq!(deal_tick["seen"], 1);
    assert_eq!(
        (deal_tick["all"].as_u64(), deal_tick["cheap"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        deal_tick["mine"], 0,
        "another's order is not in Game.market.orders"
    );
    assert_eq!(deal_tick["cancelTheirs"], ERR_INVALID_ARGS_CODE);
    assert_eq!(deal_tick["dealNowhere"], -1, "ERR_NOT_OWNER");
    assert_eq!(deal_tick["dealZero"], ERR_INVALID_ARGS_CODE);
    assert_eq!(deal_tick["dealUnknown"], ERR_INVALID_ARGS_CODE);
    let last = |log: &serde_json::Value| log.as_array().unwrap().last().cloned().unwrap();
    let (s_last, b_last) = (last(&sold), last(&bought));
    assert_eq!(b_last["H"], 30, "{bought}");
    assert_eq!(b_last["credits"], 100.0 - 75.0, "{bought}");
    assert_eq!(s_last["H"], 970, "{sold}");
    assert_eq!(s_last["credits"], 25.0 + 75.0, "{sold}");
    assert_eq!(s_last["order"]["remaining"], 170);
    assert_eq!(s_last["out"]["amount"], 30);
    assert_eq!(s_last["out"]["to"], "buyer");
    assert_eq!(s_last["out"]["order"]["type"], "sell");
    assert_eq!(b_last["in"]["from"], "seller");
    let day = &b_last["history"][0];
    assert_eq!(
        (day["avgPrice"].as_f64(), day["volume"].as_u64()),
        (Some(2.5), Some(30))
    );
    assert_eq!(day["resourceType"], "H");
}

const ERR_INVALID_ARGS_CODE: i64 = -10;

const NPC_DEALER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, t = room.terminal;
  const log = Memory.log = Memory.log || [];
  if (log.length >= 3) return;
  const buyers = Game.market.getAllOrders({ type: ORDER_BUY, resourceType: RESOURCE_HYDROGEN });
  const e = { credits: Game.market.credits, H: t.store[RESOURCE_HYDROGEN], seen: buyers.length };
  if (buyers.length && !Memory.dealt) {
    e.price = buyers[0].price; e.room = buyers[0].roomName;
    e.deal = Game.market.deal(buyers[0].id, 100, room.name);
    Memory.dealt = true;
  }
  const out = Game.market.outgoingTransactions[0];
  if (out) e.out = { amount: out.amount, to: out.recipient === undefined ? null : out.recipient, order: out.order.type };
  log.push(e);
};
"#;

#[test]
fn a_player_sells_hydrogen_to_an_npc_trader() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 13, |_| {});
    let p = shard
        .add_player("dealer", code(&[("main", NPC_DEALER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let home = shard.home_room(p).unwrap();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        use ResourceKind::{Energy, Hydrogen};
        give_terminal(snap, p, &[(Hydrogen, 1000), (Energy, 5000)], 0);
        snap.objects.sort_by_key(|o| o.id);
        // An NPC buy order, as `recreateNpcOrders` makes them at a crossroads; this small
        // world has none, so it stands in a room next to the player's.
        let room = RoomId(if home.0 == 0 { 1 } else { 0 });
        let id = orders::OrderId(snap.market.next_order);
        snap.market.next_order += 1;
        let buys = (orders::OrderType::Buy, Hydrogen, 100_000, 1000);
        snap.market
            .orders
            .insert(id, orders::Order::npc(id, buys, room, 0));
    });
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let log = memory_json(shard, p)["log"].clone();
    let first = &log[0];
    assert_eq!(first["seen"], 1, "the NPC order is in the book: {log}");
    assert_eq!(first["price"], 1.0);
    assert_eq!(first["deal"], 0, "{log}");
    let next = &log[1];
    assert_eq!(next["credits"], 100.0, "paid by the NPC: {log}");
    assert_eq!(next["H"], 900);
    assert_eq!(next["out"]["amount"], 100);
    assert_eq!(next["out"]["to"], serde_json::Value::Null, "no user: {log}");
    assert_eq!(next["out"]["order"], "buy");
}
