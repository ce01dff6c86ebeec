// What the colony knows of rooms it cannot always see: a scout walks the neighbours once,
// and every visible room refreshes its record. Remote mining and expansion read it.
// Memory.intel[room] = { at, sources: [{id, x, y}], controller, owner, reservedBy, keepers, hostileUntil }

function record(room) {
  const intel = Memory.intel || (Memory.intel = {});
  const ctl = room.controller;
  const old = intel[room.name] || {};
  const hostiles = room.find(FIND_HOSTILE_CREEPS).filter((c) =>
    c.getActiveBodyparts(ATTACK) + c.getActiveBodyparts(RANGED_ATTACK) > 0);
  intel[room.name] = {
    at: Game.time,
    sources: room.find(FIND_SOURCES).map((s) => ({ id: s.id, x: s.pos.x, y: s.pos.y })),
    controller: !!ctl,
    owner: ctl && ctl.owner ? ctl.owner.username : undefined,
    reservedBy: ctl && ctl.reservation ? ctl.reservation.username : undefined,
    keepers: room.find(FIND_HOSTILE_STRUCTURES, { filter: (s) => s.structureType === STRUCTURE_KEEPER_LAIR }).length,
    // A raid lasts until its creeps die of age: keep away for a creep's lifetime.
    hostileUntil: hostiles.length ? Game.time + CREEP_LIFE_TIME : old.hostileUntil,
  };
}

function refresh() {
  for (const name in Game.rooms) record(Game.rooms[name]);
}

// The neighbours of `home` nobody has looked at yet (or not for 10 000 ticks).
function unknownNeighbours(home) {
  const exits = Game.map.describeExits(home) || {};
  const intel = Memory.intel || {};
  return Object.keys(exits).sort().map((d) => exits[d])
    .filter((r) => Game.map.getRoomStatus(r).status === 'normal' && (!intel[r] || Game.time - intel[r].at > 10000));
}

function safe(roomName) {
  const i = (Memory.intel || {})[roomName];
  return !i || !i.hostileUntil || i.hostileUntil < Game.time;
}

// Rooms whose sources `home` may mine: free controllers, no keepers, nobody else's claim.
function remoteRooms(home, username) {
  const exits = Game.map.describeExits(home) || {};
  const intel = Memory.intel || {};
  const taken = Memory.expansion && Memory.expansion.target;
  return Object.keys(exits).sort().map((d) => exits[d]).filter((r) => {
    const i = intel[r];
    return i && i.controller && !i.owner && !i.keepers && r !== taken &&
      (!i.reservedBy || i.reservedBy === username) && i.sources.length > 0;
  });
}

module.exports = { refresh, unknownNeighbours, safe, remoteRooms };
