// Loads the live web viewer in headless Chromium, waits for the tick counter to advance, and
// reads the canvas pixel at a tile.
// Usage: node viewer_check.js URL ROOM X Y OWNER   (CHROMIUM: browser path; NODE_PATH: node_modules)
'use strict';
const { launch, tilePixel, ownerPixel, run } = require('./browser');

run(async () => {
  const [, , url, room, x, y, owner] = process.argv;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/?room=${encodeURIComponent(room)}`);
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('tick').textContent), null, { timeout: 30000 });
    const t1 = Number(await page.textContent('#tick'));
    await page.waitForFunction((t) => Number(document.getElementById('tick').textContent) > t + 2, t1, { timeout: 30000 });
    const t2 = Number(await page.textContent('#tick'));
    await page.waitForFunction(() => document.getElementById('room').dataset.tick !== undefined, null, { timeout: 30000 });
    return {
      t1, t2,
      pixel: await tilePixel(page, x, y),
      expected: await ownerPixel(page, owner),
      selected: await page.$eval('#rooms', (s) => s.value),
    };
  } finally {
    await browser.close();
  }
});
