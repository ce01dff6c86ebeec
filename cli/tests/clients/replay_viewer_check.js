// Drives the replay viewer in headless Chromium (playwright-core + Debian's chromium): seek to
// a tick with the tick box, read the canvas pixel at a creep's tile, step forward and back,
// play and pause, and ask for a tick past the end.
// Usage: node replay_viewer_check.js URL ROOM TICK X Y OWNER   (CHROMIUM, NODE_PATH as usual)
'use strict';
const { launch, tilePixel, ownerPixel, run } = require('./browser');

run(async () => {
  const [, , url, room, tickArg, x, y, owner] = process.argv;
  const tick = Number(tickArg);
  const browser = await launch();
  const shown = (t) => page.waitForFunction((want) =>
    document.getElementById('tick').textContent === String(want) &&
    document.getElementById('room').dataset.tick === String(want), t, { timeout: 30000 });
  const onScreen = async () => Number(await page.textContent('#tick'));
  let page;
  try {
    page = await browser.newPage();
    await page.goto(`${url}/?room=${encodeURIComponent(room)}`);
    // Opens at the first recorded tick.
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('tick').textContent), null, { timeout: 30000 });
    const opened = await onScreen();
    const last = Number(await page.textContent('#last'));

    await page.fill('#goto', String(tick));
    await page.click('#go');
    await shown(tick);
    const pixel = await tilePixel(page, x, y);
    const expected = await ownerPixel(page, owner);
    const hashAtTick = await page.textContent('#hash');
    const intentsText = await page.textContent('#intents');

    await page.click('#step');
    await shown(tick + 1);
    const hashAfterStep = await page.textContent('#hash');
    await page.click('#back');
    await shown(tick);
    const hashAfterBack = await page.textContent('#hash');

    await page.selectOption('#speed', '30');
    await page.click('#play');
    await page.waitForFunction((t) => Number(document.getElementById('tick').textContent) >= t + 5, tick, { timeout: 30000 });
    await page.click('#play');
    await page.waitForTimeout(300);
    const paused = await onScreen();
    await page.waitForTimeout(700);
    const stillPaused = await onScreen();

    await page.fill('#goto', String(last + 10));
    await page.click('#go');
    await page.waitForFunction(() => document.getElementById('error').textContent.length > 0, null, { timeout: 30000 });
    const error = await page.textContent('#error');

    return {
      opened, last, pixel, expected, hashAtTick, hashAfterStep, hashAfterBack, intentsText, paused, stillPaused, error,
      selected: await page.$eval('#rooms', (s) => s.value),
    };
  } finally {
    await browser.close();
  }
});
