// The socket in its SockJS form, as the Screeps client opens it: GET /socket/info, then a
// WebSocket at /socket/<server>/<session>/websocket speaking SockJS frames ("o", "a[...]",
// client messages as JSON arrays of strings).
// Usage: node sockjs_socket.js URL TOKEN   (NODE_PATH points at node_modules)
'use strict';
const WebSocket = require('ws');
const http = require('http');

const get = (url) => new Promise((resolve, reject) => {
  http.get(url, (res) => { let b = ''; res.on('data', (c) => { b += c; }); res.on('end', () => resolve(JSON.parse(b))); }).on('error', reject);
});

(async () => {
  const [, , url, token] = process.argv;
  const info = await get(new URL('/socket/info', url).toString());
  const ws = new WebSocket(new URL('/socket/123/abc4xyz/websocket', url.replace('http', 'ws')).toString());
  const frames = [];
  const messages = [];
  let roomName = null;
  ws.on('message', (data) => {
    const frame = data.toString();
    frames.push(frame[0]);
    if (frame[0] === 'a') messages.push(...JSON.parse(frame.slice(1)));
  });
  await new Promise((r) => ws.on('open', r));
  const until = async (pred) => {
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && !pred()) await new Promise((r) => setTimeout(r, 20));
  };
  await until(() => messages.some((m) => m.startsWith('protocol')));
  ws.send(JSON.stringify([`auth ${token}`]));
  await until(() => messages.some((m) => m.startsWith('auth')));
  const me = await new Promise((resolve) => {
    http.get(new URL('/api/user/world-start-room', url), { headers: { 'X-Token': token } }, (res) => {
      let b = ''; res.on('data', (c) => { b += c; }); res.on('end', () => resolve(JSON.parse(b)));
    });
  });
  roomName = me.room[0];
  ws.send(JSON.stringify([`subscribe room:${roomName}`]));
  await until(() => messages.some((m) => m.startsWith(`["room:${roomName}"`)));
  const room = messages.find((m) => m.startsWith(`["room:${roomName}"`));
  // Broken framing closes the session, as SockJS does.
  ws.send('not json');
  const closed = await new Promise((r) => { ws.on('close', () => r(true)); setTimeout(() => r(false), 3000); });
  console.log(JSON.stringify({
    info, first: frames[0], greeting: messages.slice(0, 2).map((m) => m.split(' ')[0]),
    auth: messages.find((m) => m.startsWith('auth')).split(' ').slice(0, 2).join(' '),
    roomObjects: Object.keys(JSON.parse(room)[1].objects).length, closed,
  }));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
