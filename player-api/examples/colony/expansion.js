// Claims one more room whenever the global control level allows it: the neighbours of the
// strongest room are tried in turn, then pioneers from there build the new room's spawn.

function run(owned) {
  const plan = Memory.expansion;
  if (plan && plan.state === 'build') {
    const room = Game.rooms[plan.target];
    if (!room || !room.controller || !room.controller.my) { delete Memory.expansion; return; }
    if (room.find(FIND_MY_SPAWNS).length) {
      console.log('expansion: ' + plan.target + ' has its spawn');
      plan.state = 'done';
      plan.doneAt = Game.time;
    }
    return;
  }
  if (plan && plan.state === 'claim') {
    if (plan.candidates.length === 0) { plan.state = 'failed'; plan.failedAt = Game.time; }
    return;
  }
  if (plan && plan.state === 'failed' && Game.time - plan.failedAt < 5000) return;
  if (Game.gcl.level <= owned.length) return;
  const home = owned.filter((r) => r.controller.level >= 3 && r.find(FIND_MY_SPAWNS).length)
    .sort((a, b) => b.controller.level - a.controller.level)[0];
  if (!home) return;
  const exits = Game.map.describeExits(home.name) || {};
  const mine = new Set(owned.map((r) => r.name));
  // Known free rooms with the most sources first, then rooms nobody has looked at.
  const known = Memory.intel || {};
  const rank = (name) => (known[name] ? 10 - known[name].sources.length : 20);
  const candidates = Object.keys(exits).sort().map((d) => exits[d])
    .filter((name) => !mine.has(name) && Game.map.getRoomStatus(name).status === 'normal')
    .filter((name) => !known[name] || (known[name].controller && !known[name].owner && !known[name].keepers))
    .sort((a, b) => rank(a) - rank(b));
  console.log('expansion: GCL ' + Game.gcl.level + ', trying ' + candidates.join(',') + ' from ' + home.name);
  Memory.expansion = { state: 'claim', home: home.name, candidates, startedAt: Game.time };
}

module.exports = { run };
