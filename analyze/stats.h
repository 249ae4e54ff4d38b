/*
 * stats: the statistics of one run (skew-fit's per-run block).
 *
 * stats_run() reads the requests of one run (as a struct reqset stores
 * them) and fills a struct run_stats; every number it leaves with its
 * has_* flag set is finite.  The series arrays are owned by the struct:
 * free them with stats_free() (which leaves the rest alone and accepts a
 * zeroed struct).  Definitions, with the formulas, are in man/skew-fit.1.
 */
#ifndef SKEW_STATS_H
#define SKEW_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "fit.h"
#include "req.h"
#include "ts.h"

enum verdict {
	VERDICT_UNKNOWN = 0,
	VERDICT_PARALLEL,
	VERDICT_PARTIAL,
	VERDICT_SERIALIZED	/* the worst */
};

/* "unknown", "parallel", "partial", "serialized"; NULL for no verdict. */
const char	*verdict_name(enum verdict v);
/* The verdict a word names, or -1. */
int		 verdict_parse(const char *word);

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
};

#define STATS_SERIES_MAX	512
#define STATS_NOTES		4
#define STATS_TEXT		256

struct point {
	double	x, y;
};

struct run_stats {
	uint32_t	run;
	size_t		nseen;		/* completions in the log */
	size_t		n;		/* nseen, or --concurrency */
	int		sampled;	/* n > nseen */
	struct ts	first, last;	/* valid when nseen > 0 */
	int		has_spread;	/* one completion seen (two when
					 * sampled): else spread unknown */
	double		spread;		/* last - first */
	struct fit_line	stagger;	/* ok = 0 with why when not computed */

	int		has_T;
	double		T;
	enum tsrc	T_src;
	int		has_serialization;
	double		serialization;
	int		ser_high;	/* serialization >= 0.9, exactly */
	int		ser_low;	/* serialization < 0.1, exactly */
	int		has_parallelism;
	double		parallelism;

	size_t		nstarts, nmatched;
	int		has_inflight;	/* starts known, run not sampled */
	size_t		max_inflight;
	int		ll_state;	/* 0: null, 1: computed, -1: refused */
	double		ll_mean, ll_xr;
	int		ll_ok;
	char		ll_why[FIT_WHY];
	int		has_slopes;	/* arrival_stagger, latency_slope */
	struct fit_line	arrival, latslope;
	int		has_latency;
	double		p50, p90, p99, lmax;

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

	enum verdict	verdict;
	char		reason[STATS_TEXT];
	size_t		nnotes;
	char		notes[STATS_NOTES][STATS_TEXT];

	int		has_series;
	struct point	*rank;
	size_t		nrank;
	struct point	*inflight;	/* NULL when starts are unknown */
	size_t		ninflight;
	int		thinned;
};

/*
 * The statistics of run number `run`, whose requests are r[0..nr).
 * Returns 0, or -1 with *d filled: DIAG_USAGE when --concurrency is below
 * the completions seen, DIAG_NOMEM.  Free s with stats_free() either way.
 */
int	stats_run(const struct req *r, size_t nr, uint32_t run,
	    const struct stats_opt *o, struct run_stats *s, struct diag *d);
void	stats_free(struct run_stats *s);

/*
 * Waves from the sizes' point of view (exposed for the tests): the pool
 * size of waves of the given sizes (0 when fewer than two waves): the
 * first wave's size when there are two, else the most common size among
 * all but the last, ties going to the largest.
 */
size_t	stats_pool_size(const size_t *sizes, size_t nwaves);

/* Evenly spaced indices into m points, at most max, first and last kept:
 * index k of the kept ones is round(k (m - 1) / (max - 1)). */
size_t	stats_thin_index(size_t k, size_t m, size_t max);

#endif
