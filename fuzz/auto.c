/*
 * fuzz/auto.c: skew-parse -f auto over arbitrary bytes.  The input goes
 * through the driver as skew-parse runs it (parser_new with -f auto,
 * parser_buffer: the sample read, a reading chosen, the sample handed
 * out again, the rest read), with and without --year; then, when a
 * reading was chosen, the same bytes again with -f auto:NAME, which must
 * give the same events.  Each line also goes through detect_choose() alone
 * and through every shape's detect_shape_find().
 *
 * What must hold: the driver's counts add up (events + skipped + blank ==
 * lines) and every event comes once, in line order; a refusal is a diag
 * with a message (a tie: DIAG_DATA naming two readings); the reading
 * recorded (--from=auto:NAME) reads the input back to the same events
 * (count and times); a shape found lies inside its line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "parser.h"
#include "base/ts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXEV	4096

struct got {
	size_t		 n;
	uint64_t	 last;
	struct ts	 t[MAXEV];
};

static int
collect(void *ctx, const struct record *r)
{
	struct got *g = ctx;

	/* Once each, in line order. */
	if (r->line <= g->last)
		abort();
	g->last = r->line;
	if (g->n < MAXEV)
		g->t[g->n] = r->t;
	g->n++;
	return 0;
}

static struct got g1, g2;

/* Returns the reading recorded ("auto:NAME") into rec, or "" when none. */
static void
run(const char *format, int year, const uint8_t *data, size_t size,
    struct got *g, char *rec, size_t rsz)
{
	struct parser_opt o;
	struct parser *p;
	struct trailer in;
	struct diag d;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = format;
	o.year = year;
	o.maxline = 512;
	memset(g, 0, sizeof(*g));
	rec[0] = '\0';
	diag_clear(&d);
	if ((p = parser_new(&o, &d)) == NULL) {
		if (d.msg[0] == '\0')
			abort();
		return;
	}
	rc = parser_buffer(p, data, size, "fuzz", collect, g, &in, &d);
	if (rc == -1 && d.msg[0] == '\0')
		abort();
	if (rc == -1 && d.code == DIAG_DATA && strstr(d.msg, " as ") == NULL)
		abort();
	if (rc == 0 && in.events + in.skipped + in.blank != in.lines)
		abort();
	if (rc == 0 && in.events != g->n)
		abort();
	if (rc == 0 && in.nopts > 0 && strncmp(in.opts[0], "--from=auto:",
	    12) == 0)
		snprintf(rec, rsz, "%s", in.opts[0] + 7);
	trailer_free(&in);
	parser_free(p);
}

static void
shapes(const uint8_t *data, size_t size)
{
	const struct detect_reading *r;
	const char *s = (const char *)data, *e;
	size_t n = size < 1024 ? size : 1024;

	if ((e = memchr(s, '\n', n)) != NULL)
		n = (size_t)(e - s);
	for (size_t i = 0; (r = detect_reading(i)) != NULL; i++) {
		struct detect_shape *sh;
		struct ts_parts p;
		size_t at, len;

		if (r->kind != DETECT_SHAPE)
			continue;
		if ((sh = detect_shape_new(r, NULL)) == NULL)
			abort();
		if (detect_shape_find(sh, s, n, &p, &at, &len) == 1 &&
		    (len == 0 || at + len > n))
			abort();
		detect_shape_free(sh);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char rec[64], rec2[64];

	shapes(data, size);
	for (int year = 0; year <= 2023; year += 2023) {
		run("auto", year, data, size, &g1, rec, sizeof(rec));
		if (rec[0] == '\0')
			continue;
		/* The recorded reading, given back, reads the same. */
		run(rec, year, data, size, &g2, rec2, sizeof(rec2));
		if (g1.n != g2.n || strcmp(rec, rec2) != 0)
			abort();
		for (size_t i = 0; i < g1.n && i < MAXEV; i++)
			if (ts_cmp(&g1.t[i], &g2.t[i]) != 0)
				abort();
	}
	return 0;
}
