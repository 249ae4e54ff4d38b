/*
 * fuzz/json.c: skew-parse -f json over arbitrary lines, with a few --field
 * maps (none; every group mapped, nested; ts and dur alone).
 *
 * Each line goes through each map set's format_match() (parse/jsonline.c);
 * then the whole input through the driver (parser_buffer), whose trailer
 * is written and read back (parse/trailer.c's skip_reasons).
 *
 * What must hold: a line is matched (with a time, in range when read from
 * an epoch) or skipped with FORMAT_SKIP, a code and a DIAG_NOMATCH reason,
 * never anything else; on every line cJSON reads as an object, the one
 * text reader, jsonin_find(), finds every member cJSON finds (to depth 3),
 * a number's text is the number cJSON read (strtod of it is cJSON's
 * double), a string's text is quoted; the driver's counts add up (events +
 * skipped + blank == lines, the skip reasons' counts == skipped) and the
 * trailer reads back with the same reasons.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/jsonin.h"
#include "event.h"
#include "format.h"
#include "fuzz.h"
#include "parser.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NLINES		64
#define LINE_MAX	2048
#define NSETS		3

static const char *const set1[] = { "ts=meta.time", "pid=p", "tid=a.b.c",
	"id=id", "kind=k", "dur=d", "route=r.path", "status=s" };
static const char *const set2[] = { "ts=t", "dur=dur" };
static const char *const *const sets[NSETS] = { NULL, set1, set2 };
static const size_t nsets[NSETS] = { 0, 8, 2 };

static struct format *fmts[NSETS];
static struct parser *drv[NSETS];

static void
setup(void)
{
	for (int k = 0; k < NSETS; k++) {
		struct parser_opt o;

		if ((fmts[k] = format_json(sets[k], nsets[k], NULL)) == NULL)
			abort();
		memset(&o, 0, sizeof(o));
		o.format = "json";
		o.fields = sets[k];
		o.nfields = nsets[k];
		o.maxline = LINE_MAX;
		o.strict = k == 2;
		if ((drv[k] = parser_new(&o, NULL)) == NULL)
			abort();
	}
}

/*
 * Every member of object o (reached by path[0..np)) found by
 * jsonin_find() with the text cJSON read: the first of each name only
 * (cJSON_GetObjectItemCaseSensitive's), to depth 3.
 */
static void
members(const cJSON *o, const char *s, size_t n, const char **path,
    size_t np)
{
	const cJSON *j;

	if (np == 3)
		return;
	cJSON_ArrayForEach(j, o) {
		const char *v;
		size_t vn;
		char buf[512];

		if (j->string == NULL ||
		    cJSON_GetObjectItemCaseSensitive(o, j->string) != j)
			continue;
		path[np] = j->string;
		if (jsonin_find(s, n, path, np + 1, &v, &vn) == -1)
			abort();
		if (cJSON_IsNumber(j) && vn < sizeof(buf)) {
			memcpy(buf, v, vn);
			buf[vn] = '\0';
			/* The same digits cJSON gave strtod. */
			if (strtod(buf, NULL) != j->valuedouble &&
			    !(j->valuedouble != j->valuedouble))
				abort();
		}
		if (cJSON_IsString(j) && (vn < 2 || v[0] != '"' ||
		    v[vn - 1] != '"'))
			abort();
		if (cJSON_IsObject(j))
			members(j, s, n, path, np + 1);
	}
}

/* A key holding a NUL (cJSON cuts it there) or a raw NUL byte: cJSON's
 * names are not the line's, and nothing is to be compared. */
static int
nul(const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return 1;
	for (size_t i = 0; i + 6 <= n; i++)
		if (memcmp(s + i, "\\u0000", 6) == 0)
			return 1;
	return 0;
}

static void
one(const char *s, size_t n)
{
	struct format_cap c;
	struct diag d;
	cJSON *o;

	for (int k = 0; k < NSETS; k++) {
		int rc;

		diag_clear(&d);
		rc = format_match(fmts[k], s, n, &c, &d);
		if (rc == FORMAT_SKIP) {
			if ((unsigned)c.skip >= SKIP_NCODES ||
			    d.code != DIAG_NOMATCH || d.msg[0] == '\0')
				abort();
			continue;
		}
		if (rc != 1 || c.ts.s == NULL)
			abort();
		if (c.has_t && ts_check(&c.t, NULL) == -1)
			abort();
	}
	/* The line as -f json takes it: one object, nothing after it. */
	if (!nul(s, n) && (o = jsonin_parse(s, n, "fuzz", NULL)) != NULL) {
		const char *path[3];

		members(o, s, n, path, 0);
		cJSON_Delete(o);
	}
}

static int
drop(void *ctx, const struct record *r)
{
	struct event_writer *e = ctx;

	event_write(e, r);
	e->w.len = 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct event_writer ev;

	if (fmts[0] == NULL)
		setup();
	for (int i = 0; i < NLINES && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl != NULL ? nl : end) - p);

		one(p, n < LINE_MAX ? n : LINE_MAX);
		p += n + (nl != NULL);
	}
	event_init(&ev, NULL, 0);
	for (int k = 0; k < NSETS; k++) {
		struct event_line l;
		struct trailer in;
		struct diag d;
		uint64_t sum = 0;
		int rc, whole;

		diag_clear(&d);
		event_begin(&ev, "fuzz");
		rc = parser_buffer(drv[k], data, size, "fuzz", drop, &ev, &in,
		    &d);
		/* Read to its end: done, or no line matched. */
		whole = rc == 0 || (d.code == DIAG_NOMATCH && d.line == 0);
		for (int c = 0; c < SKIP_NCODES; c++)
			sum += in.reasons[c].count;
		if (whole && (in.events + in.skipped + in.blank != in.lines ||
		    sum != in.skipped))
			abort();
		if (whole && in.src != NULL) {
			ev.w.len = 0;
			event_trailer(&ev, &in);
			diag_clear(&d);
			if (event_read(ev.w.buf, ev.w.len - 1, &l, &d) !=
			    EVENT_READ_TRAILER)
				abort();
			if (memcmp(l.in.reasons, in.reasons,
			    sizeof(in.reasons)) != 0 ||
			    l.in.skipped != in.skipped)
				abort();
			event_line_free(&l);
		}
		ev.w.len = 0;
		trailer_free(&in);
	}
	event_free(&ev);
	return 0;
}
