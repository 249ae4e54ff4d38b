# skew: how concurrent requests stagger, read from saved server logs.
#
#   make demo     build, then run the whole pipeline on the bundled logs
#   make check    build, then run every test: the suite, the suite again under
#                 ASan+UBSan, the suite again on the portable code paths
#                 (make portable), then a bounded fuzz run (FUZZ_TOTAL
#                 seconds), then the Debian package built and checked (make
#                 deb-check)
#   make deb      the Debian package, in build/deb/ (see below)
#   make bench    the benchmark (never part of the tests; BENCH_ONLY=runs runs
#                 only issue 12's section, BENCH_GROWTH_MAX=1000000 leaves out
#                 its 10 M-request log: see bench/README.md); first installs
#                 GNU time and python3-pandas when missing (as
#                 sh .ci/deps.sh bench)
#
# Both demo and check first install what they need with apt-get when it is
# missing and they run as root (make deps, make test-deps); otherwise they say
# exactly what to install.

VERSION   = 0.1.0
PKGS      = libpcre2-8 gsl libcjson zlib libcrypto

CC       ?= cc
CFLAGS   ?= -O2 -g
# Required flags live apart from CFLAGS so that `make CFLAGS=...` keeps them.
SKEW_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread \
	      -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	      -DSKEW_VERSION='"$(VERSION)"' -Iparse -Ianalyze -Ireport -Icmd
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(SKEW_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
DESTDIR  ?=

BUILD    ?= build
PROGS     = skew-parse skew-align skew-fit skew-report skew

PARSE_SRC   = $(sort $(wildcard parse/base/*.c parse/*.c))
ANALYZE_SRC = $(sort $(wildcard analyze/*.c))
REPORT_SRC  = $(sort $(wildcard report/*.c))
# cmd/cli.c and cmd/opt.c are what every program shares (messages, exit
# statuses; the option tables); cmd/mkcompletion.c is a build-time tool that
# writes the shell completions from those tables; every other cmd/*.c is one
# program's main.
CLI_SRC     = cmd/cli.c cmd/opt.c
LIB_SRC     = $(PARSE_SRC) $(ANALYZE_SRC) $(REPORT_SRC) $(CLI_SRC)
LIB_OBJ     = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB         = $(BUILD)/libskew.a
BINS        = $(PROGS:%=$(BUILD)/%)
TEST_SRC    = $(sort $(wildcard tests/*.c))
TEST_BINS   = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.t)
TEST_SCRIPTS = $(sort $(wildcard tests/*.t))
FUZZ_SRC    = $(sort $(wildcard fuzz/*.c))
FUZZ_BINS   = $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
MANS        = $(sort $(wildcard man/*.1))
BASH_COMP   = $(PROGS:%=$(BUILD)/completions/bash/%)
ZSH_COMP    = $(PROGS:%=$(BUILD)/completions/zsh/_%)

FUZZ_SECONDS ?= 30
FUZZ_TOTAL   ?= 120
PROVE        ?= prove
PROVE_FLAGS  ?= -j2

.PHONY: all demo check test asan portable fuzz fuzz-bounded fuzz-regress test-locks tests-built bench install \
	uninstall clean deps test-deps

all: $(BINS) $(BASH_COMP) $(ZSH_COMP)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/%: $(BUILD)/cmd/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# The shell completions, written from the option tables by a build-time
# tool (cmd/mkcompletion.c, not installed).
$(BUILD)/completions/bash/%: $(BUILD)/mkcompletion
	@mkdir -p $(@D)
	$(BUILD)/mkcompletion bash $* > $@.tmp && mv $@.tmp $@
$(BUILD)/completions/zsh/_%: $(BUILD)/mkcompletion
	@mkdir -p $(@D)
	$(BUILD)/mkcompletion zsh $* > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%.t: $(BUILD)/tests/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# The main job: the whole pipeline on the bundled logs (see README).
demo: deps
	@$(MAKE) --no-print-directory all
	@SKEW_BIN=$(abspath $(BUILD)) sh testdata/demo.sh

# The tests as they are, then rebuilt under the sanitizers, then fuzzing,
# then the Debian package, each step logged in $(BUILD)/check-STEP.log.  It
# ends with one line that totals the prove runs when everything passed;
# otherwise its last lines name the step that failed (dependencies, build,
# tests, which test files).
check:
	@sh .ci/check.sh "$(MAKE) --no-print-directory" "$(BUILD)" "$(FUZZ_TOTAL)"

tests-built: all $(TEST_BINS)

test: all $(TEST_BINS)
	SKEW_BIN=$(abspath $(BUILD)) LC_ALL=C $(PROVE) $(PROVE_FLAGS) --exec '' \
	    $(TEST_BINS) $(TEST_SCRIPTS)

SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
      -fno-omit-frame-pointer
asan:
	@$(MAKE) --no-print-directory test BUILD=$(BUILD)/asan \
	    CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	    SKEW_SANITIZED=1

# The hot paths' word-at-a-time code has an SSE2 form (x86-64, always) and a
# portable one (what arm64 and every other machine compile): the suite again
# with __SSE2__ undefined runs the portable one here too.
portable:
	@$(MAKE) --no-print-directory test BUILD=$(BUILD)/portable \
	    CFLAGS="-O2 -g -U__SSE2__"

# libFuzzer targets: the libraries' sources built once with clang, then one
# binary per fuzz/*.c.  `make fuzz FUZZ_SECONDS=N` runs each target N
# seconds; `make check` runs them all within FUZZ_TOTAL seconds together.
FUZZ_CC     ?= clang
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=all
FUZZ_LINK    = -fsanitize=fuzzer,address,undefined
FUZZ_OBJ     = $(LIB_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(SKEW_CFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(SKEW_CFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_LINK) \
	    -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	    name=$${f##*/}; mkdir -p $(BUILD)/fuzz/corpus-$$name; \
	    echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=0 $(BUILD)/fuzz/corpus-$$name \
		fuzz/corpus/$$name 2>$(BUILD)/fuzz/$$name.log \
	    || { tail -40 $(BUILD)/fuzz/$$name.log; \
		 echo "fuzz: $$name found a failure (log: $(BUILD)/fuzz/$$name.log)"; \
		 exit 1; }; \
	    grep -E '^Done|^#[0-9]+.*DONE' $(BUILD)/fuzz/$$name.log | tail -1; \
	done

# Every target once over each of its reproducers, fuzz/regress/NAME/*
# (the inputs of defects found): a crash or a broken check fails, so a
# fixed defect stays fixed.
fuzz-regress: $(FUZZ_BINS)
	@for d in fuzz/regress/*/; do \
	    name=$$(basename $$d); f=$(BUILD)/fuzz/$$name; \
	    [ -x $$f ] || { echo "fuzz-regress: $$d names no target"; \
			    exit 1; }; \
	    $$f -rss_limit_mb=2048 $$d* >$(BUILD)/fuzz/regress-$$name.log 2>&1 \
	    || { tail -40 $(BUILD)/fuzz/regress-$$name.log; \
		 echo "fuzz-regress: $$name failed on fuzz/regress/$$name/ (log: $(BUILD)/fuzz/regress-$$name.log)"; \
		 exit 1; }; \
	    echo "fuzz-regress: $$name: $$(ls $$d | wc -l) inputs pass"; \
	done

# The reproducers, then the per-target seconds that keep all targets within
# FUZZ_TOTAL (5 at least), a second of each target's share left for its
# start and end (libFuzzer's runs last a second longer than asked) and the
# reproducers.
fuzz-bounded: fuzz-regress $(FUZZ_BINS)
	@n=$(words $(FUZZ_BINS)); s=$$(( $(FUZZ_TOTAL) / n - 1 )); \
	[ $$s -ge 5 ] || s=5; \
	echo "fuzz: $$n targets, $$s s each ($(FUZZ_TOTAL) s in all)"; \
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$$s

# .ci/deps.sh must wait for package-manager locks another process holds
# (root; holds the real locks for about 90 s; never part of `make check`).
# SKEW_LOCKS_FULL=1 also runs a fresh clone's .ci/run with the locks held.
test-locks:
	@sh .ci/test-locks.sh

# The Debian package (debian/): `make deb` installs the packaging tools when
# missing (.ci/deps.sh deb), then dpkg-buildpackage compiles the programs
# with dpkg-buildflags (hardening) in a tree of its own, $(DEB_DIR)/tree,
# installs them with `make install`, and writes the .deb to $(DEB_DIR);
# lintian then checks it (no errors allowed).  `make deb-check` (a step of
# `make check`) checks what the .deb holds through `dpkg -x` into a temporary
# root (.ci/deb.t); `make deb-install` installs it with dpkg, as root, and
# is never part of the tests.
DEB_DIR     = $(abspath $(BUILD))/deb
DEB_VERSION = $(shell dpkg-parsechangelog -S Version)
DEB_ARCH    = $(shell dpkg --print-architecture)
DEB         = $(DEB_DIR)/skew_$(DEB_VERSION)_$(DEB_ARCH).deb
.PHONY: deb deb-tools deb-check deb-install
# The tools first, as a prerequisite: the recipe below is expanded (and
# dpkg-parsechangelog run) only once they are there.
deb-tools:
	@sh .ci/deps.sh deb

deb: deb-tools
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)
	SKEW_DEB_TREE=$(DEB_DIR)/tree SKEW_DEB_DIR=$(DEB_DIR) \
	    dpkg-buildpackage -b -us -uc \
	    --changes-file=$(DEB_DIR)/skew_$(DEB_VERSION)_$(DEB_ARCH).changes \
	    --buildinfo-file=$(DEB_DIR)/skew_$(DEB_VERSION)_$(DEB_ARCH).buildinfo \
	    --changes-option=-u$(DEB_DIR) --buildinfo-option=-u$(DEB_DIR)
	lintian --fail-on error $(DEB)
	@echo "deb: $(DEB)"

deb-check: deb
	SKEW_DEB=$(DEB) SKEW_DEB_TREE=$(DEB_DIR)/tree \
	    $(PROVE) -v --exec sh .ci/deb.t

deb-install: deb
	dpkg -i $(DEB)

bench:
	@sh .ci/deps.sh bench
	@$(MAKE) --no-print-directory all
	@SKEW_BIN=$(abspath $(BUILD)) sh bench/run.sh

deps:
	@sh .ci/deps.sh build

test-deps:
	@sh .ci/deps.sh test

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	if [ -n "$(MANS)" ]; then install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1; fi
	install -m 644 $(BASH_COMP) $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 $(ZSH_COMP) $(DESTDIR)$(ZSHCOMPDIR)

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(PROGS:%=$(DESTDIR)$(BASHCOMPDIR)/%) \
	    $(PROGS:%=$(DESTDIR)$(ZSHCOMPDIR)/_%)

clean:
	rm -rf $(BUILD)

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
