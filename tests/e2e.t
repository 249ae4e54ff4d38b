#!/bin/sh
# End-to-end tests: real HTTP servers on 127.0.0.1 (threading, one at a
# time, a pool of 4, and several runs on one server), a real client, then
# skew-parse | skew-align | skew-fit and `skew -t json`, checked against the
# client's own clock and against tests/ref_fit.py.  See tests/e2e/e2e.py.
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/e2e.py
