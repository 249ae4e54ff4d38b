/*
 * analysis: the one model of what skew-fit finds: the statistics of each
 * run (stats.h), the fits across runs, the judgements made on them, and the
 * provenance.  analysis_build() fills it from skew-align's requests; the
 * fit document codec (fitdoc.h) writes it as skew-fit's JSON and reads it
 * back; report/ renders it.  `skew` hands it from the fit to the report
 * without printing it.
 *
 *	struct reqset rs;		-- from reqset_*() or skew-align
 *	struct analysis_opt o = { 0 };	-- every field zero: no options
 *	struct analysis a;
 *
 *	if (analysis_build(&rs, &o, &a, &d) == -1)
 *		... d.code DIAG_USAGE: an option does not fit the data
 *		    (exit 2); DIAG_DATA: no requests (exit 2); DIAG_NOMEM
 *	...
 *	analysis_free(&a);
 *
 * Every number whose has_* flag is set is finite; a flag of 0 is the
 * document's null.  Texts a program writes are bounded (the arrays below);
 * lists whose length the input decides (runs, options, inputs) are
 * allocated.  The analysis owns all its memory; analysis_free() releases
 * it and accepts a zeroed struct.  GSL's error handler must be off
 * (gsl_set_error_handler_off()) before analysis_build().
 */
#ifndef SKEW_ANALYSIS_H
#define SKEW_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "reqset.h"
#include "stats.h"
#include "base/ts.h"

struct analysis_opt {
	const struct ts	*service;	/* --service-time: 1 or one per run */
	size_t		 nservice;	/* 0: none */
	const long	*concurrency;	/* --concurrency: 1 or one per run */
	size_t		 nconcurrency;
	const long	*runs;		/* --run: keep only these */
	size_t		 nruns;		/* 0: every run */
	int		 no_series;	/* --no-series */
	int		 has_window;	/* --window: the traffic's windows */
	struct ts	 window;
	int		 by_route;	/* --by route: a run per run and route */
	int		 keep_errors;	/* --keep-errors: status >= 400 sets T */
	const char *const *argv_options;	/* as given, for provenance */
	size_t		 noptions;
};

/* The version of the document's shape ("skew_fit": 2: shape, the open
 * traffic measures, open_runs_left_out).  Version 1 documents are read
 * with the keys version 2 added as null (fitdoc.h). */
#define FIT_DOC_VERSION	2

/* Texts of the cross-run blocks (reasons, notes, warnings). */
#define ANALYSIS_TEXT		256
#define ANALYSIS_NOTES	4

struct analysis_texts {
	size_t	n;
	char	s[ANALYSIS_NOTES][ANALYSIS_TEXT];
};

/* A judgement that may be unknown: the document's true, false or null. */
enum analysis_bool {
	ANALYSIS_NULL = -1,
	ANALYSIS_FALSE = 0,
	ANALYSIS_TRUE = 1
};

/* "skew": spread = a + b n across the runs. */
struct analysis_skew {
	int		fitted;
	char		reason[ANALYSIS_TEXT];	/* when !fitted */
	size_t		runs;
	double		a, b;
	int		has_a_se, has_b_se;
	double		a_se, b_se;
	int		has_ci;
	double		ci_lo, ci_hi;
	int		has_r2;
	double		r2;
	size_t		open_left;	/* open runs left out of the fit */
	int		has_reach;
	double		n_reach;	/* n_reaching_service_time */
	/* Why n_reach is null (one of analysis_reach_why()'s), "" when it
	 * is not. */
	char		reach_why[ANALYSIS_TEXT];
	/* Judged: the largest run's n is at or past n_reach (null when
	 * n_reach is). */
	enum analysis_bool	reached;
	struct analysis_texts	notes;
};

/* "skew_with_service_time": spread = a + b n + c T. */
struct analysis_skew_t {
	int		fitted;
	char		reason[ANALYSIS_TEXT];
	size_t		runs;
	size_t		open_left;	/* open runs left out of the fit */
	double		a, b, c;
	int		has_a_se, has_b_se, has_c_se;
	double		a_se, b_se, c_se;
	int		has_r2;
	double		r2;
	/* Judged: c is more than ANALYSIS_DEPENDS_SE standard errors from 0
	 * (null without a standard error). */
	enum analysis_bool	depends;
	struct analysis_texts	notes;
};

/* "usl": the Universal Scalability Law over the runs' parallelism. */
struct analysis_usl {
	int		fitted;
	char		reason[ANALYSIS_TEXT];
	size_t		runs;
	size_t		open_left;	/* open runs left out of the fit */
	double		lambda, sigma, kappa;
	int		has_lambda_se, has_sigma_se, has_kappa_se;
	double		lambda_se, sigma_se, kappa_se;
	int		has_r2;
	double		r2;
	int		has_peak;
	double		peak_n;
	double		max_measured_n;
	/* Judged: peak_n lies beyond max_measured_n, an extrapolation
	 * (null when peak_n is). */
	enum analysis_bool	peak_beyond;
	struct analysis_texts	warnings;
	struct analysis_texts	notes;
};

/*
 * "traffic": the whole input's requests with both ends cut into windows,
 * the throughput X and concurrency N of each, and the USL X(N) fitted on
 * them (analyze/traffic.h says how).  usl.runs counts the windows fitted
 * (those with N > 0); series is [N, X] per window measured, in time order,
 * thinned to STATS_SERIES_MAX (NULL with --no-series).
 */
struct analysis_traffic {
	int		fitted;		/* windows measured */
	char		reason[ANALYSIS_TEXT];
	double		window;		/* seconds */
	int		window_given;	/* --window; else the default rule */
	size_t		requests;	/* with both ends */
	size_t		windows;	/* measured */
	size_t		with_completions;
	size_t		idle;		/* nothing in flight, nothing done */
	struct analysis_usl	usl;
	int		has_series;
	struct point	*series;
	size_t		nseries;
	int		thinned;
};

/*
 * One input of the provenance: the fields of its trailer (trailer.h) that the
 * fit document carries.  Fields the trailer gains are added here, and to
 * fitdoc.c's input_w() and input_r(), side by side.
 */
struct analysis_input {
	char		*src;
	uint64_t	 bytes, lines, events, skipped;
	char		*sha256;	/* NULL: not known */
	char		**opts;		/* skew-parse's options, as its
					 * trailer carried them */
	size_t		 nopts;
	int		 has_opts;	/* 0: the trailer carried none */
	int		 complete;	/* 0: its trailer never came, the
					 * fields were counted from its events
					 * ("complete": false); 1 otherwise */
};

struct analysis_prov {
	char		*version;	/* NULL: not known */
	char		**options;	/* every stage's, as given */
	size_t		 noptions;
	struct analysis_input	*inputs;
	size_t		 ninputs;
};

struct analysis {
	struct stats *runs;
	size_t		  nruns;
	/* --by route: each run's route, parallel to runs (NULL: its
	 * requests carry none); by_route 0: runs are not split, routes
	 * NULL. */
	int		  by_route;
	char		**routes;
	struct analysis_skew	  skew;
	struct analysis_skew_t  skew_t;
	struct analysis_usl	  usl;
	struct analysis_traffic  traffic;
	int		  has_prov;	/* a document may lack it */
	struct analysis_prov	  prov;
};

/*
 * The thresholds of the cross-run judgements:
 *
 * ANALYSIS_DEPENDS_SE: c more than two standard errors from 0 (about the 95 %
 * level) says the spread grows with the service time; within two, the data
 * cannot tell c from 0 and the spread does not depend on T.
 */
#define ANALYSIS_DEPENDS_SE	2
/* Service times within 10 % of each other count as one for spread = a +
 * b n + c T: read from latencies, the runs of one server differ by
 * scheduling noise, and a c fitted to noise answers no question. */
#define ANALYSIS_SAME_T	0.1

/*
 * The analysis of the runs of rs (those with at least one request, or
 * those o->runs names).  A list option with one value applies to every
 * run; otherwise its length must equal the number of runs (DIAG_USAGE,
 * naming both counts).  Returns 0 with *a filled, or -1 with *d filled
 * and *a zeroed.  rs and o are only read.
 */
int	analysis_build(const struct reqset *rs, const struct analysis_opt *o,
	    struct analysis *a, struct diag *d);

void	analysis_free(struct analysis *a);

/*
 * The worst verdict among the runs, as an enum verdict (stats.h: unknown <
 * parallel < partial < serialized), or -1 when there are no runs.  For
 * --fail-on.
 */
int	analysis_worst_verdict(const struct analysis *a);

/* The run numbered run, or NULL. */
const struct stats *analysis_run(const struct analysis *a, long run);

/* The judgements of the cross-run blocks, from their own numbers (and the
 * runs' n), so that a document that lacks them is judged the same way. */
enum analysis_bool	analysis_reached(const struct analysis *a);
enum analysis_bool	analysis_depends(const struct analysis_skew_t *t);
enum analysis_bool	analysis_peak_beyond(const struct analysis_usl *u);

/*
 * u filled from the USL fit f over m points whose largest concurrency is
 * maxn (f->ok set): the parameters, peak_n, and the warnings and notes,
 * which call the points `what` ("runs", "windows").  The cross-run usl and
 * the traffic's are judged by this one rule.
 */
void	analysis_usl_judge(struct analysis_usl *u, const struct fit_usl *f,
	    size_t m, double maxn, const char *what);

#endif
