  // js/prelude/55_unmodelled.js: the game's classes this world does not model yet. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- what the world does not model yet ----
  // Every global class of the real game exists, so bots can `instanceof` and extend prototypes
  // (screeps/engine src/game/structures.js, @types/screeps). A method whose rules the world does
  // not implement throws instead of returning a code it never earned: a bot that silently gets
  // OK or ERR_INVALID_TARGET misbehaves and its player cannot see why.
  function unsupported(what) { throw new ErrorCtor(what + ' is not supported on this server'); }
  function unmodelledMethods(cls, names) {
    for (const n of names) {
      const what = cls.name + '.' + n;
      ObjectDefine(cls.prototype, n, {
        value: function () { unsupported(what); }, writable: true, configurable: true, enumerable: false,
      });
    }
  }
  // The structure types the world builds and simulates (world/src/object.rs StructureKind).
  const MODELLED_STRUCTURES = ['spawn', 'extension', 'road', 'constructedWall', 'container', 'tower', 'storage', 'link',
    'rampart', 'controller', 'extractor', 'lab', 'terminal', 'observer', 'factory', 'powerSpawn', 'nuker', 'keeperLair', 'invaderCore', 'powerBank'];

  class StructurePortal extends Structure { constructor(d) { super(d); this.destination = d.destination; this.ticksToDecay = d.ticksToDecay; } }
  Object.assign(global, { StructurePortal });

  class Ruin extends RoomObject {
    constructor(d) {
      super(d);
      this.destroyTime = d.destroyTime; this.ticksToDecay = d.ticksToDecay;
      this.store = makeStore(d); this.structure = d.ruinStructure;
    }
  }
  class Nuke extends RoomObject { constructor(d) { super(d); this.launchRoomName = d.launchRoomName; this.timeToLand = d.timeToLand; } }
  class Deposit extends RoomObject {
    constructor(d) {
      super(d);
      this.depositType = d.depositType; this.cooldown = d.cooldown || 0; this.lastCooldown = d.lastCooldown || 0;
      this.ticksToDecay = d.ticksToDecay;
    }
  }
  class PowerCreep extends RoomObject {
    constructor(d) { super(d); this.name = d.name; this.my = d.owner === username; this.owner = { username: d.owner }; }
    static create() { unsupported('PowerCreep.create'); }
  }
  unmodelledMethods(PowerCreep, ['cancelOrder', 'delete', 'drop', 'enableRoom', 'move', 'moveByPath', 'moveTo',
    'notifyWhenAttacked', 'pickup', 'rename', 'renew', 'say', 'spawn', 'suicide', 'transfer', 'upgrade', 'usePower',
    'withdraw']);
  Object.assign(global, { Ruin, Nuke, Deposit, PowerCreep });

  // notifyWhenAttacked (game/creeps.js, game/structures.js): checks in their order; the
  // world then tells the owner when the object is attacked (or stops).
  ObjectDefine(Structure.prototype, 'notifyWhenAttacked', {
    value: function notifyWhenAttacked(enabled) {
      if (!this.room) return C.ERR_INVALID_TARGET;
      const ctl = this.room.controller;
      if (this.my === false || (ctl && ctl.owner && !ctl.my)) return C.ERR_NOT_OWNER;
      return setNotifyWhenAttacked(this, enabled);
    },
    writable: true, configurable: true, enumerable: false,
  });
