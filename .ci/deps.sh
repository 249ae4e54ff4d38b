#!/bin/sh
# Install what skew needs, from Debian's packages, when it is missing.
#
#   sh .ci/deps.sh build   the compiler, pkg-config and the five libraries
#   sh .ci/deps.sh test    build, plus what the tests need: prove, python3,
#                          clang's libFuzzer runtime, xmllint, chromium, and
#                          the packaging tools (make check builds the .deb)
#   sh .ci/deps.sh deb     build, plus the packaging tools: debhelper,
#                          dpkg-dev, lintian
#   sh .ci/deps.sh bench   build, plus what the benchmark runs: GNU time,
#                          python3, and Debian's python3-numpy and
#                          python3-pandas for /usr/bin/python3 (the pandas
#                          notebook, bench/peer_pandas.py, runs with it: a
#                          python3 earlier on PATH may have no pandas)
#   sh .ci/deps.sh locks   (for .ci/test-locks.sh) apt-get update and a no-op
#                          install, through the same lock waits
#
# As root with apt-get it installs what is missing; otherwise it names the
# packages to install and exits 2.  Nothing is installed when all is present.
# Another package manager at work (unattended upgrades, a second build) is
# waited for, bounded: see apt() below.
set -u
what=${1:-build}

missing=""
fuzz_links() {
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return d == 0 && n; }\n' |
	    clang -fsanitize=fuzzer -x c - -o /tmp/skew-fuzz-probe.$$ || return 1
	rm -f /tmp/skew-fuzz-probe.$$
}
need() {	# need PACKAGE TEST...: PACKAGE is missing when TEST fails
	pkg=$1; shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

need make       command -v make
need gcc        command -v cc
need pkg-config command -v pkg-config
need libpcre2-dev pkg-config --exists libpcre2-8
need libgsl-dev   pkg-config --exists gsl
need libcjson-dev pkg-config --exists libcjson
need zlib1g-dev   pkg-config --exists zlib
need libssl-dev   pkg-config --exists libcrypto
if [ "$what" = bench ]; then
	need time       test -x /usr/bin/time
	need python3    command -v python3
	need python3-numpy  /usr/bin/python3 -c 'import numpy'
	need python3-pandas /usr/bin/python3 -c 'import pandas'
fi
if [ "$what" = test ]; then
	need perl       command -v prove
	need python3    command -v python3
	need gzip       command -v gzip
	need tzdata     test -e /usr/share/zoneinfo/Europe/Berlin
	need clang      command -v clang
	# Debian 12's clang is 14; its libFuzzer runtime is a package apart.
	need libclang-rt-14-dev fuzz_links
	need fonts-dejavu-core test -d /usr/share/fonts/truetype/dejavu
	need libxml2-utils command -v xmllint
	need chromium   command -v chromium
fi
if [ "$what" = deb ] || [ "$what" = test ]; then
	# debian/control's Build-Depends: debhelper-compat (= 13).  As the
	# package needs no root to build (Rules-Requires-Root: no), no fakeroot.
	need debhelper  dpkg --compare-versions \
	    "$(dpkg-query -W -f '${Version}' debhelper 2>/dev/null)" ge 13
	need dpkg-dev   command -v dpkg-buildpackage
	need lintian    command -v lintian
fi

[ -z "$missing" ] && [ "$what" != locks ] && exit 0

# apt-get as root, waiting for another package manager's locks rather than
# failing at once.  `apt-get update` takes the lists lock, which
# DPkg::Lock::Timeout does not cover, so every call is retried while its
# failure is a held lock, for at most SKEW_APT_WAIT seconds in all (default
# 900), and what it waits for is said once.  Any other failure is final.
wait_max=${SKEW_APT_WAIT:-900}
waited=0
apt() {		# apt LOG ARGS...: apt-get ARGS, appending to LOG
	alog=$1; shift
	said=""
	while :; do
		out=$(apt-get -o DPkg::Lock::Timeout=0 "$@" 2>&1)
		rc=$?
		printf '%s\n' "$out" >>"$alog"
		[ $rc = 0 ] && return 0
		held=$(printf '%s\n' "$out" |
		    grep -E 'Could not get lock|Unable to lock|Unable to acquire' |
		    head -1)
		[ -n "$held" ] || return $rc
		if [ "$waited" -ge "$wait_max" ]; then
			echo "skew: gave up after ${waited} s waiting for a package-manager lock: $held" >&2
			return $rc
		fi
		if [ "$held" != "$said" ]; then
			echo "skew: waiting (up to ${wait_max} s in all) for a package-manager lock that another process holds: $held" >&2
			said=$held
		fi
		sleep 5
		waited=$((waited + 5))
	done
}

if [ "$what" = locks ]; then	# the lock test's probe: update and a no-op install
	[ "$(id -u)" = 0 ] || { echo "skew: the locks probe needs root" >&2; exit 2; }
	missing=" make"
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	[ "$what" = locks ] || echo "skew: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp) || exit 2
	if apt "$log" update -qq &&
	    apt "$log" install -y -qq --no-install-recommends $missing
	then
		rm -f "$log"
		[ "$waited" -gt 0 ] && echo "skew: the locks were free after ${waited} s" >&2
		exit 0
	fi
	tail -20 "$log" >&2
	rm -f "$log"
	echo "skew: apt-get could not install:$missing" >&2
	exit 2
fi
echo "skew: missing packages:$missing" >&2
echo "skew: install them with: sudo apt-get install$missing" >&2
exit 2
