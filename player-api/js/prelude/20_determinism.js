  // js/prelude/20_determinism.js: deterministic Math.random and Date. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- deterministic Math.random and Date ----
  let rngA = 1, rngB = 2;
  function seedRandom(hi, lo) { rngA = (hi | 0) || 0x9e3779b9; rngB = (lo | 0) || 0x7f4a7c15; }
  Math.random = function random() {
    // xorshift64 over two 32-bit halves
    let a = rngA, b = rngB;
    a ^= a << 23; a ^= a >>> 17; a ^= b; a ^= b >>> 26;
    rngA = b; rngB = a;
    return ((rngA + rngB) >>> 0) / 4294967296;
  };
  const RealDate = Date;
  let fakeNow = 0;
  class GameDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(fakeNow); else super(...args); }
    static now() { return fakeNow; }
  }
  global.Date = GameDate;
