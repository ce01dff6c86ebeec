// Static mining: one miner per source drops energy on the ground, haulers carry it to the
// spawn, upgraders draw from the spawn when it is full.
module.exports.loop = function () {
  for (const name in Memory.creeps) {
    if (!Game.creeps[name]) delete Memory.creeps[name];
  }
  const spawn = Game.spawns['Spawn1'];
  if (!spawn) return;
  const room = spawn.room;
  const sources = room.find(FIND_SOURCES);
  const mine = room.find(FIND_MY_CREEPS);
  const byRole = {};
  for (const c of mine) (byRole[c.memory.role] = byRole[c.memory.role] || []).push(c);
  const n = (r) => (byRole[r] || []).length;

  if (!spawn.spawning) {
    const taken = (byRole.miner || []).map((c) => c.memory.source);
    const free = sources.find((s) => taken.indexOf(s.id) < 0);
    if (n('hauler') < 1) spawn.spawnCreep([CARRY, CARRY, MOVE, MOVE], 'h' + Game.time, { memory: { role: 'hauler' } });
    else if (free) spawn.spawnCreep([WORK, WORK, MOVE], 'm' + Game.time, { memory: { role: 'miner', source: free.id } });
    else if (n('hauler') < 2) spawn.spawnCreep([CARRY, CARRY, MOVE, MOVE], 'h' + Game.time, { memory: { role: 'hauler' } });
    else if (n('upgrader') < 4) spawn.spawnCreep([WORK, CARRY, CARRY, MOVE], 'u' + Game.time, { memory: { role: 'upgrader' } });
  }

  for (const creep of mine) {
    if (creep.spawning) continue;
    const role = creep.memory.role;
    if (role === 'miner') {
      const source = Game.getObjectById(creep.memory.source);
      if (source && creep.harvest(source) === ERR_NOT_IN_RANGE) creep.moveTo(source);
    } else if (role === 'hauler') {
      if (creep.store.getFreeCapacity() > 0 && !creep.memory.delivering) {
        const pile = creep.pos.findClosestByRange(FIND_DROPPED_RESOURCES);
        if (pile) {
          if (creep.pickup(pile) === ERR_NOT_IN_RANGE) creep.moveTo(pile);
        } else if (creep.store.energy > 0) {
          creep.memory.delivering = true;
        }
      } else {
        creep.memory.delivering = creep.store.energy > 0;
        const sink = spawn.store.getFreeCapacity(RESOURCE_ENERGY) > 0 ? spawn : null;
        if (sink) {
          if (creep.transfer(sink, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(sink);
        } else {
          const up = creep.pos.findClosestByRange(FIND_MY_CREEPS, { filter: (c) => c.memory.role === 'upgrader' && c.store.getFreeCapacity() > 0 });
          if (up && creep.transfer(up, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(up);
        }
      }
    } else if (role === 'upgrader') {
      if (creep.store.energy === 0 && spawn.store.energy >= 250 && n('miner') >= sources.length) {
        if (creep.withdraw(spawn, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(spawn);
      } else if (creep.store.energy > 0) {
        if (creep.upgradeController(room.controller) === ERR_NOT_IN_RANGE) creep.moveTo(room.controller, { range: 3 });
      } else {
        const pile = creep.pos.findClosestByRange(FIND_DROPPED_RESOURCES);
        if (pile && creep.pickup(pile) === ERR_NOT_IN_RANGE) creep.moveTo(pile);
      }
    }
  }
};
