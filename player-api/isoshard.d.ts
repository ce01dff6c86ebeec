// TypeScript declarations for the isoshard player API (a Screeps-compatible subset).
// Use with `/// <reference path="isoshard.d.ts" />` or copy into your project.

type ScreepsReturnCode = 0 | -1 | -2 | -3 | -4 | -5 | -6 | -7 | -8 | -9 | -10 | -11 | -12 | -14 | -15;
type DirectionConstant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
type BodyPartConstant = 'move' | 'work' | 'carry' | 'attack' | 'ranged_attack' | 'tough' | 'heal' | 'claim';
type ResourceConstant = 'energy' | 'power' | 'H' | 'O' | 'U' | 'L' | 'K' | 'Z' | 'X' | 'G';
type BuildableStructureConstant = 'spawn' | 'extension' | 'road' | 'constructedWall' | 'container' | 'tower' | 'storage';
type StructureConstant = BuildableStructureConstant | 'controller';
type FindConstant = number;
type FilterOptions<T> = { filter?: ((o: T) => boolean) | Partial<T> | string };

declare const OK: 0;
declare const ERR_NOT_OWNER: -1; declare const ERR_NO_PATH: -2; declare const ERR_NAME_EXISTS: -3;
declare const ERR_BUSY: -4; declare const ERR_NOT_FOUND: -5; declare const ERR_NOT_ENOUGH_ENERGY: -6;
declare const ERR_NOT_ENOUGH_RESOURCES: -6; declare const ERR_INVALID_TARGET: -7; declare const ERR_FULL: -8;
declare const ERR_NOT_IN_RANGE: -9; declare const ERR_INVALID_ARGS: -10; declare const ERR_TIRED: -11;
declare const ERR_NO_BODYPART: -12; declare const ERR_RCL_NOT_ENOUGH: -14; declare const ERR_GCL_NOT_ENOUGH: -15;
declare const FIND_EXIT_TOP: 1; declare const FIND_EXIT_RIGHT: 3; declare const FIND_EXIT_BOTTOM: 5;
declare const FIND_EXIT_LEFT: 7; declare const FIND_EXIT: 10; declare const FIND_CREEPS: 101;
declare const FIND_MY_CREEPS: 102; declare const FIND_HOSTILE_CREEPS: 103; declare const FIND_SOURCES_ACTIVE: 104;
declare const FIND_SOURCES: 105; declare const FIND_DROPPED_RESOURCES: 106; declare const FIND_STRUCTURES: 107;
declare const FIND_MY_STRUCTURES: 108; declare const FIND_HOSTILE_STRUCTURES: 109; declare const FIND_FLAGS: 110;
declare const FIND_CONSTRUCTION_SITES: 111; declare const FIND_MY_SPAWNS: 112; declare const FIND_HOSTILE_SPAWNS: 113;
declare const FIND_MY_CONSTRUCTION_SITES: 114; declare const FIND_HOSTILE_CONSTRUCTION_SITES: 115;
declare const FIND_MINERALS: 116; declare const FIND_TOMBSTONES: 118;
declare const TOP: 1; declare const TOP_RIGHT: 2; declare const RIGHT: 3; declare const BOTTOM_RIGHT: 4;
declare const BOTTOM: 5; declare const BOTTOM_LEFT: 6; declare const LEFT: 7; declare const TOP_LEFT: 8;
declare const MOVE: 'move'; declare const WORK: 'work'; declare const CARRY: 'carry'; declare const ATTACK: 'attack';
declare const RANGED_ATTACK: 'ranged_attack'; declare const TOUGH: 'tough'; declare const HEAL: 'heal';
declare const CLAIM: 'claim';
declare const RESOURCE_ENERGY: 'energy';
declare const STRUCTURE_SPAWN: 'spawn'; declare const STRUCTURE_EXTENSION: 'extension'; declare const STRUCTURE_ROAD: 'road';
declare const STRUCTURE_WALL: 'constructedWall'; declare const STRUCTURE_CONTROLLER: 'controller';
declare const STRUCTURE_STORAGE: 'storage'; declare const STRUCTURE_TOWER: 'tower'; declare const STRUCTURE_CONTAINER: 'container';
declare const LOOK_CREEPS: 'creep'; declare const LOOK_STRUCTURES: 'structure'; declare const LOOK_TERRAIN: 'terrain';
declare const LOOK_SOURCES: 'source'; declare const LOOK_RESOURCES: 'resource'; declare const LOOK_CONSTRUCTION_SITES: 'constructionSite';
declare const BODYPART_COST: Record<BodyPartConstant, number>;
declare const CONTROLLER_LEVELS: Record<number, number>;
declare const CONTROLLER_STRUCTURES: Record<string, Record<number, number>>;
declare const CONSTRUCTION_COST: Record<string, number>;
declare const CARRY_CAPACITY: 50; declare const CREEP_LIFE_TIME: 1500; declare const MAX_CREEP_SIZE: 50;

interface Store {
  energy: number;
  getCapacity(resource?: ResourceConstant): number | null;
  getUsedCapacity(resource?: ResourceConstant): number;
  getFreeCapacity(resource?: ResourceConstant): number;
}

declare class RoomPosition {
  constructor(x: number, y: number, roomName: string);
  x: number; y: number; roomName: string;
  isEqualTo(target: RoomPosition | { pos: RoomPosition }): boolean;
  isEqualTo(x: number, y: number): boolean;
  isNearTo(target: RoomPosition | { pos: RoomPosition }): boolean;
  inRangeTo(target: RoomPosition | { pos: RoomPosition }, range: number): boolean;
  getRangeTo(target: RoomPosition | { pos: RoomPosition }): number;
  getDirectionTo(target: RoomPosition | { pos: RoomPosition }): DirectionConstant;
  findClosestByRange<T extends RoomObject>(type: FindConstant | T[], opts?: FilterOptions<T>): T | null;
  findClosestByPath<T extends RoomObject>(type: FindConstant | T[], opts?: FilterOptions<T>): T | null;
  findInRange<T extends RoomObject>(type: FindConstant | T[], range: number, opts?: FilterOptions<T>): T[];
  findPathTo(target: RoomPosition | { pos: RoomPosition }, opts?: { range?: number; ignoreCreeps?: boolean }): PathStep[];
  lookFor<T = unknown>(type: string): T[];
  createConstructionSite(type: BuildableStructureConstant): ScreepsReturnCode;
}
interface PathStep { x: number; y: number; dx: number; dy: number; direction: DirectionConstant; }

declare class RoomObject { id: string; pos: RoomPosition; readonly room: Room | undefined; }
declare class Structure extends RoomObject { structureType: StructureConstant; hits: number; hitsMax: number; isActive(): boolean; }
declare class OwnedStructure extends Structure { my: boolean; owner: { username: string } | undefined; }
declare class StructureSpawn extends OwnedStructure {
  name: string; energy: number; energyCapacity: number; store: Store; memory: any;
  spawning: { name: string; needTime: number; remainingTime: number } | null;
  spawnCreep(body: BodyPartConstant[], name: string, opts?: { memory?: any; dryRun?: boolean }): ScreepsReturnCode;
  /** @deprecated */ createCreep(body: BodyPartConstant[], name?: string, memory?: any): string | ScreepsReturnCode;
}
declare class StructureExtension extends OwnedStructure { energy: number; energyCapacity: number; store: Store; }
declare class StructureController extends OwnedStructure { level: number; progress: number; progressTotal: number; ticksToDowngrade: number; }
declare class StructureTower extends OwnedStructure {
  energy: number; energyCapacity: number; store: Store;
  attack(target: Creep | Structure): ScreepsReturnCode; heal(target: Creep): ScreepsReturnCode; repair(target: Structure): ScreepsReturnCode;
}
declare class StructureStorage extends OwnedStructure { store: Store; }
declare class StructureContainer extends Structure { store: Store; ticksToDecay: number; }
declare class StructureRoad extends Structure { ticksToDecay: number; }
declare class StructureWall extends Structure {}
declare class Source extends RoomObject { energy: number; energyCapacity: number; ticksToRegeneration: number | undefined; }
declare class Mineral extends RoomObject { mineralType: string; mineralAmount: number; }
declare class ConstructionSite extends RoomObject { my: boolean; structureType: BuildableStructureConstant; progress: number; progressTotal: number; }
declare class Resource extends RoomObject { resourceType: 'energy'; amount: number; }
declare class Tombstone extends RoomObject { deathTime: number; ticksToDecay: number; store: Store; creep: { name: string }; }

declare class Creep extends RoomObject {
  name: string; my: boolean; owner: { username: string }; body: { type: BodyPartConstant; hits: number }[];
  fatigue: number; hits: number; hitsMax: number; ticksToLive: number | undefined; spawning: boolean;
  saying: string | undefined; store: Store; memory: any;
  /** @deprecated */ carry: Store; /** @deprecated */ carryCapacity: number;
  getActiveBodyparts(type: BodyPartConstant): number;
  move(direction: DirectionConstant): ScreepsReturnCode;
  moveTo(target: RoomPosition | { pos: RoomPosition }, opts?: { reusePath?: number; range?: number; ignoreCreeps?: boolean; visualizePathStyle?: object }): ScreepsReturnCode;
  moveTo(x: number, y: number, opts?: object): ScreepsReturnCode;
  moveByPath(path: PathStep[]): ScreepsReturnCode;
  harvest(target: Source | Mineral): ScreepsReturnCode;
  transfer(target: Creep | Structure, resource: ResourceConstant, amount?: number): ScreepsReturnCode;
  withdraw(target: Structure | Tombstone, resource: ResourceConstant, amount?: number): ScreepsReturnCode;
  pickup(target: Resource): ScreepsReturnCode;
  drop(resource: ResourceConstant, amount?: number): ScreepsReturnCode;
  build(target: ConstructionSite): ScreepsReturnCode;
  repair(target: Structure): ScreepsReturnCode;
  upgradeController(target: StructureController): ScreepsReturnCode;
  attack(target: Creep | Structure): ScreepsReturnCode;
  rangedAttack(target: Creep | Structure): ScreepsReturnCode;
  heal(target: Creep): ScreepsReturnCode;
  claimController(target: StructureController): ScreepsReturnCode;
  say(message: string, isPublic?: boolean): ScreepsReturnCode;
  suicide(): ScreepsReturnCode;
}

declare class Room {
  name: string; controller: StructureController | undefined; storage: StructureStorage | undefined;
  energyAvailable: number; energyCapacityAvailable: number; memory: any;
  visual: { line(...a: any[]): any; circle(...a: any[]): any; rect(...a: any[]): any; poly(...a: any[]): any; text(...a: any[]): any };
  find<T = any>(type: FindConstant, opts?: FilterOptions<T>): T[];
  findExitTo(room: string | Room): number;
  getPositionAt(x: number, y: number): RoomPosition | null;
  getTerrain(): { get(x: number, y: number): 0 | 1 | 2 };
  lookForAt<T = unknown>(type: string, x: number | RoomPosition, y?: number): T[];
  lookAt(x: number | RoomPosition, y?: number): { type: string; [k: string]: any }[];
  createConstructionSite(x: number, y: number, type: BuildableStructureConstant): ScreepsReturnCode;
  findPath(from: RoomPosition, to: RoomPosition, opts?: { range?: number; ignoreCreeps?: boolean }): PathStep[];
}

interface CPU { limit: number; tickLimit: number; bucket: number; getUsed(): number; getHeapStatistics(): object; }
interface Game {
  time: number; cpu: CPU;
  creeps: { [name: string]: Creep }; spawns: { [name: string]: StructureSpawn }; rooms: { [name: string]: Room };
  structures: { [id: string]: OwnedStructure }; constructionSites: { [id: string]: ConstructionSite };
  getObjectById<T = RoomObject>(id: string): T | null;
  map: { getRoomTerrain(name: string): { get(x: number, y: number): number }; describeExits(name: string): { [dir: string]: string } | null };
}
declare const Game: Game;
declare let Memory: { creeps: { [name: string]: any }; rooms: { [name: string]: any }; spawns: { [name: string]: any }; [k: string]: any };
declare const RawMemory: { get(): string; set(value: string): void };
declare function require(name: string): any;
declare namespace require { let cache: { [module: string]: any }; }
/** The global object; what is kept on it lives until the next global reset. */
declare const global: typeof globalThis & { [k: string]: any };
/** lodash 3.10.1 (bundled; off with the operator's `--no-lodash`). */
declare const _: any;
