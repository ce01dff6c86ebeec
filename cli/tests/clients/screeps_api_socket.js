// The real `screeps-api` client's socket against a running shard, as multimeter uses it:
// subscribe to your console (a bot's console.log and a console command's result arrive),
// your CPU, a Memory path, your room (its objects, then diffs) and its world-map view
// (roomMap2); another player's console is never delivered.
// Usage: node screeps_api_socket.js URL USER PASSWORD OTHER_ID   (NODE_PATH: node_modules)
'use strict';
const { signIn } = require('./screeps_client');

(async () => {
  const [, , url, user, password, otherId] = process.argv;
  const api = await signIn(url, user, password);
  const me = await api.me();
  const room = (await api.raw.user.worldStartRoom()).room[0];
  const seen = { log: [], results: [], cpu: null, memory: null, roomObjects: {}, roomMessages: 0, foreign: 0, greeting: [] };
  api.socket.on('protocol', (e) => seen.greeting.push('protocol ' + e.data.protocol));
  await api.socket.connect();
  await api.socket.subscribe('console', (e) => {
    seen.log.push(...(e.data.messages.log || []));
    seen.results.push(...(e.data.messages.results || []));
  });
  await api.socket.subscribe('cpu', (e) => { seen.cpu = e.data; });
  await api.socket.subscribe('resources', (e) => { seen.resources = e.data; });
  await api.socket.subscribe('set-active-branch', (e) => { seen.branch = e.data; });
  await api.socket.subscribe('memory/stats.tick', (e) => { seen.memory = e.data; });
  await api.socket.subscribe(`room:${room}`, (e) => {
    seen.roomMessages++;
    for (const [id, o] of Object.entries(e.data.objects)) {
      if (o === null) delete seen.roomObjects[id];
      else seen.roomObjects[id] = Object.assign(seen.roomObjects[id] || {}, o);
    }
    if (e.data.users) seen.users = Object.assign(seen.users || {}, e.data.users);
    if (e.data.flags) seen.flags = e.data.flags;
  });
  await api.socket.subscribe(`user:${otherId}/console`, () => { seen.foreign++; });
  await api.socket.subscribe(`roomMap2:${room}`, (e) => { seen.map = e.data; });
  await new Promise((r) => setTimeout(r, 300));
  await api.console('"answer " + (6 * 7)');
  await api.raw.user.cloneBranch('default', 'live');
  await api.raw.user.setActiveBranch('live', 'activeWorld');
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && !(seen.flags && seen.map && seen.results.length && seen.log.length && seen.memory && seen.roomMessages > 2 && seen.resources && seen.branch)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  api.socket.disconnect();
  const objects = Object.values(seen.roomObjects);
  const spawn = objects.find((o) => o.type === 'spawn');
  console.log(JSON.stringify({
    id: me._id, greeting: seen.greeting, log: seen.log.slice(0, 3), results: seen.results,
    cpu: seen.cpu, memory: seen.memory, roomMessages: seen.roomMessages,
    spawn: spawn && { user: spawn.user, x: spawn.x, store: spawn.store },
    users: seen.users, foreign: seen.foreign, resources: seen.resources, branch: seen.branch,
    flags: seen.flags,
    map: seen.map && { own: (seen.map[me._id] || []).length, sources: seen.map.s.length, controllers: seen.map.c.length },
  }));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
