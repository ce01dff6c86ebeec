// Draws one room on a 500×500 canvas (10 px per tile). Shared by the live viewer (`serve`)
// and the replay viewer (`replay serve`), so both show a tick the same way.
'use strict';
(function () {
  const TILE = 10;

  // Owner colours. A page that knows the players' ids (`isoshardSetPlayers`) gives each its
  // own: hues a golden angle apart, lightness alternating, so 32 players stay apart. Without
  // ids (the replay viewer) the hue is FNV-1a of the name.
  const playerIds = new Map();
  function setPlayers(players) {
    playerIds.clear();
    for (const p of players || []) playerIds.set(p.name, Number(p.id));
  }
  function ownerColor(name) {
    const id = playerIds.get(name);
    if (id !== undefined) {
      const hue = Math.round((id * 137.508) % 360);
      return 'hsl(' + hue + ', 85%, ' + (id % 2 ? 58 : 70) + '%)';
    }
    let h = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return 'hsl(' + (h % 360) + ', 90%, 55%)';
  }

  const ORDER = { road: 0, constructionSite: 1, energy: 2, tombstone: 2, ruin: 2, source: 3, mineral: 3, controller: 3, rampart: 6, creep: 5 };
  const structureOrder = (t) => (ORDER[t] === undefined ? 4 : ORDER[t]);

  // Each structure type its own shape, so a room reads at a glance; owned ones carry their
  // owner's colour.
  function drawStructure(ctx, o, x0, y0) {
    const T = TILE, cx = x0 + T / 2, cy = y0 + T / 2;
    const own = o.owner ? ownerColor(o.owner) : '#bbbbbb';
    const disc = (r, fill) => { ctx.fillStyle = fill; ctx.beginPath(); ctx.arc(cx, cy, r, 0, Math.PI * 2); ctx.fill(); };
    const ring = (r, color, w) => { ctx.strokeStyle = color; ctx.lineWidth = w; ctx.beginPath(); ctx.arc(cx, cy, r, 0, Math.PI * 2); ctx.stroke(); };
    const diamond = (r, fill) => { ctx.fillStyle = fill; ctx.beginPath(); ctx.moveTo(cx, cy - r); ctx.lineTo(cx + r, cy); ctx.lineTo(cx, cy + r); ctx.lineTo(cx - r, cy); ctx.closePath(); ctx.fill(); };
    switch (o.type) {
      case 'source': ctx.fillStyle = '#ffe56d'; ctx.fillRect(x0 + 1, y0 + 1, T - 2, T - 2); ctx.strokeStyle = '#6b5a00'; ctx.lineWidth = 1; ctx.strokeRect(x0 + 1.5, y0 + 1.5, T - 3, T - 3); break;
      case 'mineral': diamond(T * 0.45, '#aaaaff'); break;
      case 'controller': disc(T * 0.5, '#555'); ring(T * 0.4, own, 2); break;
      case 'road': ctx.fillStyle = '#6b6b6b'; ctx.fillRect(x0 + 3, y0 + 3, T - 6, T - 6); break;
      case 'constructedWall': ctx.fillStyle = '#050505'; ctx.fillRect(x0, y0, T, T); ctx.strokeStyle = '#666'; ctx.strokeRect(x0 + 1, y0 + 1, T - 2, T - 2); break;
      case 'rampart': ctx.strokeStyle = own; ctx.lineWidth = 2; ctx.strokeRect(x0 + 1, y0 + 1, T - 2, T - 2); break;
      case 'spawn': disc(T * 0.5, '#222'); disc(T * 0.32, own); break;
      case 'extension': disc(T * 0.3, own); break;
      case 'tower': ctx.fillStyle = own; ctx.fillRect(x0 + 1, y0 + 1, T - 2, T - 2); disc(T * 0.2, '#222'); break;
      case 'storage': ctx.fillStyle = '#222'; ctx.fillRect(x0, y0, T, T); ctx.fillStyle = own; ctx.fillRect(x0 + 2, y0 + 2, T - 4, T - 4); break;
      case 'container': ctx.strokeStyle = '#c8a26b'; ctx.lineWidth = 2; ctx.strokeRect(x0 + 2, y0 + 2, T - 4, T - 4); break;
      case 'link': diamond(T * 0.4, own); break;
      case 'terminal': diamond(T * 0.5, '#222'); diamond(T * 0.3, own); break;
      case 'lab': ring(T * 0.38, own, 2); break;
      case 'extractor': ring(T * 0.45, own, 1); break;
      case 'observer': disc(T * 0.25, own); ring(T * 0.45, '#222', 1); break;
      case 'nuker': ctx.fillStyle = own; ctx.beginPath(); ctx.moveTo(cx, y0); ctx.lineTo(x0 + T, y0 + T); ctx.lineTo(x0, y0 + T); ctx.closePath(); ctx.fill(); break;
      case 'powerSpawn': case 'factory': disc(T * 0.45, '#222'); ring(T * 0.3, own, 2); break;
      case 'keeperLair': disc(T * 0.45, '#661111'); break;
      case 'invaderCore': disc(T * 0.5, '#661111'); ring(T * 0.3, own, 2); break;
      case 'powerBank': disc(T * 0.5, '#b00020'); disc(T * 0.25, '#ff6f6f'); break;
      case 'deposit': disc(T * 0.45, '#4a6b8a'); ring(T * 0.45, '#c8d8e8', 1); break;
      case 'constructionSite': ctx.strokeStyle = own; ctx.lineWidth = 1; ctx.strokeRect(x0 + 2, y0 + 2, T - 4, T - 4); break;
      case 'energy': ctx.fillStyle = '#f5d300'; ctx.fillRect(cx - 2, cy - 2, 4, 4); break;
      case 'tombstone': case 'ruin': ctx.fillStyle = '#7a6a5a'; ctx.fillRect(cx - 3, cy - 3, 6, 6); break;
      default: ctx.fillStyle = own; ctx.globalAlpha = 0.6; ctx.fillRect(x0, y0, T, T); ctx.globalAlpha = 1;
    }
  }

  // How much energy an object carries (its store's energy), for the creep's inner dot.
  function carried(o) {
    const store = o.store;
    if (!store) return 0;
    if (Array.isArray(store)) { const e = store.find((p) => p[0] === 'energy'); return e ? e[1] : 0; }
    return store.energy || 0;
  }

  // `terrain`: 2 500 digits (0 plain, 1 wall, 2 swamp); `room`: a RoomView ({tick, objects}).
  function drawRoom(canvas, terrain, room) {
    const ctx = canvas.getContext('2d');
    for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) {
      const t = terrain.charCodeAt(y * 50 + x) - 48;
      ctx.fillStyle = t === 1 ? '#111' : t === 2 ? '#2b3b1f' : '#2f2f2f';
      ctx.fillRect(x * TILE, y * TILE, TILE, TILE);
    }
    const objects = room.objects.slice().sort((a, b) => structureOrder(a.type) - structureOrder(b.type));
    for (const o of objects) {
      const cx = o.x * TILE + TILE / 2, cy = o.y * TILE + TILE / 2;
      if (o.type === 'creep') {
        // The creep's whole tile centre in its owner's colour; what it carries as a dot.
        ctx.fillStyle = ownerColor(o.owner || '');
        ctx.beginPath(); ctx.arc(cx, cy, TILE * 0.45, 0, Math.PI * 2); ctx.fill();
        if (carried(o) > 0) { ctx.fillStyle = '#ffe56d'; ctx.beginPath(); ctx.arc(cx + TILE * 0.25, cy + TILE * 0.25, TILE * 0.15, 0, Math.PI * 2); ctx.fill(); }
      } else {
        drawStructure(ctx, o, o.x * TILE, o.y * TILE);
      }
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
  window.isoshardSetPlayers = setPlayers;
  window.isoshardTile = TILE;
  window.isoshardOwnerColor = ownerColor;
  window.isoshardDrawRoom = drawRoom;
})();
