// Code branches through the real `screeps-api` client, as deploy tools and the client's
// script editor use them: list, clone, upload to a branch that does not run, switch the
// active branch, delete.
// Usage: node screeps_api_branches.js URL USER PASSWORD   (NODE_PATH points at node_modules)
'use strict';
const { signIn } = require('./screeps_client');

const attempt = async (f) => { try { await f(); return 'ok'; } catch (e) { return 'refused'; } };

(async () => {
  const [, , url, user, password] = process.argv;
  const api = await signIn(url, user, password);
  const names = async () => (await api.raw.user.branches()).list.map((b) => b.branch + (b.activeWorld ? '*' : ''));
  const out = {};
  out.start = await names();
  await api.raw.user.cloneBranch('default', 'dev');
  out.cloned = await names();
  out.missing = await attempt(() => api.code.set('nope', { main: 'x' }));
  await api.code.set('dev', { main: 'module.exports.loop = function () { console.log("dev branch") }' });
  out.devCode = (await api.code.get('dev')).modules.main;
  // The list carries each branch's modules, as the client's script editor reads them.
  const listed = (await api.raw.user.branches()).list.find((b) => b.branch === 'dev');
  out.listedDev = listed.modules.main;
  out.activeCode = (await api.code.get('$activeWorld')).modules.main;
  out.sim = await attempt(() => api.raw.user.setActiveBranch('dev', 'activeSim'));
  await api.raw.user.setActiveBranch('dev', 'activeWorld');
  out.switched = await names();
  out.deleteActive = await attempt(() => api.raw.user.deleteBranch('dev'));
  out.deleteOld = await attempt(() => api.raw.user.deleteBranch('default'));
  out.end = await names();
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
