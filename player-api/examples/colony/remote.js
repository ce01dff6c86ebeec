// Mining the neighbours: a miner per source drops energy there, haulers bring it home, and
// (once the spawn affords two CLAIM parts) a reserver doubles the sources' energy.
const { body, travel } = require('util');
const intel = require('intel');

function remoteSources(home, username) {
  const out = [];
  for (const r of intel.remoteRooms(home.name, username).slice(0, 2)) {
    if (!intel.safe(r)) continue;
    for (const s of Memory.intel[r].sources) out.push({ room: r, id: s.id, x: s.x, y: s.y });
  }
  return out;
}

// The next creep `home` sends out for remote mining, as [body, role, memory], or null.
function nextCreep(home, creepsOf, username) {
  const cap = home.energyCapacityAvailable;
  // From level 2's five extensions (a remote miner then harvests a free source's 5 a tick),
  // and only once the upgraders' container or the storage can take the extra energy.
  const box = home.controller.pos.findInRange(FIND_STRUCTURES, 3, { filter: (s) => s.structureType === STRUCTURE_CONTAINER })[0];
  if (cap < 550 || (!box && !home.storage)) return null;
  if (intel.unknownNeighbours(home.name).length && creepsOf('scout', home.name).length === 0) {
    return [[MOVE], 'scout', {}];
  }
  const sources = remoteSources(home, username);
  const miners = creepsOf('remoteMiner', home.name);
  for (const s of sources) {
    const on = miners.filter((m) => m.memory.source === s.id && (m.ticksToLive === undefined || m.ticksToLive > 100));
    if (on.length === 0) return [body([WORK, WORK, MOVE], Math.min(cap, 750), 3), 'remoteMiner', { room: s.room, source: s.id, x: s.x, y: s.y }];
  }
  // A hauler and a half per source, and more while energy piles up out there.
  const rooms = Array.from(new Set(sources.map((s) => s.room)));
  let lying = 0;
  for (const r of rooms) {
    if (Game.rooms[r]) for (const p of Game.rooms[r].find(FIND_DROPPED_RESOURCES)) lying += p.amount;
  }
  const n = creepsOf('remoteHauler', home.name).length;
  if (n < Math.min(12, Math.ceil(sources.length * 1.5) + Math.floor(lying / 1000))) {
    return [body([CARRY, CARRY, MOVE], Math.min(cap, 1200), 8), 'remoteHauler', { room: rooms[n % rooms.length] }];
  }
  if (cap >= 1300) {
    for (const r of rooms) {
      const reservers = creepsOf('reserver', home.name).filter((c) => c.memory.room === r);
      const room = Game.rooms[r];
      const left = room && room.controller.reservation ? room.controller.reservation.ticksToEnd : 0;
      if (reservers.length === 0 && left < 3000) return [[CLAIM, CLAIM, MOVE, MOVE], 'reserver', { room: r }];
    }
  }
  return null;
}

function scout(creep) {
  const next = intel.unknownNeighbours(creep.memory.home)[0];
  if (!next) { creep.suicide(); return; }
  travel(creep, next);
}

function remoteMiner(creep) {
  if (!intel.safe(creep.memory.room)) { travel(creep, creep.memory.home); return; }
  const at = new RoomPosition(creep.memory.x, creep.memory.y, creep.memory.room);
  if (creep.room.name !== creep.memory.room || !creep.pos.isNearTo(at)) {
    creep.moveTo(at, { range: 1, reusePath: 20 });
    return;
  }
  const source = Game.getObjectById(creep.memory.source);
  if (source) creep.harvest(source);
}

function remoteHauler(creep) {
  if (creep.memory.working && creep.store[RESOURCE_ENERGY] === 0) creep.memory.working = false;
  if (!creep.memory.working && (creep.store.getFreeCapacity() === 0 || !intel.safe(creep.memory.room))) creep.memory.working = true;
  if (creep.memory.working) {
    if (travel(creep, creep.memory.home)) return;
    const room = creep.room;
    const sink = (room.storage && room.storage.store.getFreeCapacity() > 0 ? room.storage : null) ||
      creep.pos.findClosestByRange(FIND_MY_STRUCTURES, {
        filter: (s) => (s.structureType === STRUCTURE_SPAWN || s.structureType === STRUCTURE_EXTENSION || s.structureType === STRUCTURE_TOWER) &&
          s.store.getFreeCapacity(RESOURCE_ENERGY) > 0,
      }) ||
      creep.pos.findClosestByRange(FIND_STRUCTURES, {
        filter: (s) => s.structureType === STRUCTURE_CONTAINER && s.pos.inRangeTo(room.controller, 3) && s.store.getFreeCapacity() > 0,
      });
    if (sink) {
      if (creep.transfer(sink, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(sink, { reusePath: 10 });
    } else {
      creep.drop(RESOURCE_ENERGY);
    }
    return;
  }
  if (travel(creep, creep.memory.room)) return;
  const pile = creep.pos.findClosestByRange(FIND_DROPPED_RESOURCES, { filter: (r) => r.resourceType === RESOURCE_ENERGY && r.amount >= 50 });
  if (pile) {
    if (creep.pickup(pile) === ERR_NOT_IN_RANGE) creep.moveTo(pile, { reusePath: 10 });
  } else if (creep.store[RESOURCE_ENERGY] > creep.store.getCapacity() / 2) {
    creep.memory.working = true;
  }
}

function reserver(creep) {
  if (travel(creep, creep.memory.room)) return;
  const ctl = creep.room.controller;
  if (!ctl) return;
  if (creep.reserveController(ctl) === ERR_NOT_IN_RANGE) creep.moveTo(ctl, { reusePath: 20 });
}

module.exports = { nextCreep, roles: { scout, remoteMiner, remoteHauler, reserver } };
