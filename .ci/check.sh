#!/bin/sh
# make check, step by step: each step's output goes to the terminal and to
# BUILD/check-STEP.log.  The last lines say either the total of the prove
# runs (the suite, the suite under the sanitizers, the package's checks:
# "N passed, 0 failed") or which step failed and, for a test step, which
# test files.
#
#   sh .ci/check.sh MAKE BUILD FUZZ_TOTAL     (as the Makefile calls it)
set -u
make=$1 build=$2 fuzz_total=$3
mkdir -p "$build"
rm -f "$build"/check-*.log "$build"/check-*.rc

failed() {	# failed STEP WHAT
	log=$build/check-$1.log
	echo
	echo "check: FAILED in step '$1': $2 (log: $log)"
	if [ "$1" = test ] || [ "$1" = asan ] || [ "$1" = portable ] ||
	    [ "$1" = deb ]; then
		files=$(grep -E '^[^ ].* \(Wstat: [0-9]+' "$log" | sed 's/ *(Wstat.*//' | sort -u)
		[ -n "$files" ] && echo "check: failing test files:" $files
		grep -E '^Files=[0-9]+, Tests=' "$log" | tail -1
	fi
	exit 1
}
step() {	# step NAME WHAT COMMAND...: run, log, stop at a failure
	name=$1 what=$2; shift 2
	{ "$@" 2>&1; echo $? >"$build/check-$name.rc"; } | tee "$build/check-$name.log"
	[ "$(cat "$build/check-$name.rc")" = 0 ] || failed "$name" "$what"
}

step deps "installing the build and test dependencies (.ci/deps.sh)" \
    sh -c 'sh .ci/deps.sh build && sh .ci/deps.sh test'
step build "building the programs and tests" $make all tests-built
step test "the test suite" $make test
step asan "the test suite under ASan+UBSan (build and run)" $make asan
step portable "the test suite on the portable code paths, __SSE2__ undefined (build and run)" \
    $make portable
step fuzz "the bounded fuzz run" $make fuzz-bounded FUZZ_TOTAL="$fuzz_total"
step deb "the Debian package: built, lintian, its files and programs (.ci/deb.t)" \
    $make deb-check

n=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' \
    "$build/check-test.log" "$build/check-asan.log" \
    "$build/check-portable.log" "$build/check-deb.log" |
    awk '{ s += $1 } END { print s }')
echo "check: the tests, the tests under ASan+UBSan, the tests on the portable" \
    "code paths, fuzzing and the package's checks passed"
echo "$n passed, 0 failed"
