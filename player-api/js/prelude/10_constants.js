  // js/prelude/10_constants.js: Screeps constants. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- constants: screeps/common 2.16.1's lib/constants.js, unchanged ----
  // The next part is that file (js/vendor/screeps-common-2.16.1-constants.js, ISC licence in
  // js/vendor/screeps-common-LICENSE.txt): every constant of the real game with the real game's
  // values, also those of things this world does not model yet. It fills `exports`.
  const C = (function screepsConstants() {
    const exports = {};
