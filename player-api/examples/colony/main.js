// A colony bot written as for the real game: it mines with static miners and haulers, builds
// every structure its controller level allows (extensions, towers, storage, containers, roads,
// links from RCL 5), defends with towers and safe mode, and claims a neighbouring room as soon
// as the global control level allows one more room. No server-specific code: the same
// modules run on Screeps.
const planner = require('planner');
const spawning = require('spawning');
const roles = require('roles');
const defence = require('defence');
const expansion = require('expansion');
const intel = require('intel');

module.exports.loop = function () {
  for (const name in Memory.creeps) {
    if (!Game.creeps[name]) delete Memory.creeps[name];
  }
  const owned = [];
  for (const name in Game.rooms) {
    const room = Game.rooms[name];
    if (room.controller && room.controller.my) owned.push(room);
  }
  owned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  intel.refresh();
  for (const room of owned) {
    if (!room.memory.plannedAt || Game.time - room.memory.plannedAt >= 25) {
      planner.plan(room);
      room.memory.plannedAt = Game.time;
    }
    defence.run(room);
    defence.runLinks(room);
  }
  expansion.run(owned);
  for (const room of owned) spawning.run(room, owned);
  for (const name in Game.creeps) {
    const creep = Game.creeps[name];
    if (!creep.spawning) roles.run(creep);
  }
  if (Game.time % 500 === 0) {
    const roles = {};
    for (const name in Game.creeps) {
      const role = Game.creeps[name].memory.role;
      roles[role] = (roles[role] || 0) + 1;
    }
    const report = owned.map((r) => r.name + ' RCL' + r.controller.level + ' ' +
      r.energyAvailable + '/' + r.energyCapacityAvailable + ' sites ' + r.find(FIND_MY_CONSTRUCTION_SITES).length +
      ' structures ' + r.find(FIND_STRUCTURES).length +
      (r.storage ? ' stored ' + r.storage.store[RESOURCE_ENERGY] : ''));
    console.log('tick ' + Game.time + ' GCL ' + Game.gcl.level + ' creeps ' +
      JSON.stringify(roles) + ' | ' + report.join(' | '));
  }
};
