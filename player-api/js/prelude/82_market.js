  // ---- Game.market (screeps/engine game/market.js, check for check) ----
  // The player's account (credits, transactions, own orders) arrives with the tick; the
  // order book and price history everyone shares are fetched from the host only when asked,
  // and parsed once per tick (Screeps' cachedOrders / cachedHistory).
  const MathRound = Math.round, parseFloatFn = parseFloat, parseIntFn = parseInt;
  let marketBook = { orders: ObjectCreate(null), history: ObjectCreate(null) };
  let marketTick = { created: 0, deals: 0 };
  let currentMarket = null;
  function resetMarketTick(market) {
    marketBook = { orders: ObjectCreate(null), history: ObjectCreate(null) };
    marketTick = { created: 0, deals: 0 };
    currentMarket = market;
  }
  function isMarketResource(r) {
    return C.RESOURCES_ALL.indexOf(r) !== -1 || C.INTERSHARD_RESOURCES.indexOf(r) !== -1;
  }
  function intershard(r) { return C.INTERSHARD_RESOURCES.indexOf(r) !== -1; }
  function notModelledIntershard(what) {
    throw new ErrorCtor(what + ' of intershard resources (Game.resources) is not supported on this server');
  }
  // `{id: order}` of a resource ('all' for every one); {} for an unknown resource.
  function bookOrders(resourceType) {
    const key = resourceType || 'all';
    if (!(key in marketBook.orders)) {
      if (key !== 'all' && !isMarketResource(key)) return {};
      const text = host.market('orders', key);
      marketBook.orders[key] = typeof text === 'string' ? JSONparse(text) : {};
    }
    return marketBook.orders[key];
  }
  function copyOf(v) { return JSONparse(JSONstringify(v)); }
  // lodash's `_.filter(collection, predicate)`: a function, a partial object, or nothing.
  function filterOrders(orders, filter) {
    const list = ObjectKeys(orders).map((k) => orders[k]);
    if (typeof filter === 'function') return list.filter(filter);
    if (filter && typeof filter === 'object') {
      const keys = ObjectKeys(filter);
      return list.filter((o) => keys.every((k) => o[k] === filter[k]));
    }
    return list;
  }
  // The player's terminal in a room (runtimeData.userObjects).
  function ownTerminalIn(roomName) {
    for (const id in Game.structures) {
      const s = Game.structures[id];
      if (s.structureType === C.STRUCTURE_TERMINAL && s.room && s.room.name === roomName) return s;
    }
    return undefined;
  }
  function milli(credits) { return MathRound(credits * 1000); }
  const marketMethods = {
    calcTransactionCost(amount, roomName1, roomName2) {
      const distance = mapMethods.getRoomLinearDistance(roomName1, roomName2, true);
      return MathCeil(amount * (1 - Math.exp(-distance / 30)));
    },
    getAllOrders(filter) {
      return filterOrders(bookOrders(filter && filter.resourceType), filter);
    },
    getHistory(resourceType) {
      const key = resourceType || 'all';
      if (!(key in marketBook.history)) {
        if (key !== 'all' && !isMarketResource(key)) return {};
        const text = host.market('history', key);
        marketBook.history[key] = typeof text === 'string' ? JSONparse(text) : {};
      }
      return marketBook.history[key];
    },
    getOrderById(id) {
      const m = currentMarket;
      if (m.orders[id]) return copyOf(m.orders[id]);
      const order = bookOrders('all')[id];
      return order ? copyOf(order) : null;
    },
    createOrder(type, resourceType, price, totalAmount, roomName) {
      const m = currentMarket;
      if (type !== null && typeof type === 'object') {
        ({ type, resourceType, price, totalAmount, roomName } = type);
      }
      if (!isMarketResource(resourceType)) return C.ERR_INVALID_ARGS;
      if (type != C.ORDER_BUY && type != C.ORDER_SELL) return C.ERR_INVALID_ARGS;
      price = parseFloatFn(price);
      totalAmount = parseIntFn(totalAmount);
      if (!price || price <= 0 || !totalAmount) return C.ERR_INVALID_ARGS;
      if (intershard(resourceType)) notModelledIntershard('Game.market.createOrder');
      if (price * totalAmount * C.MARKET_FEE > m.credits) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!roomName || !ownTerminalIn(roomName)) return C.ERR_NOT_OWNER;
      if (ObjectKeys(m.orders).length + marketTick.created >= C.MARKET_MAX_ORDERS) return C.ERR_FULL;
      marketTick.created++;
      addIntent({ type: 'createOrder', orderType: type, resourceType, price: milli(price), totalAmount, roomName: StringCtor(roomName) });
      return C.OK;
    },
    cancelOrder(orderId) {
      if (!currentMarket.orders[orderId]) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'cancelOrder', orderId: StringCtor(orderId) });
      return C.OK;
    },
    deal(orderId, amount, targetRoomName) {
      const m = currentMarket;
      const order = bookOrders('all')[orderId];
      if (!order) return C.ERR_INVALID_ARGS;
      amount = parseIntFn(amount);
      if (!amount || amount < 0) return C.ERR_INVALID_ARGS;
      if (intershard(order.resourceType)) notModelledIntershard('Game.market.deal');
      if (!targetRoomName) return C.ERR_INVALID_ARGS;
      const terminal = ownTerminalIn(targetRoomName);
      const transferCost = m.calcTransactionCost(amount, targetRoomName, order.roomName);
      if (!terminal) return C.ERR_NOT_OWNER;
      const store = terminal.store;
      if (!store || store[C.RESOURCE_ENERGY] < transferCost) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (terminal.cooldown > 0) return C.ERR_TIRED;
      if (order.type == C.ORDER_BUY) {
        if (order.resourceType != C.RESOURCE_ENERGY && (!store[order.resourceType] || store[order.resourceType] < amount) ||
            order.resourceType == C.RESOURCE_ENERGY && store[C.RESOURCE_ENERGY] < amount + transferCost) {
          return C.ERR_NOT_ENOUGH_RESOURCES;
        }
      }
      if (order.type == C.ORDER_SELL && milli(m.credits) < amount * milli(order.price)) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (marketTick.deals >= 10) return C.ERR_FULL;
      marketTick.deals++;
      addIntent({ type: 'deal', orderId: StringCtor(orderId), amount, targetRoomName: StringCtor(targetRoomName) });
      return C.OK;
    },
    changeOrderPrice(orderId, newPrice) {
      const m = currentMarket;
      const order = m.orders[orderId];
      if (!order) return C.ERR_INVALID_ARGS;
      newPrice = parseFloatFn(newPrice);
      if (!newPrice || newPrice <= 0) return C.ERR_INVALID_ARGS;
      if (newPrice > order.price && (newPrice - order.price) * order.remainingAmount * C.MARKET_FEE > m.credits) {
        return C.ERR_NOT_ENOUGH_RESOURCES;
      }
      addIntent({ type: 'changeOrderPrice', orderId: StringCtor(orderId), newPrice: milli(newPrice) });
      return C.OK;
    },
    extendOrder(orderId, addAmount) {
      const m = currentMarket;
      const order = m.orders[orderId];
      if (!order) return C.ERR_INVALID_ARGS;
      addAmount = parseIntFn(addAmount);
      if (!addAmount || addAmount <= 0) return C.ERR_INVALID_ARGS;
      if (order.price * addAmount * C.MARKET_FEE > m.credits) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'extendOrder', orderId: StringCtor(orderId), addAmount });
      return C.OK;
    },
  };
  // Game.market for one tick: credits, the last 100 transactions each way (newest first,
  // each side as `{username}`) and the player's orders by id, inactive ones too.
  function marketOf(account) {
    const who = (name) => (name == null ? undefined : { username: name });
    const show = (list) => (list || []).map((t) => ({
      transactionId: t.transactionId, time: t.time, sender: who(t.sender), recipient: who(t.recipient),
      resourceType: t.resourceType, amount: t.amount, from: t.from, to: t.to,
      description: t.description == null ? undefined : t.description,
      order: t.order == null ? undefined : t.order,
    }));
    const orders = {};
    for (const o of account.orders || []) orders[o.id] = copyOf(o);
    const market = Object.assign(ObjectCreate(marketMethods), {
      credits: (account.credits || 0) / 1000,
      incomingTransactions: show(account.incoming), outgoingTransactions: show(account.outgoing), orders,
    });
    resetMarketTick(market);
    return market;
  }
