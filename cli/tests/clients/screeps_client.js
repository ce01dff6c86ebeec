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

// POSTs `body` to `path` as the client `api` signed in, and reads the answer itself:
// screeps-api turns an error body into "[object Object]". "accepted", or "<status> <error>".
exports.postRaw = async (url, api, path, body) => {
  const r = await fetch(url.replace(/\/$/, '') + path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'X-Token': api.token, 'X-Username': api.token },
  });
  const answer = await r.json();
  return answer.error ? `${r.status} ${answer.error}` : 'accepted';
};
