// Messages and badges between two players through the real `screeps-api` client: A picks a
// badge that B then sees, B watches its socket while A writes, B reads and marks the message
// read, and A's copy turns read too. Refusals are read from the raw answers.
// Usage: node screeps_api_messages.js URL A A_PASSWORD B B_PASSWORD   (NODE_PATH: node_modules)
'use strict';
const { signIn, postRaw } = require('./screeps_client');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const [, , url, a, aPassword, b, bPassword] = process.argv;
  const alice = await signIn(url, a, aPassword);
  const bob = await signIn(url, b, bPassword);
  const aliceId = (await alice.me())._id;
  const bobId = (await bob.me())._id;
  const post = (api, path, body) => postRaw(url, api, path, body);
  const out = {};
  await alice.raw.user.badge({ type: 7, color1: '#ff0000', color2: '#00FF00', color3: '#0000ff', param: 12, flip: true });
  out.badgeSeen = (await bob.raw.user.find(a)).user.badge;
  out.badBadge = await post(alice, '/api/user/badge', { badge: { type: 99, color1: '#000000', color2: '#000000', color3: '#000000', param: 0 } });
  const events = { newMessage: [], thread: [] };
  await bob.socket.connect();
  await bob.socket.subscribe('newMessage', (e) => events.newMessage.push(e.data.message));
  // screeps-api prefixes only paths without a `word:`: this one is given whole.
  await bob.socket.subscribe(`user:${bobId}/message:${aliceId}`, (e) => events.thread.push(e.data.message));
  await sleep(300);
  await alice.raw.userMessages.send(bobId, 'hello from ' + a);
  out.toSelf = await post(alice, '/api/user/messages/send', { respondent: aliceId, text: 'me' });
  out.toNobody = await post(alice, '/api/user/messages/send', { respondent: '999999', text: 'x' });
  out.tooLong = await post(alice, '/api/user/messages/send', { respondent: bobId, text: 'x'.repeat(100 * 1024 + 1) });
  out.unreadBefore = (await bob.raw.userMessages.unreadCount()).count;
  for (let i = 0; i < 200 && events.newMessage.length === 0; i++) await sleep(50);
  const index = await bob.raw.userMessages.index();
  out.index = index.messages.map((m) => ({ with: m._id, type: m.message.type, text: m.message.text }));
  out.indexUser = index.users[aliceId];
  const received = (await bob.raw.userMessages.list(aliceId)).messages;
  out.received = received.map((m) => ({ type: m.type, text: m.text, unread: m.unread }));
  out.pushed = events.newMessage.map((m) => m.text);
  out.markForeign = await post(alice, '/api/user/messages/mark-read', { id: received[0]._id });
  await bob.raw.userMessages.markRead(received[0]._id);
  out.unreadAfter = (await bob.raw.userMessages.unreadCount()).count;
  for (let i = 0; i < 200 && !events.thread.some((m) => m.unread === false); i++) await sleep(50);
  out.readPushed = events.thread.some((m) => m._id === received[0]._id && m.unread === false);
  const sent = (await alice.raw.userMessages.list(bobId)).messages;
  out.sent = sent.map((m) => ({ type: m.type, text: m.text, unread: m.unread }));
  const money = await alice.raw.user.moneyHistory(0);
  out.money = { page: money.page, list: money.list, hasMore: money.hasMore };
  bob.socket.disconnect();
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
