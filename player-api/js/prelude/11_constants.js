  // js/prelude/11_constants.js: closes the constants part. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
    return exports;
  })();
  // Each constant is a global, as on Screeps (the same objects: a bot that changes one changes
  // what it reads back, and the world re-validates every intent anyway).
  for (const k of ObjectKeys(C)) global[k] = C[k];
