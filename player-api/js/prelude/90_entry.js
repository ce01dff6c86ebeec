  // js/prelude/90_entry.js: the host entry points and the wrapper's closing. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- console commands ----
  // What the player typed into their console since the last tick (`[expression, hidden, ...]`),
  // run after the main loop in the global scope, as Screeps' `game.run` does: each result as
  // `"" + eval(expression)` unless hidden. A command's error is its result, shown even for a
  // hidden one (Screeps reports it as the tick's error); unlike Screeps, a failing loop or
  // command does not lose the commands after it (a bot that throws every tick can still be
  // repaired from the console).
  // A result is cut here, before it leaves the isolate (the host cuts it again to 8 KiB): a
  // command answering a 100 MB string must not copy 100 MB out of the isolate.
  const RESULT_CHARS = 16384;
  function runConsoleCommands(flat) {
    const results = [];
    if (!ArrayIsArray(flat)) return results;
    const keep = (text) => results.push(text.length > RESULT_CHARS ? text.slice(0, RESULT_CHARS) : text);
    for (let i = 0; i + 1 < flat.length; i += 2) {
      try {
        const text = '' + globalEval(flat[i] + '\n//# sourceURL=console');
        if (!flat[i + 1]) keep(text);
      } catch (e) {
        let text;
        try { text = e instanceof ErrorCtor ? playerStack(e) : 'Uncaught ' + fmt(e); } catch (_) { text = 'Uncaught exception'; }
        keep(typeof text === 'string' ? text : 'Uncaught exception');
      }
    }
    return results;
  }

  // ---- host entry points (captured by the host before player code runs, then removed) ----
  const api = {
    // Called once per global reset.
    setup(meta) {
      bindHost();
      username = meta.username;
      worldSize = meta.worldSize;
      roomMaps = ObjectCreate(null);
      modules = meta.modules;
      require.cache = freshModuleCache();
      memoryString = meta.memory || '';
      memoryParsed = undefined;
    },
    // Called every tick with the tick's metadata and the visible rooms.
    tick(m, ...rooms) {
      // The metadata arrives as a dense array (cheaper to copy in than an object), entries in
      // TickMeta::FIELDS order (player-api/src/tick_meta.rs; tests/shard/contract.rs checks).
      const meta = { tick: m[0], cpuLimit: m[1], tickLimit: m[2], bucket: m[3], seedHi: m[4], seedLo: m[5], now: m[6], memory: m[7], segments: m[8], foreignSegment: m[9], interShard: m[10], flags: m[11], gcl: m[12], market: m[13], resources: m[14], commands: m[15] };
      intentBuf = []; intentCount = 0; intentsDropped = 0; intentKinds = ObjectCreate(null); consoleBuf = []; rawMemorySet = false; takeVisuals();
      seedRandom(meta.seedHi, meta.seedLo);
      fakeNow = meta.now;
      if (typeof meta.memory === 'string') memoryString = meta.memory;
      memoryParsed = undefined;
      startSegments(meta);
      buildGame(meta, rooms);
      const marshalled = host.cpuNow();
      let error = null;
      try {
        // As on Screeps: a `main` without a `loop()` is a script run as a module, again every
        // tick (its cache entry is dropped below).
        const main = require('main');
        if (main && typeof main === 'object' && typeof main.loop === 'function') main.loop();
      } catch (e) {
        // The host adds it to the console, cut, within the console's byte limit.
        error = e instanceof ErrorCtor ? playerStack(e) : ('Uncaught ' + fmt(e));
      }
      const main = require.cache.main;
      if (!(main && typeof main === 'object' && typeof main.loop === 'function')) require.cache = freshModuleCache();
      const results = runConsoleCommands(meta.commands);
      const ran = host.cpuNow();
      flushIntents();
      if (intentsDropped) consoleBuf.push(`[isoshard] ${intentsDropped} intents over the ${MAX_INTENTS} per-tick limit were dropped`);
      let memoryOut = null;
      if (memoryParsed !== undefined && !rawMemorySet) {
        let s;
        try { s = JSONstringify(memoryParsed); } catch (e) { consoleBuf.push('Memory could not be serialized: ' + fmt(e)); }
        if (typeof s === 'string') {
          if (s.length > MEMORY_LIMIT) consoleBuf.push(`Memory is ${s.length} bytes, over the 2 MB limit; not saved`);
          else if (s !== memoryString) { memoryString = s; memoryOut = s; }
        }
      } else if (rawMemorySet) {
        if (memoryString.length > MEMORY_LIMIT) consoleBuf.push(`RawMemory is over the 2 MB limit; not saved`);
        else memoryOut = memoryString;
      }
      const data = finishSegments();
      flushConsole();
      // The host has the call's total CPU time: collecting is what follows `ran`.
      return { memory: memoryOut, error, results, visuals: takeVisuals(), data, marshalNs: marshalled, runNs: ran - marshalled, ranNs: ran };
    },
  };
  ObjectDefine(global, '__isoshard_api', { value: api, configurable: true, enumerable: false, writable: false });
})(globalThis);
