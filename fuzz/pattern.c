/*
 * fuzz/pattern.c: skew-parse -e PATTERN over arbitrary lines.  The input's
 * first line is the pattern (up to its first NUL, at most PAT_MAX bytes),
 * the rest are the log lines (at most NLINES of them, cut at LINE_MAX
 * bytes).
 *
 * The pattern is compiled through parse/format.c's custom-pattern path
 * (format_compile) and every line is matched on its own (format_match,
 * format_why, then ts_parse of the ts group as the driver reads it); then the whole
 * input goes through the driver as skew-parse runs it (parser_new with
 * o.pattern, parser_buffer).
 *
 * What must hold: a pattern is compiled or refused with DIAG_PATTERN and a
 * message; a line matches (every captured span inside the line), does not
 * (format_why says where, within the line), or fails in PCRE2 with a diag;
 * the driver's counts add up (events + skipped + blank == lines).
 *
 * A line the pattern cannot match within PCRE2's limits ("JIT stack limit
 * reached", "match limit exceeded") is NOT a finding here: format_match()
 * must answer it with FORMAT_LIMIT and DIAG_NOMATCH (the driver skips it
 * with that reason), and the per-line loop goes on to the next line.
 * Only a crash, a sanitizer report or a broken invariant above is.  How
 * often the limits were met is printed when the fuzzer exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "fuzz.h"
#include "parser.h"
#include "base/ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAT_MAX		512
#define NLINES		32
#define LINE_MAX	1024

static unsigned long limits_line, limits_driver, compiled, inputs;

static void
said(void)
{
	fprintf(stderr, "pattern: %lu inputs, %lu patterns compiled, PCRE2 "
	    "limits met on %lu lines (format_match) and %lu inputs (driver)\n",
	    inputs, compiled, limits_line, limits_driver);
}

static int
within(const struct record_str *c, const char *s, size_t n)
{
	return c->s == NULL || (c->s >= s && c->n <= n &&
	    (size_t)(c->s - s) <= n - c->n);
}

static void
one(struct format *f, const char *s, size_t n)
{
	struct ts_opt o = { .form = TS_AUTO, .year = 2023 };
	struct format_cap c;
	struct diag d;
	struct ts t;
	int rc;

	diag_clear(&d);
	rc = format_match(f, s, n, &c, &d);
	if (rc == -1) {
		if (d.msg[0] == '\0')
			abort();
		limits_line++;
		return;
	}
	/* A line PCRE2 gave up on: a skipped line with its reason. */
	if (rc == FORMAT_LIMIT) {
		if (d.code != DIAG_NOMATCH || d.msg[0] == '\0')
			abort();
		limits_line++;
		return;
	}
	if (rc == 0) {
		diag_clear(&d);
		format_why(f, s, n, &d);
		if (d.code != DIAG_NOMATCH || d.msg[0] == '\0' ||
		    d.col > n + 1)
			abort();
		return;
	}
	/* The ts group may be optional in the pattern: then absent. */
	if (rc != 1 || !within(&c.ts, s, n) ||
	    !within(&c.pid, s, n) || !within(&c.tid, s, n) ||
	    !within(&c.id, s, n) || !within(&c.kind, s, n) ||
	    !within(&c.dur, s, n))
		abort();
	if (c.ts.s == NULL)
		return;
	o.form = format_form(f);
	diag_clear(&d);
	if (ts_parse(c.ts.s, c.ts.n, &o, &t, &d) == 0) {
		if (t.nsec < 0 || t.nsec > 999999999 || t.sec < 0)
			abort();
	} else if (d.msg[0] == '\0')
		abort();
}

static int
count(void *ctx, const struct record *r)
{
	(void)r;
	(*(uint64_t *)ctx)++;
	return 0;
}

/* The driver as skew-parse runs it with -e. */
static void
driver(const char *pattern, const uint8_t *text, size_t n)
{
	struct parser_opt o;
	struct trailer in;
	struct diag d;
	struct parser *p;
	uint64_t events = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	o.pattern = pattern;
	o.maxline = LINE_MAX;
	o.year = 2023;
	diag_clear(&d);
	if ((p = parser_new(&o, &d)) == NULL) {
		if (d.msg[0] == '\0')
			abort();
		return;
	}
	diag_clear(&d);
	rc = parser_buffer(p, text, n, "fuzz", count, &events, &in, &d);
	if (rc == 0 && (in.events != events ||
	    in.events + in.skipped + in.blank != in.lines))
		abort();
	if (rc == -1 && d.msg[0] == '\0')
		abort();
	if (rc == -1 && d.code == DIAG_PATTERN)
		limits_driver++;
	trailer_free(&in);
	parser_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char pattern[PAT_MAX + 1];
	size_t pos = 0, n, k;
	const char *s;
	struct format *f;
	struct diag d;

	if (inputs++ == 0)
		atexit(said);
	if (!fz_line(data, size, &pos, &s, &n))
		return 0;
	n = n < PAT_MAX ? n : PAT_MAX;
	memcpy(pattern, s, n);
	pattern[n] = '\0';
	diag_clear(&d);
	if ((f = format_compile(pattern, &d)) == NULL) {
		if (d.msg[0] == '\0' || (d.code != DIAG_PATTERN &&
		    d.code != DIAG_NOMEM))
			abort();
		return 0;
	}
	compiled++;
	if (pos < size) {
		size_t start = pos;

		for (k = 0; k < NLINES && fz_line(data, size, &pos, &s, &n);
		    k++) {
			n = n < LINE_MAX ? n : LINE_MAX;
			one(f, s, n);
		}
		driver(pattern, data + start, pos - start);
	}
	format_free(f);
	return 0;
}
