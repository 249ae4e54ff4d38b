/*
 * fuzz/timefmt.c: --time-format.  The input's first line is the format (up
 * to its first NUL, at most FMT_MAX bytes), the rest are lines (at most
 * NLINES of them, cut at LINE_MAX bytes).
 *
 * The format is compiled (timefmt_compile); each line is read from its
 * start (timefmt_read) and what it read resolved (ts_resolve) under
 * --year 2023, --date 2024-02-28 and --tz-abbrev PDT=-07:00, one input
 * state for all the lines (so years and days turn over); then, for a
 * format without %Z (whose first abbreviation reads every zone file), the
 * whole input goes through the driver as skew-parse --time-format FMT
 * alone runs it (parser_new, parser_buffer).
 *
 * What must hold: a format is compiled or refused with DIAG_USAGE and a
 * message (the column inside it); a line is read (the bytes taken within
 * it, every field in its range) or does not fit (DIAG_TS, a message, the
 * column at most one past the line); a resolved time is in range with its
 * nanoseconds and digits, or refused with a message; the driver's counts
 * add up (events + skipped + blank == lines).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "base/timefmt.h"
#include "base/ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FMT_MAX		256
#define NLINES		32
#define LINE_MAX	512

static const struct ts_abbr pdt[1] = { { "PDT", -7 * 3600 } };
static struct ts_rules rules;	/* the zone data's abbreviations, kept */

static int
in_range(int v, int lo, int hi)
{
	return v == TS_NONE || (v >= lo && v <= hi);
}

static void
one(const struct timefmt *f, struct ts_input *in, const char *s, size_t n)
{
	struct ts_parts p;
	struct diag d;
	struct ts t;
	size_t k;
	int rc;

	diag_clear(&d);
	k = timefmt_read(f, s, n, &p, &d);
	if (k == TIMEFMT_NOFIT) {
		if (d.code != DIAG_TS || d.msg[0] == '\0' || d.col < 1 ||
		    d.col > n + 1)
			abort();
		return;
	}
	if (k > n || !in_range(p.year, 1970, 9999) ||
	    !in_range(p.mon, 1, 12) || !in_range(p.mday, 1, 31) ||
	    !in_range(p.yday, 1, 366) || !in_range(p.hour, 0, 23) ||
	    !in_range(p.min, 0, 59) || !in_range(p.sec, 0, 60) ||
	    p.nsec < 0 || p.nsec >= TS_NS || p.digits > 9 ||
	    (p.has_off && (p.off <= -86400 || p.off >= 86400)) ||
	    (p.abbr != NULL && (p.abbr < s || p.abbr + p.abbr_n > s + k ||
	    p.abbr_n == 0 || p.abbr_col != (size_t)(p.abbr - s) + 1)))
		abort();
	diag_clear(&d);
	rc = ts_resolve(&p, &rules, in, &t, &d);
	if (rc == 0) {
		if (ts_check(&t, NULL) != 0 || t.nsec < 0 || t.nsec >= TS_NS ||
		    t.digits > 9)
			abort();
	} else if ((rc != -1 && rc != TS_REFUSE) || d.msg[0] == '\0')
		abort();
}

static int
count(void *ctx, const struct record *r)
{
	(void)r;
	(*(unsigned long *)ctx)++;
	return 0;
}

static void
driver(const char *fmt, const char *s, size_t n)
{
	struct parser_opt o;
	struct parser *p;
	struct trailer sum;
	struct diag d;
	unsigned long events = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	o.time_format = fmt;
	o.year = 2023;
	o.date = "2024-02-28";
	o.tz_abbrev = pdt;
	o.ntz_abbrev = 1;
	diag_clear(&d);
	if ((p = parser_new(&o, &d)) == NULL) {
		if (d.msg[0] == '\0')
			abort();
		return;
	}
	rc = parser_buffer(p, s, n, "fuzz", count, &events, &sum, &d);
	if (rc == 0 && (sum.events + sum.skipped + sum.blank != sum.lines ||
	    sum.events != events))
		abort();
	if (rc == -1 && d.msg[0] == '\0')
		abort();
	trailer_free(&sum);
	parser_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *e = s + size, *nl;
	char fmt[FMT_MAX + 1];
	struct timefmt *f;
	struct ts_input in;
	struct diag d;
	size_t fn;

	if (rules.year == 0) {
		rules.year = 2023;
		rules.date_y = 2024;
		rules.date_m = 2;
		rules.date_d = 28;
		rules.abbr = pdt;
		rules.nabbr = 1;
	}
	nl = memchr(s, '\n', size);
	fn = (size_t)((nl != NULL ? nl : e) - s);
	if (memchr(s, '\0', fn) != NULL)
		fn = strlen(s) < fn ? strlen(s) : fn;
	if (fn > FMT_MAX)
		return 0;
	memcpy(fmt, s, fn);
	fmt[fn] = '\0';
	diag_clear(&d);
	if ((f = timefmt_compile(fmt, &d)) == NULL) {
		if (d.code != DIAG_USAGE || d.msg[0] == '\0' || d.col > fn)
			abort();
		return 0;
	}
	s = nl != NULL ? nl + 1 : e;
	ts_input_reset(&in);
	for (int k = 0; k < NLINES && s < e; k++) {
		const char *end = memchr(s, '\n', (size_t)(e - s));
		size_t n = (size_t)((end != NULL ? end : e) - s);

		one(f, &in, s, n < LINE_MAX ? n : LINE_MAX);
		s = end != NULL ? end + 1 : e;
	}
	if (strstr(fmt, "%Z") == NULL)
		driver(fmt, nl != NULL ? nl + 1 : e, nl != NULL ?
		    (size_t)(e - nl - 1) : 0);
	timefmt_free(f);
	return 0;
}
