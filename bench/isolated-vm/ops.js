// The operations of isoshard's `scripting_ops` bench on isolated-vm@5, printed the same way.
// Run: node --no-node-snapshot ops.js [--json] [--quick]   (see BENCHMARKS.md for setup)
'use strict';
const ivm = require('isolated-vm');
const fs = require('fs');

const quick = process.argv.includes('--quick');
const jsonOut = process.argv.includes('--json');
const scale = quick ? 10 : 1;
const results = {};
function report(name, value, unit) {
  console.log(`${name}: ${value.toFixed(3)} ${unit}`);
  results[name] = { value, unit };
}
function perOp(startNs, n) { return Number(process.hrtime.bigint() - startNs) / 1e3 / n; }
function rss() {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
function graph() {
  const objects = [];
  for (let i = 0; i < 5000; i++) {
    objects.push({ id: i.toString(16).padStart(12, '0'), name: `creep${i}`, pos: { x: i % 50, y: Math.floor(i / 50) % 50, room: 'W1N1' },
      body: ['work', 'carry', 'move', 'move'], store: { energy: i % 51 }, hits: 400, my: i % 2 === 0 });
  }
  return { tick: 1, objects };
}

new ivm.Isolate().dispose();

let n = 2000 / scale;
let t = process.hrtime.bigint();
for (let i = 0; i < n; i++) new ivm.Isolate().dispose();
report('isolate_create_dispose', perOp(t, n), 'us/op');

const iso = new ivm.Isolate({ memoryLimit: 128 });
n = 2000 / scale;
t = process.hrtime.bigint();
for (let i = 0; i < n; i++) iso.createContextSync().release();
report('context_create', perOp(t, n), 'us/op');

const ctx = iso.createContextSync();
n = 20000 / scale;
// Untimed warm-up, as in scripting_ops: the first thousands of calls run slower on both sides.
for (let i = 0; i < n / 4; i++) ctx.evalSync('1 + 1');
t = process.hrtime.bigint();
for (let i = 0; i < n; i++) ctx.evalSync('1 + 1');
report('eval_round_trip', perOp(t, n), 'us/op');

ctx.global.setSync('cb', new ivm.Callback((x) => x));
const calls = 200000 / scale;
t = process.hrtime.bigint();
ctx.evalSync(`for (let i = 0; i < ${calls}; i++) cb(i)`);
report('callback_call', perOp(t, calls), 'us/op');

const g = new ivm.ExternalCopy(graph());
report('graph_bytes', g.copy() && JSON.stringify(graph()).length, 'bytes');
n = 200 / scale;
t = process.hrtime.bigint();
for (let i = 0; i < n; i++) ctx.evalClosureSync('return $0', [g.copyInto()], { result: { copy: true } });
report('external_copy_1mb_in_and_out', perOp(t, n), 'us/op');

const cycles = 20000 / scale;
const before = rss();
for (let i = 0; i < cycles; i++) {
  const x = new ivm.Isolate();
  if (i % 2 === 0) x.createContextSync().evalSync('({ a: [1, 2, 3] })', { copy: true });
  x.dispose();
}
if (global.gc) global.gc();
report('rss_growth_after_create_dispose_cycles', (rss() - before) / (1 << 20), 'MiB');
report('create_dispose_cycles', cycles, 'cycles');
if (jsonOut) console.log(JSON.stringify(results));
