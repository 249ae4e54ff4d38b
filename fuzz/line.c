/*
 * libFuzzer target: the reader, every preset (scanner and PCRE2 pattern,
 * which must agree), a custom pattern, timestamp parsing and event writing,
 * over arbitrary bytes.  The input goes through input.c (so gzip input is
 * inflated) with a small line limit, and each line through every format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "format.h"
#include "parser.h"
#include "input.h"
#include "base/ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NF	32

static struct format *fmts[NF], *pcre[NF];
static size_t nf;
static struct ts_zone *tokyo;
static struct parser *drv[3];

/* Absent, or digits only. */
static int
digits(const struct record_str *r)
{
	for (size_t i = 0; r->s != NULL && i < r->n; i++)
		if (r->s[i] < '0' || r->s[i] > '9')
			return 0;
	return 1;
}

static void
setup(void)
{
	const struct format_info *fi;

	for (size_t i = 0; (fi = format_preset_info(i)) != NULL && nf < NF - 1;
	    i++) {
		fmts[nf] = format_preset(fi->name, 0, NULL);
		pcre[nf] = fi->scanner ? format_preset(fi->name, FORMAT_PCRE, NULL) :
		    NULL;
		if (fmts[nf] == NULL)
			abort();
		nf++;
	}
	fmts[nf++] = format_compile("^(?<id>\\S+) (?<kind>\\w+) (?<ts>\\S+ \\S+)"
	    "(?: (?<dur>[0-9.]+))?(?: (?<pid>\\d+):(?<tid>\\d+))?", NULL);
	if (fmts[nf - 1] == NULL)
		abort();
	tokyo = ts_zone_new("+09:00", NULL);
	/* The whole driver too: kind words, durations, skip reasons. */
	{
		struct parser_opt o;

		memset(&o, 0, sizeof(o));
		o.maxline = 512;
		drv[0] = parser_new(&o, NULL);
		o.pattern = "^(?<id>\\S*) ?(?<kind>\\S*) (?<ts>[^ ]+(?: "
		    "[0-9:.,]+)?)(?: (?<dur>\\S+))?";
		o.dur_unit = PARSER_DUR_MS;
		o.tz = "+09:00";
		drv[1] = parser_new(&o, NULL);
		o.pattern = NULL;
		o.format = "syslog";
		o.year = 2024;
		o.strict = 1;
		o.dur_unit = PARSER_DUR_US;
		drv[2] = parser_new(&o, NULL);
		if (drv[0] == NULL || drv[1] == NULL || drv[2] == NULL)
			abort();
	}
}

static int
emit(void *ctx, const struct record *r)
{
	struct event_writer *e = ctx;

	event_write(e, r);
	e->w.len = 0;
	return 0;
}

static int
same(const struct record_str *a, const struct record_str *b)
{
	return a->s == b->s && (a->s == NULL || a->n == b->n);
}

static void
one(struct event_writer *e, size_t k, const char *s, size_t n, uint64_t no)
{
	struct format_cap c, c2;
	struct ts_opt o;
	struct diag d;
	struct record r;
	int rc;

	diag_clear(&d);
	rc = format_match(fmts[k], s, n, &c, &d);
	if (pcre[k] != NULL) {
		/* The scanner must accept exactly the pattern's lines. */
		int rc2 = format_match(pcre[k], s, n, &c2, &d);

		if (rc != rc2 || (rc == 1 && (!same(&c.ts, &c2.ts) ||
		    !same(&c.pid, &c2.pid) || !same(&c.tid, &c2.tid))))
			abort();
		/* What the scanner calls plain needs no escaping. */
		if (rc == 1 && c.plain && (!digits(&c.pid) ||
		    !digits(&c.tid) || !digits(&c.id)))
			abort();
	}
	if (rc != 1) {
		if (rc == 0)
			format_why(fmts[k], s, n, &d);
		return;
	}
	if (c.ts.s == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.form = format_form(fmts[k]);
	o.zone = no % 2 ? tokyo : NULL;
	o.year = 2023;
	memset(&r, 0, sizeof(r));
	if (ts_parse(c.ts.s, c.ts.n, &o, &r.t, &d) == -1)
		return;
	r.src = "fuzz";
	r.line = no;
	r.kind = format_kind(fmts[k]);
	r.plain = c.plain;
	r.pid = c.pid;
	r.tid = c.tid;
	r.id = c.id;
	event_write(e, &r);
	e->w.len = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event_writer ev, tv;
	struct input_line l;
	struct diag d;
	struct input *r;

	if (nf == 0)
		setup();
	diag_clear(&d);
	if ((r = input_open_mem(data, size, 512, &d)) == NULL)
		return 0;
	event_init(&ev, NULL, 0);
	event_init(&tv, NULL, 1);
	event_begin(&ev, "fuzz");
	event_begin(&tv, "fuzz");
	while (input_next(r, &l, &d) > 0)
		for (size_t k = 0; k < nf; k++)
			one(k % 2 ? &tv : &ev, k, l.s, l.n, l.no);
	input_close(r);
	for (int k = 0; k < 3; k++) {
		struct trailer in;

		parser_buffer(drv[k], data, size, "fuzz", emit, &ev, &in, &d);
		if (in.src != NULL)
			event_trailer(&ev, &in);
		ev.w.len = 0;
		trailer_free(&in);
	}
	event_free(&ev);
	event_free(&tv);
	return 0;
}
