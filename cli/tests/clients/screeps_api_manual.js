// The Screeps client's manual actions through the real `screeps-api` client (and its raw
// request for the one it sends wrong): flags, a construction site placed and removed, and an
// object's attack notifications. They run in the player's isolate at the next tick.
// Usage: node screeps_api_manual.js URL USER PASSWORD   (NODE_PATH points at node_modules)
'use strict';
const { signIn, postRaw } = require('./screeps_client');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const [, , url, user, password] = process.argv;
  const api = await signIn(url, user, password);
  const room = (await api.raw.user.worldStartRoom()).room[0];
  const time = async () => (await api.raw.game.time()).time;
  const waitTicks = async (n) => {
    const start = await time();
    for (let i = 0; i < 500 && (await time()) < start + n; i++) await sleep(20);
  };
  const objects = async () => (await api.raw.game.roomObjects(room)).objects;
  // screeps-api turns an error body into "[object Object]": refusals are read directly.
  const post = (path, body) => postRaw(url, api, path, body);
  const out = {};
  // A free plain tile away from everything: from the terrain and the room's objects.
  const terrain = (await api.raw.game.roomTerrain(room, 1)).terrain[0].terrain;
  const taken = new Set((await objects()).map((o) => o.x + ',' + o.y));
  let spot = null;
  for (let y = 10; y < 40 && !spot; y++) for (let x = 10; x < 40 && !spot; x++) {
    const near = [-1, 0, 1].some((dx) => [-1, 0, 1].some((dy) => taken.has((x + dx) + ',' + (y + dy))));
    if (terrain[y * 50 + x] === '0' && !near) spot = { x, y };
  }
  const name = (await api.raw.game.genUniqueFlagName()).name;
  out.generated = name;
  await api.raw.game.createFlag(room, spot.x, spot.y, name, 1, 3);
  await api.raw.game.createConstruction(room, spot.x + 1, spot.y, 'road');
  const spawn = (await objects()).find((o) => o.type === 'spawn');
  await api.raw.game.setNotifyWhenAttacked(spawn._id, false);
  await waitTicks(3);
  out.flagTaken = await post('/api/game/check-unique-flag-name', { name });
  out.nextName = (await api.raw.game.genUniqueFlagName()).name;
  const site = (await objects()).find((o) => o.type === 'constructionSite');
  out.site = site && { x: site.x - spot.x, y: site.y - spot.y, structureType: site.structureType };
  out.spawnNotify = (await objects()).find((o) => o._id === spawn._id).notifyWhenAttacked;
  // screeps-api's addObjectIntent leaves out `_id`: the client's own request.
  await api.req('POST', '/api/game/add-object-intent', { _id: site._id, room, name: 'removeConstructionSite', intent: {} });
  await api.raw.game.removeFlag(room, name);
  await waitTicks(3);
  out.siteLeft = (await objects()).some((o) => o.type === 'constructionSite');
  out.flagFree = await post('/api/game/check-unique-flag-name', { name });
  out.badIntent = await post('/api/game/add-object-intent', { _id: spawn._id, room, name: 'selfDestruct', intent: {} });
  out.badSite = await post('/api/game/create-construction', { room, x: 60, y: 1, structureType: 'road' });
  // An invader summoned to test the room's defence, seen in the room, then removed.
  const busy = new Set((await objects()).map((o) => o.x + ',' + o.y));
  let lair = null;
  for (let y = 40; y > 10 && !lair; y--) for (let x = 40; x > 10 && !lair; x--) {
    if (terrain[y * 50 + x] === '0' && !busy.has(x + ',' + y)) lair = { x, y };
  }
  await api.raw.game.createInvader(room, lair.x, lair.y, 'small', 'Melee', true);
  const invader = (await objects()).find((o) => o.type === 'creep' && o.user === '2');
  // It may have stepped since it appeared.
  out.invader = invader && { near: Math.max(Math.abs(invader.x - lair.x), Math.abs(invader.y - lair.y)) <= 3, parts: invader.body.length, boosted: invader.body.filter((p) => p.boost).length };
  out.badInvader = await post('/api/game/create-invader', { room, x: lair.x, y: lair.y, size: 'huge', type: 'Melee' });
  await api.raw.game.removeInvader(invader._id);
  out.invaderLeft = (await objects()).some((o) => o.user === '2');
  out.removeAgain = await post('/api/game/remove-invader', { _id: invader._id });
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
