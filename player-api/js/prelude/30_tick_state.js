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
  let createdCreeps = {};
  const pendingSites = [];
  let memoryString = '';
  let memoryParsed = undefined;
  const MEMORY_LIMIT = 2 * 1024 * 1024;

  function flushIntents() {
    if (intentBuf.length) { const b = intentBuf; intentBuf = []; host.intents(b); }
  }
  function addIntent(i) {
    if (intentCount >= MAX_INTENTS) { intentsDropped++; return false; }
    intentCount++;
    intentBuf.push(i);
    if (intentBuf.length >= 256) flushIntents();
    return true;
  }
  function flushConsole() {
    if (consoleBuf.length) { const b = consoleBuf; consoleBuf = []; host.console(b); }
  }

  // ---- console ----
  function fmt(v) {
    if (typeof v === 'string') return v;
    if (v instanceof ErrorCtor) return v.stack || StringCtor(v);
    if (v && typeof v === 'object') { try { return JSONstringify(v); } catch (e) { return StringCtor(v); } }
    return StringCtor(v);
  }
  const consoleObj = {
    log(...args) { consoleBuf.push(args.map(fmt).join(' ')); if (consoleBuf.length >= 100) flushConsole(); },
  };
  consoleObj.info = consoleObj.log; consoleObj.warn = consoleObj.log; consoleObj.error = consoleObj.log;
  consoleObj.debug = consoleObj.log;
  global.console = consoleObj;
