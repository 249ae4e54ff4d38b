#!/bin/sh
# Install what skew needs, from Debian's packages, when it is missing.
#
#   sh .ci/deps.sh build   the compiler, pkg-config and the five libraries
#   sh .ci/deps.sh test    build, plus what the tests need: prove, python3,
#                          clang's libFuzzer runtime, xmllint, chromium
#   sh .ci/deps.sh bench   build, plus what the benchmark runs: GNU time,
#                          python3
#
# As root with apt-get it installs what is missing; otherwise it names the
# packages to install and exits 2.  Nothing is installed when all is present.
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

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "skew: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp) || exit 2
	if apt-get update -qq >"$log" 2>&1 &&
	    apt-get install -y -qq --no-install-recommends $missing >>"$log" 2>&1
	then
		rm -f "$log"
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
