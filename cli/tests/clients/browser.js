// What the browser checks share: launching Debian's chromium through playwright-core, and
// reading canvas pixels (a tile's centre, and the colour a player's creeps are drawn in).
'use strict';
const { chromium } = require('playwright-core');

exports.launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// RGBA at the centre of tile (x, y) of the room canvas.
exports.tilePixel = (page, x, y) => page.evaluate(([px, py]) =>
  Array.from(document.getElementById('room').getContext('2d').getImageData(px * 10 + 5, py * 10 + 5, 1, 1).data),
[Number(x), Number(y)]);

// RGBA of the owner colour, rendered the same way the page renders it.
exports.ownerPixel = (page, owner) => page.evaluate((name) => {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const g = c.getContext('2d');
  g.fillStyle = window.isoshardOwnerColor(name);
  g.fillRect(0, 0, 1, 1);
  return Array.from(g.getImageData(0, 0, 1, 1).data);
}, owner);

// Runs `main`, printing its result as one JSON line; exit 1 with the stack on failure.
// Exits explicitly: a socket the server dropped can keep node's event loop alive for minutes.
exports.run = (main) => {
  // The event loop emptied while `main` was still waiting: nothing can settle it any more.
  process.on('beforeExit', () => {
    console.error('main never finished: it waited on something no open handle can settle');
    process.exit(1);
  });
  return main().then((result) => {
    process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
  }).catch((e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  });
};
