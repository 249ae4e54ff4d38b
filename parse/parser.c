#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "progress.h"
#include "parser.h"
#include "input.h"
#include "base/ts.h"

/* How much of the first skipped line the trailer keeps. */
#define SKIPTEXT	200

/* --from or --pattern, --kind, --tz, --year, --dur-unit, --strict, and
 * a --field per group. */
#define PARSER_NOPTS	(6 + FORMAT_NGROUPS)

struct parser {
	struct format	*fmt;
	struct ts_opt	 tso;
	struct ts_memo	 memo;		/* tso's: the last minute read */
	struct ts_zone	*zone;
	enum record_kind	 kind;
	enum parser_dur_unit dur_unit;
	int		 strict;
	const char	*source;
	size_t		 maxline;
	char		 why[sizeof(((struct diag *)0)->msg)];
	int		 have_why;
	/* The reason of each code's first skipped line, when have[]. */
	char		 whys[SKIP_NCODES][sizeof(((struct diag *)0)->msg)];
	int		 have[SKIP_NCODES];
	char		*opts[PARSER_NOPTS];	/* as "--from=ts", for trailers */
	size_t		 nopts;
	struct progress	*pg;		/* not owned; NULL */
	const struct trailer *cur;	/* the input being read, for pg */
};

/* Keep one option as "--name=value" (value NULL: "--name"). */
static int
keep(struct parser *p, const char *name, const char *value)
{
	size_t sz = strlen(name) + (value ? strlen(value) + 1 : 0) + 3;

	if (p->nopts >= PARSER_NOPTS || (p->opts[p->nopts] = malloc(sz)) == NULL)
		return -1;
	snprintf(p->opts[p->nopts++], sz, "--%s%s%s", name, value ? "=" : "",
	    value ? value : "");
	return 0;
}

/*
 * The options that decide how an input is read, as a trailer records them
 * (provenance: a fit document says how each of its logs was read).  The
 * format is always said, the others only when given.
 */
static int
keep_opts(struct parser *p, const struct parser_opt *o)
{
	static const char *const units[] = { "s", "ms", "us" };
	char year[16];

	if (o->pattern != NULL ? keep(p, "pattern", o->pattern) :
	    keep(p, "from", format_name(p->fmt)))
		return -1;
	if (o->kind_given &&
	    keep(p, "kind", o->kind == RECORD_START ? "start" : "end") == -1)
		return -1;
	if (o->tz != NULL && keep(p, "tz", o->tz) == -1)
		return -1;
	snprintf(year, sizeof(year), "%d", o->year);
	if (o->year != 0 && keep(p, "year", year) == -1)
		return -1;
	if (o->dur_unit != PARSER_DUR_S &&
	    keep(p, "dur-unit", units[o->dur_unit]) == -1)
		return -1;
	if (o->strict && keep(p, "strict", NULL) == -1)
		return -1;
	for (size_t i = 0; i < o->nfields; i++)
		if (keep(p, "field", o->fields[i]) == -1)
			return -1;
	return 0;
}

struct parser *
parser_new(const struct parser_opt *o, struct diag *d)
{
	struct parser *p;

	if (o->format != NULL && o->pattern != NULL) {
		diag_set(d, DIAG_USAGE, "give a format (-f) or a pattern (-e), "
		    "not both");
		return NULL;
	}
	if (o->year != 0 && (o->year < 1970 || o->year > 9999)) {
		diag_set(d, DIAG_USAGE, "year %d is outside 1970-9999",
		    o->year);
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a parser");
		return NULL;
	}
	if (o->nfields > 0 && (o->format == NULL ||
	    strcmp(o->format, "json") != 0)) {
		diag_set(d, DIAG_USAGE, "--field %s: only with -f json",
		    o->fields[0]);
		goto fail;
	}
	if (o->nfields > FORMAT_NGROUPS) {
		diag_set(d, DIAG_USAGE, "--field given %zu times: there are "
		    "only %d groups to map", o->nfields, FORMAT_NGROUPS);
		goto fail;
	}
	if (o->pattern != NULL)
		p->fmt = format_compile(o->pattern, d);
	else if (o->nfields > 0)
		p->fmt = format_json(o->fields, o->nfields, d);
	else
		p->fmt = format_preset(o->format ? o->format : "pid-tid-ts", 0, d);
	if (p->fmt == NULL)
		goto fail;
	/* A syslog time has no year, and guessing it from the clock would
	 * make the same log parse differently next January. */
	if (format_form(p->fmt) == TS_SYSLOG && o->year == 0) {
		diag_set(d, DIAG_USAGE, "syslog timestamps have no year: give "
		    "it with --year");
		goto fail;
	}
	if (o->tz != NULL && (p->zone = ts_zone_new(o->tz, d)) == NULL) {
		if (d != NULL)
			d->code = DIAG_USAGE;
		goto fail;
	}
	p->tso.form = format_form(p->fmt);
	p->tso.zone = p->zone;
	p->tso.year = o->year;
	p->tso.memo = &p->memo;
	p->kind = o->kind_given ? o->kind : format_kind(p->fmt);
	p->dur_unit = o->dur_unit;
	p->strict = o->strict;
	p->source = o->source ? o->source : "stdin";
	p->maxline = o->maxline;
	if (keep_opts(p, o) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	return p;
fail:
	parser_free(p);
	return NULL;
}

void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	format_free(p->fmt);
	ts_zone_free(p->zone);
	for (size_t i = 0; i < p->nopts; i++)
		free(p->opts[i]);
	free(p);
}

const char *
parser_first_reason(const struct parser *p)
{
	return p->have_why ? p->why : NULL;
}

const char *
parser_reason(const struct parser *p, enum skip_code c)
{
	return c < SKIP_NCODES && p->have[c] ? p->whys[c] : NULL;
}

const char *
parser_format(const struct parser *p)
{
	return format_name(p->fmt);
}

/*
 * A kind group's value.  Logs say it in many words; these are the ones
 * skew-parse(1) documents, case-insensitive.  Returns -1 for any other.
 */
static int
kind_word(const char *s, size_t n, enum record_kind *k)
{
	static const char *const starts[] = {
		"start", "begin", "arrive", "arrival", "request", "recv",
		"received", "in", ">", NULL
	};
	static const char *const ends[] = {
		"end", "finish", "finished", "done", "complete", "completed",
		"response", "sent", "out", "<", NULL
	};

	for (int i = 0; starts[i] != NULL; i++)
		if (strlen(starts[i]) == n && strncasecmp(s, starts[i], n) == 0) {
			*k = RECORD_START;
			return 0;
		}
	for (int i = 0; ends[i] != NULL; i++)
		if (strlen(ends[i]) == n && strncasecmp(s, ends[i], n) == 0) {
			*k = RECORD_END;
			return 0;
		}
	return -1;
}

/*
 * A duration group: unsigned decimal digits with an optional fraction, in
 * the unit given, kept exact as seconds and nanoseconds with the digits
 * the log had (scaled: "31.5" ms is 0.0315 s, four digits).
 */
static int
dur_value(const char *s, size_t n, enum parser_dur_unit unit, struct ts *out,
    const char **why)
{
	static const int shift[] = { 0, 3, 6 };
	char dig[64];
	size_t ni = 0, nf = 0, i = 0, e = (size_t)shift[unit], nd;
	long long sec = 0;
	long ns = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	ni = i;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			i++;
			nf++;
		}
		if (nf == 0) {
			*why = "expected digits after the decimal point";
			return -1;
		}
	}
	if (ni == 0 || i != n) {
		*why = "expected a duration: digits with an optional fraction";
		return -1;
	}
	if (ni > 15) {
		*why = "duration too large";
		return -1;
	}
	if (nf > sizeof(dig) - 16) {
		*why = "duration with too many fraction digits";
		return -1;
	}
	/* All the digits in a row; the point is ni - e from the left. */
	memcpy(dig, s, ni);
	memcpy(dig + ni, s + ni + 1, nf);
	nd = ni + nf;
	/* More than nanoseconds only if the extra digits are zeros. */
	while (nf + e > 9) {
		if (dig[nd - 1] != '0') {
			*why = "duration finer than a nanosecond";
			return -1;
		}
		nd--;
		nf--;
	}
	for (size_t k = 0; k + e < ni; k++)
		sec = sec * 10 + (dig[k] - '0');
	for (size_t k = 0; k < 9; k++) {
		/* Digit k after the point is dig[ni - e + k]. */
		long long pos = (long long)ni - (long long)e + (long long)k;

		ns = ns * 10 + (pos >= 0 && (size_t)pos < nd ?
		    dig[pos] - '0' : 0);
	}
	out->sec = sec;
	out->nsec = (int32_t)ns;
	out->digits = (uint8_t)(nf + e);
	out->flags = 0;
	return 0;
}

/* Count a skipped line under its code. */
static inline void
count(struct trailer *sum, enum skip_code why)
{
	sum->skipped++;
	sum->reasons[why].count++;
}

/*
 * Count a skipped line under its code why; keep the first one's number,
 * text and reason, and each code's first line and reason.  Under
 * --strict, say it in *d and return -1.
 */
static int
skip(struct parser *p, struct trailer *sum, const struct input_line *l,
    int toolong, enum skip_code why, const char *reason,
    enum diag_code code, size_t col, struct diag *d)
{
	count(sum, why);
	if (!p->have[why]) {
		p->have[why] = 1;
		sum->reasons[why].first_line = l->no;
		snprintf(p->whys[why], sizeof(p->whys[why]), "%s", reason);
	}
	if (sum->first_skipped == NULL) {
		size_t n = l->n < SKIPTEXT ? l->n : SKIPTEXT;
		int cut = l->n > n || toolong;
		char *t;

		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		if (l->n > n)
			for (int k = 0; k < 3 && n > 0 &&
			    ((unsigned char)l->s[n] & 0xc0) == 0x80; k++)
				n--;
		if ((t = malloc(24 + n + 4)) != NULL) {
			int h = snprintf(t, 24, "%llu: ",
			    (unsigned long long)l->no);

			memcpy(t + h, l->s, n);
			memcpy(t + h + n, cut ? "..." : "", cut ? 4 : 1);
			sum->first_skipped_n = (size_t)h + n + (cut ? 3 : 0);
			sum->first_skipped_line = l->no;
		}
		sum->first_skipped = t;
		snprintf(p->why, sizeof(p->why), "%s", reason);
		p->have_why = 1;
	}
	if (p->strict) {
		if (d != NULL) {
			d->line = (unsigned long)l->no;
			d->col = col;
			diag_set(d, code, "%s", reason);
		}
		return -1;
	}
	return 0;
}

/* Reset *sum and name it; d->src then points at its name. */
static int
start(struct parser *p, const char *name, struct trailer *sum,
    struct diag *d)
{
	memset(sum, 0, sizeof(*sum));
	p->have_why = 0;
	p->why[0] = '\0';
	memset(p->have, 0, sizeof(p->have));
	if ((sum->src = strdup(name)) == NULL)
		return diag_set(d, DIAG_NOMEM, "cannot allocate a name");
	if (trailer_set_opts(sum, (const char *const *)p->opts, p->nopts,
	    d) == -1)
		return -1;
	if (d != NULL) {
		diag_clear(d);
		d->src = sum->src;
		d->line = 0;
	}
	return 0;
}

static int	run(struct parser *, struct input *,
		    int (*)(void *, const struct record *), void *,
		    struct trailer *, struct diag *);

void
parser_set_progress(struct parser *p, struct progress *pg)
{
	p->pg = pg;
}

/* input's tick, after each block: the events are counted per line in
 * p->cur, read only here. */
static void
tick(void *ctx, uint64_t bytes)
{
	struct parser *p = ctx;

	progress_update(p->pg, bytes, p->cur->events);
}

int
parser_input(struct parser *p, const char *path, const char *srcname,
    int (*on_rec)(void *ctx, const struct record *r), void *ctx,
    struct trailer *sum, struct diag *d)
{
	const char *name;
	struct input *in;
	int rc, ticking;

	if (srcname != NULL)
		name = srcname;
	else
		name = strcmp(path, "-") == 0 ? p->source : path;
	if (start(p, name, sum, d) == -1)
		return -1;
	if ((in = input_open(path, p->maxline, d)) == NULL)
		return -1;
	/* Only a regular file's size is in the total: a FIFO's bytes would
	 * run past it. */
	ticking = p->pg != NULL && input_regular(in);
	if (ticking) {
		p->cur = sum;
		input_set_tick(in, tick, p);
	}
	rc = run(p, in, on_rec, ctx, sum, d);
	if (ticking)
		progress_done(p->pg, input_bytes(in), sum->events);
	input_close(in);
	return rc;
}

int
parser_buffer(struct parser *p, const void *buf, size_t n, const char *srcname,
    int (*on_rec)(void *ctx, const struct record *r), void *ctx,
    struct trailer *sum, struct diag *d)
{
	struct input *in;
	int rc;

	if (start(p, srcname, sum, d) == -1)
		return -1;
	if ((in = input_open_mem(buf, n, p->maxline, d)) == NULL)
		return -1;
	rc = run(p, in, on_rec, ctx, sum, d);
	input_close(in);
	return rc;
}

/* The column of ptr in line l, 1-based plus off, or 0 when a field's
 * text is not the line's own (-f json's decoded strings). */
static size_t
col_in(const struct input_line *l, const char *ptr, size_t off)
{
	return ptr >= l->s && ptr <= l->s + l->n ?
	    (size_t)(ptr - l->s) + off : 0;
}

/*
 * A status group: the HTTP status, three digits 100-599.  Returns it, or
 * 0 with *why set.
 */
static int
status_value(const char *s, size_t n, const char **why)
{
	int v = 0;

	for (size_t i = 0; i < n && n == 3; i++)
		v = s[i] >= '0' && s[i] <= '9' ? v * 10 + (s[i] - '0') : -1000;
	if (n != 3 || v < 100 || v > 599) {
		*why = "expected a status of three digits, 100-599";
		return 0;
	}
	return v;
}

/* Skip line l for a group's value v: 'what, got "v"' at v's column. */
static int
skip_value(struct parser *p, struct trailer *sum, const struct input_line *l,
    enum skip_code why, const char *what, const struct record_str *v,
    struct diag *d)
{
	char q[48], msg[sizeof(((struct diag *)0)->msg)];

	snprintf(msg, sizeof(msg), "%s, got \"%s\"", what,
	    diag_quote(q, sizeof(q), v->s, v->n, 16));
	return skip(p, sum, l, 0, why, msg, DIAG_NOMATCH, col_in(l, v->s, 1),
	    d);
}

static int
run(struct parser *p, struct input *in,
    int (*on_rec)(void *ctx, const struct record *r), void *ctx,
    struct trailer *sum, struct diag *d)
{
	struct diag td;
	struct input_line l;
	struct format_cap c;
	struct record r;
	char why[sizeof(td.msg) + 64];
	int st, rc = -1;

	memset(&r, 0, sizeof(r));
	r.src = sum->src;
	while ((st = input_next(in, &l, d)) > 0) {
		sum->lines++;
		if (st == INPUT_TOOLONG) {
			snprintf(why, sizeof(why), "line too long (%llu bytes; "
			    "the limit is %zu)", (unsigned long long)l.full,
			    p->maxline ? p->maxline : INPUT_MAXLINE);
			if (skip(p, sum, &l, 1, SKIP_TOO_LONG, why,
			    DIAG_TOOLONG, 0, d) == -1)
				goto out;
			continue;
		}
		if (l.n == 0 || (((unsigned char)l.s[0] <= ' ') &&
		    input_blank(l.s, l.n))) {
			sum->blank++;
			continue;
		}
		st = format_match(p->fmt, l.s, l.n, &c, &td);
		if (st == -1) {
			if (d != NULL) {
				diag_set(d, td.code, "%s", td.msg);
				d->line = (unsigned long)l.no;
			}
			goto out;
		}
		if (st != 1) {
			/* Not matched, or not within PCRE2's limits, or
			 * skipped for the format's reason: a skipped line
			 * each way. */
			enum skip_code code = st == 0 ? SKIP_NO_MATCH :
			    st == FORMAT_LIMIT ? SKIP_LIMIT : c.skip;

			if (p->have[code] && !p->strict) {
				/* The reason is only kept for a code's
				 * first line. */
				count(sum, code);
				continue;
			}
			if (st == 0) {
				diag_clear(&td);
				format_why(p->fmt, l.s, l.n, &td);
			}
			if (skip(p, sum, &l, 0, code, td.msg, DIAG_NOMATCH,
			    td.col, d) == -1)
				goto out;
			continue;
		}
		if (c.ts.s == NULL) {
			if (skip(p, sum, &l, 0, SKIP_NO_TIMESTAMP, "the pattern "
			    "matched but its ts group captured nothing",
			    DIAG_NOMATCH, 0, d) == -1)
				goto out;
			continue;
		}
		diag_clear(&td);
		if (c.has_t)
			r.t = c.t;
		else if (ts_parse(c.ts.s, c.ts.n, &p->tso, &r.t, &td) == -1) {
			size_t col = col_in(&l, c.ts.s, td.col ? td.col : 1);

			snprintf(why, sizeof(why), "invalid timestamp: %s",
			    td.msg[0] ? td.msg : diag_name(td.code));
			if (skip(p, sum, &l, 0, SKIP_BAD_TIMESTAMP, why,
			    DIAG_TS, col, d) == -1)
				goto out;
			continue;
		}
		if (r.t.flags & TS_FFOLD)
			sum->fold++;
		r.kind = p->kind;
		if (c.kind.s != NULL && kind_word(c.kind.s, c.kind.n,
		    &r.kind) == -1) {
			char q[48];

			snprintf(why, sizeof(why), "unknown kind \"%s\": "
			    "expected start or end (see skew-parse(1))",
			    diag_quote(q, sizeof(q), c.kind.s, c.kind.n, 16));
			if (skip(p, sum, &l, 0, SKIP_BAD_KIND, why,
			    DIAG_NOMATCH, col_in(&l, c.kind.s, 1), d) == -1)
				goto out;
			continue;
		}
		r.has_dur = 0;
		if (c.dur.s != NULL) {
			const char *dwhy;

			if (dur_value(c.dur.s, c.dur.n, p->dur_unit, &r.dur,
			    &dwhy) == -1) {
				if (skip_value(p, sum, &l, SKIP_BAD_DUR, dwhy,
				    &c.dur, d) == -1)
					goto out;
				continue;
			}
			r.has_dur = 1;
		}
		r.status = 0;
		if (c.status.s != NULL) {
			const char *swhy;

			if ((r.status = status_value(c.status.s, c.status.n,
			    &swhy)) == 0) {
				if (skip_value(p, sum, &l, SKIP_BAD_STATUS, swhy,
				    &c.status, d) == -1)
					goto out;
				continue;
			}
		}
		r.line = l.no;
		r.plain = c.plain;
		r.pid = c.pid;
		r.tid = c.tid;
		r.id = c.id;
		r.route = c.route;
		if (on_rec(ctx, &r) != 0) {
			diag_set(d, DIAG_IO, "stopped");
			goto out;
		}
		sum->events++;
	}
	if (st == INPUT_ERR)
		goto out;
	sum->bytes = input_bytes(in);
	if (input_sha256(in, sum->sha256, d) == -1) {
		sum->sha256[0] = '\0';
		goto out;
	}
	if (sum->events == 0 && sum->skipped > 0) {
		if (d != NULL)
			d->line = 0;
		diag_set(d, DIAG_NOMATCH, "no line matched the format %s "
		    "(%llu skipped): is it the right format? See "
		    "--list-formats", format_name(p->fmt),
		    (unsigned long long)sum->skipped);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1 && sum->bytes == 0)
		sum->bytes = input_bytes(in);
	return rc;
}
