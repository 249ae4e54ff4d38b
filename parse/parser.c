#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "progress.h"
#include "parser.h"
#include "input.h"
#include "base/ts.h"
#include "base/timefmt.h"
#include "base/dur.h"

/* How much of the first skipped line the trailer keeps. */
#define SKIPTEXT	200

/* --from or --pattern, --kind, --tz, --year, --dur-unit, --strict,
 * --time-format, --date, and up to PARSER_NABBR --tz-abbrev. */
#define PARSER_NABBR	16
#define PARSER_NOPTS	(8 + PARSER_NABBR)

struct parser {
	struct format	*fmt;
	struct ts_opt	 tso;
	struct ts_memo	 memo;		/* tso's: the last minute read */
	struct ts_zone	*zone;
	struct timefmt	*tf;		/* --time-format, or NULL */
	struct ts_rules	 rules;		/* years, days and zones */
	struct ts_input	 tin;		/* the input's year state */
	struct ts_abbr	*abbrs;		/* rules.abbr, owned */
	int		 iso_abbr;	/* the iso preset: a zone abbreviation
					 * may follow its time */
	/* The last words iso_abbr_at() looked up, with the answer: logs
	 * repeat a few words (INFO, GET) after the time. */
	struct {
		uint64_t	 w;	/* the word's bytes, zero-padded */
		int		 known;
	}		 seen[4];
	unsigned	 nseen;
	int		 direct;	/* read_time() is ts_parse() alone */
	enum record_kind	 kind;
	enum parser_dur_unit dur_unit;
	int		 strict;
	const char	*source;
	size_t		 maxline;
	char		 why[sizeof(((struct diag *)0)->msg)];
	int		 have_why;
	char		*opts[PARSER_NOPTS];	/* as "--from=ts", for trailers */
	size_t		 nopts;
	struct progress	*pg;		/* not owned; NULL */
	const struct trailer *cur;	/* the input being read, for pg */
};

static int	date_arg(const char *, struct ts_rules *, struct diag *);

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
	static const char *const units[] = { "s", "ms", "us", "ns" };
	char year[16];

	if (o->pattern != NULL ? keep(p, "pattern", o->pattern) :
	    p->fmt != NULL ? keep(p, "from", format_name(p->fmt)) : 0)
		return -1;
	if (o->time_format != NULL &&
	    keep(p, "time-format", o->time_format) == -1)
		return -1;
	if (o->date != NULL && keep(p, "date", o->date) == -1)
		return -1;
	for (size_t k = 0; k < o->ntz_abbrev; k++) {
		char v[32];
		int32_t off = o->tz_abbrev[k].off, a = off < 0 ? -off : off;

		snprintf(v, sizeof(v), "%s=%c%02d:%02d", o->tz_abbrev[k].name,
		    off < 0 ? '-' : '+', (int)(a / 3600), (int)(a / 60 % 60));
		if (keep(p, "tz-abbrev", v) == -1)
			return -1;
	}
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
	if (o->time_format != NULL && o->format != NULL) {
		diag_set(d, DIAG_USAGE, "--time-format reads the ts group of a "
		    "pattern (-e), or alone the start of each line: not with "
		    "-f");
		return NULL;
	}
	if (o->ntz_abbrev > PARSER_NABBR) {
		diag_set(d, DIAG_USAGE, "more than %d --tz-abbrev", PARSER_NABBR);
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a parser");
		return NULL;
	}
	if (o->date != NULL && date_arg(o->date, &p->rules, d) == -1)
		goto fail;
	if (o->time_format != NULL &&
	    (p->tf = timefmt_compile(o->time_format, d)) == NULL)
		goto fail;
	if (o->pattern != NULL)
		p->fmt = format_compile(o->pattern, d);
	else if (p->tf == NULL)
		p->fmt = format_preset(o->format ? o->format : "pid-tid-ts", 0, d);
	if (p->fmt == NULL && p->tf == NULL)
		goto fail;
	/* A syslog time has no year, and guessing it from the clock would
	 * make the same log parse differently next January. */
	if (p->fmt != NULL && format_form(p->fmt) == TS_SYSLOG &&
	    o->year == 0 && o->date == NULL && p->tf == NULL) {
		diag_set(d, DIAG_USAGE, "syslog timestamps have no year: give "
		    "it with --year");
		goto fail;
	}
	if (p->tf != NULL && !(timefmt_has(p->tf) & TIMEFMT_HAS_YEAR)) {
		int date = timefmt_has(p->tf) & TIMEFMT_HAS_DATE;

		if (date && o->year == 0 && o->date == NULL) {
			diag_set(d, DIAG_USAGE, "--time-format \"%s\" reads no "
			    "year: give it with --year (the year of each "
			    "input's first line)", o->time_format);
			goto fail;
		}
		if (!date && o->date == NULL) {
			diag_set(d, DIAG_USAGE, "--time-format \"%s\" reads a "
			    "time of day only: give the date with --date "
			    "YYYY-MM-DD (that of each input's first line)",
			    o->time_format);
			goto fail;
		}
	}
	if (o->tz != NULL && (p->zone = ts_zone_new(o->tz, d)) == NULL) {
		if (d != NULL)
			d->code = DIAG_USAGE;
		goto fail;
	}
	if (o->ntz_abbrev > 0) {
		if ((p->abbrs = calloc(o->ntz_abbrev, sizeof(*p->abbrs))) ==
		    NULL) {
			diag_set(d, DIAG_NOMEM, "cannot allocate a parser");
			goto fail;
		}
		memcpy(p->abbrs, o->tz_abbrev, o->ntz_abbrev *
		    sizeof(*p->abbrs));
	}
	p->rules.zone = p->zone;
	p->rules.year = o->year;
	p->rules.abbr = p->abbrs;
	p->rules.nabbr = o->ntz_abbrev;
	p->iso_abbr = p->fmt != NULL && p->tf == NULL && o->pattern == NULL &&
	    strcmp(format_name(p->fmt), "iso") == 0;
	p->tso.form = p->fmt != NULL ? format_form(p->fmt) : TS_AUTO;
	p->tso.zone = p->zone;
	p->tso.year = o->year;
	p->tso.memo = &p->memo;
	/* The presets' hot path: a form with its year, no abbreviation. */
	p->direct = p->tf == NULL && p->tso.form != TS_AUTO &&
	    p->tso.form != TS_SYSLOG && !p->iso_abbr && p->rules.year == 0;
	p->kind = o->kind_given ? o->kind : p->fmt != NULL ?
	    format_kind(p->fmt) : RECORD_END;
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
	timefmt_free(p->tf);
	ts_zone_free(p->zone);
	ts_abbrset_free(p->rules.sys);
	free(p->abbrs);
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
parser_format(const struct parser *p)
{
	return p->fmt != NULL ? format_name(p->fmt) : "time-format";
}

/* --date YYYY-MM-DD, strictly, into the rules. */
static int
date_arg(const char *s, struct ts_rules *r, struct diag *d)
{
	struct timefmt *f;
	struct ts_parts pt;
	struct ts_rules none;
	struct ts_input in;
	struct ts t;
	size_t k;

	if ((f = timefmt_compile("%Y-%m-%d", d)) == NULL)
		return -1;
	k = timefmt_read(f, s, strlen(s), &pt, NULL);
	timefmt_free(f);
	memset(&none, 0, sizeof(none));
	ts_input_reset(&in);
	/* Resolved once to check that the day exists. */
	if (k != strlen(s) || strlen(s) != 10 ||
	    ts_resolve(&pt, &none, &in, &t, NULL) != 0)
		return diag_set(d, DIAG_USAGE, "--date is \"%s\": expected a "
		    "day as YYYY-MM-DD (1970-9999)", s);
	r->date_y = pt.year;
	r->date_m = pt.mon;
	r->date_d = pt.mday;
	return 0;
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
 * Count a skipped line; keep the first one's number, text and reason.
 * Under --strict, say it in *d and return -1.
 */
static int
skip(struct parser *p, struct trailer *sum, const struct input_line *l,
    int toolong, const char *reason, enum diag_code code, size_t col,
    struct diag *d)
{
	sum->skipped++;
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
	ts_input_reset(&p->tin);
	p->have_why = 0;
	p->why[0] = '\0';
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

/*
 * The bytes at s as a zone abbreviation after an iso preset's time, when
 * unambiguous: a space, then 1 to 5 capitals that end the line or are
 * followed by a space or tab, and that the rules or the zone data know
 * (INFO and GET are in neither).  Its length, or 0.
 */
static size_t
iso_abbr_at(struct parser *p, const char *s, size_t n)
{
	size_t k = 1;

	if (n < 2 || s[0] != ' ' || s[1] < 'A' || s[1] > 'Z')
		return 0;
	uint64_t w = 0;
	int known;

	if (n >= 9) {
		/*
		 * Eight bytes at once: a byte's high bit in cap is set where
		 * it is a capital ((b | 0x80) - 'A' keeps its high bit from
		 * 'A' up, minus '[' from '[' up; no borrow crosses a byte).
		 */
		const uint64_t h = UINT64_C(0x8080808080808080);
		uint64_t v = ts_ld8(s + 1);
		uint64_t cap = ((v | h) - UINT64_C(0x4141414141414141)) &
		    ~((v | h) - UINT64_C(0x5b5b5b5b5b5b5b5b)) & ~v & h;
		int len = __builtin_ctzll(~cap & h) / 8;

		if (len > 5)
			return 0;
		k = (size_t)len + 1;
		w = v & ((UINT64_C(1) << (8 * len)) - 1);
	} else {
		/* The word's bytes gathered as it is read (the first in the
		 * low byte), for the cache. */
		for (; k < n && (unsigned char)(s[k] - 'A') < 26; k++) {
			if (k > 5)
				return 0;
			w |= (uint64_t)(unsigned char)s[k] << (8 * (k - 1));
		}
	}
	if (k < n && s[k] != ' ' && s[k] != '\t')
		return 0;
	for (unsigned j = 0; j < 4 && j < p->nseen; j++)
		if (p->seen[j].w == w)
			return p->seen[j].known ? k - 1 : 0;
	known = ts_abbr_known(s + 1, k - 1, &p->rules);
	p->seen[p->nseen % 4].w = w;
	p->seen[p->nseen % 4].known = known;
	p->nseen++;
	return known ? k - 1 : 0;
}

/* Whether an ISO time's text carries Z or an offset after its seconds. */
static int
iso_offset(const char *s, size_t n)
{
	for (size_t k = 19; k < n; k++)
		if (s[k] == 'Z' || s[k] == '+' || s[k] == '-')
			return 1;
	return 0;
}

/*
 * The time of a line, its ts span s[0..n) (the line itself when a
 * --time-format is used alone): 0 with *t, -1 for a line to skip (*td),
 * or TS_REFUSE for an input to refuse (*td).
 */
static int
read_time(struct parser *p, const char *s, size_t n, const char *line,
    size_t ln, struct ts *t, struct diag *td)
{
	struct ts_parts pt;
	enum ts_form form;
	size_t k, a;

	if (p->direct)
		return ts_parse(s, n, &p->tso, t, td);
	if (p->tf != NULL) {
		if ((k = timefmt_read(p->tf, s, n, &pt, td)) == TIMEFMT_NOFIT)
			return -1;
		if (p->fmt != NULL && k != n) {
			char q[48];

			td->col = k + 1;
			return diag_set(td, DIAG_TS, "expected the end of the "
			    "time (--time-format), got \"%s\"",
			    diag_quote(q, sizeof(q), s + k, n - k, 12));
		}
		return ts_resolve(&pt, &p->rules, &p->tin, t, td);
	}
	form = p->tso.form == TS_AUTO ? ts_guess(s, n) : p->tso.form;
	if (form == TS_SYSLOG) {
		if (ts_syslog_parts(s, n, &pt, td) == -1)
			return -1;
		return ts_resolve(&pt, &p->rules, &p->tin, t, td);
	}
	/* An iso preset's time without an offset, an abbreviation after. */
	if (p->iso_abbr && (k = (size_t)(s + n - line)) < ln &&
	    (a = iso_abbr_at(p, line + k, ln - k)) > 0 && !iso_offset(s, n)) {
		struct ts_opt o = p->tso;
		int32_t off;
		int rc;

		o.zone = NULL;
		if (ts_parse(s, n, &o, t, td) == -1)
			return -1;
		if ((rc = ts_abbr_offset(line + k + 1, a, k + 2, &p->rules,
		    &off, td)) != 0)
			return rc;
		t->sec -= off;
		if (p->rules.year != 0)
			p->tin.year_on_line++;
		return ts_check(t, td);
	}
	/* Every other form carries its year: --year is not used. */
	if (p->rules.year != 0)
		p->tin.year_on_line++;
	return ts_parse(s, n, &p->tso, t, td);
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
	int st, trc, rc = -1;

	memset(&r, 0, sizeof(r));
	r.src = sum->src;
	while ((st = input_next(in, &l, d)) > 0) {
		sum->lines++;
		if (st == INPUT_TOOLONG) {
			snprintf(why, sizeof(why), "line too long (%llu bytes; "
			    "the limit is %zu)", (unsigned long long)l.full,
			    p->maxline ? p->maxline : INPUT_MAXLINE);
			if (skip(p, sum, &l, 1, why, DIAG_TOOLONG, 0, d) == -1)
				goto out;
			continue;
		}
		if (l.n == 0 || (((unsigned char)l.s[0] <= ' ') &&
		    input_blank(l.s, l.n))) {
			sum->blank++;
			continue;
		}
		if (p->fmt == NULL) {
			/* --time-format alone: it reads the line's start. */
			memset(&c, 0, sizeof(c));
			c.ts.s = l.s;
			c.ts.n = l.n;
			c.plain = 1;
			st = 1;
		} else
			st = format_match(p->fmt, l.s, l.n, &c, &td);
		if (st == -1) {
			if (d != NULL) {
				diag_set(d, td.code, "%s", td.msg);
				d->line = (unsigned long)l.no;
			}
			goto out;
		}
		if (st != 1) {
			/* Not matched, or not within PCRE2's limits: a
			 * skipped line either way. */
			if (sum->first_skipped != NULL && !p->strict) {
				/* The reason is only reported for the first. */
				sum->skipped++;
				continue;
			}
			if (st == 0) {
				diag_clear(&td);
				format_why(p->fmt, l.s, l.n, &td);
			}
			if (skip(p, sum, &l, 0, td.msg, DIAG_NOMATCH, td.col,
			    d) == -1)
				goto out;
			continue;
		}
		if (c.ts.s == NULL) {
			if (skip(p, sum, &l, 0, "the pattern matched but its ts "
			    "group captured nothing", DIAG_NOMATCH, 0, d) == -1)
				goto out;
			continue;
		}
		diag_clear(&td);
		if ((trc = read_time(p, c.ts.s, c.ts.n, l.s, l.n, &r.t,
		    &td)) != 0) {
			size_t col = (size_t)(c.ts.s - l.s) +
			    (td.col ? td.col : 1);

			if (trc == TS_REFUSE) {
				/* The input as a whole: stop at this line. */
				if (d != NULL) {
					diag_set(d, DIAG_USAGE, "%s", td.msg);
					d->line = (unsigned long)l.no;
					d->col = col;
				}
				goto out;
			}

			snprintf(why, sizeof(why), "invalid timestamp: %s",
			    td.msg[0] ? td.msg : diag_name(td.code));
			if (skip(p, sum, &l, 0, why, DIAG_TS, col, d) == -1)
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
			if (skip(p, sum, &l, 0, why, DIAG_NOMATCH,
			    (size_t)(c.kind.s - l.s) + 1, d) == -1)
				goto out;
			continue;
		}
		r.has_dur = 0;
		if (c.dur.s != NULL) {
			const char *dwhy;

			if (dur_log(c.dur.s, c.dur.n, 3 * (int)p->dur_unit,
			    &r.dur, &dwhy) == -1) {
				char q[48];

				snprintf(why, sizeof(why), "%s, got \"%s\"",
				    dwhy, diag_quote(q, sizeof(q), c.dur.s,
				    c.dur.n, 16));
				if (skip(p, sum, &l, 0, why, DIAG_NOMATCH,
				    (size_t)(c.dur.s - l.s) + 1, d) == -1)
					goto out;
				continue;
			}
			r.has_dur = 1;
		}
		r.line = l.no;
		r.plain = c.plain;
		r.pid = c.pid;
		r.tid = c.tid;
		r.id = c.id;
		if (on_rec(ctx, &r) != 0) {
			diag_set(d, DIAG_IO, "stopped");
			goto out;
		}
		sum->events++;
	}
	if (st == INPUT_ERR)
		goto out;
	sum->year_turnovers = p->tin.turnovers;
	sum->year_on_line = p->tin.year_on_line;
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
		    "--list-formats", parser_format(p),
		    (unsigned long long)sum->skipped);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1 && sum->bytes == 0)
		sum->bytes = input_bytes(in);
	return rc;
}
