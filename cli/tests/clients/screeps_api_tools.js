// Drives a running shard with the real `screeps-api` npm client the way players' tools do:
// a console command and its output (multimeter), Memory read as a Grafana agent reads
// `Memory.stats`, Memory written through the API, a segment written and read, branches
// (rollup-plugin-screeps), and the map and user routes the Screeps client calls.
// Usage: node screeps_api_tools.js URL USER PASSWORD   (NODE_PATH points at node_modules)
'use strict';
const { signIn } = require('./screeps_client');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const [, , url, user, password] = process.argv;
  const api = await signIn(url, user, password);
  const me = await api.me();
  const out = { id: me._id };
  const time = async () => (await api.raw.game.time()).time;
  const waitTicks = async (n) => {
    const start = await time();
    for (let i = 0; i < 500 && (await time()) < start + n; i++) await sleep(20);
  };

  out.branches = (await api.raw.user.branches()).list.map((b) => [b.branch, b.activeWorld]);
  out.worldStatus = (await api.raw.user.worldStatus()).status;
  out.startRoom = (await api.raw.user.worldStartRoom()).room;
  const room = out.startRoom[0];
  out.rooms = (await api.raw.user.rooms(me._id)).rooms;
  const encoded = (await api.raw.game.roomTerrain(room, 1)).terrain[0];
  out.encodedLength = encoded.terrain.length;
  const tiles = (await api.req('GET', '/api/game/room-terrain', { room })).terrain;
  out.wallsMatch = tiles.filter((t) => t.type === 'wall').every((t) => encoded.terrain[t.y * 50 + t.x] === '1');
  out.roomStatus = (await api.raw.game.roomStatus(room)).room.status;
  const stats = await api.raw.game.mapStats([room], 'owner0');
  out.mapOwner = stats.users[stats.stats[room].own.user].username;
  out.tickMs = (await api.req('GET', '/api/game/tick')).tick;
  // The user routes tools resolve names and ids with.
  const found = (await api.raw.user.find(user)).user;
  const foundById = (await api.raw.user.findById(me._id)).user;
  out.find = { id: found._id, username: found.username, byId: foundById.username, gcl: typeof found.gcl };
  out.userStats = (await api.raw.user.stats(8)).stats;
  const overview = await api.raw.game.roomOverview(room, 8);
  out.roomOverview = { owner: overview.owner && overview.owner.username, stats: overview.stats };
  const seasons = (await api.raw.leaderboard.seasons()).seasons;
  const board = await api.raw.leaderboard.list(10, 'world', 0, seasons[0]._id);
  const mine = await api.raw.leaderboard.find(user, 'world', seasons[0]._id);
  const everyMine = (await api.raw.leaderboard.find(user)).list;
  out.leaderboard = {
    seasons: seasons.length, count: board.count, first: board.users[board.list[0].user].username,
    rank: mine.rank, mineUser: mine.user, everySeason: everyMine.length,
  };
  out.prohibited = (await api.raw.user.respawnProhibitedRooms()).rooms;
  // The market screens: nothing is for sale on a new shard; a resource must be named.
  out.market = {
    index: (await api.raw.game.market.ordersIndex()).list,
    orders: (await api.raw.game.market.orders('energy')).list,
    stats: (await api.raw.game.market.stats('energy')).stats,
    mine: (await api.req('GET', '/api/game/market/my-orders')).list,
  };
  try { await api.req('GET', '/api/game/market/orders'); out.market.unnamed = 'accepted'; } catch (e) { out.market.unnamed = 'refused'; }
  const roomObjects = await api.raw.game.roomObjects(room);
  const spawn = roomObjects.objects.find((o) => o.type === 'spawn');
  out.roomObjects = { spawnUser: spawn.user, owner: roomObjects.users[spawn.user].username, count: roomObjects.objects.length };

  // The bot keeps Memory.stats; an agent reads it (screeps-api unpacks the gz: form).
  await waitTicks(2);
  out.stats = (await api.memory.get('stats')).data;

  // A console command: its console.log and its result reach the player's console.
  await api.console('console.log("typed " + Game.time); Memory.typed = true; 6 * 7');
  // Memory written through the API, and a segment.
  await api.memory.set('settings', { mode: { war: false } });
  await api.memory.set('settings.mode.war', true);
  // As on Screeps, a path through nothing fails (and says so in the console).
  await api.memory.set('absent.deeper', 1);
  await api.segment.set(7, 'seven');
  await waitTicks(2);
  out.typed = (await api.memory.get('typed')).data;
  out.settings = (await api.memory.get('settings')).data;
  out.segment = (await api.segment.get(7)).data;
  out.missing = (await api.memory.get('nothing')).data;
  out.deepMissing = (await api.memory.get('no.such.path')).data;
  try {
    await api.console('x'.repeat(2000));
    out.longExpression = 'accepted';
  } catch (e) {
    out.longExpression = String(e.message);
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
