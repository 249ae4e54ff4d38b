/*
 * fuzz/reqset.c: skew-fit's input, whatever it holds, through its request
 * reader (analyze/reqset.c) and on through the analysis, the fit document
 * and the report, as `skew-fit FILE | skew-report` runs it.
 *
 * The input is request NDJSON (skew-align's output, or anything else), one
 * record a line as cli_ndjson() hands them on (blank lines skipped, the
 * first refused line stops), optionally after a first line of options:
 *
 *   #SERVICE CONCURRENCY RUNS TO
 *
 * SERVICE a list of durations (--service-time), CONCURRENCY and RUNS
 * lists of whole numbers from 1 (--concurrency, --run), TO a digit (0
 * text, 1 markdown, 2 html, 3-6 an SVG plot), then "n" for --no-series;
 * "-" or a word that does not parse leaves that option out.
 *
 * What must hold: a refused line or set says why; a read set is ordered
 * and indexed (fz_reqset); its analysis is made or refused with a reason,
 * and its document holds no NaN, reads back and renders (fz_fit).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "base/dur.h"
#include "fuzz.h"
#include "reqset.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NLIST		8

struct opts {
	struct ts	service[NLIST];
	long		conc[NLIST], runs[NLIST];
	struct analysis_opt	fo;
	int		to;
};

/* A comma-separated list of whole numbers from 1, as cmd/opt.c
 * takes it (without its messages): the count, or 0. */
static size_t
longs(char *s, long *v)
{
	const char *why;
	char *tok;
	size_t k = 0;

	while ((tok = strsep(&s, ",")) != NULL)
		if (k == NLIST || cli_long(tok, 1, 1000000000L, &v[k++],
		    &why) == -1)
			return 0;
	return k;
}

/* The options line "#SERVICE CONCURRENCY RUNS TO n", if any. */
static void
options(const uint8_t *data, size_t size, size_t *pos, struct opts *o)
{
	char buf[FZ_OPTS], *w[5];
	struct diag d;
	size_t k;

	memset(o, 0, sizeof(*o));
	fz_words(data, size, pos, buf, w, 5);
	if (w[0] != NULL && dur_parse_list(w[0], o->service, NLIST, &k,
	    &d) == 0) {
		o->fo.service = o->service;
		o->fo.nservice = k;
	}
	if (w[1] != NULL && (k = longs(w[1], o->conc)) > 0) {
		o->fo.concurrency = o->conc;
		o->fo.nconcurrency = k;
	}
	if (w[2] != NULL && (k = longs(w[2], o->runs)) > 0) {
		o->fo.runs = o->runs;
		o->fo.nruns = k;
	}
	if (w[3] != NULL && w[3][0] >= '0' && w[3][0] <= '6')
		o->to = w[3][0] - '0';
	o->fo.no_series = w[4] != NULL && strcmp(w[4], "n") == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	struct reqset rs;
	struct diag d;
	size_t pos = 0, n;
	const char *line;
	int rc = 0;

	options(data, size, &pos, &o);
	if (reqset_init(&rs, &d) == -1)
		abort();
	while (rc == 0 && fz_line(data, size, &pos, &line, &n)) {
		if (fz_blank(line, n))
			continue;
		diag_clear(&d);
		if ((rc = reqset_line(&rs, line, n, &d)) == -1 &&
		    (d.msg[0] == '\0' || d.code == DIAG_OK))
			abort();
	}
	diag_clear(&d);
	if (rc == 0 && (rc = reqset_finish(&rs, &d)) == -1 &&
	    d.msg[0] == '\0')
		abort();
	if (rc == 0) {
		fz_reqset(&rs, 0);
		fz_fit(&rs, &o.fo, o.to);
	}
	reqset_free(&rs);
	return 0;
}
