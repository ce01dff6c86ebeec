// A minimal CDP client over a real WebSocket (the `ws` package), shared by the debugger tests.
// Every wait fails loudly when the connection closes first: a promise left pending with no
// socket open would let node exit 0 with no output, hiding what went wrong.
'use strict';
const WebSocket = require('ws');

exports.connect = (url) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { maxPayload: 64 << 20 });
  const pending = new Map();
  const events = [];
  const seen = [];
  const waiters = [];
  let isClosed = false;
  const closed = new Promise((res) => ws.on('close', (code, reason) => {
    isClosed = true;
    for (const w of waiters.splice(0)) w();
    for (const [id, p] of pending) p.reject(new Error(`connection closed (${code}) before the reply to ${id}`));
    res({ code, reason: String(reason) });
  }));
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.id !== undefined && pending.has(m.id)) { pending.get(m.id).resolve(m); pending.delete(m.id); return; }
    events.push(m);
    seen.push(m);
    for (const w of waiters.splice(0)) w();
  });
  ws.on('open', () => resolve({
    ws,
    closed,
    // Every event received so far, including ones `event` already returned.
    seen,
    call: (id, method, params = {}) => new Promise((res, rej) => {
      pending.set(id, { resolve: res, reject: rej });
      ws.send(JSON.stringify({ id, method, params }));
    }),
    // Waits up to `timeoutMs` (60 s): an event that never comes fails the test instead of
    // hanging it.
    event: async (method, timeoutMs = 60000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex((e) => e.method === method);
        if (i >= 0) return events.splice(i, 1)[0];
        const got = JSON.stringify(seen.map((e) => e.method));
        if (isClosed) throw new Error(`connection closed before ${method}; got ${got}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${method} within ${timeoutMs} ms; got ${got}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, left); });
      }
    },
  }));
  ws.on('error', reject);
});
