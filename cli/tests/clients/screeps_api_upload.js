// Drives a running shard with the real `screeps-api` npm client, the way deploy tools do:
// sign in with name and password, read /api/auth/me, upload code, read it back.
// Usage: node screeps_api_upload.js URL USER PASSWORD   (NODE_PATH points at node_modules)
'use strict';
const { signIn } = require('./screeps_client');

(async () => {
  const [, , url, user, password] = process.argv;
  const api = await signIn(url, user, password);
  const me = await api.me();
  const main = 'module.exports.loop = function () { console.log("deployed with screeps-api") }';
  const set = await api.code.set('default', { main });
  const got = await api.code.get('default');
  console.log(JSON.stringify({ username: me.username, id: me._id, set_ok: set.ok, main: got.modules.main }));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
