#!/bin/sh
# The article's excerpts (testdata/article/) through skew-parse | skew-align |
# skew-fit --service-time 10,10,30,30,30 --concurrency 4,100,100,200,200 and
# through `skew -t json`, checked against the article's figures and against
# tests/ref_fit.py (see tests/e2e/article.py, testdata/article/EXPECTED.md).
# SKEW_BIN: directory of the built programs (default ./build).
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not found"
	exit 0
fi
exec python3 -B tests/e2e/article.py
