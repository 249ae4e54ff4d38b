#!/bin/sh
# Many hosts end to end: two real servers on 127.0.0.1, one host's arrival
# log shifted by a known offset, the logs parsed in parallel, then
# --offset SRC=DURATION and --offset auto.  See tests/e2e/hosts.py.
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/hosts.py
