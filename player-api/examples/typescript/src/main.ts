import { ColonyCreepMemory, Role, runBuilder, runHarvester, runUpgrader } from "./roles";

const WANTED: Record<Role, number> = { harvester: 3, upgrader: 2, builder: 1 };
const RUN: Record<Role, (creep: Creep) => void> = {
  harvester: runHarvester,
  upgrader: runUpgrader,
  builder: runBuilder,
};

function spawnWhatIsMissing(spawn: StructureSpawn): void {
  if (spawn.spawning) return;
  const counts: Record<Role, number> = { harvester: 0, upgrader: 0, builder: 0 };
  for (const name in Game.creeps) {
    counts[(Game.creeps[name].memory as unknown as ColonyCreepMemory).role] += 1;
  }
  const role = (Object.keys(WANTED) as Role[]).find((r) => counts[r] < WANTED[r]);
  if (!role) return;
  const memory: ColonyCreepMemory = { role, working: false };
  spawn.spawnCreep([WORK, CARRY, MOVE, MOVE], `${role}-${Game.time}`, {
    memory: memory as unknown as CreepMemory,
  });
}

export function loop(): void {
  for (const name in Memory.creeps) {
    if (!(name in Game.creeps)) delete Memory.creeps[name];
  }
  for (const name in Game.spawns) spawnWhatIsMissing(Game.spawns[name]);
  for (const name in Game.creeps) {
    const creep = Game.creeps[name];
    if (creep.spawning) continue;
    RUN[(creep.memory as unknown as ColonyCreepMemory).role](creep);
  }
  Memory.stats = { time: Game.time, creeps: Object.keys(Game.creeps).length, cpu: Game.cpu.getUsed() };
}

declare global {
  interface Memory {
    stats: { time: number; creeps: number; cpu: number };
  }
}
