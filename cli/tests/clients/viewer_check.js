// Loads the live web viewer in headless Chromium, waits for the tick counter to advance, and
// reads the canvas pixel at a tile; with a TOKEN, also waits for the player's RoomVisual to be
// drawn and reads tile (1, 1) under it.
// Usage: node viewer_check.js URL ROOM X Y OWNER [TOKEN]   (CHROMIUM: browser path; NODE_PATH: node_modules)
'use strict';
const { launch, tilePixel, ownerPixel, run } = require('./browser');

run(async () => {
  const [, , url, room, x, y, owner, token] = process.argv;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/?room=${encodeURIComponent(room)}` + (token ? `&token=${encodeURIComponent(token)}` : ''));
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('tick').textContent), null, { timeout: 30000 });
    const t1 = Number(await page.textContent('#tick'));
    await page.waitForFunction((t) => Number(document.getElementById('tick').textContent) > t + 2, t1, { timeout: 30000 });
    const t2 = Number(await page.textContent('#tick'));
    await page.waitForFunction(() => document.getElementById('room').dataset.tick !== undefined, null, { timeout: 30000 });
    let visualCalls = null, visualPixel = null;
    if (token) {
      await page.waitForFunction(() => Number(document.getElementById('room').dataset.visualCalls) > 0, null, { timeout: 30000 });
      visualCalls = Number(await page.$eval('#room', (c) => c.dataset.visualCalls));
      visualPixel = await tilePixel(page, 1, 1);
    }
    return {
      t1, t2, visualCalls, visualPixel,
      pixel: await tilePixel(page, x, y),
      expected: await ownerPixel(page, owner),
      selected: await page.$eval('#rooms', (s) => s.value),
    };
  } finally {
    await browser.close();
  }
});
