// Loads the web viewer in headless Chromium (playwright-core driving Debian's chromium),
// waits for the tick counter to advance, and reads the canvas pixel at a tile.
// Usage: node viewer_check.js URL ROOM X Y OWNER   (CHROMIUM: browser path; NODE_PATH: node_modules)
'use strict';
const { chromium } = require('playwright-core');

(async () => {
  const [, , url, room, x, y, owner] = process.argv;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/?room=${encodeURIComponent(room)}`);
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('tick').textContent), null, { timeout: 30000 });
    const t1 = Number(await page.textContent('#tick'));
    await page.waitForFunction((t) => Number(document.getElementById('tick').textContent) > t + 2, t1, { timeout: 30000 });
    const t2 = Number(await page.textContent('#tick'));
    await page.waitForFunction(() => document.getElementById('room').dataset.tick !== undefined, null, { timeout: 30000 });
    const pixel = await page.evaluate(([px, py]) =>
      Array.from(document.getElementById('room').getContext('2d').getImageData(px * 10 + 5, py * 10 + 5, 1, 1).data), [Number(x), Number(y)]);
    const expected = await page.evaluate((name) => {
      const c = document.createElement('canvas');
      c.width = c.height = 1;
      const g = c.getContext('2d');
      g.fillStyle = window.isoshardOwnerColor(name);
      g.fillRect(0, 0, 1, 1);
      return Array.from(g.getImageData(0, 0, 1, 1).data);
    }, owner);
    console.log(JSON.stringify({ t1, t2, pixel, expected, selected: await page.$eval('#rooms', (s) => s.value) }));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
