/*
 * report: an analysis (analysis.h: what skew-fit's document holds) rendered
 * for people: a terminal summary, Markdown tables, one self-contained HTML
 * page with inline SVG plots, or one SVG plot alone.  The judgements are
 * the analysis's own (verdicts, where the stagger comes from, whether it
 * depends on the service time, where the limit is); the report only puts
 * them into words.
 *
 * Ownership: report_render() only reads the analysis it is given (the
 * caller keeps and frees it: from analysis_build() in `skew`, from
 * fitdoc_read() in skew-report) and only appends to the caller's struct jsonout
 * (the caller flushes and frees it).  Nothing is kept between calls and
 * nothing is printed: errors go to *d.
 *
 * Output depends on the document and the options only: no clock, no locale
 * (numbers are formatted with snprintf in the C locale, which is the locale
 * of a program that never calls setlocale), no hash order; the same input
 * gives byte-identical output.
 */
#ifndef SKEW_REPORT_H
#define SKEW_REPORT_H

#include <stddef.h>

#include "analysis.h"
#include "base/diag.h"
#include "base/jsonout.h"

enum report_to {
	REPORT_TEXT,		/* a terminal summary, colour if asked */
	REPORT_MARKDOWN,	/* GitHub-flavoured Markdown tables */
	REPORT_HTML,		/* one page, inline SVG, no scripts */
	REPORT_SVG		/* one plot alone, chosen by o->plot */
};

/* One input of the report itself, for the provenance footer. */
struct report_input {
	const char	*name;	/* as given on the command line */
	unsigned long long bytes;
	const char	*sha256;	/* 64 hex digits, or NULL */
};

struct report_opt {
	enum report_to	 to;
	int		 color;	/* REPORT_TEXT: 1 for ANSI colour */
	const char	*plot;	/* REPORT_SVG: "rank", "spread",
				 * "inflight", "usl", "latency-inflight"
				 * or "throughput"; NULL: "spread" */
	int		 run;	/* rank, inflight, latency-inflight:
				 * that run; 0 all */
	/*
	 * Extension for the provenance footer (may be NULL / 0): the report's
	 * own inputs and its options exactly as given, so that a report says
	 * how to make it again.  The fit document's own provenance (logs,
	 * skew-fit's options) is printed from the document.
	 */
	const struct report_input *inputs;
	size_t		 ninputs;
	const char *const *options;
	size_t		 noptions;
};

/*
 * Render a as o->to into out.  Returns -1 with DIAG_USAGE when the plot
 * asked for cannot be drawn from this analysis (why, in words), DIAG_DATA
 * when it has no runs, or DIAG_NOMEM; nothing is written then.  Returns 0
 * on success; write errors are left in out->err for the caller's
 * jsonout_flush().
 */
int	report_render(const struct analysis *a, const struct report_opt *o,
	    struct jsonout *out, struct diag *d);

/* The names of the plots, in the order -t html draws them; NULL-terminated. */
extern const char *const report_plots[];

#endif
