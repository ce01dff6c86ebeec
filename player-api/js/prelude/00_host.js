// isoshard player runtime: a Screeps-compatible API over host-provided world data.
// Loaded once per isolate (global reset), before any player code; it may also be loaded into
// a startup snapshot, where no host function exists yet. Everything the player can reach is
// plain JavaScript; the host functions it needs are captured by `setup` (before any player
// code runs) and removed from the global object.
(function (global) {
  'use strict';
  const host = {};
  const HOST_FUNCTIONS = {
    intents: '__isoshard_intents', console: '__isoshard_console', cpuNow: '__isoshard_cpu_now',
    heap: '__isoshard_heap',
    roomMap: '__isoshard_room_map', pfSearch: '__isoshard_pf_search', pfRoom: '__isoshard_pf_room',
    halt: '__isoshard_halt', market: '__isoshard_market',
  };
  function bindHost() {
    for (const k of Object.keys(HOST_FUNCTIONS)) {
      const name = HOST_FUNCTIONS[k];
      if (typeof global[name] !== 'function') throw new Error('host function ' + name + ' is missing');
      host[k] = global[name];
      delete global[name];
    }
  }
  // Builtins the runtime relies on, captured before player code can replace them.
  const JSONparse = JSON.parse, JSONstringify = JSON.stringify, ObjectKeys = Object.keys,
    ObjectDefine = Object.defineProperty, ObjectCreate = Object.create, ArrayIsArray = Array.isArray,
    MathMax = Math.max, MathMin = Math.min, MathAbs = Math.abs, MathFloor = Math.floor, MathCeil = Math.ceil,
    MathPow = Math.pow,
    StringCtor = String, NumberCtor = Number, ErrorCtor = Error, FunctionCtor = Function;
  const StringSplit = String.prototype.split, StringIndexOf = String.prototype.indexOf,
    StringReplace = String.prototype.replace;
  // Indirect eval: code evaluated in the global scope, sloppy mode, with its own source URL.
  const globalEval = global.eval;
  // Screeps' `global`: the global object itself, kept until the next global reset.
  global.global = global;
