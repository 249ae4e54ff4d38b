/*
 * rdoc: the fit document read into plain structs, checked once, so that
 * the renderers never meet a missing key or a wrong type.
 *
 * JSON null (and an optional key that is absent) is NAN for a number and
 * NULL for a string.  Strings are borrowed from the cJSON tree: they stay
 * valid while the tree does.  rdoc_free() releases what rdoc_load()
 * allocated (the arrays); rdoc_free(NULL) does nothing.
 */
#ifndef SKEW_RDOC_H
#define SKEW_RDOC_H

#include <stddef.h>

#include <cJSON.h>

#include "diag.h"

struct rpt {
	double	x, y;
};

struct rrun {
	long		 run;
	double		 n;
	const char	*first, *last;
	double		 spread;
	int		 stag_fitted;	/* 0: not fitted, or null */
	const char	*stag_reason;
	double		 stag_slope, stag_stderr, stag_r2;
	double		 service_time;
	const char	*service_time_source;
	double		 serialization, parallelism, max_inflight;
	int		 ll;	/* littles_law: -1 null, else its ok */
	double		 ll_mean, ll_xr;
	double		 arrival_stagger, latency_slope;
	int		 has_latency;
	double		 lat_p50, lat_p90, lat_p99, lat_max;
	double		 waves, pool_size;
	double		 arrival_waves, arrival_pool_size;
	double		 pids, tids, unmatched_starts, unmatched_ends;
	int		 sampled;
	const char	*verdict, *reason;
	const char	**notes;	/* skew-fit's "notes", if any */
	size_t		 nnotes;
	int		 has_series;
	struct rpt	*rank;
	size_t		 nrank;
	struct rpt	*inflight;	/* NULL when the series is null */
	size_t		 ninflight;
	int		 thinned;
};

struct rskew {
	int		 fitted;
	const char	*reason;	/* or a note when fitted */
	double		 runs, a, a_stderr, b, b_stderr, ci_lo, ci_hi, r2;
	double		 n_reach;
	const char	**notes;	/* skew-fit's "notes", if any */
	size_t		 nnotes;
};

struct rswst {
	int		 fitted;
	const char	*reason;
	double		 a, b, c, c_stderr, r2;
	const char	**notes;
	size_t		 nnotes;
};

struct rusl {
	int		 fitted;
	const char	*reason;
	double		 lambda, lambda_stderr, sigma, sigma_stderr;
	double		 kappa, kappa_stderr, r2, peak_n, max_measured_n;
	const char	**warnings;
	size_t		 nwarnings;
	const char	**notes;
	size_t		 nnotes;
};

struct rinput {
	const char	*src, *sha256;
	double		 bytes, lines, events, skipped;
	char		*opts;	/* skew-parse's options, space-separated;
				 * owned; NULL when the input has none */
	int		 incomplete;	/* "complete": false */
};

struct rdoc {
	struct rrun	*runs;
	size_t		 nruns;
	struct rskew	 skew;
	struct rswst	 swst;
	struct rusl	 usl;
	int		 has_provenance;
	const char	*version;
	char		**options;	/* each printed as text; owned */
	size_t		 noptions;
	struct rinput	*inputs;
	size_t		 ninputs;
};

/* Read and check fit.  Returns 0, or -1 with *d filled (DIAG_JSON naming
 * the key path, or DIAG_NOMEM); *doc is then already freed. */
int	rdoc_load(const cJSON *fit, struct rdoc *doc, struct diag *d);
void	rdoc_free(struct rdoc *doc);

/* The run numbered run, or NULL. */
const struct rrun *rdoc_run(const struct rdoc *doc, long run);

#endif
