// Loads the live web viewer in headless Chromium, waits for the tick counter to advance, and
// reads the canvas pixel at a tile; with a TOKEN, also waits for the player's RoomVisual to be
// drawn and reads tile (1, 1) under it, clicks the tile to inspect what stands there, sends a
// console command from the input line and waits for its result, opens the world map and
// reads the colour of the player's room there, and saves screenshots of the room and the map
// into SHOTS.
// Usage: node viewer_check.js URL ROOM X Y OWNER [TOKEN SHOTS]   (CHROMIUM: browser path; NODE_PATH: node_modules)
'use strict';
const { launch, tilePixel, ownerPixel, run } = require('./browser');

run(async () => {
  const [, , url, room, x, y, owner, token, shots] = process.argv;
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${url}/?room=${encodeURIComponent(room)}` + (token ? `&token=${encodeURIComponent(token)}` : ''));
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('tick').textContent), null, { timeout: 30000 });
    const t1 = Number(await page.textContent('#tick'));
    await page.waitForFunction((t) => Number(document.getElementById('tick').textContent) > t + 2, t1, { timeout: 30000 });
    const t2 = Number(await page.textContent('#tick'));
    await page.waitForFunction(() => document.getElementById('room').dataset.tick !== undefined, null, { timeout: 30000 });
    const out = {
      t1, t2,
      pixel: await tilePixel(page, x, y),
      expected: await ownerPixel(page, owner),
      selected: await page.$eval('#rooms', (s) => s.value),
    };
    if (!token) return out;
    await page.waitForFunction(() => Number(document.getElementById('room').dataset.visualCalls) > 0, null, { timeout: 30000 });
    out.visualCalls = Number(await page.$eval('#room', (c) => c.dataset.visualCalls));
    // Signed in, the room is drawn from the Screeps socket.
    await page.waitForFunction(() => document.getElementById('room').dataset.source === 'socket', null, { timeout: 30000 });
    out.source = await page.$eval('#room', (c) => c.dataset.source);
    out.socketPixel = await tilePixel(page, x, y);
    out.visualPixel = await tilePixel(page, 1, 1);
    // Click the creep's tile: the inspector shows what stands there.
    const box = await page.$eval('#room', (c) => { const r = c.getBoundingClientRect(); return { left: r.left, top: r.top }; });
    await page.mouse.click(box.left + Number(x) * 10 + 5, box.top + Number(y) * 10 + 5);
    out.inspected = JSON.parse(await page.textContent('#inspect'));
    await page.screenshot({ path: `${shots}/room.png` });
    // A console command typed into the page comes back as a result line.
    await page.fill('#console-input', "'viewer-' + (6 * 7)");
    await page.press('#console-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('console').textContent.includes('viewer-42'), null, { timeout: 30000 });
    out.resultClass = await page.$eval('#console', (c) => Array.from(c.children).find((d) => d.textContent === 'viewer-42').className);
    out.cpu = await page.textContent('#cpu');
    // The world map: the player's room in their colour.
    await page.click('#show-map');
    await page.waitForFunction(() => Number(document.getElementById('map').dataset.rooms) > 0, null, { timeout: 30000 });
    await page.waitForFunction((r) => (window.isoshardMapCells || []).some((c) => c.name === r), room, { timeout: 30000 });
    out.mapPixel = await page.evaluate((r) => {
      const c = window.isoshardMapCells.find((m) => m.name === r);
      const g = document.getElementById('map').getContext('2d');
      return Array.from(g.getImageData(c.px + c.cell - 6, c.py + c.cell - 6, 1, 1).data);
    }, room);
    await page.screenshot({ path: `${shots}/map.png` });
    return out;
  } finally {
    await browser.close();
  }
});
