#!/bin/sh
# The Debian package as a user gets it (`make deb-check`, a step of `make
# check`): SKEW_DEB, extracted with `dpkg -x` into a temporary root (never
# installed), holds the five programs built with dpkg-buildflags' hardening,
# their man pages, the README, the copyright, everything `make install`
# installs (the shell completions among it), the project's own recorded logs
# (testdata/real/) as examples, and nothing of the third-party excerpts in
# testdata/article/.  The extracted programs print the package's version and
# do the article's analysis: tests/article.t with SKEW_BIN on them, and the
# golden report testdata/golden/skew-article-text byte for byte.
#
#   SKEW_DEB=build/deb/skew_V_ARCH.deb SKEW_DEB_TREE=build/deb/tree sh .ci/deb.t
#
# SKEW_DEB_TREE is the tree the package's programs were compiled in: `make
# install` is run from it into a second temporary root, so nothing is
# compiled again.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
deb=${SKEW_DEB:?SKEW_DEB: the .deb to check}
tree=${SKEW_DEB_TREE:?SKEW_DEB_TREE: the tree the .deb was built from}
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
doc=$root/usr/share/doc/skew
progs="skew-parse skew-align skew-fit skew-report skew"

n=0
fail=0
ok() {		# ok WHY DESCRIPTION: passes when WHY is empty
	n=$((n + 1))
	if [ -z "$1" ]; then
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   /'
	fi
}
same() {	# same FILE EXPECTED: why FILE (gzip or plain) is not EXPECTED
	if [ -f "$1.gz" ]; then
		gzip -dc "$1.gz" | cmp -s - "$2" || echo "$1.gz differs from $2"
	elif [ -f "$1" ]; then
		cmp -s "$1" "$2" || echo "$1 differs from $2"
	else
		echo "$1 (or $1.gz) is missing"
	fi
}

why=$(dpkg -x "$deb" "$root" 2>&1)
ok "$why" "dpkg -x $deb into a temporary root"
[ -z "$why" ] || { echo "1..$n"; exit 1; }

version=$(dpkg-deb -f "$deb" Version)
upstream=${version%-*}
why=""
[ "$version" = "$(dpkg-parsechangelog -S Version)" ] ||
    why="the package is $version, debian/changelog says $(dpkg-parsechangelog -S Version)"
ok "$why" "the package's version $version is debian/changelog's"

printf '%s\n' $progs | sort >"$tmp/progs"
why=$(cd "$root/usr/bin" && ls | sort | diff - "$tmp/progs")
ok "$why" "usr/bin holds the five programs and nothing else"

for p in $progs; do
	got=$("$root/usr/bin/$p" --version 2>&1)
	why=""
	[ "$got" = "$p $upstream" ] ||
	    why="usr/bin/$p --version printed '$got', expected '$p $upstream'"
	ok "$why" "the extracted $p runs: --version prints '$p $upstream'"
done

# dpkg-buildflags reached the compiler and linker (hardening=+all): a plain
# `make` builds none of BIND_NOW or the fortified *_chk calls.
for p in $progs; do
	f=$root/usr/bin/$p
	why=""
	readelf -hW "$f" 2>/dev/null | grep -q 'Type: *DYN' || why="$why not PIE;"
	readelf -lW "$f" 2>/dev/null | grep -q GNU_RELRO || why="$why no RELRO;"
	readelf -dW "$f" 2>/dev/null | grep -q BIND_NOW || why="$why no BIND_NOW;"
	readelf -sW --dyn-syms "$f" 2>/dev/null | grep -v __stack_chk |
	    grep -q '__[a-z0-9_]*_chk' || why="$why no fortified calls;"
	readelf -sW --dyn-syms "$f" 2>/dev/null | grep -q __stack_chk_fail ||
	    why="$why no stack protector;"
	ok "${why:+$p:$why}" "$p is hardened: PIE, RELRO, BIND_NOW, fortified, stack protector"
done

dep=$(dpkg-deb -f "$deb" Depends)
why=""
for lib in libc6 libpcre2-8 libgsl libcjson zlib1g libssl; do
	case ", $dep" in *", $lib"*) ;; *) why="$why $lib" ;; esac
done
ok "${why:+Depends lacks:$why ($dep)}" "Depends names every shared library the programs use"

for m in man/*.1; do
	ok "$(same "$root/usr/share/man/man1/${m#man/}" "$m")" \
	    "the man page ${m#man/} is man/${m#man/}"
done

ok "$(same "$doc/README.md" README.md)" "the README is README.md"
why=""
grep -q '^License: Expat' "$doc/copyright" &&
    grep -q 'the skew developers' "$doc/copyright" ||
    why="$doc/copyright: no 'License: Expat' or no 'the skew developers'"
ok "$why" "the copyright file says MIT (Expat), the skew developers"

# The examples: every file of testdata/real/, the same bytes, and no other.
(cd testdata/real && find . -type f | sort) >"$tmp/real"
(cd "$doc/examples" 2>/dev/null && find . -type f | sort) >"$tmp/examples"
why=$(diff "$tmp/real" "$tmp/examples")
if [ -z "$why" ]; then
	while read -r f; do
		cmp -s "testdata/real/$f" "$doc/examples/$f" ||
		    why="$why examples/$f differs from testdata/real/$f"
	done <"$tmp/real"
fi
ok "$why" "examples/ holds testdata/real/ as it is ($(grep -c . "$tmp/real") files, uncompressed)"
for s in "threading:skew: 6 runs, 6 parallel" \
    "pool8:skew: 6 runs, 1 parallel, 5 partial"; do
	set=${s%%:*} want=${s#*:}
	got=$("$root/usr/bin/skew" -q "$doc/examples/$set/completions.log" \
	    -a "$doc/examples/$set/arrivals.log" 2>&1 | head -1)
	why=""
	[ "$got" = "$want" ] || why="skew on examples/$set: '$got', expected '$want'"
	ok "$why" "the extracted skew on examples/$set: '$want' (testdata/real/README.md)"
done

# Whatever `make install` installs is in the package (man pages compressed):
# the shell completions too, without debian/ listing them.
${MAKE:-make} -s --no-print-directory install BUILD="$tree" \
    DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/install.log" 2>&1 ||
    { sed 's/^/# /' "$tmp/install.log"; echo "make install failed" >>"$tmp/missing"; }
(cd "$tmp/inst" && find . ! -type d | sort) >"$tmp/installed"
while read -r f; do
	[ -e "$root/$f" ] || [ -e "$root/$f.gz" ] || echo "$f" >>"$tmp/missing"
done <"$tmp/installed"
compl=$(grep -c -E 'completion|/zsh/' "$tmp/installed")
ok "$(cat "$tmp/missing" 2>/dev/null)" \
    "all $(grep -c . "$tmp/installed") files \`make install\` installs are in the package ($compl shell completion files)"

# Nothing from testdata/article/ (third-party excerpts): no such name, no
# file with the bytes of one of them.
(cd "$root" && find . -type f -exec sha256sum {} +) >"$tmp/sums"
why=$(cd "$root" && find . | grep -i -E 'article|testdata')
for f in testdata/article/*; do
	s=$(sha256sum <"$f" | cut -d' ' -f1)
	grep -q "^$s " "$tmp/sums" && why="$why $f is in the package"
done
ok "$why" "nothing from testdata/article/ (third-party excerpts) is in the package"

# The article's analysis with the extracted programs.
c=testdata/golden/skew-article-text
(PATH=$root/usr/bin:$PATH; export PATH; sh -c "$(cat "$c/cmd")") \
    >"$tmp/out" 2>"$tmp/err"
st=$?
why=""
[ "$st" = 0 ] || why="exit status $st"
cmp -s "$tmp/out" "$c/out" || why="$why stdout differs: $(diff "$c/out" "$tmp/out")"
cmp -s "$tmp/err" "$c/err" || why="$why stderr differs: $(diff "$c/err" "$tmp/err")"
ok "$why" "the extracted skew prints the article's report ($c) byte for byte"

SKEW_BIN=$root/usr/bin sh tests/article.t >"$tmp/article" 2>&1
st=$?
why=""
[ "$st" = 0 ] || why="tests/article.t exited $st"
grep '^not ok' "$tmp/article" >/dev/null &&
    why="$why $(grep '^not ok' "$tmp/article")"
grep -q '^ok' "$tmp/article" || why="$why tests/article.t ran no check"
grep -q "SKEW_BIN=$root/usr/bin" "$tmp/article" ||
    why="$why tests/article.t did not use the extracted programs"
ok "$why" "tests/article.t passes with the extracted programs ($(grep -c '^ok' "$tmp/article") checks)"

echo "1..$n"
[ "$fail" = 0 ]
