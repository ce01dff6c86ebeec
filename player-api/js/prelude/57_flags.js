  // js/prelude/57_flags.js: flags, as screeps/engine src/game/flags.js and Room.createFlag
  // (src/game/rooms.js). A fragment of one function: the parts are joined in file-name order
  // (player-api/src/lib.rs). Flags are the player's own: the host hands them in every tick
  // (TickMeta `flags`), and a tick's changes go back with its result (`data.flags`), removals
  // applied before creations as Screeps' room processor does; they show from the next tick.
  class Flag extends RoomObject {
    constructor(name, color, secondaryColor, roomName, x, y) {
      super({ x: NumberCtor(x), y: NumberCtor(y), room: roomName });
      this.name = name;
      this.color = NumberCtor(color);
      this.secondaryColor = NumberCtor(secondaryColor || color);
    }
    get memory() {
      const m = Memory;
      if (m.flags === undefined || m.flags === 'undefined') m.flags = {};
      if (!m.flags || typeof m.flags !== 'object') return undefined;
      return m.flags[this.name] = m.flags[this.name] || {};
    }
    set memory(value) {
      const m = Memory;
      if (m.flags === undefined || m.flags === 'undefined') m.flags = {};
      if (!m.flags || typeof m.flags !== 'object') throw new ErrorCtor('Could not set flag memory');
      m.flags[this.name] = value;
    }
    toString() { return `[flag ${this.name}]`; }
    remove() {
      flagOps.push(['remove', this.name]);
      return C.OK;
    }
    setPosition(firstArg, secondArg) {
      let [x, y, roomName] = fetchXY(firstArg, secondArg);
      roomName = roomName || this.pos.roomName;
      if (x === undefined || y === undefined) return C.ERR_INVALID_TARGET;
      flagOps.push(['remove', this.name]);
      flagOps.push(['create', this.name, this.color, this.secondaryColor, roomName, x, y]);
      return C.OK;
    }
    setColor(color, secondaryColor) {
      if (C.COLORS_ALL.indexOf(color) < 0) return C.ERR_INVALID_ARGS;
      secondaryColor = secondaryColor || color;
      if (C.COLORS_ALL.indexOf(secondaryColor) < 0) return C.ERR_INVALID_ARGS;
      flagOps.push(['remove', this.name]);
      flagOps.push(['create', this.name, color, secondaryColor, this.pos.roomName, this.pos.x, this.pos.y]);
      return C.OK;
    }
  }
  global.Flag = Flag;
  let flagOps = [];           // this tick's changes, for the host
  // Names createFlag took this tick (a set: a bot may create thousands), and how many flags
  // there were at the tick's start: Screeps counts `Game.flags`, which holds both.
  let createdFlagNames = ObjectCreate(null), createdFlagCount = 0, flagsAtStart = 0;
  let flagsText = null, flagsParsed = [];
  // Screeps' Room.createFlag, check for check; returns the flag's name.
  function createFlagIn(room, firstArg, secondArg, name, color, secondaryColor) {
    const [x, y] = fetchXY(firstArg, secondArg);
    if (x === undefined || y === undefined || x < 0 || x > 49 || y < 0 || y > 49) return C.ERR_INVALID_ARGS;
    if (flagsAtStart + createdFlagCount >= C.FLAGS_LIMIT) return C.ERR_FULL;
    if (isObjectLike(firstArg)) { secondaryColor = color; color = name; name = secondArg; }
    if (!color) color = C.COLOR_WHITE;
    if (!secondaryColor) secondaryColor = color;
    if (C.COLORS_ALL.indexOf(color) < 0 || C.COLORS_ALL.indexOf(secondaryColor) < 0) return C.ERR_INVALID_ARGS;
    const taken = (n) => Game.flags[n] !== undefined || createdFlagNames[n] === true;
    if (!name) {
      let cnt = 1;
      do { name = 'Flag' + cnt; cnt++; } while (taken(name));
    }
    if (taken(name)) return C.ERR_NAME_EXISTS;
    if (name.length > 100) return C.ERR_INVALID_ARGS;
    createdFlagNames[name] = true; createdFlagCount++;
    const roomName = '' + room.name;
    Game.flags[name] = new Flag(name, color, secondaryColor, roomName, x, y);
    flagOps.push(['create', '' + name, color, secondaryColor, roomName, x, y]);
    return name;
  }
  // The tick's flags into Game.flags and their rooms' objects (the text is parsed again
  // only when it changed).
  function placeFlags(text, game) {
    flagOps = []; createdFlagNames = ObjectCreate(null); createdFlagCount = 0;
    if (text !== flagsText) { flagsParsed = typeof text === 'string' ? JSONparse(text) : []; flagsText = text; }
    for (const f of flagsParsed) {
      const flag = new Flag(f[0], f[1], f[2], f[3], f[4], f[5]);
      game.flags[f[0]] = flag;
      const room = game.rooms[f[3]];
      if (room) room[OBJECTS].push(flag);
    }
    flagsAtStart = flagsParsed.length;
  }
