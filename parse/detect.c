#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "format.h"
#include "input.h"

/*
 * The readings, in the fixed order of rule 4.  The presets come first,
 * the narrowest before the wider that also reads their lines (ts before
 * python-logging before iso, nginx-timed before epoch), so that a log
 * every one of them reads is named by the preset written for it; then
 * json; then the shapes, each found anywhere on a line (after a prefix
 * such as "web-1  | " or a terminal escape, inside JSON text).
 *
 * A shape's pattern only finds its timestamp: the digits are read, and
 * checked, by ts_parse() in the shape's form, as a preset's are.
 */
#define NOTDIG	"(?<![0-9])"
#define ENDDIG	"(?![0-9])"
static const struct detect_reading readings[] = {
	{ "pid-tid-ts", DETECT_PRESET, NULL, TS_ISO, 0, NULL },
	{ "ts", DETECT_PRESET, NULL, TS_ISO, 0, NULL },
	{ "python-logging", DETECT_PRESET, NULL, TS_ISO, 0, NULL },
	{ "iso", DETECT_PRESET, NULL, TS_ISO, 0, NULL },
	{ "clf", DETECT_PRESET, NULL, TS_CLF, 0, NULL },
	{ "nginx-timed", DETECT_PRESET, NULL, TS_EPOCH, 0, NULL },
	{ "syslog", DETECT_PRESET, NULL, TS_SYSLOG, 1, NULL },
	{ "epoch-ms", DETECT_PRESET, NULL, TS_EPOCH_MS, 0, NULL },
	{ "epoch", DETECT_PRESET, NULL, TS_EPOCH, 0, NULL },
	{ "iso-any", DETECT_SHAPE,
	  NOTDIG "(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:"
	  "[0-9]{2}(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)"
	  ENDDIG,
	  TS_ISO, 0, "web-1  | 2023-11-01T23:10:04.806Z GET /" },
	{ "clf-any", DETECT_SHAPE,
	  "\\[(?<ts>[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} "
	  "[+-][0-9]{4})\\]",
	  TS_CLF, 0, "app [01/Nov/2023:23:10:04 +0000] GET /" },
	{ "epoch-any", DETECT_SHAPE,
	  "(?<![0-9.])(?<ts>[0-9]{9,11}\\.[0-9]{1,9}|[0-9]{9,11})(?![0-9.])",
	  TS_EPOCH, 0, "{\"time\":1698880204.806,\"msg\":\"x\"}" },
	{ "epoch-ms-any", DETECT_SHAPE,
	  "(?<![0-9.])(?<ts>[0-9]{12,14})(?![0-9.])",
	  TS_EPOCH_MS, 0, "{\"time\":1698880204806,\"msg\":\"x\"}" },
};
#define NREADINGS	(sizeof(readings) / sizeof(readings[0]))

const struct detect_reading *
detect_reading(size_t i)
{
	return i < NREADINGS ? &readings[i] : NULL;
}

const struct detect_reading *
detect_find(const char *name)
{
	for (size_t i = 0; i < NREADINGS; i++)
		if (strcmp(readings[i].name, name) == 0)
			return &readings[i];
	return NULL;
}

struct detect {
	struct ts_opt	 tso;
	/* Per reading, per sample line: read or not, the time, and where
	 * on the line the timestamp began (a shape's). */
	unsigned char	*ok;
	struct ts	*t;
	size_t		*at;
	size_t		 cap;		/* lines the arrays hold */
};

struct detect *
detect_new(const struct detect_opt *o, struct diag *d)
{
	struct detect *dt;

	if ((dt = calloc(1, sizeof(*dt))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate the detector");
		return NULL;
	}
	dt->tso.zone = o->zone;
	/* A yearless time is tried in a leap year, so that Feb 29 reads:
	 * the year the input is read with is still --year's (and without
	 * it the choice is refused once made). */
	dt->tso.year = o->year != 0 ? o->year : 2000;
	return dt;
}

void
detect_free(struct detect *dt)
{
	if (dt == NULL)
		return;
	free(dt->ok);
	free(dt->t);
	free(dt->at);
	free(dt);
}

/* The line s[0..n) read with f: 1 with *t, *at and *fields, else 0. */
static int
read_line(struct format *f, const struct ts_opt *tso, const char *s,
    size_t n, struct ts *t, size_t *at, size_t *fields)
{
	struct format_cap c;
	struct diag td;

	diag_clear(&td);
	if (format_match(f, s, n, &c, &td) != 1 || c.ts.s == NULL)
		return 0;
	if (ts_parse(c.ts.s, c.ts.n, tso, t, &td) == -1)
		return 0;
	*at = (size_t)(c.ts.s - s);
	*fields = (c.pid.s != NULL) + (c.tid.s != NULL) + (c.id.s != NULL) +
	    (c.dur.s != NULL);
	return 1;
}

/* Rules 1 to 3: negative when reading a comes before b, 0 when equal. */
static int
rank(const size_t *read, const size_t *fields, size_t a, size_t b)
{
	if (read[a] != read[b])
		return read[a] > read[b] ? -1 : 1;
	if (fields[a] != fields[b])
		return fields[a] > fields[b] ? -1 : 1;
	if ((readings[a].kind == DETECT_SHAPE) != (readings[b].kind ==
	    DETECT_SHAPE))
		return readings[a].kind == DETECT_SHAPE ? 1 : -1;
	return 0;
}

/* "-f NAME" for a preset or json, "-f auto:NAME" for a shape. */
static const char *
flag(const struct detect_reading *r, char *buf, size_t sz)
{
	snprintf(buf, sz, "-f %s%s", r->kind == DETECT_SHAPE ? "auto:" : "",
	    r->name);
	return buf;
}

/*
 * Whether readings a and b, equal by rules 1 to 3, tie: on some line both
 * read they give different times.  Shapes found at different places of
 * such a line are not a tie when one is always the earlier on the line
 * (the first timestamp of a line is its time, as a reader scanning it
 * would take it): *first then says which.  Returns the line index of the
 * tie, or n when there is none.
 */
static size_t
tie(const struct detect *dt, size_t a, size_t b, size_t n, size_t *first)
{
	const unsigned char *oka = dt->ok + a * dt->cap;
	const unsigned char *okb = dt->ok + b * dt->cap;
	const struct ts *ta = dt->t + a * dt->cap, *tb = dt->t + b * dt->cap;
	const size_t *aa = dt->at + a * dt->cap, *ab = dt->at + b * dt->cap;
	size_t bad = n;
	int before = 0, after = 0;

	for (size_t i = 0; i < n; i++) {
		if (!oka[i] || !okb[i] || ts_cmp(&ta[i], &tb[i]) == 0)
			continue;
		if (bad == n)
			bad = i;
		before |= aa[i] < ab[i];
		after |= aa[i] >= ab[i];
	}
	if (bad == n)
		return n;
	if (readings[a].kind == DETECT_SHAPE &&
	    readings[b].kind == DETECT_SHAPE && before != after) {
		*first = before ? a : b;
		return n;
	}
	return bad;
}

int
detect_choose(struct detect *dt, const struct detect_line *l, size_t n,
    struct detect_choice *c, struct diag *d)
{
	size_t read[NREADINGS], fields[NREADINGS], best = NREADINGS;
	size_t lines = 0;

	memset(c, 0, sizeof(*c));
	if (n > dt->cap) {
		free(dt->ok);
		free(dt->t);
		free(dt->at);
		dt->ok = calloc(NREADINGS * n, sizeof(*dt->ok));
		dt->t = calloc(NREADINGS * n, sizeof(*dt->t));
		dt->at = calloc(NREADINGS * n, sizeof(*dt->at));
		dt->cap = n;
		if (dt->ok == NULL || dt->t == NULL || dt->at == NULL) {
			dt->cap = 0;
			return diag_set(d, DIAG_NOMEM, "cannot allocate the "
			    "sample's readings");
		}
	}
	for (size_t i = 0; i < n; i++)
		lines += !(l[i].n == 0 || input_blank(l[i].s, l[i].n));
	for (size_t k = 0; k < NREADINGS; k++) {
		const struct detect_reading *r = &readings[k];
		struct format *f;
		struct ts_opt tso = dt->tso;

		read[k] = fields[k] = 0;
		/* One reading at a time: each holds a JIT stack that may
		 * grow to FORMAT_JIT_STACK, and the lot would weigh on a
		 * process with little memory to spare. */
		if (r->kind == DETECT_JSON)
			continue;
		f = r->kind == DETECT_PRESET ? format_preset(r->name, 0, d) :
		    format_compile(r->pattern, d);
		if (f == NULL)
			return -1;
		tso.form = r->kind == DETECT_PRESET ? format_form(f) : r->form;
		for (size_t i = 0; i < n; i++) {
			size_t j = k * dt->cap + i, nf = 0;

			dt->ok[j] = read_line(f, &tso, l[i].s, l[i].n,
			    &dt->t[j], &dt->at[j], &nf);
			read[k] += dt->ok[j];
			fields[k] += dt->ok[j] ? nf : 0;
		}
		format_free(f);
		if (read[k] > 0 && (best == NREADINGS ||
		    rank(read, fields, k, best) < 0))
			best = k;
	}
	c->lines = lines;
	if (best == NREADINGS)
		return 0;
	/* Rule 4, unless the readings equal to the best by rules 1 to 3
	 * disagree on a time. */
	for (size_t k = 0; k < NREADINGS; k++) {
		size_t first = best, at;

		if (k == best || read[k] == 0 || rank(read, fields, k, best) != 0)
			continue;
		if ((at = tie(dt, best, k, n, &first)) < n) {
			char fa[64], fb[64], ia[TS_ISO_MAX], ib[TS_ISO_MAX];

			ts_iso(&dt->t[best * dt->cap + at], ia);
			ts_iso(&dt->t[k * dt->cap + at], ib);
			if (d != NULL)
				d->line = (unsigned long)l[at].no;
			return diag_set(d, DIAG_DATA, "-f auto: two readings "
			    "fit the first lines alike but give different "
			    "times: %s reads this line as %s, %s as %s; give "
			    "one of them", flag(&readings[best], fa,
			    sizeof(fa)), ia, flag(&readings[k], fb,
			    sizeof(fb)), ib);
		}
		best = first;
	}
	c->r = &readings[best];
	c->read = read[best];
	c->fields = fields[best];
	return 0;
}
