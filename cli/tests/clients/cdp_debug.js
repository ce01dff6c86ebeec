// A real CDP client over a real WebSocket (the `ws` package): what DevTools does to debug
// `isoshard sandbox --inspect`, plus a hostile second client.
// Usage: node cdp_debug.js WS_URL   (prints one JSON line)
'use strict';
const { connect } = require('./cdp');
const { run } = require('./browser');

run(async () => {
  const url = process.argv[2];
  const a = await connect(url);
  await a.call(1, 'Runtime.enable');
  await a.call(2, 'Debugger.enable');
  const bp = await a.call(3, 'Debugger.setBreakpointByUrl', { urlRegex: 'bot\\.js$', lineNumber: 1 });

  // A hostile client on the same target: malformed JSON, then a 2 MiB frame.
  const b = await connect(url);
  b.ws.send('{"id": 1, "method": ');
  const parseError = await new Promise((res) => b.ws.once('message', (d) => res(JSON.parse(String(d)))));
  b.ws.send(JSON.stringify({ id: 2, method: 'Runtime.evaluate', params: { expression: "'" + 'x'.repeat(2 << 20) + "'" } }));
  const hostileClose = await b.closed;

  await a.call(4, 'Runtime.runIfWaitingForDebugger');
  const paused = await a.event('Debugger.paused');
  const frame = paused.params.callFrames[0];
  const scopes = frame.scopeChain.map((s) => s.type);
  // Step over `const local = n * 6;`, then read the local it set.
  await a.call(7, 'Debugger.stepOver');
  const stepped = (await a.event('Debugger.paused')).params.callFrames[0];
  const local = await a.call(5, 'Debugger.evaluateOnCallFrame', { callFrameId: stepped.callFrameId, expression: 'local' });
  await a.call(6, 'Debugger.resume');
  const consoleEvent = await a.event('Runtime.consoleAPICalled');
  const closed = await a.closed;
  return {
    breakpointId: bp.result && bp.result.breakpointId,
    pausedIn: frame.functionName,
    line: frame.location.lineNumber,
    local: local.result && local.result.result.value,
    scopes,
    steppedTo: stepped.location.lineNumber,
    steppedIn: stepped.functionName,
    console: consoleEvent.params.args.map((x) => x.value),
    parseError: parseError.error || null,
    hostileClose,
    closeCode: closed.code,
  };
});
