// Generalist colony: harvesters fill the spawn, builders build, upgraders upgrade.
const roles = require('roles');

function bodyFor(energy) {
  if (energy >= 550) return [WORK, WORK, WORK, CARRY, CARRY, MOVE, MOVE, MOVE];
  if (energy >= 400) return [WORK, WORK, CARRY, CARRY, MOVE, MOVE];
  return [WORK, CARRY, MOVE];
}

function planExtensions(spawn) {
  const room = spawn.room;
  if (!room.controller || room.controller.level < 2) return;
  if (room.find(FIND_MY_CONSTRUCTION_SITES).length > 0) return;
  const terrain = room.getTerrain();
  for (let r = 2; r < 6; r++) {
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r || (dx + dy) % 2 !== 0) continue;
        const x = spawn.pos.x + dx, y = spawn.pos.y + dy;
        if (x < 2 || y < 2 || x > 47 || y > 47 || terrain.get(x, y) === TERRAIN_MASK_WALL) continue;
        if (room.lookAt(x, y).length > 1) continue;
        const code = room.createConstructionSite(x, y, STRUCTURE_EXTENSION);
        if (code === OK || code === ERR_RCL_NOT_ENOUGH) return;
      }
    }
  }
}

module.exports.loop = function () {
  for (const name in Memory.creeps) {
    if (!Game.creeps[name]) delete Memory.creeps[name];
  }
  const spawn = Game.spawns['Spawn1'];
  const creeps = Object.keys(Game.creeps).map((n) => Game.creeps[n]);
  const count = (role) => creeps.filter((c) => c.memory.role === role).length;
  if (spawn && !spawn.spawning) {
    const sites = spawn.room.find(FIND_MY_CONSTRUCTION_SITES).length;
    let role = null;
    if (count('harvester') < 3) role = 'harvester';
    else if (count('upgrader') < 3) role = 'upgrader';
    else if (sites > 0 && count('builder') < 2) role = 'builder';
    if (role) {
      const energy = count('harvester') === 0 ? spawn.room.energyAvailable : spawn.room.energyCapacityAvailable;
      spawn.spawnCreep(bodyFor(energy), role + Game.time, { memory: { role } });
    }
    if (Game.time % 50 === 0) planExtensions(spawn);
  }
  for (const creep of creeps) {
    const run = roles[creep.memory.role];
    if (run && !creep.spawning) run(creep);
  }
  if (Game.time % 500 === 0) {
    const ctl = spawn && spawn.room.controller;
    console.log(`tick ${Game.time}: ${creeps.length} creeps, RCL ${ctl ? ctl.level : '?'} (${ctl ? ctl.progress : 0})`);
  }
};
