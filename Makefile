# skew: how concurrent requests stagger, read from saved server logs.
#
#   make demo     build, then run the whole pipeline on the bundled logs
#   make check    build, then run every test: the suite, the suite again under
#                 ASan+UBSan, then a bounded fuzz run
#   make bench    the benchmark (never part of the tests)
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
DESTDIR  ?=

BUILD    ?= build
PROGS     = skew-parse skew-align skew-fit skew-report skew

PARSE_SRC   = $(sort $(wildcard parse/*.c))
ANALYZE_SRC = $(sort $(wildcard analyze/*.c))
REPORT_SRC  = $(sort $(wildcard report/*.c))
# cmd/cli.c is the one piece every program shares (messages, exit statuses);
# every other cmd/*.c is one program's main.
CLI_SRC     = cmd/cli.c
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

FUZZ_SECONDS ?= 30
PROVE        ?= prove
PROVE_FLAGS  ?= -j2

.PHONY: all demo check test asan fuzz bench install uninstall clean deps \
	test-deps

all: $(BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/%: $(BUILD)/cmd/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%.t: $(BUILD)/tests/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# The main job: the whole pipeline on the bundled logs (see README).
demo: deps
	@$(MAKE) --no-print-directory all
	@SKEW_BIN=$(abspath $(BUILD)) sh testdata/demo.sh

# The tests as they are, then rebuilt under the sanitizers, then fuzzing.
# It ends with one line that totals both prove runs (reached only when
# everything passed: make stops at the first failure).
check: deps test-deps
	@mkdir -p $(BUILD)
	@for t in test asan; do \
	    { $(MAKE) --no-print-directory $$t 2>&1; \
	      echo $$? > $(BUILD)/check-$$t.rc; } | tee $(BUILD)/check-$$t.log; \
	    [ "$$(cat $(BUILD)/check-$$t.rc)" = 0 ] || exit 1; \
	done
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	@n=$$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' \
	    $(BUILD)/check-test.log $(BUILD)/check-asan.log | \
	    awk '{ s += $$1 } END { print s }'); \
	echo "check: the tests, the tests under ASan+UBSan and fuzzing passed"; \
	echo "$$n passed, 0 failed"

test: all $(TEST_BINS)
	SKEW_BIN=$(abspath $(BUILD)) LC_ALL=C $(PROVE) $(PROVE_FLAGS) --exec '' \
	    $(TEST_BINS) $(TEST_SCRIPTS)

SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
      -fno-omit-frame-pointer
asan:
	@$(MAKE) --no-print-directory test BUILD=$(BUILD)/asan \
	    CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	    SKEW_SANITIZED=1

# libFuzzer targets: each links the libraries' sources, built with clang.
FUZZ_CC     ?= clang
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=all
$(BUILD)/fuzz/%: fuzz/%.c $(LIB_SRC) $(wildcard parse/*.h analyze/*.h report/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(SKEW_CFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -o $@ $< \
	    $(LIB_SRC) $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	    name=$${f##*/}; mkdir -p $(BUILD)/fuzz/corpus-$$name; \
	    echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=0 $(BUILD)/fuzz/corpus-$$name \
		fuzz/corpus/$$name 2>$(BUILD)/fuzz/$$name.log \
	    || { tail -40 $(BUILD)/fuzz/$$name.log; exit 1; }; \
	    grep -E '^Done|^#[0-9]+.*DONE' $(BUILD)/fuzz/$$name.log | tail -1; \
	done

bench:
	@sh .ci/deps.sh bench
	@$(MAKE) --no-print-directory all
	@SKEW_BIN=$(abspath $(BUILD)) sh bench/run.sh

deps:
	@sh .ci/deps.sh build

test-deps:
	@sh .ci/deps.sh test

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	if [ -n "$(MANS)" ]; then install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1; fi

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%) \
	    $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%)

clean:
	rm -rf $(BUILD)

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
