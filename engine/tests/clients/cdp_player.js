// A player debugging their own bot on a live shard (`serve --inspect`) with a real CDP client
// over a real WebSocket: refused without the token, then a breakpoint in main.js, a local read,
// the breakpoint removed and the tick resumed.
// Usage: node cdp_player.js WS_URL TOKEN   (prints one JSON line)
'use strict';
const WebSocket = require('ws');
const { run } = require('./browser');

function refusedStatus(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
    ws.on('open', () => { ws.close(); resolve(101); });
    ws.on('error', () => {});
  });
}

run(async () => {
  const [, , url, token] = process.argv;
  const noToken = await refusedStatus(url);
  const wrongToken = await refusedStatus(url + '?token=not-' + token);
  const ws = new WebSocket(url + '?token=' + encodeURIComponent(token));
  await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
  const pending = new Map();
  const events = [];
  let wake = () => {};
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.id !== undefined && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } else { events.push(m); wake(); }
  });
  const call = (id, method, params = {}) => new Promise((res) => { pending.set(id, res); ws.send(JSON.stringify({ id, method, params })); });
  const parsed = [];
  const event = async (method) => {
    for (;;) {
      const i = events.findIndex((e) => e.method === method);
      if (i >= 0) return events.splice(i, 1)[0];
      parsed.push(...events.filter((e) => e.method === 'Debugger.scriptParsed'));
      await new Promise((r) => { wake = r; });
    }
  };
  await call(1, 'Debugger.enable');
  const bp = await call(2, 'Debugger.setBreakpointByUrl', { url: 'main.js', lineNumber: 4 });
  const paused = await event('Debugger.paused');
  const frame = paused.params.callFrames[0];
  const marker = await call(3, 'Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'marker' });
  const sameTick = await call(4, 'Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'Game.time === marker' });
  await call(5, 'Debugger.removeBreakpoint', { breakpointId: bp.result.breakpointId });
  await call(6, 'Debugger.resume');
  await event('Debugger.resumed');
  ws.close();
  return {
    noToken, wrongToken,
    url: (events.concat(parsed).find((e) => e.method === 'Debugger.scriptParsed' && e.params.scriptId === frame.location.scriptId) || { params: {} }).params.url,
    line: frame.location.lineNumber,
    marker: marker.result.result.value, sameTick: sameTick.result.result.value,
  };
});
