/*
 * fuzz.h: what the libFuzzer targets under fuzz/ share (a header, not a
 * target: the Makefile builds each fuzz .c file as a target).
 *
 *  - fz_line():      the input's lines, one at a time, as cli_ndjson()
 *                    hands them on (newline and CR taken off);
 *  - fz_quiet():     standard output and error to /dev/null and back,
 *                    around calls that print usage errors or help
 *                    (cmd/), so that the fuzzer's output stays readable;
 *  - fz_finite():    every number in a cJSON tree is finite;
 *  - fz_reqset():    a struct reqset as skew-align writes it and skew-fit
 *                    reads it: ordered, indexed, counted;
 *  - fz_fit():       a reqset through skew-fit's analysis, the fit
 *                    document codec and skew-report: the document has no
 *                    NaN, reads back from its text, and skew-report
 *                    renders what skew-fit wrote.
 *
 * Any broken invariant calls abort(): libFuzzer saves the input.
 */
#ifndef SKEW_FUZZ_H
#define SKEW_FUZZ_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_errno.h>

#include "analysis.h"
#include "base/jsonout.h"
#include "fitdoc.h"
#include "report.h"
#include "reqset.h"
#include "stats.h"

#define FZ_UNUSED	__attribute__((unused))

/* The next line of data[0..size) from *pos: 1 with *s, *n set, 0 at the end. */
static FZ_UNUSED int
fz_line(const uint8_t *data, size_t size, size_t *pos, const char **s,
    size_t *n)
{
	const uint8_t *nl;
	size_t len;

	if (*pos >= size)
		return 0;
	*s = (const char *)data + *pos;
	nl = memchr(data + *pos, '\n', size - *pos);
	len = nl != NULL ? (size_t)(nl - (data + *pos)) : size - *pos;
	*pos += len + (nl != NULL);
	if (len > 0 && (*s)[len - 1] == '\r')
		len--;
	*n = len;
	return 1;
}

/*
 * An options line: when data starts with '#', its first line (after *pos,
 * which moves past it) is copied into buf (at most FZ_OPTS - 1 bytes) and
 * split at spaces into at most nw words, the rest NULL.  Without one, all
 * are NULL and *pos stays.
 */
#define FZ_OPTS	256

static FZ_UNUSED void
fz_words(const uint8_t *data, size_t size, size_t *pos, char buf[FZ_OPTS],
    char **w, int nw)
{
	const char *s;
	char *p = buf;
	size_t n;

	for (int k = 0; k < nw; k++)
		w[k] = NULL;
	if (size == 0 || data[0] != '#' || !fz_line(data, size, pos, &s, &n))
		return;
	n = n - 1 < FZ_OPTS - 1 ? n - 1 : FZ_OPTS - 1;
	memcpy(buf, s + 1, n);
	buf[n] = '\0';
	for (int k = 0; k < nw && p != NULL; k++)
		while ((w[k] = strsep(&p, " ")) != NULL && *w[k] == '\0')
			;
}

/* A line of only spaces and tabs: cli_ndjson() counts it, never hands it on. */
static FZ_UNUSED int
fz_blank(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (s[k] != ' ' && s[k] != '\t')
			return 0;
	return 1;
}

/* fz_quiet(1): stdout and stderr go to /dev/null; fz_quiet(0): back.
 * Sanitizer and libFuzzer reports do not go through stdio's streams. */
static FZ_UNUSED void
fz_quiet(int on)
{
	static FILE *null, *out, *err;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	if (on && err == NULL) {
		out = stdout;
		err = stderr;
		stdout = stderr = null;
	} else if (!on && err != NULL) {
		stdout = out;
		stderr = err;
		out = err = NULL;
	}
}

/* A duration as dur_parse() promises it: normalised, no sign unless
 * allowed. */
static FZ_UNUSED void
fz_dur_ok(const struct ts *t, int neg)
{
	if (t->nsec < 0 || t->nsec > 999999999 || t->digits > 9 ||
	    (!neg && t->sec < 0))
		abort();
}

/* Every number in j finite (a NaN or infinity is never a result). */
static FZ_UNUSED void
fz_finite(const cJSON *j)
{
	for (; j != NULL; j = j->next) {
		if (cJSON_IsNumber(j) && !isfinite(j->valuedouble))
			abort();
		fz_finite(j->child);
	}
}

/*
 * rs as reqset users may take it: run_first cuts reqs into ranges in
 * order, each range one run, run numbers rising from range to range;
 * requests sorted by (run, i), each with a start or an end, never ending
 * before it starts.  The k-th range is the k-th run that holds requests
 * (never empty).  With aligned set (skew-align's own set, where runs 1..nruns
 * all hold requests), also range k is run k + 1, the ranks 0, 1, ... of
 * each run without a hole, and the align trailer's counts: every
 * unmatched start, and the lone ends of the runs that hold starts (a run
 * of completions only has nothing to match its ends with; a run whose
 * starts were all paired is not told from a run of dur events here, so
 * its lone ends only bound the count from above).
 */
static FZ_UNUSED void
fz_reqset(const struct reqset *rs, int aligned)
{
	uint64_t us = 0, ue_lo = 0, ue_hi = 0, last = 0;
	struct req q, prev;

	if (rs->nruns > 0 && rs->run_first == NULL)
		abort();
	if (rs->nreqs > 0 && (rs->nruns == 0 || rs->run_first[0] != 0))
		abort();
	for (size_t r = 0; r < rs->nruns; r++) {
		size_t lo = rs->run_first[r];
		size_t hi = r + 1 < rs->nruns ? rs->run_first[r + 1] :
		    rs->nreqs;
		uint32_t no = reqset_run_no(rs, r);
		uint64_t starts = 0, ends = 0;

		if (lo >= hi || hi > rs->nreqs)
			abort();
		for (size_t k = lo; k < hi; k++) {
			reqset_req(rs, r, k, &q);
			if (q.run != no || q.run < r + 1 ||
			    (aligned && (q.run != r + 1 || q.i != k - lo)))
				abort();
			starts += q.has_start && !q.has_end;
			ends += q.has_end && !q.has_start;
			if (!q.has_start && !q.has_end)
				abort();
			if (q.has_start && q.has_end &&
			    ts_cmp(&q.end, &q.start) < 0)
				abort();
			if (k > 0 && (q.run < prev.run || (q.run == prev.run &&
			    q.i <= prev.i)))
				abort();
			if (q.run == 0)
				abort();
			prev = q;
		}
		if (no <= last)
			abort();
		last = no;
		us += starts;
		ue_lo += starts > 0 ? ends : 0;
		ue_hi += ends;
	}
	if (aligned && (us != rs->info.unmatched_starts ||
	    rs->info.unmatched_ends < ue_lo ||
	    rs->info.unmatched_ends > ue_hi || rs->info.runs != rs->nruns))
		abort();
}

/*
 * skew-fit's analysis of rs with the options o, its fit document, then
 * skew-report over that document's text as `to` (0-2: text, markdown,
 * html; 3 and up an SVG plot).  The analysis must be made or refused with
 * a reason; a made one must give a verdict in range, and its document hold
 * only finite numbers, print, parse back through fitdoc_read() and
 * render: what skew-fit writes, skew-report reads.
 */
static FZ_UNUSED void
fz_fit(const struct reqset *rs, const struct analysis_opt *o, int to)
{
	static const char *const plots[] = { "spread", "rank", "inflight",
	    "usl" };
	struct report_opt ro;
	struct analysis a, back;
	cJSON *doc = NULL, *parsed;
	struct diag d;
	struct jsonout w;
	char *text;
	int v;

	gsl_set_error_handler_off();
	diag_clear(&d);
	if (analysis_build(rs, o, &a, &d) == -1) {
		if (d.msg[0] == '\0' || (d.code != DIAG_USAGE &&
		    d.code != DIAG_DATA && d.code != DIAG_NOMEM))
			abort();
		return;
	}
	v = analysis_worst_verdict(&a);
	if (v < -1 || v > VERDICT_SERIALIZED)
		abort();
	diag_clear(&d);
	if (fitdoc_write(&a, &doc, &d) == -1)
		abort();
	fz_finite(doc);
	if ((text = cJSON_PrintUnformatted(doc)) == NULL)
		abort();
	if ((parsed = cJSON_Parse(text)) == NULL)
		abort();
	diag_clear(&d);
	if (fitdoc_read(parsed, &back, &d) == -1) {
		fprintf(stderr, "fz_fit: the fit document reader refused "
		    "skew-fit's document: %s\n", d.msg);
		abort();
	}
	memset(&ro, 0, sizeof(ro));
	ro.to = to < 3 ? (enum report_to)to : REPORT_SVG;
	ro.plot = to < 3 ? NULL : plots[(to - 3) % 4];
	diag_clear(&d);
	jsonout_init(&w, NULL);
	/* An SVG plot may be refused (DIAG_USAGE: not drawable from this
	 * document); anything else must render. */
	if (report_render(&back, &ro, &w, &d) == -1 &&
	    !(ro.to == REPORT_SVG && d.code == DIAG_USAGE)) {
		fprintf(stderr, "fz_fit: skew-report refused skew-fit's "
		    "document: %s\n", d.msg);
		abort();
	}
	jsonout_free(&w);
	analysis_free(&back);
	cJSON_Delete(parsed);
	cJSON_free(text);
	cJSON_Delete(doc);
	analysis_free(&a);
}

#endif
