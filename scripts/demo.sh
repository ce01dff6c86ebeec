#!/usr/bin/env bash
# The README's main command: `isoshard demo` on embedded storage with the sample bots.
# Extra arguments go to `isoshard demo` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f ../shared/v8/install.sh ]; then
  bash ../shared/v8/install.sh >/dev/null
fi
exec cargo run --release --quiet -p isoshard-cli --bin isoshard -- demo "$@"
