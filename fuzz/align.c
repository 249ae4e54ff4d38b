/*
 * fuzz/align.c: skew-align's input through the whole analysis, as
 * `skew-align | skew-fit | skew-report` and the one-process skew run it:
 *
 *   events NDJSON -> event store (align_add_line, eventstore.c) -> runs
 *   (run.c) -> pairs (align.c) -> request records (request.c) -> read
 *   back by skew-fit's reader (reqset.c) -> analysis (analysis.c,
 *   stats.c, fit.c) -> fit document (fitdoc.c) -> report (report/).
 *
 * fuzz/eventstore.c checks the event-line reader alone; this target reaches
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
 * What must hold: align_finish() makes requests or refuses with a reason;
 * the requests are ordered, ranked and counted as the contract says; what
 * request.c writes, reqset.c reads back identically (skew-align's output
 * is skew-fit's input); and the analysis of that set is made or refused
 * with a reason, its fit document holds no NaN, reads back and renders
 * (fz_fit in fuzz.h).  fuzz/regress/align/ holds the inputs of the
 * defects this target found or met (make fuzz-regress runs them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "base/dur.h"
#include "eventstore.h"
#include "fuzz.h"
#include "reqset.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSERVICE	8

struct opts {
	struct align_opt	aln;
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
		o->aln.offset_mode = ALIGN_OFFSET_AUTO;
	else if (w[1] != NULL && dur_parse(w[1], 1, &o->aln.offset, &d) == 0)
		o->aln.offset_mode = ALIGN_OFFSET_GIVEN;
	if (w[2] != NULL && dur_parse_list(w[2], o->service, NSERVICE,
	    &o->nservice, &d) == -1)
		o->nservice = 0;
	if (w[3] != NULL && w[3][0] >= '0' && w[3][0] <= '6')
		o->to = w[3][0] - '0';
}

/* Two identities the same as JSON writes them: bytes that are not UTF-8
 * are written U+FFFD, so those are compared as written. */
static int
same_id(const char *a, const char *b)
{
	struct jsonout wa, wb;
	int same;

	if (a == NULL || b == NULL)
		return a == b;
	jsonout_init(&wa, NULL);
	jsonout_init(&wb, NULL);
	jsonout_str(&wa, a, strlen(a));
	jsonout_str(&wb, b, strlen(b));
	same = wa.len == wb.len && memcmp(wa.buf, wb.buf, wa.len) == 0;
	jsonout_free(&wa);
	jsonout_free(&wb);
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
	    same_id(a->id, b->id) && a->by_order == b->by_order;
}

/* skew-align's output read back as skew-fit reads it: the same requests,
 * the same trailers, the same align counts. */
static void
read_back(const struct reqset *rs)
{
	struct reqset back;
	struct req *x, *y;
	struct diag d;
	struct jsonout w;
	size_t pos = 0, n;
	const char *s;

	jsonout_init(&w, NULL);
	if (request_write_all(rs, &w) == -1)
		abort();
	if (reqset_init(&back, &d) == -1)
		abort();
	while (fz_line((const uint8_t *)w.buf, w.len, &pos, &s, &n))
		if (reqset_line(&back, s, n, &d) == -1) {
			fprintf(stderr, "align: skew-fit refused skew-align's "
			    "line \"%.*s\": %s\n", (int)n, s, d.msg);
			abort();
		}
	if (reqset_finish(&back, &d) == -1)
		abort();
	fz_reqset(&back, 0);
	if (back.nreqs != rs->nreqs || back.nruns != rs->nruns ||
	    back.ninputs != rs->ninputs || back.info.runs != rs->info.runs ||
	    back.info.unmatched_starts != rs->info.unmatched_starts ||
	    back.info.unmatched_ends != rs->info.unmatched_ends)
		abort();
	if ((x = reqset_all(rs)) == NULL || (y = reqset_all(&back)) == NULL)
		abort();
	for (size_t k = 0; k < rs->nreqs; k++)
		if (!same_req(&x[k], &y[k]))
			abort();
	free(x);
	free(y);
	reqset_free(&back);
	jsonout_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	struct analysis_opt fo;
	struct reqset rs;
	struct eventstore *s;
	struct align *a;
	struct diag d;
	size_t pos = 0, n;
	const char *line;
	int rc = 0;

	options(data, size, &pos, &o);
	if ((a = align_new(&o.aln, &d)) == NULL || (s = eventstore_new()) == NULL)
		abort();
	/* cli_ndjson(): blank lines skipped, the first bad line stops. */
	while (rc == 0 && fz_line(data, size, &pos, &line, &n)) {
		if (fz_blank(line, n))
			continue;
		diag_clear(&d);
		rc = align_add_line(a, line, n, &d);
		if (rc == -1 && d.msg[0] == '\0')
			abort();
		if (rc == 0 && eventstore_line(s, line, n, &d) == -1)
			abort();
	}
	if (rc == 0 && align_count(a) != s->n)
		abort();
	if (rc == 0) {
		diag_clear(&d);
		if (align_finish(a, &rs, &d) == 0) {
			fz_reqset(&rs, 1);
			if (rs.nreqs == 0 || rs.nreqs > s->n ||
			    rs.info.events != s->n)
				abort();
			read_back(&rs);
			memset(&fo, 0, sizeof(fo));
			fo.service = o.service;
			fo.nservice = o.nservice;
			fz_fit(&rs, &fo, o.to);
			reqset_free(&rs);
		} else if (d.msg[0] == '\0')
			abort();
	}
	eventstore_free(s);
	align_free(a);
	return 0;
}
