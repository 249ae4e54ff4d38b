#!/bin/sh
# The traffic block of skew-fit against tests/ref_fit.py's windows: the
# open traffic of testdata/traffic/ (a simulated pool of 4, see its gen.py)
# through skew-parse | skew-align | skew-fit --window 1s, every window's N
# and X compared with the reference's exact ones, the counts, and the USL
# fitted on them; then the default window rule on both sides.
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/traffic.py
