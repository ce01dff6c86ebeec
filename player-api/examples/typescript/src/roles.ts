// The three jobs of a young colony, typed against @types/screeps.

export type Role = "harvester" | "upgrader" | "builder";

export interface ColonyCreepMemory {
  role: Role;
  working: boolean;
}

function memoryOf(creep: Creep): ColonyCreepMemory {
  return creep.memory as unknown as ColonyCreepMemory;
}

/** Harvest until full, then work until empty. */
function toggleWork(creep: Creep): boolean {
  const m = memoryOf(creep);
  if (m.working && creep.store.getUsedCapacity(RESOURCE_ENERGY) === 0) m.working = false;
  if (!m.working && creep.store.getFreeCapacity(RESOURCE_ENERGY) === 0) m.working = true;
  return m.working;
}

function harvest(creep: Creep): void {
  const source = creep.pos.findClosestByPath(FIND_SOURCES_ACTIVE);
  if (source && creep.harvest(source) === ERR_NOT_IN_RANGE) {
    creep.moveTo(source, { reusePath: 10 });
  }
}

export function runHarvester(creep: Creep): void {
  if (!toggleWork(creep)) return harvest(creep);
  const target = creep.pos.findClosestByPath(FIND_MY_STRUCTURES, {
    filter: (s: AnyOwnedStructure) =>
      (s.structureType === STRUCTURE_SPAWN || s.structureType === STRUCTURE_EXTENSION) &&
      s.store.getFreeCapacity(RESOURCE_ENERGY) > 0,
  });
  if (target) {
    if (creep.transfer(target, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(target);
  } else {
    runUpgrader(creep);
  }
}

export function runUpgrader(creep: Creep): void {
  if (!toggleWork(creep)) return harvest(creep);
  const controller = creep.room.controller;
  if (controller && creep.upgradeController(controller) === ERR_NOT_IN_RANGE) {
    creep.moveTo(controller, { range: 3 });
  }
}

export function runBuilder(creep: Creep): void {
  if (!toggleWork(creep)) return harvest(creep);
  const site = creep.pos.findClosestByRange(FIND_MY_CONSTRUCTION_SITES);
  if (!site) return runUpgrader(creep);
  if (creep.build(site) === ERR_NOT_IN_RANGE) creep.moveTo(site, { range: 3 });
}
