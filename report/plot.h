/*
 * plot: the SVG plots of a fit document (rank, spread, inflight, usl, and
 * for open traffic latency-inflight and throughput).
 *
 * Plots are drawn with presentation attributes only (no CSS, no scripts,
 * no external references), so the same text serves inline in HTML and as a
 * standalone file.  Every plot carries <title> and <desc> referenced by
 * aria-labelledby, and role="img".
 */
#ifndef SKEW_PLOT_H
#define SKEW_PLOT_H

#include "base/diag.h"
#include "base/jsonout.h"
#include "analysis.h"

/* 0 when plot can be drawn from doc for run (0: all runs), else -1 with
 * DIAG_USAGE and the reason in words. */
int	plot_check(const struct analysis *doc, const char *plot, long run,
	    struct diag *d);

/*
 * Draw plot (checked with plot_check() first) into w.  id prefixes every
 * element id, so several plots can share a page; standalone adds the SVG
 * namespace that a file of its own needs (HTML parsers supply it).
 * The caller closes the element with plot_close().
 */
void	plot_svg(struct jsonout *w, const struct analysis *doc, const char *plot,
	    long run, int standalone, const char *id);

/* The closing tag: plot_svg() leaves the element open so that a caller
 * may add <metadata> (the provenance of a standalone file). */
void	plot_close(struct jsonout *w);

/* The half-width of the 95 % confidence band of the skew line at n
 * (the man page gives the formula); NAN when the document has no
 * interval.  Exposed for the tests. */
double	plot_band(const struct analysis *doc, double n);

/*
 * Whether the skew line shows no growth at all: its 95 % interval for b
 * spans 0, so "the spread grows b per request" and the n at which it
 * reaches the service time would be read from noise (a day of access log
 * gave b = 1.57 ms with r2 0.0006).  The interval skew-fit wrote, read as
 * it stands, not a new judgement.
 */
int	plot_flat(const struct analysis_skew *s);

/* The n at which the skew line reaches the service time, when it is
 * worth saying: not from a flat line, never below one request; NAN
 * otherwise. */
double	plot_reach(const struct analysis_skew *s);

/* The colour of the k-th run drawn (a ten-colour palette, then again). */
const char *plot_colour(size_t k);

#endif
