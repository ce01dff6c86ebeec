// Draws one room on a 500×500 canvas (10 px per tile). Shared by the live viewer (`serve`)
// and the replay viewer (`replay serve`), so both show a tick the same way.
'use strict';
(function () {
  const TILE = 10;

  // FNV-1a of the owner name → hue. The browser tests compute the expected pixel with it.
  function ownerColor(name) {
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return 'hsl(' + (h % 360) + ', 90%, 55%)';
  }

  const ORDER = { road: 0, constructionSite: 1, energy: 2, tombstone: 2, source: 3, mineral: 3, controller: 3, extension: 4, spawn: 4, container: 4, tower: 4, storage: 4, constructedWall: 4, creep: 5 };

  // `terrain`: 2 500 digits (0 plain, 1 wall, 2 swamp); `room`: a RoomView ({tick, objects}).
  function drawRoom(canvas, terrain, room) {
    const ctx = canvas.getContext('2d');
    for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) {
      const t = terrain.charCodeAt(y * 50 + x) - 48;
      ctx.fillStyle = t === 1 ? '#111' : t === 2 ? '#2b3b1f' : '#2f2f2f';
      ctx.fillRect(x * TILE, y * TILE, TILE, TILE);
    }
    const objects = room.objects.slice().sort((a, b) => (ORDER[a.type] || 0) - (ORDER[b.type] || 0));
    for (const o of objects) {
      const cx = o.x * TILE + TILE / 2, cy = o.y * TILE + TILE / 2;
      if (o.type === 'creep') {
        ctx.fillStyle = ownerColor(o.owner || '');
        ctx.beginPath(); ctx.arc(cx, cy, TILE * 0.45, 0, Math.PI * 2); ctx.fill();
      } else if (o.type === 'source') { ctx.fillStyle = '#ffe56d'; ctx.fillRect(o.x * TILE + 1, o.y * TILE + 1, TILE - 2, TILE - 2); }
      else if (o.type === 'controller') { ctx.fillStyle = '#8e8e8e'; ctx.fillRect(o.x * TILE, o.y * TILE, TILE, TILE); }
      else if (o.type === 'mineral') { ctx.fillStyle = '#aaaaff'; ctx.fillRect(o.x * TILE + 2, o.y * TILE + 2, TILE - 4, TILE - 4); }
      else if (o.type === 'road') { ctx.fillStyle = '#555'; ctx.fillRect(o.x * TILE + 3, o.y * TILE + 3, TILE - 6, TILE - 6); }
      else if (o.type === 'energy') { ctx.fillStyle = '#f5d300'; ctx.fillRect(cx - 2, cy - 2, 4, 4); }
      else if (o.type === 'constructionSite') { ctx.strokeStyle = '#aaa'; ctx.strokeRect(o.x * TILE + 2, o.y * TILE + 2, TILE - 4, TILE - 4); }
      else { ctx.fillStyle = o.owner ? ownerColor(o.owner) : '#999'; ctx.globalAlpha = 0.6; ctx.fillRect(o.x * TILE, o.y * TILE, TILE, TILE); ctx.globalAlpha = 1; }
    }
    canvas.dataset.tick = room.tick;
  }

  // A player's RoomVisual text (one JSON line per draw call, screeps/engine rooms.js) over the
  // room, with the Screeps client's defaults for styles a call leaves out. Game coordinates
  // are tile centres. Returns how many calls were drawn.
  function drawVisual(canvas, text) {
    const ctx = canvas.getContext('2d');
    const px = (v) => (v + 0.5) * TILE;
    let drawn = 0;
    for (const line of (text || '').split('\n')) {
      if (!line) continue;
      let v;
      try { v = JSON.parse(line); } catch (e) { continue; }
      const s = v.s || {};
      ctx.save();
      ctx.globalAlpha = s.opacity === undefined ? 0.5 : s.opacity;
      if (v.t === 'c') {
        ctx.beginPath(); ctx.arc(px(v.x), px(v.y), (s.radius || 0.15) * TILE, 0, Math.PI * 2);
        ctx.fillStyle = s.fill || '#ffffff'; ctx.fill();
        if (s.stroke) { ctx.strokeStyle = s.stroke; ctx.lineWidth = (s.strokeWidth || 0.1) * TILE; ctx.stroke(); }
      } else if (v.t === 'l') {
        ctx.beginPath(); ctx.moveTo(px(v.x1), px(v.y1)); ctx.lineTo(px(v.x2), px(v.y2));
        ctx.strokeStyle = s.color || '#ffffff'; ctx.lineWidth = (s.width || 0.1) * TILE; ctx.stroke();
      } else if (v.t === 'r') {
        ctx.fillStyle = s.fill || '#ffffff'; ctx.fillRect(px(v.x), px(v.y), v.w * TILE, v.h * TILE);
        if (s.stroke) { ctx.strokeStyle = s.stroke; ctx.lineWidth = (s.strokeWidth || 0.1) * TILE; ctx.strokeRect(px(v.x), px(v.y), v.w * TILE, v.h * TILE); }
      } else if (v.t === 'p' && Array.isArray(v.points) && v.points.length) {
        ctx.beginPath();
        v.points.forEach((p, i) => (i ? ctx.lineTo(px(p[0]), px(p[1])) : ctx.moveTo(px(p[0]), px(p[1]))));
        if (s.fill) { ctx.fillStyle = s.fill; ctx.fill(); }
        ctx.strokeStyle = s.stroke || '#ffffff'; ctx.lineWidth = (s.strokeWidth || 0.1) * TILE; ctx.stroke();
      } else if (v.t === 't') {
        ctx.fillStyle = s.color || '#ffffff';
        ctx.font = typeof s.font === 'string' ? s.font : ((typeof s.font === 'number' ? s.font : 0.5) * TILE) + 'px sans-serif';
        ctx.textAlign = s.align || 'center';
        ctx.fillText(String(v.text), px(v.x), px(v.y));
      } else {
        ctx.restore();
        continue;
      }
      ctx.restore();
      drawn++;
    }
    canvas.dataset.visualCalls = String(drawn);
    return drawn;
  }

  window.isoshardDrawVisual = drawVisual;
  window.isoshardOwnerColor = ownerColor;
  window.isoshardDrawRoom = drawRoom;
})();
