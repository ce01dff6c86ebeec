  // js/prelude/30_tick_state.js: per-tick state: terrain cache, intents, console. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- per-tick state ----
  let tick = null;            // host meta for this tick
  let rawRooms = {};          // roomName -> raw room data
  // Terrain and exits come from the host a room at a time, on first use, and stay until the
  // next global reset: bots look at a few rooms, and the whole map would cost every isolate
  // megabytes. roomName -> [terrain string, {1: name, 3: name, ...}], or null (no such room).
  let roomMaps = ObjectCreate(null);
  function roomMap(name) {
    name = StringCtor(name);
    let m = roomMaps[name];
    if (m === undefined) { m = host.roomMap(name); roomMaps[name] = m; }
    return m;
  }
  function terrainOf(name) { const m = roomMap(name); return m ? m[0] : ''; }
  function exitsOf(name) { const m = roomMap(name); return m ? m[1] : null; }
  let objectsById = {};
  let intentBuf = [];
  let intentCount = 0;
  let intentsDropped = 0;
  const MAX_INTENTS = 10000;
  let consoleBuf = [];
  let username = '';
  let worldSize = 0;
  let createdCreeps = {};
  const pendingSites = [];
  let memoryString = '';
  let memoryParsed = undefined;
  const MEMORY_LIMIT = 2 * 1024 * 1024;

  function flushIntents() {
    if (intentBuf.length) { const b = intentBuf; intentBuf = []; host.intents(b); }
  }
  // The intent types each creep asked for this tick, for Creep.cancelOrder.
  let intentKinds = ObjectCreate(null);
  function addIntent(i) {
    if (intentCount >= MAX_INTENTS) { intentsDropped++; return false; }
    intentCount++;
    if (i.creep !== undefined) (intentKinds[i.creep] || (intentKinds[i.creep] = [])).push(i.type);
    intentBuf.push(i);
    if (intentBuf.length >= 256) flushIntents();
    return true;
  }
  function flushConsole() {
    if (consoleBuf.length) { const b = consoleBuf; consoleBuf = []; host.console(b); }
  }

  // ---- console ----
  // For the runtime's own notes (an uncaught non-Error, a Memory that does not serialize).
  function fmt(v) {
    if (typeof v === 'string') return v;
    if (v instanceof ErrorCtor) return v.stack || StringCtor(v);
    if (v && typeof v === 'object') { try { return JSONstringify(v); } catch (e) { return StringCtor(v); } }
    return StringCtor(v);
  }
  // An uncaught error's stack as the player's code reads: Screeps' `at __module (main:3:5)`
  // as `at main:3:5`, the runtime's own frames left out. A stack the player made unreadable
  // (a throwing getter, a non-string) gives the error's text.
  function playerStack(e) {
    try {
      const stack = e.stack;
      if (typeof stack !== 'string') return StringCtor(e);
      const lines = [];
      for (const line of StringSplit.call(stack, '\n')) {
        if (StringIndexOf.call(line, 'isoshard:prelude.js') < 0) lines.push(StringReplace.call(line, /at __module \((.*)\)/, 'at $1'));
      }
      return lines.join('\n');
    } catch (_) {
      return 'Error (its stack could not be read)';
    }
  }
  // One `console.log` argument as Screeps writes it (screeps/engine src/game/console.js): its
  // own toString() when it has one ('[object Object]' for a plain object), 'undefined', else
  // JSON (null, 0, false, '' as '""', objects without a prototype).
  function logText(v) {
    if (v && v.toString) return StringCtor(v.toString());
    if (typeof v === 'undefined') return 'undefined';
    return StringCtor(JSONstringify(v));
  }
  const consoleObj = {
    log(...args) { consoleBuf.push(args.map(logText).join(' ')); if (consoleBuf.length >= 100) flushConsole(); },
  };
  consoleObj.info = consoleObj.log; consoleObj.warn = consoleObj.log; consoleObj.error = consoleObj.log;
  consoleObj.debug = consoleObj.log;
  global.console = consoleObj;
