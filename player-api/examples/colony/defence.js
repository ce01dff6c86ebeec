// Towers shoot, heal and repair; safe mode is the last resort when a spawn is under attack
// and no tower can answer; links send the sources' energy to the storage.

function dangerous(c) {
  return c.getActiveBodyparts(ATTACK) + c.getActiveBodyparts(RANGED_ATTACK) + c.getActiveBodyparts(WORK) +
    c.getActiveBodyparts(HEAL) + c.getActiveBodyparts(CLAIM) > 0;
}

function run(room) {
  const hostiles = room.find(FIND_HOSTILE_CREEPS).filter(dangerous);
  const towers = room.find(FIND_MY_STRUCTURES, { filter: (s) => s.structureType === STRUCTURE_TOWER });
  for (const tower of towers) {
    if (hostiles.length) {
      // Healers first: a raid's healers undo a tower's damage on everything else.
      const healer = hostiles.filter((c) => c.getActiveBodyparts(HEAL) > 0);
      const pool = healer.length ? healer : hostiles;
      tower.attack(tower.pos.findClosestByRange(pool));
      continue;
    }
    const hurt = tower.pos.findClosestByRange(FIND_MY_CREEPS, { filter: (c) => c.hits < c.hitsMax });
    if (hurt) { tower.heal(hurt); continue; }
    if (tower.store[RESOURCE_ENERGY] > 600) {
      const broken = tower.pos.findClosestByRange(FIND_STRUCTURES, {
        filter: (s) => s.hits < s.hitsMax * 0.6 && s.structureType !== STRUCTURE_WALL && s.structureType !== STRUCTURE_RAMPART,
      });
      if (broken) tower.repair(broken);
    }
  }
  if (!hostiles.length || !room.controller.safeModeAvailable || room.controller.safeModeCooldown) return;
  // One room at a time may be in safe mode (ERR_BUSY otherwise).
  for (const name in Game.rooms) {
    const ctl = Game.rooms[name].controller;
    if (ctl && ctl.my && ctl.safeMode) return;
  }
  const armed = towers.some((t) => t.store[RESOURCE_ENERGY] >= 10);
  const threatened = room.find(FIND_MY_SPAWNS).some((s) => s.hits < s.hitsMax || s.pos.findInRange(hostiles, 3).length);
  if (threatened && !armed) {
    const code = room.controller.activateSafeMode();
    console.log(room.name + ': safe mode against ' + hostiles.map((h) => h.owner.username).join(',') + ' -> ' + code);
  }
}

function runLinks(room) {
  if (!room.storage) return;
  const links = room.find(FIND_MY_STRUCTURES, { filter: (s) => s.structureType === STRUCTURE_LINK });
  const hub = links.find((l) => l.pos.inRangeTo(room.storage, 2));
  if (!hub) return;
  for (const link of links) {
    if (link === hub || link.cooldown || link.store[RESOURCE_ENERGY] < 400) continue;
    if (hub.store.getFreeCapacity(RESOURCE_ENERGY) >= 400) link.transferEnergy(hub);
  }
  // The hub's energy goes into the storage through whichever hauler passes; a full hub is
  // emptied by the nearest one.
  if (hub.store[RESOURCE_ENERGY] >= 400) room.memory.emptyHub = hub.id;
  else delete room.memory.emptyHub;
}

module.exports = { run, runLinks };
