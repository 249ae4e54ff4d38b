#!/bin/sh
# make test-locks: .ci/deps.sh must wait for a package manager's locks held
# by another process, bounded, and say what it waits for.  Run as root; it
# holds the real apt and dpkg locks for a while, so it is not part of
# `make check` (a package installation elsewhere on the machine would wait).
# TAP output, for prove or by eye.
#
# SKEW_LOCKS_FULL=1 adds the whole set-up promise: with one test dependency
# removed (libxml2-utils, so that there is something to install), a fresh
# clone's .ci/run (make check, some 5 to 10 minutes) started while the
# locks are held for 45 s must wait, install it and pass.
set -u
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }
command -v python3 >/dev/null || { echo "Bail out! python3 is needed"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
hold() {	# hold SECONDS LOCK...: hold the locks (fcntl, as apt does) in the background
	secs=$1; shift
	python3 - "$secs" "$@" >"$tmp/holder" <<'PY' &
import fcntl, os, sys, time
fds = []
for path in sys.argv[2:]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fds.append(fd)
print("held", flush=True)
time.sleep(float(sys.argv[1]))
PY
	holder=$!
	i=0
	while ! grep -q held "$tmp/holder" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || return 1; sleep 0.1
	done
}
LOCKS="/var/lib/apt/lists/lock /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock"
full=${SKEW_LOCKS_FULL:-0}
[ "$full" = 1 ] && echo "1..9" || echo "1..6"

# 1-3: the locks held for 20 s, the wait bound 300 s: it waits, says so, passes.
hold 20 $LOCKS || echo "Bail out! could not take the locks"
t0=$(date +%s)
SKEW_APT_WAIT=300 sh .ci/deps.sh locks 2>"$tmp/err1"; rc=$?
t1=$(date +%s)
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
[ $rc = 0 ] && echo "ok 1 - deps.sh passes once the locks are free" ||
    { echo "not ok 1 - deps.sh passes once the locks are free (exit $rc)"; sed 's/^/# /' "$tmp/err1"; }
[ $((t1 - t0)) -ge 15 ] && echo "ok 2 - it waited ($((t1 - t0)) s) for the holder" ||
    echo "not ok 2 - it waited for the holder (took $((t1 - t0)) s)"
grep -q 'waiting (up to 300 s in all) for a package-manager lock' "$tmp/err1" &&
    echo "ok 3 - it says what it waits for" ||
    { echo "not ok 3 - it says what it waits for"; sed 's/^/# /' "$tmp/err1"; }

# 4-6: the locks held for 60 s, the bound 10 s: it gives up with the reason.
hold 60 $LOCKS || echo "Bail out! could not take the locks"
t0=$(date +%s)
SKEW_APT_WAIT=10 sh .ci/deps.sh locks 2>"$tmp/err2"; rc=$?
t1=$(date +%s)
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
[ $rc = 2 ] && echo "ok 4 - past the bound it exits 2" ||
    echo "not ok 4 - past the bound it exits 2 (exit $rc)"
[ $((t1 - t0)) -ge 10 ] && [ $((t1 - t0)) -lt 40 ] &&
    echo "ok 5 - it gave up after the bound ($((t1 - t0)) s)" ||
    echo "not ok 5 - it gave up after the bound (took $((t1 - t0)) s)"
grep -q 'gave up after 10 s waiting for a package-manager lock: .*lock' "$tmp/err2" &&
    echo "ok 6 - the reason names the lock" ||
    { echo "not ok 6 - the reason names the lock"; sed 's/^/# /' "$tmp/err2"; }

[ "$full" = 1 ] || exit 0

# 7-9: a fresh clone's .ci/run, started while the locks are held.
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq libxml2-utils >/dev/null 2>&1
git clone -q "$PWD" "$tmp/clone" || echo "Bail out! cannot clone"
[ -d ../shared ] && cp -r ../shared "$tmp/shared"
hold 45 $LOCKS || echo "Bail out! could not take the locks"
(cd "$tmp/clone" && CI=true bash .ci/run </dev/null >"$tmp/ci.log" 2>&1); rc=$?
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
[ $rc = 0 ] && echo "ok 7 - .ci/run in a fresh clone passes with the locks held at its start" ||
    { echo "not ok 7 - .ci/run in a fresh clone passes with the locks held at its start (exit $rc)"; tail -20 "$tmp/ci.log" | sed 's/^/# /'; }
tail -1 "$tmp/ci.log" | grep -Eq '^[0-9]+ passed, 0 failed$' &&
    echo "ok 8 - it ends with its count: $(tail -1 "$tmp/ci.log")" ||
    echo "not ok 8 - it ends with its count"
grep -q 'waiting (up to .* for a package-manager lock' "$tmp/ci.log" &&
    command -v xmllint >/dev/null &&
    echo "ok 9 - it waited for the locks and installed what was missing" ||
    echo "not ok 9 - it waited for the locks and installed what was missing"
