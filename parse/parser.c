#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect.h"
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
 * --time-format, --date, up to PARSER_NABBR --tz-abbrev, and a --field
 * per group. */
#define PARSER_NABBR	16
#define PARSER_NOPTS	(8 + PARSER_NABBR + FORMAT_NGROUPS)

/* The sample -f auto reads before choosing: the first lines of an input,
 * copied, then handed out again as events before the rest of the input. */
struct sample {
	char		*buf;		/* the lines' bytes, one after another */
	size_t		 len, cap;
	struct input_line *l;
	struct detect_line *dl;		/* the same, for detect_choose() */
	size_t		*off;		/* where each line's bytes begin */
	int		*st;		/* input_next()'s status of each */
	size_t		 n, next;	/* lines held; the next to hand out */
	int		 err;		/* the reader failed after the last */
	struct diag	 ed;		/* how */
};

struct parser {
	struct format	*fmt;		/* NULL: -f auto found no reading, or
					 * a shape's (shape) is in use */
	struct detect_shape *shape;	/* -f auto's shape, or NULL */
	const struct detect_reading *rd;	/* -f auto's reading; NULL for
					 * -f NAME and -e */
	int		 autodet;	/* -f auto: choose per input */
	struct detect	*dt;		/* its readings, made at the first */
	struct sample	 smp;
	int		 year;
	char		 choice[256];	/* what -f auto chose, in words */
	int		 chosen;	/* for the input being read */
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
	int		 kind_given;
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
	    p->fmt != NULL || p->autodet || p->rd != NULL ? keep(p, "from",
	    p->autodet ? "auto" : p->rd != NULL ? o->format :
	    format_name(p->fmt)) : 0)
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
	for (size_t i = 0; i < o->nfields; i++)
		if (keep(p, "field", o->fields[i]) == -1)
			return -1;
	return 0;
}

/* The format p->fmt now in use: how its times and kind are read. */
static void
use_format(struct parser *p)
{
	p->tso.form = format_form(p->fmt);
	/* The iso preset: a zone abbreviation may follow its time. */
	p->iso_abbr = strcmp(format_name(p->fmt), "iso") == 0;
	/* The presets' hot path: a form with its year, no abbreviation
	 * (set here, so that a preset -f auto chose runs as fast as
	 * naming it). */
	p->direct = p->tf == NULL && p->tso.form != TS_AUTO &&
	    p->tso.form != TS_SYSLOG && !p->iso_abbr && p->rules.year == 0;
	/* Then a scanner reads the time as it finds it. */
	format_set_time(p->fmt, p->direct ? &p->tso : NULL);
	p->kind = p->kind_given ? p->kind : format_kind(p->fmt);
	memset(&p->memo, 0, sizeof(p->memo));
}

/* A reading of detect.h made the format in use (the one before freed). */
static int
use_reading(struct parser *p, const struct detect_reading *r, struct diag *d)
{
	format_free(p->fmt);
	detect_shape_free(p->shape);
	p->fmt = NULL;
	p->shape = NULL;
	p->rd = NULL;
	p->direct = p->iso_abbr = 0;
	if (r->kind == DETECT_SHAPE) {
		if ((p->shape = detect_shape_new(r, d)) == NULL)
			return -1;
		p->kind = p->kind_given ? p->kind : RECORD_END;
	} else {
		if ((p->fmt = format_preset(r->name, 0, d)) == NULL)
			return -1;
		use_format(p);
	}
	p->rd = r;
	return 0;
}

/* A time without a year, and guessing it from the clock would make the
 * same log parse differently next January. */
static int
need_year(const struct parser *p, struct diag *d)
{
	if (p->fmt != NULL && p->tso.form == TS_SYSLOG && p->year == 0 &&
	    p->rules.date_y == 0)
		return diag_set(d, DIAG_USAGE, "%s timestamps have no year: "
		    "give it with --year", p->rd != NULL ? p->rd->name :
		    "syslog");
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
	p->year = o->year;
	p->kind_given = o->kind_given;
	p->kind = o->kind;
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
	if (o->date != NULL && date_arg(o->date, &p->rules, d) == -1)
		goto fail;
	if (o->time_format != NULL &&
	    (p->tf = timefmt_compile(o->time_format, d)) == NULL)
		goto fail;
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
	p->tso.form = TS_AUTO;
	p->tso.zone = p->zone;
	p->tso.year = o->year;
	p->tso.memo = &p->memo;
	if (o->pattern != NULL || o->nfields > 0) {
		if ((p->fmt = o->pattern != NULL ? format_compile(o->pattern,
		    d) : format_json(o->fields, o->nfields, d)) == NULL)
			goto fail;
		use_format(p);
	} else if (p->tf != NULL) {
		/* --time-format alone: it reads each line's start. */
		p->kind = o->kind_given ? o->kind : RECORD_END;
	} else if (o->format == NULL || strcmp(o->format, "auto") == 0)
		p->autodet = 1;
	else if (strncmp(o->format, "auto:", 5) == 0) {
		if ((p->rd = detect_find(o->format + 5)) == NULL) {
			diag_set(d, DIAG_USAGE, "unknown reading \"%s\" in "
			    "-f %s: see --list-formats", o->format + 5,
			    o->format);
			goto fail;
		}
		if (use_reading(p, p->rd, d) == -1 || need_year(p, d) == -1)
			goto fail;
	} else {
		if ((p->fmt = format_preset(o->format, 0, d)) == NULL) {
			if (detect_find(o->format) != NULL && d != NULL)
				diag_set(d, DIAG_USAGE, "unknown format "
				    "\"%s\": a shape is named -f auto:%s",
				    o->format, o->format);
			goto fail;
		}
		use_format(p);
		if (need_year(p, d) == -1)
			goto fail;
	}
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
	detect_shape_free(p->shape);
	detect_free(p->dt);
	free(p->smp.buf);
	free(p->smp.l);
	free(p->smp.dl);
	free(p->smp.off);
	free(p->smp.st);
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
parser_reason(const struct parser *p, enum skip_code c)
{
	return c < SKIP_NCODES && p->have[c] ? p->whys[c] : NULL;
}

const char *
parser_format(const struct parser *p)
{
	if (p->rd != NULL)
		return p->rd->name;
	if (p->fmt != NULL)
		return format_name(p->fmt);
	return p->tf != NULL ? "time-format" : "auto";
}

const char *
parser_choice(const struct parser *p)
{
	return p->chosen ? p->choice : NULL;
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
	p->chosen = 0;
	ts_input_reset(&p->tin);
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

/*
 * The sample: the first lines of in, up to DETECT_LINES and DETECT_BYTES
 * (and the line that passes the bytes), copied.  A read error ends it and
 * is handed out after its lines, as the reader would have.  Returns 0, or
 * -1 (DIAG_NOMEM).
 */
static int
sample_fill(struct sample *sm, struct input *in, struct diag *d)
{
	struct input_line l;
	int st;

	sm->n = sm->next = sm->len = 0;
	sm->err = 0;
	diag_clear(&sm->ed);
	while (sm->n < DETECT_LINES && sm->len < DETECT_BYTES) {
		if ((st = input_next(in, &l, &sm->ed)) == INPUT_ERR) {
			sm->err = 1;
			break;
		}
		if (st == INPUT_EOF)
			break;
		if (sm->n == 0 && sm->l == NULL) {
			sm->l = calloc(DETECT_LINES, sizeof(*sm->l));
			sm->dl = calloc(DETECT_LINES, sizeof(*sm->dl));
			sm->off = calloc(DETECT_LINES, sizeof(*sm->off));
			sm->st = calloc(DETECT_LINES, sizeof(*sm->st));
			if (sm->l == NULL || sm->dl == NULL ||
			    sm->off == NULL || sm->st == NULL)
				return diag_set(d, DIAG_NOMEM, "cannot "
				    "allocate the sample of -f auto");
		}
		if (sm->len + l.n > sm->cap) {
			size_t cap = sm->cap ? sm->cap : 65536;
			char *b;

			while (cap < sm->len + l.n)
				cap *= 2;
			if ((b = realloc(sm->buf, cap)) == NULL)
				return diag_set(d, DIAG_NOMEM, "cannot "
				    "allocate the sample of -f auto");
			sm->buf = b;
			sm->cap = cap;
		}
		if (l.n > 0)
			memcpy(sm->buf + sm->len, l.s, l.n);
		sm->l[sm->n] = l;
		sm->off[sm->n] = sm->len;
		sm->st[sm->n++] = st;
		sm->len += l.n;
	}
	for (size_t i = 0; i < sm->n; i++) {
		sm->l[i].s = sm->buf + sm->off[i];
		sm->dl[i].s = sm->l[i].s;
		/* A line too long is looked at by its first bytes only. */
		sm->dl[i].n = sm->l[i].n;
		sm->dl[i].no = sm->l[i].no;
	}
	return 0;
}

/* The next line: the sample's first, then the reader's. */
static int
next_line(struct parser *p, struct input *in, struct input_line *l,
    struct diag *d)
{
	struct sample *sm = &p->smp;

	if (sm->next < sm->n) {
		*l = sm->l[sm->next];
		return sm->st[sm->next++];
	}
	if (sm->err) {
		sm->err = 0;
		if (d != NULL) {
			const char *src = d->src;

			*d = sm->ed;
			d->src = src;
		}
		return INPUT_ERR;
	}
	return input_next(in, l, d);
}

/* The trailer's options again, after -f auto chose (the first is the
 * reading). */
static int
reset_opts(struct parser *p, struct trailer *sum, struct diag *d)
{
	for (size_t i = 0; i < sum->nopts; i++)
		free(sum->opts[i]);
	free(sum->opts);
	sum->opts = NULL;
	sum->nopts = 0;
	return trailer_set_opts(sum, (const char *const *)p->opts, p->nopts,
	    d);
}

/*
 * -f auto: the sample read, a reading chosen, said in p->choice and in
 * the trailer's options.  Returns 0, or -1 with *d filled (a tie, a
 * reading that needs --year, out of memory).
 */
static int
choose(struct parser *p, struct input *in, struct trailer *sum,
    struct diag *d)
{
	struct detect_choice c;
	char *o;
	size_t sz;

	p->choice[0] = '\0';
	if (p->dt == NULL) {
		struct detect_opt dopt = { p->zone, p->year, &p->rules };

		if ((p->dt = detect_new(&dopt, d)) == NULL)
			return -1;
	}
	if (sample_fill(&p->smp, in, d) == -1 ||
	    detect_choose(p->dt, p->smp.dl, p->smp.n, &c, d) == -1)
		return -1;
	if (c.r == NULL) {
		format_free(p->fmt);
		detect_shape_free(p->shape);
		p->fmt = NULL;
		p->shape = NULL;
		p->rd = NULL;
		if (c.lines > 0)
			snprintf(p->choice, sizeof(p->choice), "-f auto found "
			    "no timestamp it knows in the first %zu lines",
			    c.lines);
	} else {
		if ((p->rd != c.r && use_reading(p, c.r, d) == -1) ||
		    need_year(p, d) == -1)
			return -1;
		p->chosen = 1;
		snprintf(p->choice, sizeof(p->choice), "read as %s (-f auto: "
		    "%zu of %zu lines sampled)%s", c.r->name, c.read, c.lines,
		    p->fmt != NULL && format_kind(p->fmt) == RECORD_START &&
		    !p->kind_given ?
		    "; its time taken as the arrival (Apache's %t; nginx's "
		    "$time_local is the end: -k end)" : "");
	}
	sz = sizeof("--from=auto:") + (c.r != NULL ? strlen(c.r->name) : 0);
	if ((o = malloc(sz)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	snprintf(o, sz, "--from=auto%s%s", c.r != NULL ? ":" : "",
	    c.r != NULL ? c.r->name : "");
	free(p->opts[0]);
	p->opts[0] = o;
	return reset_opts(p, sum, d);
}

/*
 * A line read with the shape in use: 1 with *t, 0 when the shape is not on
 * it, -1 (a wrong time) or TS_REFUSE (the input cannot be read) with *d.
 */
static int
shape_line(struct parser *p, const struct input_line *l, struct ts *t,
    struct diag *d)
{
	struct ts_parts parts;
	size_t at, len;
	int rc;

	if (detect_shape_find(p->shape, l->s, l->n, &parts, &at, &len) == 0)
		return 0;
	diag_clear(d);
	if ((rc = ts_resolve(&parts, &p->rules, &p->tin, t, d)) == -1 &&
	    d != NULL)
		d->col += at;
	return rc == 0 ? 1 : rc;
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
		int len;

		if ((~cap & h) == 0)
			return 0;	/* eight capitals: longer than 5 */
		len = __builtin_ctzll(~cap & h) / 8;
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
	int st, trc, rc = -1;

	memset(&r, 0, sizeof(r));
	r.src = sum->src;
	p->smp.n = p->smp.next = 0;
	if (p->autodet && choose(p, in, sum, d) == -1)
		goto out;
	while ((st = next_line(p, in, &l, d)) > 0) {
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
		if (p->shape != NULL) {
			switch (shape_line(p, &l, &r.t, &td)) {
			case 1:
				memset(&c, 0, sizeof(c));
				c.plain = 1;
				goto event;
			case TS_REFUSE:
				/* The input as a whole cannot be read (no
				 * year, an unknown zone): say so once. */
				if (d != NULL) {
					d->line = (unsigned long)l.no;
					d->col = td.col;
					diag_set(d, td.code, "%s", td.msg);
				}
				goto out;
			case 0:
				/* A code's reason is kept for its first line
				 * only: the others are counted (a stack trace's
				 * lines, most often). */
				if (p->have[SKIP_NO_TIMESTAMP] && !p->strict) {
					count(sum, SKIP_NO_TIMESTAMP);
					continue;
				}
				snprintf(why, sizeof(why), "no timestamp of the "
				    "shape %s (as in \"%s\") on the line",
				    p->rd->name, p->rd->example);
				if (skip(p, sum, &l, 0, SKIP_NO_TIMESTAMP, why,
				    DIAG_NOMATCH, 1, d) == -1)
					goto out;
				continue;
			default:
				if (p->have[SKIP_BAD_TIMESTAMP] && !p->strict) {
					count(sum, SKIP_BAD_TIMESTAMP);
					continue;
				}
				snprintf(why, sizeof(why), "invalid timestamp: %s",
				    td.msg);
				if (skip(p, sum, &l, 0, SKIP_BAD_TIMESTAMP,
				    why, DIAG_TS, td.col, d) == -1)
					goto out;
				continue;
			}
		}
		if (p->fmt == NULL && p->tf == NULL) {
			snprintf(why, sizeof(why), "%s: give -f or -e (see "
			    "--list-formats)", p->choice);
			if (skip(p, sum, &l, 0, SKIP_NO_MATCH, why,
			    DIAG_NOMATCH, 0, d) == -1)
				goto out;
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
		else if ((trc = read_time(p, c.ts.s, c.ts.n, l.s, l.n, &r.t,
		    &td)) != 0) {
			size_t col = col_in(&l, c.ts.s, td.col ? td.col : 1);

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
			if (skip(p, sum, &l, 0, SKIP_BAD_TIMESTAMP, why,
			    DIAG_TS, col, d) == -1)
				goto out;
			continue;
		}
event:
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

			if (dur_log(c.dur.s, c.dur.n, 3 * (int)p->dur_unit,
			    &r.dur, &dwhy) == -1) {
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
