  // js/prelude/53_npc_structures.js: the world's own structures. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // A source keeper's lair (game/structures.js): unowned; `ticksToSpawn` while its keeper is
  // gone or weak (world/src/rules/npc.rs).
  class StructureKeeperLair extends OwnedStructure { constructor(d) { super(d); this.ticksToSpawn = d.cooldown; } }
  global.StructureKeeperLair = StructureKeeperLair;
  // A lesser invader core (world/src/rules/invader_cores.rs): level 0, never deploying or
  // spawning; its collapse timer is in `effects` (EFFECT_COLLAPSE_TIMER).
  class StructureInvaderCore extends OwnedStructure {
    constructor(d) { super(d); this.level = d.level; this.ticksToDeploy = undefined; this.spawning = null; }
  }
  global.StructureInvaderCore = StructureInvaderCore;
  // A power bank in a highway room (world/src/rules/power_banks.rs; game/structures.js): an
  // OwnedStructure owned by nobody a player can be, its power in `power`, not in a `store`.
  class StructurePowerBank extends OwnedStructure {
    constructor(d) {
      super(d);
      this.power = (d.store && d.store.power) || 0; this.ticksToDecay = d.ticksToDecay;
      this.my = false; this.owner = { username: 'Power Bank' };
    }
  }
  global.StructurePowerBank = StructurePowerBank;
