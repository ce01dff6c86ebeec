// What each room's spawns make next, most urgent first.
const { body, isControllerContainer } = require('util');
const remote = require('remote');

function creepsOf(role, roomName) {
  const out = [];
  for (const name in Game.creeps) {
    const c = Game.creeps[name];
    if (c.memory.role === role && c.memory.home === roomName) out.push(c);
  }
  return out;
}

// Whether `source` needs another miner: five WORK parts empty a source as fast as it
// regenerates; small early miners share it, as many as there are tiles beside it.
function minersWanted(source, miners) {
  const on = miners.filter((m) => m.memory.source === source.id && (m.ticksToLive === undefined || m.ticksToLive > 60));
  const work = on.reduce((n, m) => n + m.getActiveBodyparts(WORK), 0);
  if (work >= 5) return false;
  const terrain = source.room.getTerrain();
  let spots = 0;
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
    if ((dx || dy) && terrain.get(source.pos.x + dx, source.pos.y + dy) !== TERRAIN_MASK_WALL) spots++;
  }
  return on.length < Math.min(3, spots);
}

// Upgraders that walk for their energy carry as much as they work; beside the upgraders'
// container they only walk there once, so they are nearly all WORK.
function upgraderBody(cap, box) {
  if (!box) return body([WORK, WORK, CARRY, MOVE], Math.min(cap, 1500), 5);
  return body([WORK], Math.min(cap, 1650), 12, [CARRY, MOVE, MOVE]);
}

// The next creep `room` needs, as [body, role, extra memory], or null.
function nextCreep(room) {
  const cap = room.energyCapacityAvailable;
  const sources = room.find(FIND_SOURCES);
  const miners = creepsOf('miner', room.name);
  const haulers = creepsOf('hauler', room.name);
  const upgraders = creepsOf('upgrader', room.name);
  const builders = creepsOf('builder', room.name);
  const defenders = creepsOf('defender', room.name);
  const hostiles = room.find(FIND_HOSTILE_CREEPS).filter((c) => c.getActiveBodyparts(ATTACK) + c.getActiveBodyparts(RANGED_ATTACK) + c.getActiveBodyparts(HEAL) > 0);
  const towers = room.find(FIND_MY_STRUCTURES, { filter: (s) => s.structureType === STRUCTURE_TOWER && s.store[RESOURCE_ENERGY] >= 10 });

  // Starting over (or after a wipe): one cheap creep that harvests and fills the spawn.
  if (miners.length === 0 && haulers.length === 0) {
    return [body([WORK, CARRY, MOVE], Math.max(room.energyAvailable, 200), 4), 'hauler', { harvests: true }];
  }
  const minerBody = body([WORK, WORK, MOVE], Math.min(cap, 800), 3, []);
  const unmined = sources.find((s) => !miners.some((m) => m.memory.source === s.id));
  if (unmined) return [minerBody, 'miner', { source: unmined.id }];
  // With no hauler left nobody fills the extensions: size the first one to what is there.
  if (haulers.length < 2) return [body([CARRY, CARRY, MOVE], Math.min(cap, Math.max(300, room.energyAvailable)), 6), 'hauler', {}];
  // Level 2 first: it is only 200 points away and brings the extensions.
  if (room.controller.level === 1 && upgraders.length < 2) {
    return [body([WORK, WORK, CARRY, MOVE], Math.min(cap, 1500), 5), 'upgrader', {}];
  }
  const free = sources.find((s) => minersWanted(s, miners));
  if (free) return [minerBody, 'miner', { source: free.id }];
  // Energy waiting to be carried: on the ground (where it decays) and in containers.
  let waiting = 0;
  for (const r of room.find(FIND_DROPPED_RESOURCES)) if (r.resourceType === RESOURCE_ENERGY) waiting += r.amount;
  let box = null;
  for (const s of room.find(FIND_STRUCTURES)) {
    if (isControllerContainer(s)) box = s;
    else if (s.structureType === STRUCTURE_CONTAINER) waiting += s.store[RESOURCE_ENERGY];
  }
  const haulersWanted = Math.min(7, 2 + Math.floor(waiting / 800));
  if (haulers.length < haulersWanted) return [body([CARRY, CARRY, MOVE], Math.min(cap, 900), 6), 'hauler', {}];
  if (hostiles.length && towers.length === 0 && defenders.length < 2 + hostiles.length) {
    return [body([TOUGH, ATTACK, MOVE, MOVE], cap, 6), 'defender', {}];
  }
  const sites = room.find(FIND_MY_CONSTRUCTION_SITES).length;
  if (room.controller.level === 1 && upgraders.length < 3) {
    return [body([WORK, WORK, CARRY, MOVE], Math.min(cap, 1500), 5), 'upgrader', {}];
  }
  if (sites > 0 && builders.length < (sites > 4 ? 3 : 2)) {
    return [body([WORK, CARRY, MOVE, MOVE], Math.min(cap, 1250), 5), 'builder', {}];
  }
  const stored = room.storage ? room.storage.store[RESOURCE_ENERGY] : 0;
  if (upgraders.length < 2) return [upgraderBody(cap, box), 'upgrader', {}];
  const away = remote.nextCreep(room, creepsOf, room.controller.owner.username);
  if (away) return away;
  // As many upgraders as the energy keeps busy: what the storage holds, what waits in the
  // upgraders' container, or (before either) what lies around.
  let upgraderCount = Math.min(8, 3 + Math.floor(waiting / 1000));
  if (box) upgraderCount = Math.min(7, 2 + Math.floor((box.store[RESOURCE_ENERGY] + waiting) / 500));
  if (room.storage) upgraderCount = Math.min(7, upgraderCount + Math.floor(stored / 20000));
  // Building comes first: the upgraders would drink the energy the builders need.
  if (sites > 0) upgraderCount = Math.min(upgraderCount, 3);
  if (upgraders.length < upgraderCount) {
    return [upgraderBody(cap, box), 'upgrader', {}];
  }
  if (!sites && builders.length < 1 && room.controller.level >= 3) {
    return [body([WORK, CARRY, MOVE, MOVE], Math.min(cap, 750), 3), 'builder', {}];
  }
  return null;
}

// What the room sends elsewhere: a claimer, then pioneers that build the new room's spawn.
function outboundCreep(room, owned) {
  const plan = Memory.expansion;
  if (!plan || plan.home !== room.name) return null;
  if (plan.state === 'claim' && creepsOf('claimer', room.name).length === 0 && room.energyCapacityAvailable >= 650) {
    return [[CLAIM, MOVE], 'claimer', {}];
  }
  if (plan.state === 'build' && creepsOf('pioneer', room.name).length < 3) {
    return [body([WORK, CARRY, MOVE, MOVE], Math.min(room.energyCapacityAvailable, 1000), 4), 'pioneer', { target: plan.target }];
  }
  return null;
}

function run(room, owned) {
  const spawn = room.find(FIND_MY_SPAWNS).find((s) => !s.spawning);
  if (!spawn) return;
  const order = nextCreep(room) || outboundCreep(room, owned);
  if (!order) return;
  const [parts, role, extra] = order;
  if (!parts.length) return;
  const memory = Object.assign({ role, home: room.name }, extra);
  const name = role + Game.time.toString(36) + room.name;
  spawn.spawnCreep(parts, name, { memory });
}

module.exports = { run };
