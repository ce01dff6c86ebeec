// Per-player tick overhead on isolated-vm@5, for comparison with `cargo bench -p
// isoshard-cli --bench tick` (trivial bot). Per tick and player: copy the same room view
// into the isolate (one ExternalCopy per tick, shared), run loop(view) under a timeout, and
// collect intents through an ignored callback. Players run concurrently (async apply), as
// isoshard runs them on its home threads.
// Run: node --no-node-snapshot tick.js [path/to/room_view.json] [--players 1,10,100,500]
// [--warmup N] (ticks before measuring; default 5)
'use strict';
const ivm = require('isolated-vm');
const fs = require('fs');
const path = require('path');

const viewPath = process.argv.find((a) => a.endsWith('.json')) || path.join(__dirname, '../../target/bench/room_view.json');
const view = JSON.parse(fs.readFileSync(viewPath, 'utf8'));
const pi = process.argv.indexOf('--players');
const counts = pi > 0 ? process.argv[pi + 1].split(',').map(Number) : [1, 10, 100, 500];
const ticks = 20;
const wi = process.argv.indexOf('--warmup');
const warmup = wi > 0 ? Number(process.argv[wi + 1]) : 5;

const LOOP = `globalThis.loop = function (view) {
  const intents = [];
  for (const o of view.objects) if (o.type === 'creep' || o.type === 'spawn') intents.push({ type: 'say', creep: o.id, message: 'hi' });
  submit(intents);
}`;

async function main() {
  console.log('players  ms/tick  us/player');
  for (const n of counts) {
    const players = [];
    let received = 0;
    for (let i = 0; i < n; i++) {
      const iso = new ivm.Isolate({ memoryLimit: 256 });
      const ctx = await iso.createContext();
      await ctx.global.set('submit', new ivm.Callback((intents) => { received += intents.length; }, { ignored: true }));
      await ctx.eval(LOOP);
      players.push({ iso, loop: await ctx.global.get('loop', { reference: true }) });
    }
    const tick = async () => {
      const copy = new ivm.ExternalCopy(view);
      await Promise.all(players.map((p) => p.loop.apply(undefined, [copy.copyInto()], { timeout: 100 })));
      copy.release();
    };
    for (let i = 0; i < warmup; i++) await tick();
    const t = process.hrtime.bigint();
    for (let i = 0; i < ticks; i++) await tick();
    const ms = Number(process.hrtime.bigint() - t) / 1e6 / ticks;
    console.log(`${String(n).padStart(7)}  ${ms.toFixed(2).padStart(7)}  ${(ms * 1000 / n).toFixed(1).padStart(9)}`);
    for (const p of players) p.iso.dispose();
    if (received === 0) throw new Error('no intents were collected');
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
