/*
 * stats: the statistics of one run and the judgements made on it (the fit
 * document's per-run block; a run of the analysis, analysis.h).
 *
 * stats_run() reads the requests of one run (as a struct reqset stores
 * them) and fills a struct stats: its numbers, its verdict and reason,
 * and where its stagger comes from (stats_judge_origin()).  Every number it
 * leaves with its has_* flag set is finite.  The series arrays are owned
 * by the struct: free them with stats_free() (which leaves the rest alone
 * and accepts a zeroed struct).  Definitions, with the formulas and the
 * thresholds, are in man/skew-fit.1.
 */
#ifndef SKEW_STATS_H
#define SKEW_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "fit.h"
#include "reqset.h"
#include "base/ts.h"

enum verdict {
	VERDICT_UNKNOWN = 0,
	VERDICT_PARALLEL,
	VERDICT_PARTIAL,
	VERDICT_SERIALIZED	/* the worst */
};

/* "unknown", "parallel", "partial", "serialized"; NULL for no verdict. */
const char	*stats_verdict_name(enum verdict v);
/* The verdict a word names, or -1. */
int		 stats_verdict_parse(const char *word);

/*
 * What the run was (the document's "shape"): a burst (n requests sent
 * before the first could have been served, or completions only, assumed a
 * burst), or open traffic (arrivals spread over more than the run's lowest
 * matched latency).  None: the run has no completions.
 */
enum shape {
	SHAPE_NONE = 0,
	SHAPE_BURST,
	SHAPE_OPEN
};

/* "burst", "open"; NULL for SHAPE_NONE. */
const char	*stats_shape_name(enum shape sh);
/* The shape a word names, or -1. */
int		 stats_shape_parse(const char *word);

/* How pool_size was found: waves of a burst, the overlap of the last T of
 * each request of open traffic. */
enum pool_method {
	POOL_METHOD_NONE = 0,
	POOL_METHOD_WAVES,
	POOL_METHOD_OVERLAP
};

/* "waves", "overlap"; NULL for POOL_METHOD_NONE. */
const char	*stats_pool_method_name(enum pool_method m);
int		 stats_pool_method_parse(const char *word);

enum tsrc {
	TSRC_NONE = 0,
	TSRC_GIVEN,	/* --service-time */
	TSRC_LATENCY	/* the lowest matched latency */
};

struct stats_opt {
	int		has_service;
	struct ts	service;	/* --service-time for this run */
	long		concurrency;	/* --concurrency, this run; 0: none */
	int		no_series;
	int		keep_errors;	/* --keep-errors: status >= 400 sets T */
};

#define STATS_SERIES_MAX	512
#define STATS_NOTES		4
#define STATS_TEXT		256

struct point {
	double	x, y;
};

/* One entry of latency_by_inflight: the requests that arrived with
 * `inflight` others in flight, and their latency percentiles. */
struct stats_bucket {
	size_t	inflight, n;
	double	p50, p90;
};

/*
 * A slope as the fit document gives it: {"slope", "stderr", "r2"}, or
 * {"fitted": false, "reason": why} when ok is 0.  (fit.h's struct
 * fit_line holds more; this is what the document carries.)
 */
struct slope {
	int	ok;
	double	b;
	int	has_se;
	double	b_se;
	int	has_r2;
	double	r2;
	char	why[FIT_WHY];	/* when !ok */
};

/*
 * Where a run's stagger comes from (the document's "skew_origin"), judged
 * once, here, from the run's own numbers (stats_judge_origin()); the
 * report only puts it into words.
 */
enum stats_origin {
	STATS_ORIGIN_NONE = 0,	/* null: starts unknown, or too few to tell */
	STATS_ORIGIN_NEGLIGIBLE,	/* finished within a tenth of T */
	STATS_ORIGIN_ADMISSION,	/* arrivals staggered, latencies equal */
	STATS_ORIGIN_SERVICE,		/* latencies grow with rank */
	STATS_ORIGIN_BOTH		/* both contribute */
};

/* "negligible", "admission", "service", "both"; NULL for
 * STATS_ORIGIN_NONE. */
const char	*stats_origin_name(enum stats_origin o);
/* The origin a word names, or -1. */
int		 stats_origin_parse(const char *word);

/*
 * One run of the analysis: exactly what the fit document says of it (the
 * fit document codec, fitdoc.h, writes and reads every field), nothing
 * more.  Every number left with its has_* flag set is finite; a flag that
 * is 0 is the document's null.
 */
struct stats {
	uint32_t	run;
	size_t		n;		/* completions seen, or --concurrency */
	enum shape	shape;
	int		sampled;	/* n > the completions seen */
	int		has_first;	/* a completion was seen */
	struct ts	first, last;
	int		has_spread;	/* one completion seen (two when
					 * sampled): else spread unknown */
	double		spread;		/* last - first */
	struct slope	stagger;

	int		has_T;
	double		T;
	enum tsrc	T_src;
	int		has_serialization;
	double		serialization;
	int		has_parallelism;
	double		parallelism;

	int		has_inflight;	/* starts known */
	size_t		max_inflight;
	int		ll_state;	/* 0: null, 1: computed, -1: refused */
	double		ll_mean, ll_xr;
	int		ll_ok;
	char		ll_why[FIT_WHY];
	int		has_slopes;	/* arrival_stagger, latency_slope */
	struct slope	arrival, latslope;
	int		has_latency;
	double		p50, p90, p99, lmax;
	enum stats_origin	origin;	/* by stats_judge_origin() */

	/* Open traffic (null on bursts): */
	int		has_throughput;
	double		throughput;	/* completions / (last end - first
					 * start) */
	int		has_by_inflight;	/* latency_by_inflight */
	struct stats_bucket *by_inflight;	/* owned; by inflight */
	size_t		nby_inflight;
	int		waited_state;	/* 0: null, 1: computed, -1: refused
					 * (waited_why) */
	size_t		waited_n;
	double		waited_fraction;
	int		has_wait_p50;	/* none waited: null */
	double		wait_p50;
	char		waited_why[FIT_WHY];
	enum pool_method	pool_method;
	int		has_paired;	/* paired_by_order */
	int		paired_by_order;

	int		has_waves;
	size_t		waves;
	int		has_pool;
	size_t		pool;
	int		has_awaves;
	size_t		awaves;
	int		has_apool;
	size_t		apool;

	int		has_pids, has_tids;
	size_t		pids, tids;
	uint64_t	unmatched_starts, unmatched_ends;
	/* "errors": the responses with status >= 400, left out of T
	 * unless --keep-errors; has_errors 0 (null) when no request of the
	 * run carries a status. */
	int		has_errors;
	size_t		errors;

	enum verdict	verdict;
	/* The verdict's reason; twice the room, for an open run's
	 * paired_caution() after it. */
	char		reason[2 * STATS_TEXT];
	size_t		nnotes;
	char		notes[STATS_NOTES][STATS_TEXT];

	int		has_series;
	struct point	*rank;
	size_t		nrank;
	struct point	*inflight;	/* NULL when the series is null */
	size_t		ninflight;
	int		thinned;
};

/*
 * The thresholds of the judgements on one run, each with its reason:
 *
 * STATS_SER_HIGH_TENTHS, STATS_SER_LOW_TENTHS: serialization at or above
 * 0.9 is
 * serialized (each request waited for nearly a whole service time behind
 * the previous one: what is left is overhead), below 0.1 parallel (the
 * whole run finished within a tenth of a service time per request).
 * Compared exactly, in integers (stats.c, ser_bounds()).
 */
#define STATS_SER_HIGH_TENTHS	9
#define STATS_SER_LOW_TENTHS	1
/* A completions-only run whose spread exceeds 1.5 (n - 1) T (3 halves)
 * cannot have been a burst: even serialized, with overheads, it would
 * have finished sooner. */
#define STATS_NOT_BURST_HALVES	3
/*
 * Open traffic.  STATS_WAITED_PCT, STATS_WAITED_MIN: a limit is reached
 * when 5 % or more of the requests, and 2 or more, waited (latency above
 * 1.5 T): scheduling noise makes a few requests of a thread-per-request
 * server wait, and that is not a pool.
 * STATS_NOWAIT_PCT: a pool of k is consistent when 95 % or more of the
 * requests that arrived with fewer than k in flight did not wait.
 * STATS_CAPPED_PCT: the in-flight count at its maximum for a fifth of
 * the busy time or more is a cap in front of the arrival stamp.
 */
#define STATS_WAITED_PCT	5
#define STATS_WAITED_MIN	2
#define STATS_NOWAIT_PCT	95
#define STATS_CAPPED_PCT	20
/* The pool by overlap counts a level of overlap held for 5 % or more of
 * the busy time: shorter ones are hand-off hairs (stats.c, open_pool()). */
#define STATS_POOL_TIME_PCT	5
/* The overlap's k is an upper bound when the arrival stamp carries an
 * overhead (T, the lowest latency, is then longer than the service): the
 * smallest k below it whose implied service times of queued requests have
 * p10 >= 9/10 and p90 <= 3/2 of their median replaces it (2 p90 <= 3 p50,
 * as for a wait), of the first STATS_POOL_SCAN
 * candidates (stats.c, implied_pool()). */
#define STATS_IMPLIED_NUM	9
#define STATS_IMPLIED_DEN	10
#define STATS_POOL_SCAN	64
/* Back to back: a request started within epsilon, or within a tenth of T
 * when that is more, of the previous end (the hand-off from one response
 * to the next request's stamp, in a single-threaded server). */
#define STATS_B2B_T_DIV	10
/* Ran back to back: two in three or more of the requests (and 2 or
 * more), in order of arrival, started so (stats.c, open_back_to_back()). */
#define STATS_B2B_NUM	2
#define STATS_B2B_DEN	3
/* Little's law holds when the mean in flight and X R agree within 10 %:
 * the span's ends and the unmatched starts make them differ a little on
 * any real run. */
#define STATS_LITTLE_TOL	0.1
/* A run that finished within a tenth of a service time has no stagger
 * worth explaining: slopes of microseconds are scheduling noise, not
 * admission or service. */
#define STATS_NEGLIGIBLE_SPREAD	0.1
/* One slope is the cause when the other is at most half of it; between
 * the two, both contribute. */
#define STATS_DOMINANT_RATIO	0.5
/* Without slopes (a sampled run), latencies that vary by less than a
 * quarter of the completion spread (max - median) cannot explain it: the
 * spread comes from admission. */
#define STATS_LATENCY_SPREAD	0.25

/*
 * Where the stagger of run s comes from, from its document fields only
 * (slopes, spread, T, latency percentiles), so that a fit document that
 * lacks the judgement is judged by the same rule: with both slopes fitted,
 * negligible when spread < STATS_NEGLIGIBLE_SPREAD T, else admission when
 * |latency_slope| <= STATS_DOMINANT_RATIO |arrival_stagger|, service in
 * the mirror case, both otherwise; with neither slope but latencies
 * known, admission when max - p50 < STATS_LATENCY_SPREAD spread, else
 * both; otherwise none.
 */
enum stats_origin	stats_judge_origin(const struct stats *s);

/*
 * The statistics of run number `run`, whose requests are r[0..nr), with
 * its judgements (verdict, reason, origin).
 * Returns 0, or -1 with *d filled: DIAG_USAGE when --concurrency is below
 * the completions seen, DIAG_NOMEM.  Free s with stats_free() either way.
 */
int	stats_run(const struct req *r, size_t nr, uint32_t run,
	    const struct stats_opt *o, struct stats *s, struct diag *d);
void	stats_free(struct stats *s);

/*
 * Waves from the sizes' point of view (exposed for the tests): *pool, the
 * pool size of waves of the given sizes (0 when fewer than two waves): the
 * first wave's size when there are two, else the most common size among
 * all but the last, ties going to the largest.  Sorts sizes[0 ..
 * nwaves - 1) in place (a radix sort: O(w)).  Returns 0, or -1 when out of
 * memory.
 */
int	stats_pool_size(size_t *sizes, size_t nwaves, size_t *pool);

/* Evenly spaced indices into m points, at most max, first and last kept:
 * index k of the kept ones is round(k (m - 1) / (max - 1)). */
size_t	stats_thin_index(size_t k, size_t m, size_t max);

#endif
