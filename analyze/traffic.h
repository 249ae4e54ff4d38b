/*
 * traffic: the whole input's open traffic as Gunther fits the USL to
 * production data.  Time is cut into windows of one length; in each, the
 * throughput X (completions per second) and the concurrency N (the
 * time-average of the requests in flight, Little's law) are measured from
 * the requests that have both ends; X(N) = lambda N / (1 + sigma (N - 1) +
 * kappa N (N - 1)) is then fitted on the windows (fit.h's fit_usl_rules()).
 *
 *	struct traffic_opt o = { 0 };	-- no --window: the default rule
 *	struct traffic t;
 *
 *	if (traffic_measure(&rs, keep, nkeep, &o, &t, &d) == -1)
 *		... DIAG_NOMEM only
 *	if (!t.ok) ... t.why says why, in words
 *	...
 *	traffic_free(&t);
 *
 * Windows: [t0 + k w, t0 + (k + 1) w), t0 the earliest start, every window
 * whole (the time after the last end in the last one is idle, as any idle
 * time is).  A request [s, e) counts in flight over that half-open
 * interval; a completion at a window's edge belongs to the later window.
 * N is exact: each request's overlap with each window, summed in integer
 * nanoseconds and divided by w once; nothing is sampled.  Windows in which
 * nothing was in flight and nothing completed are idle: counted, not
 * measured.  Time O(n log n) (two sorts), memory 24 bytes per request at
 * the peak, plus 16 per window measured.
 *
 * The struct owns its arrays; traffic_free() releases them and accepts a
 * zeroed struct.
 */
#ifndef SKEW_TRAFFIC_H
#define SKEW_TRAFFIC_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/ts.h"
#include "reqset.h"

#define TRAFFIC_WHY	256

/* The default windows, in seconds, tried from the shortest. */
#define TRAFFIC_CANDIDATES	{ 1, 10, 60, 300 }
/* A default window is at least this many p90 latencies, so a request
 * mostly finishes in the window it started in... */
#define TRAFFIC_LATENCIES	10
/* ...and gives at least this many windows with completions: points
 * enough for a curve of three parameters. */
#define TRAFFIC_MIN_WINDOWS	30
/* The most windows measured (16 bytes each): a --window so short that
 * it cuts the traffic into more is refused with the reason. */
#define TRAFFIC_MAX_WINDOWS	1000000

struct traffic_opt {
	int		has_window;	/* --window */
	struct ts	window;		/* positive */
};

struct traffic {
	int		ok;		/* windows measured */
	char		why[TRAFFIC_WHY];	/* when !ok */
	size_t		requests;	/* with both ends */
	int		has_p90;
	double		p90;		/* their p90 latency, seconds */
	double		window;		/* w, seconds */
	int		window_given;	/* from --window, not the rule */
	size_t		windows;	/* measured (in time order below) */
	size_t		idle;		/* idle windows between the first
					 * start and the last end */
	size_t		with_completions;	/* windows with X > 0 */
	double		*n, *x;		/* N and X of each measured window */
};

/*
 * The windows of the requests with both ends among the runs keep[0..nkeep)
 * (1-based indices of rs's runs, as analysis.c keeps them; keep NULL: every
 * run).  Returns 0 with *t filled (t->ok 0 with t->why when there is
 * nothing to measure: no request with both ends, no default window that
 * fits the rule, too many windows), or -1 (DIAG_NOMEM) with *t zeroed.
 */
int	traffic_measure(const struct reqset *rs, const uint32_t *keep,
	    size_t nkeep, const struct traffic_opt *o, struct traffic *t,
	    struct diag *d);

void	traffic_free(struct traffic *t);

/*
 * The fit document's traffic block (analysis.h) of the same requests: the
 * windows measured, the USL fitted on those with N > 0 (fit_usl_rules(),
 * distinct N counted after rounding to TRAFFIC_ROUND_N), judged as the
 * cross-run usl is (analysis_usl_judge()), and the series [N, X], thinned
 * to STATS_SERIES_MAX unless no_series.  Returns 0 with *a filled
 * ({"fitted": false} with the reason when nothing can be measured), or -1
 * (DIAG_NOMEM).  a->series is the caller's to free (analysis_free()).
 */
#define TRAFFIC_ROUND_N	0.1
struct analysis_traffic;
int	traffic_build(const struct reqset *rs, const uint32_t *keep,
	    size_t nkeep, const struct traffic_opt *o, int no_series,
	    struct analysis_traffic *a, struct diag *d);

#endif
