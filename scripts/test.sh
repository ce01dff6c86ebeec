#!/usr/bin/env bash
# The README's test command. Installs what the tests need and is missing, then runs them all.
# - V8: on machines that cannot download rusty_v8's archive, ../shared/v8/install.sh primes
#   cargo's cache (elsewhere the v8 build script downloads it).
# - npm packages, into target/npm: lodash 3.10.1 and @screeps/common 2.16.1 (tests check the
#   copies bundled in player-api/js/vendor/ are these files), @types/screeps (a test checks
#   every global it declares exists with its declared value), typescript (reads @types/screeps'
#   methods with its parser, and compiles the sample TypeScript bot),
#   screeps-api (a real deploy client against `isoshard serve`), playwright-core (drives the
#   browser for the viewer test); and, into target/npm-tools, rollup with
#   rollup-plugin-screeps and screeps-multimeter (players' tools tested against the server).
# - Chromium (Debian's `chromium` package) for the viewer test, when /usr/bin/chromium is
#   missing and apt-get is available. The test fails, naming the package, if it is still absent.
# - Prometheus (Debian's `prometheus` package: promtool and the server) for the metrics test,
#   the same way.
# - Redis (Debian's `redis-server`) for the Redis storage tests, the same way. The tests start
#   their own servers (a Unix socket in a temporary directory each); nothing listens on a port.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f ../shared/v8/install.sh ]; then
  bash ../shared/v8/install.sh
fi
npm_dir=target/npm
want=(lodash/index.js screeps-api/package.json playwright-core/package.json
  @screeps/common/lib/constants.js @types/screeps/index.d.ts typescript/bin/tsc)
missing=0
for f in "${want[@]}"; do [ -f "$npm_dir/node_modules/$f" ] || missing=1; done
if [ "$missing" = 1 ]; then
  command -v npm >/dev/null || { echo "npm is needed to install the test packages (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$npm_dir"
  npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error lodash@3.10.1 screeps-api@1.16.1 playwright-core@1 \
    @screeps/common@2.16.1 @types/screeps@3.4.0 typescript@5.9.3
fi
# The players' tools the server must serve unchanged, in a prefix of their own (they bring
# lodash 4, which must not replace Screeps' lodash 3 above): rollup with
# rollup-plugin-screeps, and screeps-multimeter (driven under a pseudo-terminal by python3).
tools_dir=target/npm-tools
if [ ! -f "$tools_dir/node_modules/rollup-plugin-screeps/package.json" ] || \
   [ ! -f "$tools_dir/node_modules/screeps-multimeter/package.json" ] || \
   [ ! -f "$tools_dir/node_modules/rollup/package.json" ]; then
  command -v npm >/dev/null || { echo "npm is needed to install the test packages (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$tools_dir"
  npm install --prefix "$tools_dir" --no-audit --no-fund --loglevel=error rollup@2.80.0 \
    rollup-plugin-screeps@1.0.1 screeps-multimeter@2.1.1
fi
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the viewer test" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || \
    echo "could not install chromium; the viewer test will fail naming the package" >&2
fi
if [ ! -x /usr/bin/promtool ] && command -v apt-get >/dev/null; then
  echo "installing Debian's prometheus (promtool and a server) for the metrics test" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null || \
    echo "could not install prometheus; the metrics test will fail naming the package" >&2
fi
if ! command -v redis-server >/dev/null && command -v apt-get >/dev/null; then
  echo "installing Debian's redis-server for the Redis storage tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null || \
    echo "could not install redis-server; the Redis tests will fail naming the package" >&2
fi
export ISOSHARD_LODASH="$PWD/$npm_dir/node_modules/lodash/index.js"
export ISOSHARD_NPM="$PWD/$npm_dir/node_modules"
cargo test --workspace "$@"
