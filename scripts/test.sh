#!/usr/bin/env bash
# The README's test command. Installs what the tests need and is missing, then runs them all.
# - V8: on machines that cannot download rusty_v8's archive, ../shared/v8/install.sh primes
#   cargo's cache (elsewhere the v8 build script downloads it).
# - lodash 3.10.1 (the tutorial-bot test preloads it; never vendored): npm, into target/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f ../shared/v8/install.sh ]; then
  bash ../shared/v8/install.sh
fi
if [ ! -f target/npm/node_modules/lodash/index.js ]; then
  command -v npm >/dev/null || { echo "npm is needed to install lodash@3.10.1 for the tests (apt-get install npm)" >&2; exit 1; }
  mkdir -p target/npm
  npm install --prefix target/npm --no-audit --no-fund --loglevel=error lodash@3.10.1
fi
export ISOSHARD_LODASH="$PWD/target/npm/node_modules/lodash/index.js"
cargo test --workspace "$@"
