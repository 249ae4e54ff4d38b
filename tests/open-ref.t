#!/bin/sh
# Open traffic against the independent reference: synthetic, seeded logs of
# servers under Poisson arrivals (a pool of 4 and of 8, one worker, thread
# per request, a pool never reached, arrival stamped at service start, a
# shared CPU) through skew-parse | skew-align | skew-fit, each open measure
# compared with tests/ref_fit.py's.  See tests/e2e/openref.py.
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/openref.py
