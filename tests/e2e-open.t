#!/bin/sh
# End-to-end tests of open traffic: real servers on 127.0.0.1 (a thread per
# request, a pool of 4, a single thread, an asyncio event loop, two routes),
# an open-loop client with Poisson arrivals, and skew-parse | skew-align |
# skew-fit on the client's arrival log, the server's own stamps and its
# nginx- and Apache-shaped access logs.  See tests/e2e/e2e_open.py.
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/e2e_open.py
