/*
 * fuzz/rdoc.c: the fit document reader, skew-report's input, over any
 * bytes.  fuzz/report.c renders every format; this target is the reader
 * alone, checked for what it promises, and then the one claim that joins
 * the two: a document the reader accepts renders as text.
 *
 * The reader is reached through read_fit_doc() only (below, marked): it
 * is report/rdoc.c's rdoc_load() today.  When the fit document codec in
 * analyze/ replaces it, point read_fit_doc() and check_doc() at the new
 * reader and keep the rest.
 *
 * What must hold: bytes that are not a fit document are refused with a
 * diag (DIAG_JSON naming the key path, or DIAG_NOMEM); an accepted
 * document's numbers are finite or NaN (null), never infinite, its
 * strings and arrays are whole (ASan reads every one), rdoc_run() finds
 * every run by its number, and report_render() as text succeeds on it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fuzz.h"
#include "rdoc.h"
#include "report.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the reader under test: rdoc_load() today ---------------------- */

static void	check_doc(const struct rdoc *doc);

/*
 * Read the fit document in data[0..size) and check what was read.
 * Returns 0 with *tree the parsed JSON (the caller deletes it) when the
 * document was accepted, -1 (and *tree NULL) when refused.
 */
static int
read_fit_doc(const uint8_t *data, size_t size, cJSON **tree)
{
	struct rdoc doc;
	struct diag d;

	*tree = NULL;
	if ((*tree = cJSON_ParseWithLength((const char *)data, size)) == NULL)
		return -1;
	diag_clear(&d);
	if (rdoc_load(*tree, &doc, &d) == -1) {
		if (d.msg[0] == '\0' || (d.code != DIAG_JSON &&
		    d.code != DIAG_NOMEM))
			abort();
		/* Refused: nothing left allocated (LeakSanitizer). */
		if (doc.runs != NULL || doc.nruns != 0)
			abort();
		cJSON_Delete(*tree);
		*tree = NULL;
		return -1;
	}
	check_doc(&doc);
	rdoc_free(&doc);
	return 0;
}

/* ---- what an accepted document holds ------------------------------- */

/* A number read: finite, or NaN for null. */
static void
num(double v)
{
	if (isinf(v))
		abort();
}

/* A string read: NULL or whole (strlen reads every byte under ASan). */
static void
str(const char *s)
{
	if (s != NULL)
		(void)strlen(s);
}

static void
strs(const char *const *v, size_t n)
{
	if (n > 0 && v == NULL)
		abort();
	for (size_t k = 0; k < n; k++) {
		if (v[k] == NULL)
			abort();
		str(v[k]);
	}
}

static void
pts(const struct rpt *p, size_t n)
{
	if (n > 0 && p == NULL)
		abort();
	for (size_t k = 0; k < n; k++)
		if (!isfinite(p[k].x) || !isfinite(p[k].y))
			abort();
}

static void
check_run(const struct rdoc *doc, const struct rrun *r)
{
	const double v[] = { r->n, r->spread, r->stag_slope, r->stag_stderr,
	    r->stag_r2, r->service_time, r->serialization, r->parallelism,
	    r->max_inflight, r->ll_mean, r->ll_xr, r->arrival_stagger,
	    r->latency_slope, r->lat_p50, r->lat_p90, r->lat_p99, r->lat_max,
	    r->waves, r->pool_size, r->arrival_waves, r->arrival_pool_size,
	    r->pids, r->tids, r->unmatched_starts, r->unmatched_ends };
	const struct rrun *found = rdoc_run(doc, r->run);

	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		num(v[k]);
	str(r->first);
	str(r->last);
	str(r->stag_reason);
	str(r->service_time_source);
	str(r->verdict);
	str(r->reason);
	strs(r->notes, r->nnotes);
	pts(r->rank, r->nrank);
	pts(r->inflight, r->ninflight);
	if (found == NULL || found->run != r->run)
		abort();
}

static void
check_doc(const struct rdoc *doc)
{
	const double v[] = { doc->skew.runs, doc->skew.a, doc->skew.a_stderr,
	    doc->skew.b, doc->skew.b_stderr, doc->skew.ci_lo, doc->skew.ci_hi,
	    doc->skew.r2, doc->skew.n_reach, doc->swst.a, doc->swst.b,
	    doc->swst.c, doc->swst.c_stderr, doc->swst.r2, doc->usl.lambda,
	    doc->usl.lambda_stderr, doc->usl.sigma, doc->usl.sigma_stderr,
	    doc->usl.kappa, doc->usl.kappa_stderr, doc->usl.r2,
	    doc->usl.peak_n, doc->usl.max_measured_n };

	if (doc->nruns == 0 || doc->runs == NULL)
		abort();
	for (size_t k = 0; k < doc->nruns; k++)
		check_run(doc, &doc->runs[k]);
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		num(v[k]);
	str(doc->skew.reason);
	str(doc->swst.reason);
	str(doc->usl.reason);
	str(doc->version);
	strs(doc->skew.notes, doc->skew.nnotes);
	strs(doc->swst.notes, doc->swst.nnotes);
	strs(doc->usl.notes, doc->usl.nnotes);
	strs(doc->usl.warnings, doc->usl.nwarnings);
	strs((const char *const *)doc->options, doc->noptions);
	for (size_t k = 0; k < doc->ninputs; k++) {
		const struct rinput *in = &doc->inputs[k];

		if (in->src == NULL)
			abort();
		str(in->src);
		str(in->sha256);
		str(in->opts);
		num(in->bytes);
		num(in->lines);
		num(in->events);
		num(in->skipped);
	}
}

/* ---- the target ---------------------------------------------------- */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_opt o;
	struct diag d;
	struct jw w;
	cJSON *tree;

	if (read_fit_doc(data, size, &tree) == -1)
		return 0;
	/* Accepted by the reader: the text report must come out. */
	memset(&o, 0, sizeof(o));
	o.to = REPORT_TEXT;
	diag_clear(&d);
	jw_init(&w, NULL);
	if (report_render(tree, &o, &w, &d) == -1) {
		fprintf(stderr, "rdoc: accepted, then not rendered: %s\n",
		    d.msg);
		abort();
	}
	jw_free(&w);
	cJSON_Delete(tree);
	return 0;
}
