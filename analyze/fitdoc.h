/*
 * fitdoc: the fit document codec.  The one place that writes an analysis
 * (analysis.h) as skew-fit's JSON document, in the contract's key order,
 * and reads such a document back into an analysis, checked once, so that
 * the renderers never meet a missing key or a wrong type.
 *
 *	cJSON *j;
 *	if (fitdoc_write(&a, &j, &d) == -1) ... out of memory
 *	char *text = cJSON_PrintUnformatted(j);	-- or cJSON_Print
 *	cJSON_Delete(j);
 *
 *	struct analysis back;
 *	if (fitdoc_read(cJSON_Parse(text), &back, &d) == -1)
 *		... DIAG_JSON naming the key path
 *		    ("runs[2].spread: expected a number or null, got a
 *		    string"), or DIAG_NOMEM
 *
 * read(write(a)) gives a back, field for field (tests/fitdoc.c checks it
 * over random analyses).  Numbers are written raw (jsonout_dtoa: the shortest
 * text that reads back bit for bit); a number that is not finite is never
 * written.  The judgements (skew_origin, reached_at_largest_n,
 * depends_on_service_time, peak_beyond_measured) are read when the
 * document has them and made by analyze/'s own rules when it does not (a
 * document from an older skew-fit).  Strings are copied: the analysis does
 * not borrow from the tree.
 */
#ifndef SKEW_FITDOC_H
#define SKEW_FITDOC_H

#include <cJSON.h>

#include "analysis.h"
#include "base/diag.h"

/* The document of a, a new tree the caller deletes with cJSON_Delete().
 * Returns 0, or -1 (DIAG_NOMEM) with *out NULL. */
int	fitdoc_write(const struct analysis *a, cJSON **out, struct diag *d);

/*
 * The same document for one printer: layout FITDOC_COMPACT for
 * cJSON_PrintUnformatted(), FITDOC_PRETTY for cJSON_Print().  The plot
 * series (a run's rank and inflight, the traffic's series: up to
 * STATS_SERIES_MAX points each) go in as one raw item each, their text
 * laid out as that printer lays out the arrays fitdoc_write() makes, so
 * that the printed bytes are the same at a fraction of the cost (three
 * nodes and two copies a point otherwise).  Printed by the other printer,
 * the series would keep the layout asked for: FITDOC_TREE (what
 * fitdoc_write() makes) suits any.
 */
enum {
	FITDOC_TREE = 0,
	FITDOC_COMPACT,
	FITDOC_PRETTY
};
int	fitdoc_write_as(const struct analysis *a, int layout, cJSON **out,
	    struct diag *d);

/* Read and check the document j into *a (free with analysis_free()).
 * Returns 0, or -1 with *d filled and *a zeroed. */
int	fitdoc_read(const cJSON *j, struct analysis *a, struct diag *d);

#endif
