//! The market (screeps/engine `game/market.js` and `processor/global-intents/market.js`):
//! orders and their fees, deals between two players' terminals, buy orders capped by
//! credits, repricing, extending, cancelling, expiry, the price history, and every return
//! code in Screeps' order.

mod support;

use isoshard_world::money_history::MoneyReason;
use isoshard_world::orders::{OrderId, OrderType, MARKET_ORDER_LIFE_TICKS};
use isoshard_world::ReturnCode as R;
use isoshard_world::*;
use support::*;

use ResourceKind::{Energy, Hydrogen};

fn set_credits(s: &mut Scenario, player: PlayerId, milli: u64) {
    s.edit(|snap| {
        snap.market.credits.insert(player, milli);
    });
}

fn credits(s: &Scenario, player: PlayerId) -> u64 {
    s.world.market().credits.get(&player).copied().unwrap_or(0)
}

fn create(kind: OrderType, resource: ResourceKind, price: u64, total: u32, room: &str) -> Intent {
    Intent::CreateOrder {
        order_type: kind,
        resource,
        price_milli: price,
        total_amount: total,
        room: room.into(),
    }
}

fn deal(order: OrderId, amount: u32, room: &str) -> Intent {
    Intent::Deal {
        order,
        amount,
        room: room.into(),
    }
}

/// The only order of `player`.
fn order_of(s: &Scenario, player: PlayerId) -> orders::Order {
    let mine: Vec<_> = s
        .world
        .market()
        .orders
        .values()
        .filter(|o| o.owner == player)
        .cloned()
        .collect();
    assert_eq!(mine.len(), 1, "one order");
    mine[0].clone()
}

struct Traders {
    s: Scenario,
    bob: PlayerId,
    alice_terminal: ObjectId,
    bob_terminal: ObjectId,
    alice_room: String,
    bob_room: String,
}

/// Alice sells 100 H at 1 credit; the order is active (a tick has refreshed it). Bob has
/// 200 credits and 1 000 energy in his terminal.
fn alice_sells() -> Traders {
    let (mut s, bob, alice_terminal, bob_terminal, bob_room) = two_terminals();
    let alice_room = s.world.map().get(s.room).name.clone();
    let alice = s.player;
    set_credits(&mut s, alice, 10_000);
    set_credits(&mut s, bob, 200_000);
    s.give(bob_terminal, Energy, 1000);
    let sell = create(OrderType::Sell, Hydrogen, 1000, 100, &alice_room);
    assert_eq!(s.run(vec![sell]), vec![R::Ok]);
    Traders {
        s,
        bob,
        alice_terminal,
        bob_terminal,
        alice_room,
        bob_room,
    }
}

#[test]
fn an_order_charges_its_fee_and_opens_on_the_next_tick() {
    let mut t = alice_sells();
    let alice = t.s.player;
    // ceil(1 000 × 100 × 0.05) thousandths.
    assert_eq!(credits(&t.s, alice), 10_000 - 5_000);
    let order = order_of(&t.s, alice);
    // Created in the tick that just ran: not refreshed yet.
    assert!(!order.active);
    assert_eq!((order.amount, order.remaining_amount), (0, 100));
    assert!(t.s.world.views().orders.is_empty());
    t.s.run(vec![]);
    let order = order_of(&t.s, alice);
    assert!(order.active);
    assert_eq!(order.amount, 100);
    let views = t.s.world.views();
    assert_eq!(views.orders.len(), 1);
    let seen = &views.orders[0];
    assert_eq!(
        (seen.price, seen.room_name.as_str()),
        (1.0, t.alice_room.as_str())
    );
    assert_eq!(views.players[&alice].market.orders, views.orders);
    assert!(views.players[&t.bob].market.orders.is_empty());
}

#[test]
fn a_deal_trades_through_the_dealers_terminal() {
    let mut t = alice_sells();
    let alice = t.s.player;
    t.s.run(vec![]);
    let id = order_of(&t.s, alice).id;
    let bob_energy = t.s.energy(t.bob_terminal);
    assert_eq!(
        t.s.run_as(t.bob, vec![deal(id, 40, &t.bob_room)]),
        vec![R::Ok]
    );
    assert_eq!(t.s.amount(t.bob_terminal, Hydrogen), 40);
    assert_eq!(t.s.amount(t.alice_terminal, Hydrogen), 960);
    // The dealer pays the energy; the seller's terminal pays nothing.
    assert!(t.s.energy(t.bob_terminal) < bob_energy);
    assert_eq!(t.s.energy(t.alice_terminal), 1000);
    assert_eq!(credits(&t.s, alice), 5_000 + 40_000);
    assert_eq!(credits(&t.s, t.bob), 200_000 - 40_000);
    assert_eq!(
        t.s.rec(t.bob_terminal).cooldown.map(|c| c.ticks),
        Some(TERMINAL_COOLDOWN - 1)
    );
    let order = order_of(&t.s, alice);
    assert_eq!((order.remaining_amount, order.amount), (60, 60));
    let views = t.s.world.views();
    let sold = &views.players[&alice].market.outgoing[0];
    assert_eq!((sold.amount, sold.resource_type.as_str()), (40, "H"));
    let on = sold.order.as_ref().expect("the order traded on");
    assert_eq!(
        (on.id.as_str(), on.order_type.as_str(), on.price),
        (id.to_js().as_str(), "sell", 1.0)
    );
    assert_eq!(views.players[&t.bob].market.incoming[0].amount, 40);
    let history = &views.history;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].transactions,
            history[0].volume,
            history[0].avg_price
        ),
        (1, 40, 1.0)
    );
    assert_eq!(history[0].date, "2020-01-01");
    // Each side's credit history: the order's fee, then the sale; the purchase.
    let money = &t.s.world.market().money;
    let alice_log: Vec<_> = money[&alice]
        .iter()
        .map(|e| (e.change_milli, e.balance_milli))
        .collect();
    assert_eq!(alice_log, vec![(-5_000, 5_000), (40_000, 45_000)]);
    assert!(matches!(
        money[&alice][1].reason,
        MoneyReason::Deal {
            sold: true,
            amount: 40,
            npc: false,
            ..
        }
    ));
    let bought = &money[&t.bob][0];
    assert_eq!(
        (bought.change_milli, bought.balance_milli),
        (-40_000, 160_000)
    );
    assert!(
        matches!(bought.reason, MoneyReason::Deal { sold: false, dealer, owner, .. } if dealer == t.bob && owner == alice)
    );
}

#[test]
fn a_buy_order_buys_only_what_its_owner_can_pay() {
    let (mut s, bob, alice_terminal, bob_terminal, bob_room) = two_terminals();
    let alice_room = s.world.map().get(s.room).name.clone();
    // Fee ceil(2 000 × 500 × 0.05) = 50 000, then 100 credits left: 50 H at 2 credits.
    set_credits(&mut s, bob, 150_000);
    let buy = create(OrderType::Buy, Hydrogen, 2000, 500, &bob_room);
    assert_eq!(s.run_as(bob, vec![buy]), vec![R::Ok]);
    s.run(vec![]);
    let order = order_of(&s, bob);
    assert!(order.active);
    assert_eq!(order.amount, 50);
    assert_eq!(s.run(vec![deal(order.id, 100, &alice_room)]), vec![R::Ok]);
    assert_eq!(s.amount(bob_terminal, Hydrogen), 50);
    assert_eq!(s.amount(alice_terminal, Hydrogen), 950);
    assert_eq!(credits(&s, s.player), 100_000);
    assert_eq!(credits(&s, bob), 0);
    // Nothing left to pay with: the order goes inactive and no one sees it.
    let order = order_of(&s, bob);
    assert_eq!(
        (order.remaining_amount, order.amount, order.active),
        (450, 0, false)
    );
    assert!(s.world.views().orders.is_empty());
}

#[test]
fn raising_a_price_costs_the_fee_and_stops_deals_that_tick() {
    let mut t = alice_sells();
    let alice = t.s.player;
    t.s.run(vec![]);
    let id = order_of(&t.s, alice).id;
    let raise = Intent::ChangeOrderPrice {
        order: id,
        new_price_milli: 1500,
    };
    let mut batch = IntentBatch::new();
    batch.extend(alice, vec![raise]);
    batch.extend(t.bob, vec![deal(id, 10, &t.bob_room)]);
    let out = t.s.world.tick(&batch);
    assert_eq!(out.results[&alice], vec![R::Ok]);
    assert_eq!(out.results[&t.bob], vec![R::Ok]);
    // ceil(500 × 100 × 0.05) for the raise; the deal did not run.
    assert_eq!(credits(&t.s, alice), 5_000 - 2_500);
    assert_eq!(t.s.amount(t.bob_terminal, Hydrogen), 0);
    assert_eq!(order_of(&t.s, alice).price_milli, 1500);
    // Extending adds to what is left and to the total, for the fee.
    let extend = Intent::ExtendOrder {
        order: id,
        add_amount: 20,
    };
    assert_eq!(t.s.run(vec![extend]), vec![R::Ok]);
    let order = order_of(&t.s, alice);
    assert_eq!((order.remaining_amount, order.total_amount), (120, 120));
    assert_eq!(credits(&t.s, alice), 2_500 - 1_500);
    assert_eq!(
        t.s.run(vec![Intent::CancelOrder { order: id }]),
        vec![R::Ok]
    );
    assert!(t.s.world.market().orders.is_empty());
    let fees: Vec<_> = t.s.world.market().money[&alice]
        .iter()
        .map(|e| e.change_milli)
        .collect();
    assert_eq!(fees, vec![-5_000, -2_500, -1_500], "create, raise, extend");
    assert!(matches!(
        t.s.world.market().money[&alice][1].reason,
        MoneyReason::PriceChanged {
            old_price_milli: 1000,
            new_price_milli: 1500,
            ..
        }
    ));
}

#[test]
fn an_expired_order_goes_and_refunds_the_rest_of_its_fee() {
    let mut t = alice_sells();
    let alice = t.s.player;
    t.s.edit(|snap| {
        snap.time += MARKET_ORDER_LIFE_TICKS + 5;
    });
    t.s.run(vec![]);
    assert!(t.s.world.market().orders.is_empty());
    // 100 left × 1 000 × 0.05.
    assert_eq!(credits(&t.s, alice), 5_000 + 5_000);
    let refund = t.s.world.market().money[&alice].back().cloned().unwrap();
    assert_eq!((refund.change_milli, refund.balance_milli), (5_000, 10_000));
    assert!(matches!(
        refund.reason,
        MoneyReason::OrderExpired {
            remaining_amount: 100,
            ..
        }
    ));
}

#[test]
fn create_order_answers_screeps_codes_in_order() {
    let mut t = alice_sells();
    let alice_room = t.alice_room.clone();
    let bob_room = t.bob_room.clone();
    let s = &mut t.s;
    assert_eq!(
        s.run(vec![create(OrderType::Sell, Hydrogen, 0, 10, &alice_room)]),
        vec![R::InvalidArgs]
    );
    assert_eq!(
        s.run(vec![create(
            OrderType::Sell,
            Hydrogen,
            1000,
            0,
            &alice_room
        )]),
        vec![R::InvalidArgs]
    );
    // 5 credits left: an order worth over 100 credits costs more than that in fees.
    assert_eq!(
        s.run(vec![create(
            OrderType::Sell,
            Hydrogen,
            1000,
            101,
            &alice_room
        )]),
        vec![R::NotEnoughResources]
    );
    assert_eq!(
        s.run(vec![create(OrderType::Sell, Hydrogen, 1, 10, &bob_room)]),
        vec![R::NotOwner]
    );
    let alice = s.player;
    set_credits(s, alice, 1_000_000);
    let many: Vec<Intent> = (0..300)
        .map(|_| create(OrderType::Buy, Energy, 1, 1, &alice_room))
        .collect();
    let codes = s.run(many);
    // One order already held: the 300th new one is one too many.
    assert_eq!(codes[..299], vec![R::Ok; 299][..]);
    assert_eq!(codes[299], R::Full);
}

#[test]
fn deal_and_order_changes_answer_screeps_codes_in_order() {
    let mut t = alice_sells();
    let alice = t.s.player;
    let fresh = order_of(&t.s, alice).id;
    let (bob, bob_room, alice_room) = (t.bob, t.bob_room.clone(), t.alice_room.clone());
    let s = &mut t.s;
    // Not active yet.
    assert_eq!(
        s.run_as(bob, vec![deal(fresh, 1, &bob_room)]),
        vec![R::InvalidArgs]
    );
    assert_eq!(
        s.run_as(bob, vec![deal(OrderId(999), 1, &bob_room)]),
        vec![R::InvalidArgs]
    );
    let id = order_of(s, alice).id;
    assert_eq!(
        s.run_as(bob, vec![deal(id, 0, &bob_room)]),
        vec![R::InvalidArgs]
    );
    assert_eq!(
        s.run_as(bob, vec![deal(id, 1, &alice_room)]),
        vec![R::NotOwner]
    );
    // 200 credits: 201 H at 1 credit is more than Bob has.
    assert_eq!(
        s.run_as(bob, vec![deal(id, 201, &bob_room)]),
        vec![R::NotEnoughResources]
    );
    let deals: Vec<Intent> = (0..11).map(|_| deal(id, 1, &bob_room)).collect();
    let codes = s.run_as(bob, deals);
    assert_eq!(codes[..10], vec![R::Ok; 10][..]);
    assert_eq!(codes[10], R::Full);
    // Only one ran: the first set the terminal's cooldown.
    assert_eq!(s.amount(t.bob_terminal, Hydrogen), 1);
    assert_eq!(s.run_as(bob, vec![deal(id, 1, &bob_room)]), vec![R::Tired]);
    // Another player's order is not yours to change.
    let theirs = [
        Intent::CancelOrder { order: id },
        Intent::ChangeOrderPrice {
            order: id,
            new_price_milli: 5,
        },
        Intent::ExtendOrder {
            order: id,
            add_amount: 5,
        },
    ];
    assert_eq!(s.run_as(bob, theirs.to_vec()), vec![R::InvalidArgs; 3]);
    let zero = Intent::ChangeOrderPrice {
        order: id,
        new_price_milli: 0,
    };
    assert_eq!(s.run(vec![zero]), vec![R::InvalidArgs]);
    let costly = Intent::ChangeOrderPrice {
        order: id,
        new_price_milli: 10_000_000,
    };
    assert_eq!(s.run(vec![costly]), vec![R::NotEnoughResources]);
}

/// Puts an NPC order in the scenario's world (as `recreateNpcOrders` does at a crossroads;
/// the 3×3 world has none, so it names Bob's room).
fn npc_order(s: &mut Scenario, kind: OrderType, resource: ResourceKind, room: RoomId) -> OrderId {
    let mut id = OrderId(0);
    s.edit(|snap| {
        id = OrderId(snap.market.next_order);
        snap.market.next_order += 1;
        let order = orders::Order::npc(id, (kind, resource, 100_000, 1000), room, 0);
        snap.market.orders.insert(id, order);
    });
    id
}

#[test]
fn an_npc_trader_buys_and_sells_without_a_terminal_of_its_own() {
    let (mut s, bob, alice_terminal, _, bob_room) = two_terminals();
    let npc_room = s.world.map().by_name(&bob_room).unwrap();
    let alice_room = s.world.map().get(s.room).name.clone();
    let buys = npc_order(&mut s, OrderType::Buy, Hydrogen, npc_room);
    let sells = npc_order(&mut s, OrderType::Sell, ResourceKind::Oxygen, npc_room);
    let alice = s.player;
    set_credits(&mut s, alice, 0);
    // Alice sells 100 H to the NPC: paid 100 credits, the energy for the distance spent.
    assert_eq!(s.run(vec![deal(buys, 100, &alice_room)]), vec![R::Ok]);
    assert_eq!(s.amount(alice_terminal, Hydrogen), 900);
    assert_eq!(credits(&s, s.player), 100_000);
    let spent = 1000 - s.amount(alice_terminal, Energy);
    assert!(spent > 0, "the dealer pays the transfer");
    assert_eq!(s.world.market().orders[&buys].remaining_amount, 99_900);
    assert_eq!(credits(&s, bob), 0, "nobody else is paid");
    for _ in 0..TERMINAL_COOLDOWN {
        s.run(vec![]);
    }
    // And buys 50 O from it with those credits.
    assert_eq!(s.run(vec![deal(sells, 50, &alice_room)]), vec![R::Ok]);
    assert_eq!(s.amount(alice_terminal, ResourceKind::Oxygen), 50);
    assert_eq!(credits(&s, s.player), 50_000);
    let npc = s
        .world
        .market()
        .orders
        .values()
        .filter(|o| o.owner == npc::MARKET_NPC);
    assert!(npc.clone().all(|o| o.active), "an NPC order stays active");
    let log = &s.world.market().money[&s.player];
    assert!(log
        .iter()
        .all(|e| matches!(e.reason, MoneyReason::Deal { npc: true, .. })));
}

#[test]
fn crossroads_get_npc_orders_from_tick_0_and_new_ones_each_round() {
    let mut world = sector_world_at(0);
    let crossroads = world.map().by_name("E10S10").unwrap();
    let rounds: Vec<NpcOrderRound> = npc_order_rounds(7, RoomCoord { x: 10, y: 10 })
        .take(3)
        .collect();
    world.tick(&IntentBatch::new());
    let shown = |w: &GameWorld| {
        let mut o: Vec<(OrderType, ResourceKind, u32, u64)> = w
            .market()
            .orders
            .values()
            .filter(|o| o.owner == npc::MARKET_NPC && o.room == crossroads)
            .map(|o| (o.order_type, o.resource, o.total_amount, o.price_milli))
            .collect();
        o.sort_by_key(|x| (x.0 as u8, x.1.as_str()));
        o
    };
    let mut want = rounds[0].orders.clone();
    want.sort_by_key(|x| (x.0 as u8, x.1.as_str()));
    assert_eq!(shown(&world), want);
    assert!(want[0].2 == 200_000 || want[0].2 == 100_000);
    let gap = rounds[1].tick - rounds[0].tick;
    assert!((4000..=6000).contains(&gap), "{gap}");
    let mut snap = world.snapshot();
    snap.time = rounds[1].tick;
    let mut world = GameWorld::restore(snap).unwrap();
    world.tick(&IntentBatch::new());
    let mut want = rounds[1].orders.clone();
    want.sort_by_key(|x| (x.0 as u8, x.1.as_str()));
    assert_eq!(shown(&world), want, "replaced, not added");
}
