// A player debugging their own bot on a live shard (`serve --inspect`) with a real CDP client
// over a real WebSocket: refused without the token, then a breakpoint on line 3 of module main (0-based 2: the player's own numbering), a local read,
// the breakpoint removed and the tick resumed.
// Usage: node cdp_player.js WS_URL TOKEN   (prints one JSON line)
'use strict';
const WebSocket = require('ws');
const { connect } = require('./cdp');
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
  const client = await connect(url + '?token=' + encodeURIComponent(token));
  const { call, event } = client;
  await call(1, 'Debugger.enable');
  const bp = await call(2, 'Debugger.setBreakpointByUrl', { url: 'main', lineNumber: 2 });
  const paused = await event('Debugger.paused');
  const frame = paused.params.callFrames[0];
  const marker = await call(3, 'Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'marker' });
  const sameTick = await call(4, 'Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'Game.time === marker' });
  await call(5, 'Debugger.removeBreakpoint', { breakpointId: bp.result.breakpointId });
  await call(6, 'Debugger.resume');
  await event('Debugger.resumed');
  client.ws.close();
  return {
    noToken, wrongToken,
    url: (client.seen.find((e) => e.method === 'Debugger.scriptParsed' && e.params.scriptId === frame.location.scriptId) || { params: {} }).params.url,
    line: frame.location.lineNumber,
    marker: marker.result.result.value, sameTick: sameTick.result.result.value,
  };
});
