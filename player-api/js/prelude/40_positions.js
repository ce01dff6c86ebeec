  // js/prelude/40_positions.js: RoomPosition and path helpers. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- positions ----
  const DIRS = { 1: [0, -1], 2: [1, -1], 3: [1, 0], 4: [1, 1], 5: [0, 1], 6: [-1, 1], 7: [-1, 0], 8: [-1, -1] };
  function roomXY(name) {
    const m = /^([WE])(\d+)([NS])(\d+)$/.exec(name);
    if (!m) return null;
    const x = m[1] === 'W' ? -NumberCtor(m[2]) - 1 : NumberCtor(m[2]);
    const y = m[3] === 'N' ? -NumberCtor(m[4]) - 1 : NumberCtor(m[4]);
    return [x, y];
  }
  function worldXY(pos) {
    const r = roomXY(pos.roomName) || [0, 0];
    return [r[0] * 50 + pos.x, r[1] * 50 + pos.y];
  }
  // Names already checked (a path of 100 steps makes 100 positions in a few rooms).
  const checkedRoomNames = new Map();
  function isRoomName(name) {
    if (checkedRoomNames.get(name) === true) return true;
    if (roomXY(name) === null) return false;
    if (checkedRoomNames.size < 4096) checkedRoomNames.set(name, true);
    return true;
  }
  function toPos(t) { return t && t.pos instanceof RoomPosition ? t.pos : t; }
  // screeps/engine src/utils.js `getDirection`: a straight direction when one axis is more than
  // twice the other, else the diagonal; `undefined` for no offset.
  function dirTo(dx, dy) {
    const adx = MathAbs(dx), ady = MathAbs(dy);
    if (adx > ady * 2) return dx > 0 ? C.RIGHT : C.LEFT;
    if (ady > adx * 2) return dy > 0 ? C.BOTTOM : C.TOP;
    if (dx > 0 && dy > 0) return C.BOTTOM_RIGHT;
    if (dx > 0 && dy < 0) return C.TOP_RIGHT;
    if (dx < 0 && dy > 0) return C.BOTTOM_LEFT;
    if (dx < 0 && dy < 0) return C.TOP_LEFT;
    return undefined;
  }
  // screeps/engine `fetchXYArguments`: (x, y) numbers, or a position / an object with `pos`.
  function xyArgs(a, b) {
    if (typeof b === 'number' && typeof a === 'number') return [a, b, undefined];
    const p = toPos(a);
    if (!p || typeof p !== 'object') return [undefined, undefined, undefined];
    return [p.x, p.y, p.roomName];
  }

  class RoomPosition {
    constructor(x, y, roomName) {
      // As Screeps: coordinates 0..49 and a real room name, else the constructor throws.
      if (!(x >= 0 && x <= 49 && y >= 0 && y <= 49) || typeof roomName !== 'string' || !isRoomName(roomName)) {
        throw new ErrorCtor('Invalid arguments in RoomPosition constructor');
      }
      this.x = x | 0; this.y = y | 0; this.roomName = roomName;
    }
    toString() { return `[room ${this.roomName} pos ${this.x},${this.y}]`; }
    toJSON() { return { x: this.x, y: this.y, roomName: this.roomName }; }
    isEqualTo(a, b) {
      const [x, y, room] = xyArgs(a, b);
      return x === this.x && y === this.y && (!room || room === this.roomName);
    }
    // Another room is out of range (`Infinity`), as on Screeps: `findInRange` and
    // `findClosestByRange` never pick up a neighbour room's objects.
    getRangeTo(a, b) {
      const [x, y, room] = xyArgs(a, b);
      if (room && room !== this.roomName) return Infinity;
      return MathMax(MathAbs(this.x - x), MathAbs(this.y - y));
    }
    inRangeTo(a, b, c) {
      if (c === undefined) {
        const p = toPos(a);
        if (!p) return false;
        return MathAbs(p.x - this.x) <= b && MathAbs(p.y - this.y) <= b && (p.roomName || this.roomName) === this.roomName;
      }
      return MathAbs(a - this.x) <= c && MathAbs(b - this.y) <= c;
    }
    isNearTo(a, b) {
      const [x, y, room] = xyArgs(a, b);
      return MathAbs(x - this.x) <= 1 && MathAbs(y - this.y) <= 1 && (!room || room === this.roomName);
    }
    getDirectionTo(a, b) {
      const [x, y, room] = xyArgs(a, b);
      if (!room || room === this.roomName) return dirTo(x - this.x, y - this.y);
      const w1 = worldXY(this), w2 = worldXY({ x, y, roomName: room });
      return dirTo(w2[0] - w1[0], w2[1] - w1[1]);
    }
    _candidates(type, opts) {
      let list = ArrayIsArray(type) ? type : (Game.rooms[this.roomName] ? Game.rooms[this.roomName].find(type) : []);
      if (opts && opts.filter) list = filterBy(list, opts.filter);
      return list;
    }
    findClosestByRange(type, opts) {
      let best = null, bestR = Infinity;
      for (const o of this._candidates(type, opts)) {
        const r = this.getRangeTo(o);
        if (r < bestR) { best = o; bestR = r; }
      }
      return best;
    }
    findInRange(type, range, opts) {
      return this._candidates(type, opts).filter((o) => this.getRangeTo(o) <= range);
    }
    findClosestByPath(type, opts) {
      opts = shallowClone(opts || {});
      if (!Game.rooms[this.roomName]) throw new ErrorCtor(`Could not access room ${this.roomName}`);
      if (type === undefined) return null;
      return findClosestByPath2(this, type, opts);
    }
    findPathTo(first, second, opts) {
      let [x, y, roomName] = fetchXY(first, second);
      const room = Game.rooms[this.roomName];
      if (isObjectLike(second)) opts = shallowClone(second);
      opts = opts || {};
      roomName = roomName || this.roomName;
      if (!room) throw new ErrorCtor(`Could not access room ${this.roomName}`);
      return room.findPath(this, new RoomPosition(x, y, roomName), opts);
    }
    lookFor(type) { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookForAt(type, this.x, this.y) : []; }
    look() { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookAt(this.x, this.y) : []; }
    createConstructionSite(type, name) {
      const room = Game.rooms[this.roomName];
      if (!room) throw new ErrorCtor(`Could not access room ${this.roomName}`);
      return room.createConstructionSite(this.x, this.y, type, name);
    }
    createFlag(name, color, secondaryColor) {
      const room = Game.rooms[this.roomName];
      if (!room) throw new ErrorCtor(`Could not access room ${this.roomName}`);
      return room.createFlag(this, name, color, secondaryColor);
    }
  }
  global.RoomPosition = RoomPosition;

  function filterBy(list, filter) {
    if (typeof filter === 'function') return list.filter(filter);
    if (filter && typeof filter === 'object') {
      const keys = ObjectKeys(filter);
      return list.filter((o) => keys.every((k) => matches(o[k], filter[k])));
    }
    if (typeof filter === 'string') return list.filter((o) => !!o[filter]);
    return list;
  }
  function matches(v, want) {
    if (want && typeof want === 'object') return !!v && ObjectKeys(want).every((k) => matches(v[k], want[k]));
    return v === want;
  }

