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
  function toPos(t) { return t && t.pos instanceof RoomPosition ? t.pos : t; }
  function dirTo(dx, dy) {
    const sx = dx > 0 ? 1 : dx < 0 ? -1 : 0, sy = dy > 0 ? 1 : dy < 0 ? -1 : 0;
    for (const d in DIRS) if (DIRS[d][0] === sx && DIRS[d][1] === sy) return NumberCtor(d);
    return 0;
  }

  class RoomPosition {
    constructor(x, y, roomName) {
      this.x = x | 0; this.y = y | 0; this.roomName = roomName;
    }
    toString() { return `[room ${this.roomName} pos ${this.x},${this.y}]`; }
    toJSON() { return { x: this.x, y: this.y, roomName: this.roomName }; }
    isEqualTo(a, b) {
      if (typeof a === 'number') return this.x === a && this.y === b;
      const p = toPos(a);
      return !!p && this.x === p.x && this.y === p.y && this.roomName === p.roomName;
    }
    getRangeTo(a, b) {
      const p = typeof a === 'number' ? { x: a, y: b, roomName: this.roomName } : toPos(a);
      if (!p) return Infinity;
      if (p.roomName !== this.roomName) {
        const w1 = worldXY(this), w2 = worldXY(p);
        return MathMax(MathAbs(w1[0] - w2[0]), MathAbs(w1[1] - w2[1]));
      }
      return MathMax(MathAbs(this.x - p.x), MathAbs(this.y - p.y));
    }
    inRangeTo(a, b, c) {
      if (typeof a === 'number') return this.getRangeTo(a, b) <= c;
      const p = toPos(a);
      return !!p && p.roomName === this.roomName && this.getRangeTo(p) <= b;
    }
    isNearTo(a, b) { return typeof a === 'number' ? this.inRangeTo(a, b, 1) : this.inRangeTo(a, 1); }
    getDirectionTo(a, b) {
      const p = typeof a === 'number' ? { x: a, y: b, roomName: this.roomName } : toPos(a);
      if (!p) return undefined;
      if (p.roomName === this.roomName) return dirTo(p.x - this.x, p.y - this.y);
      const w1 = worldXY(this), w2 = worldXY(p);
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
      const list = this._candidates(type, opts).filter((o) => toPos(o) && toPos(o).roomName === this.roomName);
      if (list.length === 0) return null;
      const flat = [];
      for (const o of list) { const p = toPos(o); flat.push(p.x, p.y); }
      const i = host.closestByPath(this.roomName, this.x, this.y, flat);
      return i >= 0 ? list[i] : null;
    }
    findPathTo(a, b, c) {
      const target = typeof a === 'number' ? new RoomPosition(a, b, this.roomName) : toPos(a);
      const opts = (typeof a === 'number' ? c : b) || {};
      return pathSteps(this, target, opts);
    }
    lookFor(type) { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookForAt(type, this.x, this.y) : []; }
    look() { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookAt(this.x, this.y) : []; }
    createConstructionSite(type) {
      const room = Game.rooms[this.roomName];
      return room ? room.createConstructionSite(this.x, this.y, type) : C.ERR_INVALID_TARGET;
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

  function pathSteps(from, to, opts) {
    if (!to) return [];
    const range = opts.range === undefined ? 1 : opts.range;
    const flat = host.findPath(from.roomName, from.x, from.y, to.roomName, to.x, to.y, range, !!opts.ignoreCreeps);
    const steps = [];
    let px = from.x, py = from.y;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const x = flat[i], y = flat[i + 1];
      steps.push({ x, y, dx: x - px, dy: y - py, direction: dirTo(x - px, y - py) });
      px = x; py = y;
    }
    return steps;
  }
