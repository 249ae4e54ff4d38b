/*
 * report: the fit document (skew-fit's JSON) rendered for people: a terminal
 * summary, Markdown tables, one self-contained HTML page with inline SVG
 * plots, or one SVG plot alone.
 *
 * Ownership: report_render() only reads the cJSON tree it is given (the
 * caller keeps and frees it) and only appends to the caller's struct jw (the
 * caller flushes and frees it).  Nothing is kept between calls and nothing
 * is printed: errors go to *d.
 *
 * Output depends on the document and the options only: no clock, no locale
 * (numbers are formatted with snprintf in the C locale, which is the locale
 * of a program that never calls setlocale), no hash order; the same input
 * gives byte-identical output.
 */
#ifndef SKEW_REPORT_H
#define SKEW_REPORT_H

#include <stddef.h>

#include <cJSON.h>

#include "diag.h"
#include "jw.h"

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
				 * "inflight" or "usl"; NULL: "spread" */
	int		 run;	/* rank, inflight: that run; 0 all */
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
 * Render fit as o->to into out.  The whole document is checked first, so
 * that nothing is written when it is invalid: returns -1 with d->code
 * DIAG_JSON and a message naming the key path ("runs[2].spread: expected a
 * number, got a string") for a missing or wrong-typed key, or DIAG_USAGE
 * when the plot asked for cannot be drawn from this document (why, in
 * words), or DIAG_NOMEM.  Returns 0 on success; write errors are left in
 * out->err for the caller's jw_flush().
 */
int	report_render(const cJSON *fit, const struct report_opt *o,
	    struct jw *out, struct diag *d);

/* The names of the plots, in the order -t html draws them; NULL-terminated. */
extern const char *const report_plots[];

#endif
