/*
 * fuzz/align.c: skew-align's input through the whole analysis, as
 * `skew-align | skew-fit | skew-report` and the one-process skew run it:
 *
 *   events NDJSON -> event store (aln_add_line, evs.c) -> runs (run.c)
 *   -> pairs (align.c) -> request records (reqw.c) -> read back by
 *   skew-fit's reader (reqread.c) -> fit document (doc.c, stats.c, fit.c)
 *   -> report (report/).
 *
 * fuzz/evs.c checks the event-line reader alone; this target reaches
 * everything after it.  The input is skew-parse's output (one event or
 * trailer a line, as cli_ndjson() hands them on: blank lines skipped, the
 * first bad line stops), optionally after a first line of options:
 *
 *   #GAP OFFSET SERVICE TO
 *
 * GAP a duration (--gap), OFFSET a signed duration or "auto" (--offset),
 * SERVICE a list of durations (skew-fit's --service-time), TO a digit
 * (0 text, 1 markdown, 2 html, 3-6 an SVG plot); "-" or a word that does
 * not parse leaves that option out.
 *
 * What must hold: aln_finish() makes requests or refuses with a reason;
 * the requests are ordered, ranked and counted as the contract says; what
 * reqw writes, reqread reads back identically (skew-align's output is
 * skew-fit's input); and the fit document of that set is made or refused
 * with a reason, holds no NaN and renders (fz_fit in fuzz.h).
 *
 * KNOWN defects guarded against (fuzz/README.md; off with
 * SKEW_FUZZ_UNGUARDED=1): events further apart than an int64_t of
 * nanoseconds (~292 years; analyze/run.c gap_ns overflows) are not
 * aligned, and the read-back is not checked for times outside 1970-9999
 * (skew-align writes what skew-fit refuses) or, FOUND here, for trailers
 * whose sha256 is not hex (bad_sha below); skew-report is not asked to
 * render a document with a run of no completions (fz_no_completions in
 * fuzz.h), FOUND here too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "dur.h"
#include "evs.h"
#include "fuzz.h"
#include "reqread.h"
#include "reqw.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSERVICE	8
/* 9999-12-31T23:59:59Z, the last second the contract accepts. */
#define SEC_MAX		INT64_C(253402300799)

struct opts {
	struct aln_opt	aln;
	struct ts	service[NSERVICE];
	size_t		nservice;
	int		to;
};

/* The options line "#GAP OFFSET SERVICE TO", if any. */
static void
options(const uint8_t *data, size_t size, size_t *pos, struct opts *o)
{
	char buf[FZ_OPTS], *w[4];
	struct diag d;

	memset(o, 0, sizeof(*o));
	fz_words(data, size, pos, buf, w, 4);
	if (w[0] != NULL && dur_parse(w[0], 0, &o->aln.gap, &d) == 0)
		o->aln.gap_given = 1;
	if (w[1] != NULL && strcmp(w[1], "auto") == 0)
		o->aln.offset_mode = ALN_OFFSET_AUTO;
	else if (w[1] != NULL && dur_parse(w[1], 1, &o->aln.offset, &d) == 0)
		o->aln.offset_mode = ALN_OFFSET_GIVEN;
	if (w[2] != NULL && dur_parse_list(w[2], o->service, NSERVICE,
	    &o->nservice, &d) == -1)
		o->nservice = 0;
	if (w[3] != NULL && w[3][0] >= '0' && w[3][0] <= '6')
		o->to = w[3][0] - '0';
}

/* Nanoseconds of t, wide enough for any struct ts. */
static __int128
ns(const struct ts *t)
{
	return (__int128)t->sec * 1000000000 + t->nsec;
}

/*
 * KNOWN: analyze/run.c gap_ns() overflows for events more than ~292
 * years apart (an int64_t of nanoseconds).  The widest the times can be
 * spread once aligned: the events, the other ends of dur events, starts
 * shifted by the offset given, or by up to the whole span for auto.
 */
static int
too_wide(const struct evs *s, const struct opts *o)
{
	__int128 lo = 0, hi = 0, off = ns(&o->aln.offset), span;

	for (size_t i = 0; i < s->n; i++) {
		const struct ev *e = &s->ev[i];
		__int128 t = ns(&e->t), u = t;

		if (e->flags & EV_DUR)
			u = e->flags & EV_START ? t + ns(&e->dur) :
			    t - ns(&e->dur);
		if (o->aln.offset_mode == ALN_OFFSET_GIVEN &&
		    (e->flags & EV_START)) {
			t += off;
			u += off;
		}
		if (i == 0)
			lo = hi = t;
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	span = hi - lo;
	if (o->aln.offset_mode == ALN_OFFSET_AUTO)
		span *= 2;
	return span >= (__int128)INT64_MAX - 1000000000;
}

/* Every time of rs within the years the contract accepts. */
static int
in_range(const struct reqset *rs)
{
	for (size_t k = 0; k < rs->nreqs; k++) {
		const struct req *q = &rs->reqs[k];

		if ((q->has_start && (q->start.sec < 0 ||
		    q->start.sec > SEC_MAX)) ||
		    (q->has_end && (q->end.sec < 0 || q->end.sec > SEC_MAX)))
			return 0;
	}
	return 1;
}

/*
 * FOUND by this target (fuzz/regress/trailer-bad-utf8-sha256.ndjson): a
 * trailer's sha256 is not checked as hex when read, so one with a byte
 * that is not UTF-8 is passed through as U+FFFD, longer than 64, and
 * skew-fit refuses skew-align's output.  Guarded: such a trailer.
 */
static int
bad_sha(const struct reqset *rs)
{
	for (size_t k = 0; k < rs->ninputs; k++)
		for (const char *c = rs->inputs[k].sha256; *c != '\0'; c++)
			if (!((*c >= '0' && *c <= '9') || (*c >= 'a' &&
			    *c <= 'f') || (*c >= 'A' && *c <= 'F')))
				return 1;
	return 0;
}

/* Two identities the same as JSON writes them: bytes that are not UTF-8
 * are written U+FFFD, so those are compared as written. */
static int
same_id(const char *a, const char *b)
{
	struct jw wa, wb;
	int same;

	if (a == NULL || b == NULL)
		return a == b;
	jw_init(&wa, NULL);
	jw_init(&wb, NULL);
	jw_str(&wa, a, strlen(a));
	jw_str(&wb, b, strlen(b));
	same = wa.len == wb.len && memcmp(wa.buf, wb.buf, wa.len) == 0;
	jw_free(&wa);
	jw_free(&wb);
	return same;
}

static int
same_req(const struct req *a, const struct req *b)
{
	return a->run == b->run && a->i == b->i &&
	    a->has_start == b->has_start && a->has_end == b->has_end &&
	    (!a->has_start || ts_cmp(&a->start, &b->start) == 0) &&
	    (!a->has_end || ts_cmp(&a->end, &b->end) == 0) &&
	    same_id(a->pid, b->pid) && same_id(a->tid, b->tid) &&
	    same_id(a->id, b->id);
}

/* skew-align's output read back as skew-fit reads it: the same requests,
 * the same trailers, the same align counts. */
static void
read_back(const struct reqset *rs)
{
	struct reqset back;
	struct diag d;
	struct jw w;
	size_t pos = 0, n;
	const char *s;

	jw_init(&w, NULL);
	if (reqw_write(rs, &w) == -1)
		abort();
	if (reqread_init(&back, &d) == -1)
		abort();
	while (fz_line((const uint8_t *)w.buf, w.len, &pos, &s, &n))
		if (reqread_line(&back, s, n, &d) == -1) {
			fprintf(stderr, "align: skew-fit refused skew-align's "
			    "line \"%.*s\": %s\n", (int)n, s, d.msg);
			abort();
		}
	if (reqread_finish(&back, &d) == -1)
		abort();
	fz_reqset(&back, 0);
	if (back.nreqs != rs->nreqs || back.nruns != rs->nruns ||
	    back.ninputs != rs->ninputs || back.info.runs != rs->info.runs ||
	    back.info.unmatched_starts != rs->info.unmatched_starts ||
	    back.info.unmatched_ends != rs->info.unmatched_ends)
		abort();
	for (size_t k = 0; k < rs->nreqs; k++)
		if (!same_req(&rs->reqs[k], &back.reqs[k]))
			abort();
	reqset_free(&back);
	jw_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	struct fit_opt fo;
	struct reqset rs;
	struct evs *s;
	struct aln *a;
	struct diag d;
	size_t pos = 0, n;
	const char *line;
	int rc = 0;

	options(data, size, &pos, &o);
	if ((a = aln_new(&o.aln, &d)) == NULL || (s = evs_new()) == NULL)
		abort();
	/* cli_ndjson(): blank lines skipped, the first bad line stops. */
	while (rc == 0 && fz_line(data, size, &pos, &line, &n)) {
		if (fz_blank(line, n))
			continue;
		diag_clear(&d);
		rc = aln_add_line(a, line, n, &d);
		if (rc == -1 && d.msg[0] == '\0')
			abort();
		if (rc == 0 && evs_line(s, line, n, &d) == -1)
			abort();
	}
	if (rc == 0 && aln_count(a) != s->n)
		abort();
	if (rc == 0 && (!fz_guarded() || !too_wide(s, &o))) {
		diag_clear(&d);
		if (aln_finish(a, &rs, &d) == 0) {
			fz_reqset(&rs, 1);
			if (rs.nreqs == 0 || rs.nreqs > s->n ||
			    rs.info.events != s->n)
				abort();
			if (!fz_guarded() || (in_range(&rs) && !bad_sha(&rs)))
				read_back(&rs);
			memset(&fo, 0, sizeof(fo));
			fo.service = o.service;
			fo.nservice = o.nservice;
			fz_fit(&rs, &fo, o.to);
			reqset_free(&rs);
		} else if (d.msg[0] == '\0')
			abort();
	}
	evs_free(s);
	aln_free(a);
	return 0;
}
