// TypeScript declarations for isoshard bots.
//
// isoshard runs the Screeps API as @types/screeps declares it: install the same package the
// real game's bots use (`npm i -D typescript @types/screeps@3.4.0`) and compile as for Screeps.
// Every constant, global class and method @types/screeps 3.4.0 declares exists on isoshard
// (tests/shard/screeps_api.rs and tests/shard/typescript.rs fail when they drift); what the
// world does not model yet throws `Error('… is not supported on this server')` (README,
// "Player API"). player-api/examples/typescript is a bot written this way.
//
// This file adds the two globals a Screeps bot has beside that API: `global` (the global
// object, kept until the next global reset) and lodash 3.10.1 as `_`. Leave it out if your
// project already declares them (@types/node declares `global`, @types/lodash@3.10 `_`).

/// <reference types="screeps" />

declare var global: any;
declare const _: any;
