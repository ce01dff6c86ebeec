// What the screeps-api scripts share: a client for a shard's URL, signed in with a name and
// password as deploy tools and Grafana agents sign in.
'use strict';
const { ScreepsAPI } = require('screeps-api');

exports.signIn = async (url, user, password) => {
  const u = new URL(url);
  const api = new ScreepsAPI({ protocol: u.protocol.replace(':', ''), hostname: u.hostname, port: Number(u.port), path: '/' });
  await api.auth(user, password);
  return api;
};
