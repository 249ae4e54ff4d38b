#!/bin/sh
# Golden tests, table-driven: every directory testdata/golden/NAME holds
#   cmd     one shell command line, run from the top of the tree with the
#           programs under test first on PATH and LC_ALL=C
#   out     its standard output, byte for byte
#   err     its standard error, byte for byte (absent: not compared)
#   status  its exit status (absent: 0)
# UPDATE_GOLDEN=1 rewrites out/err/status from what the programs do now:
# read the diff before committing it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
: "${SKEW_BIN:=$top/build}"
PATH=$SKEW_BIN:$PATH
LC_ALL=C
export PATH LC_ALL
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

cases=$(ls -d testdata/golden/*/ 2>/dev/null | sed 's:/$::')
n=$(echo "$cases" | grep -c .)
echo "1..$n"
i=0
fail=0
for c in $cases; do
	i=$((i + 1))
	name=${c##*/}
	sh -c "$(cat "$c/cmd")" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/out" "$c/out"
		[ -f "$c/err" ] || [ -s "$tmp/err" ] && cp "$tmp/err" "$c/err"
		if [ "$st" != 0 ]; then echo "$st" >"$c/status"; else rm -f "$c/status"; fi
	fi
	want=0
	[ -f "$c/status" ] && want=$(cat "$c/status")
	why=""
	[ "$st" = "$want" ] || why="exit status $st, expected $want"
	cmp -s "$tmp/out" "$c/out" || why="$why${why:+; }stdout differs"
	if [ -f "$c/err" ]; then
		cmp -s "$tmp/err" "$c/err" || why="$why${why:+; }stderr differs"
	fi
	if [ -z "$why" ]; then
		echo "ok $i - $name"
	else
		fail=$((fail + 1))
		echo "not ok $i - $name: $why"
		echo "#   command: $(cat "$c/cmd")"
		diff "$c/out" "$tmp/out" 2>&1 | head -20 | sed 's/^/#   /'
		[ -f "$c/err" ] && diff "$c/err" "$tmp/err" 2>&1 | head -10 | sed 's/^/#   /'
	fi
done
[ "$fail" = 0 ]
