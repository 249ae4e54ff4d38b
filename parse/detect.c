#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timefmt.h"
#include "detect.h"
#include "format.h"
#include "input.h"

/*
 * The shapes' formats (timefmt.h), the longest first where one begins as
 * another does.  ISO: T or a space, an optional fraction after '.' or
 * ',', an optional offset attached or after a space.
 */
#define ISO_SEP(d, t)	\
	d t "%H:%M:%S.%f %z", d t "%H:%M:%S.%f%z", d t "%H:%M:%S,%f %z", \
	d t "%H:%M:%S,%f%z", d t "%H:%M:%S %z", d t "%H:%M:%S%z", \
	d t "%H:%M:%S.%f", d t "%H:%M:%S,%f", d t "%H:%M:%S"
static const char *const f_iso[] = {
	ISO_SEP("%Y-%m-%d", "T"), ISO_SEP("%Y-%m-%d", " "), NULL
};
static const char *const f_clf[] = { "[%d/%b/%Y:%H:%M:%S %z]", NULL };
static const char *const f_ctime[] = {
	"%a %b %e %H:%M:%S.%f %Y", "%a %b %e %H:%M:%S %Y", NULL
};
static const char *const f_hdfs[] = { "%y%m%d %H%M%S", NULL };
static const char *const f_spark[] = {
	"%y/%m/%d %H:%M:%S.%f", "%y/%m/%d %H:%M:%S", NULL
};
static const char *const f_dmy[] = {
	"%d/%m/%Y %H:%M:%S.%f", "%d/%m/%Y %H:%M:%S", NULL
};
static const char *const f_mdy[] = {
	"%m/%d/%Y %H:%M:%S.%f", "%m/%d/%Y %H:%M:%S", NULL
};
static const char *const f_healthapp[] = { "%Y%m%d-%H:%M:%S:%f", NULL };
static const char *const f_logcat[] = {
	"%m-%d %H:%M:%S.%f", "%m-%d %H:%M:%S", NULL
};
static const char *const f_proxifier[] = { "%m.%d %H:%M:%S", NULL };
static const char *const f_syslog[] = {
	"%b %e %H:%M:%S.%f", "%b %e %H:%M:%S", NULL
};
static const char *const f_glog[] = {
	"I%m%d %H:%M:%S.%f", "W%m%d %H:%M:%S.%f", "E%m%d %H:%M:%S.%f",
	"F%m%d %H:%M:%S.%f", NULL
};
static const char *const f_tod[] = { "%H:%M:%S.%f", "%H:%M:%S", NULL };
/* By digit count: seconds (with a fraction), ms, us, ns. */
static const char *const f_epoch[] = { "%s", "%s3", "%s6", "%s9", NULL };

/*
 * The readings, in the fixed order of rule 4.  The presets come first,
 * the narrowest before the wider that also reads their lines (ts before
 * python-logging before iso, nginx-timed before epoch), so that a log
 * every one of them reads is named by the preset written for it; then
 * json; then the shapes, each found anywhere on a line (after a prefix
 * such as "web-1  | " or a terminal escape, inside JSON text), the ones
 * with a year first.
 */
static const struct detect_reading readings[] = {
	{ "pid-tid-ts", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "ts", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "python-logging", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "iso", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "clf", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "nginx-timed", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "syslog", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "epoch-ms", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "epoch", DETECT_PRESET, NULL, 0, 0, NULL, 0 },
	{ "json", DETECT_JSON, NULL, 0, 0, NULL, 0 },
	{ "iso-any", DETECT_SHAPE, f_iso, DETECT_AT_DIGIT, 0,
	  "web-1  | 2023-11-01T23:10:04.806Z GET /", 0 },
	{ "clf-any", DETECT_SHAPE, f_clf, DETECT_AT_BRACKET, 0,
	  "app [01/Nov/2023:23:10:04 +0000] GET /", 0 },
	{ "ctime", DETECT_SHAPE, f_ctime, DETECT_AT_ALPHA, 0,
	  "[Sun Dec 04 04:47:44 2005] [notice] ...", 0 },
	{ "hdfs", DETECT_SHAPE, f_hdfs, DETECT_AT_DIGIT, 0,
	  "081109 203615 148 INFO dfs.DataNode: ...", 0 },
	{ "spark", DETECT_SHAPE, f_spark, DETECT_AT_DIGIT, 0,
	  "17/06/09 20:10:40 INFO executor.Executor: ...", 0 },
	{ "dmy", DETECT_SHAPE, f_dmy, DETECT_AT_DIGIT, 0,
	  "25/12/2023 10:00:00 ...", 0 },
	{ "mdy", DETECT_SHAPE, f_mdy, DETECT_AT_DIGIT, 0,
	  "12/25/2023 10:00:00 ...", 0 },
	{ "healthapp", DETECT_SHAPE, f_healthapp, DETECT_AT_DIGIT, 0,
	  "20171223-22:15:29:606|Step_LSC|30002312|...", 1 },
	{ "epoch-any", DETECT_SHAPE, f_epoch, DETECT_AT_DIGIT, 1,
	  "{\"time\":1698880204806,\"msg\":\"x\"}", 0 },
	{ "logcat", DETECT_SHAPE, f_logcat, DETECT_AT_DIGIT, 0,
	  "03-17 16:13:38.811  1702  2395 D WindowManager: ...", 0 },
	{ "proxifier", DETECT_SHAPE, f_proxifier, DETECT_AT_DIGIT, 0,
	  "[10.30 16:49:06] chrome.exe - ...", 0 },
	{ "syslog-any", DETECT_SHAPE, f_syslog, DETECT_AT_ALPHA, 0,
	  "<34>Nov  1 23:10:04 host app[12]: ...", 0 },
	{ "glog", DETECT_SHAPE, f_glog, DETECT_AT_ALPHA, 0,
	  "I0517 15:04:22.619632  1234 main.cc:42] ...", 0 },
	{ "time-of-day", DETECT_SHAPE, f_tod, DETECT_AT_START, 0,
	  "08:09:33.814936 execve(\"/bin/ls\", ...) (strace -tt)", 0 },
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

struct detect_shape {
	const struct detect_reading *r;
	size_t		 n;
	struct timefmt	*f[];
};

struct detect_shape *
detect_shape_new(const struct detect_reading *r, struct diag *d)
{
	struct detect_shape *sh;
	size_t n = 0;

	while (r->formats[n] != NULL)
		n++;
	if ((sh = calloc(1, sizeof(*sh) + n * sizeof(sh->f[0]))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a shape");
		return NULL;
	}
	sh->r = r;
	for (; sh->n < n; sh->n++)
		if ((sh->f[sh->n] = timefmt_compile(r->formats[sh->n],
		    d)) == NULL) {
			detect_shape_free(sh);
			return NULL;
		}
	return sh;
}

void
detect_shape_free(struct detect_shape *sh)
{
	if (sh == NULL)
		return;
	for (size_t i = 0; i < sh->n; i++)
		timefmt_free(sh->f[i]);
	free(sh);
}

static int
isdigit_(char c)
{
	return c >= '0' && c <= '9';
}

static int
isalpha_(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The epoch format for the digits at s[0..n): by their count after
 * leading zeros, or -1 when the count is none of the contract's. */
static int
epoch_form(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i + 1 < n && s[i] == '0' && isdigit_(s[i + 1]))
		i++;
	for (k = i; k < n && isdigit_(s[k]); k++)
		;
	k -= i;
	if (k < 9 || k > 20)
		return -1;
	return (int)((k - 9) / 3);
}

/* The fraction's digits read as a count of milliseconds: "98" is 98 ms,
 * not 980 (p->digits < 3). */
static void
ms_count(struct ts_parts *p)
{
	int32_t v = p->nsec;

	for (int k = p->digits; k < 9; k++)
		v /= 10;
	p->nsec = v * 1000000;
	p->digits = 3;
}

int
detect_shape_find(const struct detect_shape *sh, const char *s, size_t n,
    struct ts_parts *p, size_t *at, size_t *len)
{
	const struct detect_reading *r = sh->r;

	for (size_t i = 0; i < n; i++) {
		char prev = i > 0 ? s[i - 1] : ' ';
		size_t k0 = 0, k1 = sh->n, got;

		switch (r->start) {
		case DETECT_AT_DIGIT:
			/* Not inside a number, nor a date's later fields
			 * ("11-01" of "2023-11-01" is no logcat time). */
			if (!isdigit_(s[i]) || isdigit_(prev) || (i > 1 &&
			    (prev == '-' || prev == '/' || prev == '.' ||
			    prev == ':') && isdigit_(s[i - 2])))
				continue;
			break;
		case DETECT_AT_ALPHA:
			if (!isalpha_(s[i]) || isalpha_(prev))
				continue;
			break;
		case DETECT_AT_BRACKET:
			if (s[i] != '[')
				continue;
			break;
		default:
			if (i > 0)
				return 0;
			break;
		}
		if (r->epoch) {
			int e = epoch_form(s + i, n - i);

			if (e < 0 || (size_t)e >= sh->n)
				continue;
			k0 = (size_t)e;
			k1 = k0 + 1;
		}
		for (size_t k = k0; k < k1; k++) {
			ts_parts_clear(p);
			got = timefmt_read(sh->f[k], s + i, n - i, p, NULL);
			if (got == TIMEFMT_NOFIT || got == 0)
				continue;
			/* Not the start of a longer number or word. */
			if (i + got < n && ((isdigit_(s[i + got - 1]) &&
			    isdigit_(s[i + got])) || (isalpha_(s[i + got -
			    1]) && isalpha_(s[i + got]))))
				continue;
			if (r->msint && p->digits < 3)
				ms_count(p);
			*at = i;
			*len = got;
			return 1;
		}
	}
	return 0;
}

struct detect {
	struct ts_opt	 tso;
	struct ts_rules	 rules;
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
	if (o->rules != NULL)
		dt->rules = *o->rules;
	/* Its zone data is loaded again when needed, and freed here. */
	dt->rules.sys = NULL;
	dt->rules.sys_tried = 0;
	dt->rules.zone = o->zone;
	dt->rules.year = dt->tso.year;
	if (dt->rules.date_y == 0) {
		dt->rules.date_y = 2000;
		dt->rules.date_m = 1;
		dt->rules.date_d = 1;
	}
	return dt;
}

void
detect_free(struct detect *dt)
{
	if (dt == NULL)
		return;
	ts_abbrset_free(dt->rules.sys);
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
	/* Epoch seconds only by the contract's digit count: a date such
	 * as 081109 is never an epoch to auto, though -f epoch reads it. */
	if (tso->form == TS_EPOCH && epoch_form(c.ts.s, c.ts.n) != 0)
		return 0;
	if (c.has_t)
		*t = c.t;
	else if (ts_parse(c.ts.s, c.ts.n, tso, t, &td) == -1)
		return 0;
	*at = (size_t)(c.ts.s - s);
	*fields = (c.pid.s != NULL) + (c.tid.s != NULL) + (c.id.s != NULL) +
	    (c.dur.s != NULL) + (c.route.s != NULL) + (c.status.s != NULL);
	return 1;
}

/* The sample read with shape k: ok, t, at, and *read. */
static int
shape_lines(struct detect *dt, size_t k, const struct detect_line *l,
    size_t n, size_t *read, struct diag *d)
{
	struct detect_shape *sh;
	struct ts_input in;
	struct ts_parts p;
	struct diag td;
	size_t len;

	if ((sh = detect_shape_new(&readings[k], d)) == NULL)
		return -1;
	ts_input_reset(&in);
	for (size_t i = 0; i < n; i++) {
		size_t j = k * dt->cap + i;

		dt->ok[j] = detect_shape_find(sh, l[i].s, l[i].n, &p,
		    &dt->at[j], &len) == 1 &&
		    ts_resolve(&p, &dt->rules, &in, &dt->t[j], &td) == 0;
		*read += dt->ok[j];
	}
	detect_shape_free(sh);
	return 0;
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
	int before = 0, after = 0, same = 0;

	for (size_t i = 0; i < n; i++) {
		if (!oka[i] || !okb[i] || ts_cmp(&ta[i], &tb[i]) == 0)
			continue;
		if (bad == n)
			bad = i;
		before |= aa[i] < ab[i];
		after |= aa[i] > ab[i];
		same |= aa[i] == ab[i];
	}
	if (bad == n)
		return n;
	if (readings[a].kind == DETECT_SHAPE &&
	    readings[b].kind == DETECT_SHAPE && !same && before != after) {
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
		/* A shape (no fields, and behind a whole-line reading by
		 * rule 3) can only win by reading more lines: none can when
		 * a preset or json read them all.  The shapes, tried at
		 * every place on every line, are most of the choice's cost,
		 * which a log every preset names pays no more. */
		if (r->kind == DETECT_SHAPE && best < NREADINGS &&
		    readings[best].kind != DETECT_SHAPE && read[best] == lines)
			continue;
		/* One reading at a time: each holds a JIT stack that may
		 * grow to FORMAT_JIT_STACK, and the lot would weigh on a
		 * process with little memory to spare. */
		if (r->kind == DETECT_SHAPE) {
			if (shape_lines(dt, k, l, n, &read[k], d) == -1)
				return -1;
		} else {
			if ((f = format_preset(r->name, 0, d)) == NULL)
				return -1;
			tso.form = format_form(f);
			for (size_t i = 0; i < n; i++) {
				size_t j = k * dt->cap + i, nf = 0;

				dt->ok[j] = read_line(f, &tso, l[i].s, l[i].n,
				    &dt->t[j], &dt->at[j], &nf);
				read[k] += dt->ok[j];
				fields[k] += dt->ok[j] ? nf : 0;
			}
			format_free(f);
		}
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
