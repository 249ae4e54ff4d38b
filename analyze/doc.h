/*
 * doc: skew-fit's JSON document, built with cJSON in the contract's key
 * order: per-run statistics (stats.h), the fits across runs (fit.h) and
 * provenance.  This is the library entry point for the one-process `skew`
 * program as well as for cmd/skew-fit.c:
 *
 *	struct reqset rs;		-- from reqread_*() or skew-align
 *	struct fit_opt o = { 0 };	-- every field zero: no options
 *	cJSON *doc;
 *
 *	if (fit_document(&rs, &o, &doc, &d) == -1)
 *		... d.code DIAG_USAGE: an option does not fit the data
 *		    (exit 2); DIAG_DATA: no requests (exit 2); DIAG_NOMEM
 *	char *text = cJSON_PrintUnformatted(doc);
 *	...
 *	cJSON_free(text);
 *	cJSON_Delete(doc);
 *
 * The caller owns *out and deletes it with cJSON_Delete().  The reqset and
 * the options are only read.  GSL's error handler must be off
 * (gsl_set_error_handler_off()) before the call.  Numbers are added raw
 * (jw_dtoa: the shortest text that reads back bit for bit); none is ever
 * NaN or infinite.
 */
#ifndef SKEW_DOC_H
#define SKEW_DOC_H

#include <stddef.h>

#include <cJSON.h>

#include "diag.h"
#include "req.h"
#include "ts.h"

struct fit_opt {
	const struct ts	*service;	/* --service-time: 1 or one per run */
	size_t		 nservice;	/* 0: none */
	const long	*concurrency;	/* --concurrency: 1 or one per run */
	size_t		 nconcurrency;
	const long	*runs;		/* --run: keep only these */
	size_t		 nruns;		/* 0: every run */
	int		 no_series;	/* --no-series */
	const char *const *argv_options;	/* as given, for provenance */
	size_t		 noptions;
};

/* The version of the document's shape ("skew_fit": 1). */
#define FIT_DOC_VERSION	1

/*
 * Build the document for the runs of rs (those with at least one request,
 * or those o->runs names).  A list option with one value applies to every
 * run; otherwise its length must equal the number of runs (DIAG_USAGE,
 * naming both counts).  Returns 0 with *out set, or -1 with *d filled and
 * *out NULL.
 */
int	fit_document(const struct reqset *rs, const struct fit_opt *o,
	    cJSON **out, struct diag *d);

/*
 * The worst verdict among the document's runs, as an enum verdict
 * (stats.h: unknown < parallel < partial < serialized), or -1 when the
 * document has no runs.  For --fail-on.
 */
int	fit_worst_verdict(const cJSON *doc);

#endif
