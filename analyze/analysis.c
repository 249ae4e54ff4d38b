#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fit.h"
#include "traffic.h"
#include "base/jsonout.h"

static void
add_text(struct analysis_texts *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_text(struct analysis_texts *t, const char *fmt, ...)
{
	va_list ap;

	if (t->n >= ANALYSIS_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(t->s[t->n++], ANALYSIS_TEXT, fmt, ap);
	va_end(ap);
}

enum analysis_bool
analysis_reached(const struct analysis *a)
{
	size_t nmax = 0;

	if (!a->skew.fitted || !a->skew.has_reach)
		return ANALYSIS_NULL;
	for (size_t i = 0; i < a->nruns; i++)
		if (a->runs[i].n > nmax)
			nmax = a->runs[i].n;
	return (double)nmax >= a->skew.n_reach ? ANALYSIS_TRUE : ANALYSIS_FALSE;
}

enum analysis_bool
analysis_depends(const struct analysis_skew_t *t)
{
	if (!t->fitted || !t->has_c_se)
		return ANALYSIS_NULL;
	return fabs(t->c) > ANALYSIS_DEPENDS_SE * t->c_se ? ANALYSIS_TRUE :
	    ANALYSIS_FALSE;
}

enum analysis_bool
analysis_peak_beyond(const struct analysis_usl *u)
{
	if (!u->fitted || !u->has_peak)
		return ANALYSIS_NULL;
	return u->peak_n > u->max_measured_n ? ANALYSIS_TRUE : ANALYSIS_FALSE;
}

/*
 * n_reaching_service_time, or why it has no meaning, in this order: no T
 * known; b <= 0; two runs (no interval to judge b by); b's 95 % interval
 * spans 0; the line is at or above T at n = 1 (a + b >= T).  Never
 * negative.
 */
static void
reach(struct analysis_skew *o, const struct fit_line *f, int has_tmin,
    double tmin)
{
	const char *why = NULL;

	if (!has_tmin)
		why = "no service time above 0 known";
	else if (f->b <= 0)
		why = "never reaches it (b <= 0)";
	else if (!f->has_ci)
		why = "two runs: no interval";
	else if (f->b_lo <= 0 && f->b_hi >= 0)
		why = "b not distinguishable from 0";
	else if (f->a + f->b >= tmin)
		why = "already above it at n = 1";
	else if (!isfinite((tmin - f->a) / f->b))
		why = "not a finite number";
	if (why != NULL) {
		snprintf(o->reach_why, sizeof(o->reach_why), "%s", why);
		return;
	}
	o->has_reach = 1;
	o->n_reach = (tmin - f->a) / f->b;
}

static int
skew_fit(struct analysis *a, struct diag *d)
{
	const struct stats *st = a->runs;
	struct analysis_skew *o = &a->skew;
	double *x, *y, tmin = 0;
	size_t m = 0;
	int has_tmin = 0;
	struct fit_line f;

	if ((x = calloc(a->nruns + 1, sizeof(*x))) == NULL ||
	    (y = calloc(a->nruns + 1, sizeof(*y))) == NULL) {
		free(x);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < a->nruns; i++) {
		/* An open run's spread is how long the traffic lasted, not a
		 * stagger: left out, and counted. */
		if (st[i].shape == SHAPE_OPEN) {
			o->open_left++;
			continue;
		}
		/* A run of one request counts: its spread is 0 at n = 1. */
		if (!st[i].has_spread)
			continue;
		x[m] = (double)st[i].n;
		y[m++] = st[i].spread;
		if (st[i].has_T && st[i].T > 0 &&
		    (!has_tmin || st[i].T < tmin)) {
			tmin = st[i].T;
			has_tmin = 1;
		}
	}
	fit_linear(x, y, m, &f);
	free(x);
	free(y);
	if (!f.ok) {
		snprintf(o->reason, sizeof(o->reason), "%zu run%s with a "
		    "spread: %s", m, m == 1 ? "" : "s", f.why);
		return 0;
	}
	o->fitted = 1;
	o->runs = m;
	o->a = f.a;
	o->b = f.b;
	o->has_a_se = o->has_b_se = f.has_se;
	o->a_se = f.has_se ? f.a_se : 0;
	o->b_se = f.has_se ? f.b_se : 0;
	o->has_ci = f.has_ci;
	o->ci_lo = f.has_ci ? f.b_lo : 0;
	o->ci_hi = f.has_ci ? f.b_hi : 0;
	o->has_r2 = f.has_r2;
	o->r2 = f.has_r2 ? f.r2 : 0;
	reach(o, &f, has_tmin, tmin);
	o->reached = analysis_reached(a);
	if (!f.has_se)
		add_text(&o->notes, "two runs: a line through two points has "
		    "no standard errors and no interval");
	return 0;
}

static int
skew_t_fit(struct analysis *a, struct diag *d)
{
	const struct stats *st = a->runs;
	struct analysis_skew_t *o = &a->skew_t;
	double *X, *y;
	size_t m = 0, distinct = 0;
	struct fit_multi f;

	if ((X = malloc((3 * a->nruns + 1) * sizeof(*X))) == NULL ||
	    (y = calloc(a->nruns + 1, sizeof(*y))) == NULL) {
		free(X);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < a->nruns; i++) {
		if (st[i].shape == SHAPE_OPEN)
			o->open_left++;
		if (st[i].shape == SHAPE_OPEN || !st[i].has_spread ||
		    !st[i].has_T)
			continue;
		X[3 * m] = 1;
		X[3 * m + 1] = (double)st[i].n;
		X[3 * m + 2] = st[i].T;
		y[m++] = st[i].spread;
	}
	for (size_t i = 0; i < m; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (fabs(X[3 * j + 2] - X[3 * i + 2]) <=
			    ANALYSIS_SAME_T * fmax(X[3 * j + 2], X[3 * i + 2]))
				break;
		if (j == i)
			distinct++;
	}
	o->depends = ANALYSIS_NULL;
	if (distinct < 2) {
		snprintf(o->reason, sizeof(o->reason), "%zu distinct service "
		    "time%s among %zu run%s (times within 10 %% count as one); "
		    "2 needed", distinct, distinct == 1 ? "" : "s", m,
		    m == 1 ? "" : "s");
		goto done;
	}
	if (m < 3) {
		snprintf(o->reason, sizeof(o->reason), "%zu runs for 3 "
		    "parameters", m);
		goto done;
	}
	if (fit_multi(X, y, m, 3, &f, d) == -1) {
		free(X);
		free(y);
		return -1;
	}
	if (!f.ok) {
		snprintf(o->reason, sizeof(o->reason), "%s", f.why);
		goto done;
	}
	o->fitted = 1;
	o->runs = m;
	o->a = f.c[0];
	o->b = f.c[1];
	o->c = f.c[2];
	o->has_a_se = o->has_b_se = o->has_c_se = f.has_se;
	o->a_se = f.has_se ? f.se[0] : 0;
	o->b_se = f.has_se ? f.se[1] : 0;
	o->c_se = f.has_se ? f.se[2] : 0;
	o->has_r2 = f.has_r2;
	o->r2 = f.has_r2 ? f.r2 : 0;
	o->depends = analysis_depends(o);
	if (!f.has_se)
		add_text(&o->notes, "three runs fit three parameters exactly: "
		    "no standard errors (4 runs needed)");
done:
	free(X);
	free(y);
	return 0;
}

static int
usl_fit(struct analysis *a, struct diag *d)
{
	const struct stats *st = a->runs;
	struct analysis_usl *o = &a->usl;
	double *x, *y, maxn = 0;
	size_t m = 0, zero_t = 0;
	struct fit_usl f;

	if ((x = calloc(a->nruns + 1, sizeof(*x))) == NULL ||
	    (y = calloc(a->nruns + 1, sizeof(*y))) == NULL) {
		free(x);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < a->nruns; i++) {
		if (st[i].shape == SHAPE_OPEN)
			o->open_left++;
		if (st[i].shape == SHAPE_OPEN || !st[i].has_parallelism)
			continue;
		/* With T = 0 the parallelism n T / (spread + T) is 0 whatever
		 * the run did: a point of no information, and a curve fitted
		 * through zeros would predict a peak out of nothing. */
		if (!(st[i].T > 0)) {
			zero_t++;
			continue;
		}
		x[m] = (double)st[i].n;
		y[m++] = st[i].parallelism;
		if ((double)st[i].n > maxn)
			maxn = (double)st[i].n;
	}
	if (fit_usl(x, y, m, &f, d) == -1) {
		free(x);
		free(y);
		return -1;
	}
	free(x);
	free(y);
	o->peak_beyond = ANALYSIS_NULL;
	if (!f.ok && zero_t > 0) {
		snprintf(o->reason, sizeof(o->reason), "%.150s (%zu run%s "
		    "with a service time of 0 left out: their parallelism is "
		    "0 whatever they did)", f.why, zero_t,
		    zero_t == 1 ? "" : "s");
		return 0;
	}
	if (!f.ok) {
		snprintf(o->reason, sizeof(o->reason), "%s", f.why);
		return 0;
	}
	analysis_usl_judge(o, &f, m, maxn, "runs");
	return 0;
}

void
analysis_usl_judge(struct analysis_usl *o, const struct fit_usl *f, size_t m,
    double maxn, const char *what)
{
	o->fitted = 1;
	o->runs = m;
	o->lambda = f->lambda;
	o->sigma = f->sigma;
	o->kappa = f->kappa;
	o->has_lambda_se = o->has_sigma_se = o->has_kappa_se = f->has_se;
	o->lambda_se = f->has_se ? f->lambda_se : 0;
	o->sigma_se = f->has_se ? f->sigma_se : 0;
	o->kappa_se = f->has_se ? f->kappa_se : 0;
	o->has_r2 = f->has_r2;
	o->r2 = f->has_r2 ? f->r2 : 0;
	if (f->kappa > 0 && f->sigma <= 1 &&
	    isfinite(sqrt((1 - f->sigma) / f->kappa))) {
		o->has_peak = 1;
		o->peak_n = sqrt((1 - f->sigma) / f->kappa);
	}
	o->max_measured_n = maxn;
	o->peak_beyond = analysis_peak_beyond(o);
	if (f->sigma < 0)
		add_text(&o->warnings, "sigma is negative: the %s scale better "
		    "than linearly, or the model does not fit them", what);
	if (f->kappa < 0)
		add_text(&o->warnings, "kappa is negative: no coherency cost "
		    "measured");
	/* A fit can converge on nonsense runs to huge, cancelling values:
	 * say so rather than let the numbers look like a finding. */
	if (f->has_se && (f->lambda_se > fabs(f->lambda) ||
	    f->sigma_se > fabs(f->sigma) || f->kappa_se > fabs(f->kappa)))
		add_text(&o->warnings, "a standard error exceeds its estimate: "
		    "the %s do not determine the parameters", what);
	if (o->peak_beyond == ANALYSIS_TRUE)
		add_text(&o->warnings, "peak_n %.0f is beyond the largest "
		    "measured n (%.0f): an extrapolation", o->peak_n, maxn);
	if (f->kappa <= 0)
		add_text(&o->notes, "peak_n: kappa <= 0, the model has no "
		    "peak");
	else if (f->sigma > 1)
		add_text(&o->notes, "peak_n: sigma > 1, the model has no peak");
}

/* A fit refused on the burst runs left says how many open runs it left
 * out, or the reason reads as if the runs were missing. */
static void
say_open_left(char *reason, size_t sz, size_t open_left)
{
	size_t len = strlen(reason);

	if (open_left > 0 && reason[0] != '\0')
		snprintf(reason + len, sz - len, " (%zu open run%s left out: "
		    "an open run's spread is how long the traffic lasted, not "
		    "a stagger)", open_left, open_left == 1 ? "" : "s");
}

static int
dup_str(char **dst, const char *s)
{
	return (*dst = strdup(s)) == NULL ? -1 : 0;
}

static int
provenance(struct analysis *a, const struct reqset *rs,
    const struct analysis_opt *o)
{
	struct analysis_prov *p = &a->prov;
	char buf[64], nb[JSONOUT_DTOA_MAX];

	a->has_prov = 1;
	if (dup_str(&p->version, SKEW_VERSION) == -1 ||
	    (p->options = calloc(o->noptions + 2 + rs->info.nsrcoff,
	    sizeof(*p->options))) ==
	    NULL ||
	    (p->inputs = calloc(rs->ninputs + 1, sizeof(*p->inputs))) == NULL)
		return -1;
	for (size_t i = 0; i < o->noptions; i++)
		if (dup_str(&p->options[p->noptions++], o->argv_options[i]) ==
		    -1)
			return -1;
	/* skew-align's settings travel in its trailer; a reader of the
	 * document needs them to reproduce the runs. */
	if (rs->info.runs > 0) {
		snprintf(buf, sizeof(buf), "skew-align --gap=%s",
		    jsonout_dtoa(ts_double(&rs->info.gap), nb));
		if (dup_str(&p->options[p->noptions++], buf) == -1)
			return -1;
		/* The starts' shift as applied, also when --offset auto
		 * found it: the align record carries the value, so skew and
		 * the stage pipeline say the same, and it reproduces the
		 * runs.  (A record that says only "auto" is said as it is.) */
		if (rs->info.offset_unresolved)
			snprintf(buf, sizeof(buf), "skew-align --offset=auto");
		else
			snprintf(buf, sizeof(buf), "skew-align --offset=%s",
			    jsonout_dtoa(ts_double(&rs->info.offset), nb));
		if (dup_str(&p->options[p->noptions++], buf) == -1)
			return -1;
		for (size_t k = 0; k < rs->info.nsrcoff; k++) {
			const struct src_offset *so = &rs->info.srcoff[k];
			size_t len = strlen(so->src) + sizeof(buf);
			char *opt = malloc(len);

			if (opt == NULL)
				return -1;
			snprintf(opt, len, "skew-align --offset=%s=%s",
			    so->src, jsonout_dtoa(ts_double(&so->off), nb));
			p->options[p->noptions++] = opt;
		}
	}
	for (size_t i = 0; i < rs->ninputs; i++) {
		const struct trailer *r = &rs->inputs[i];
		struct analysis_input *in = &p->inputs[p->ninputs++];

		in->bytes = r->bytes;
		in->lines = r->lines;
		in->events = r->events;
		in->skipped = r->skipped;
		memcpy(in->reasons, r->reasons, sizeof(in->reasons));
		in->complete = !r->incomplete;
		if (dup_str(&in->src, r->src) == -1 ||
		    (r->sha256[0] && dup_str(&in->sha256, r->sha256) == -1))
			return -1;
		/* skew-parse's options that read this input, when its
		 * trailer carried them: every option of every stage. */
		if (r->opts != NULL) {
			in->has_opts = 1;
			if ((in->opts = calloc(r->nopts + 1,
			    sizeof(*in->opts))) == NULL)
				return -1;
			for (size_t k = 0; k < r->nopts; k++)
				if (dup_str(&in->opts[in->nopts++],
				    r->opts[k]) == -1)
					return -1;
		}
	}
	return 0;
}

static size_t
run_size(const struct reqset *rs, size_t r)
{
	size_t end = r < rs->nruns ? rs->run_first[r] : rs->nreqs;

	return end - rs->run_first[r - 1];
}

/* The number of the r-th run present (1-based r): the requests' own
 * (reqset.h), not r, since run numbers need not be consecutive. */
static uint32_t
run_no(const struct reqset *rs, size_t r)
{
	return reqset_run_no(rs, r - 1);
}

/* The numbers of the runs present, for a message: "runs 1 to 5", or
 * "runs 1 to 3, 5, 7 to 9" when some are missing, cut with "..." when
 * long; "no runs" when there are none. */
static const char *
runs_present(const struct reqset *rs, char *buf, size_t sz)
{
	size_t n, r = 1;

	if (rs->nruns == 0)
		return "no runs";
	n = (size_t)snprintf(buf, sz, "runs ");
	while (r <= rs->nruns && n + 32 < sz) {
		size_t e = r;

		while (e < rs->nruns && run_no(rs, e + 1) == run_no(rs, e) + 1)
			e++;
		n += (size_t)snprintf(buf + n, sz - n, "%s%u", r > 1 ? ", " :
		    "", run_no(rs, r));
		if (e > r)
			n += (size_t)snprintf(buf + n, sz - n, " to %u",
			    run_no(rs, e));
		r = e + 1;
	}
	if (r <= rs->nruns)
		snprintf(buf + n, sz - n, ", ...");
	return buf;
}

/* The runs to analyse, checked against --run and the list options. */
static int
pick_runs(const struct reqset *rs, const struct analysis_opt *o, uint32_t *keep,
    size_t *nkeep, struct diag *d)
{
	char buf[160];

	/* keep[] holds 1-based indices into the runs present; --run names
	 * run numbers (run_no()). */
	*nkeep = 0;
	for (size_t r = 1; r <= rs->nruns; r++) {
		int want = o->nruns == 0;

		for (size_t j = 0; j < o->nruns; j++)
			if (o->runs[j] == (long)run_no(rs, r))
				want = 1;
		if (want && run_size(rs, r) > 0)
			keep[(*nkeep)++] = (uint32_t)r;
	}
	for (size_t j = 0; j < o->nruns; j++) {
		size_t k;

		for (k = 0; k < *nkeep; k++)
			if ((long)run_no(rs, keep[k]) == o->runs[j])
				break;
		if (k == *nkeep)
			return diag_set(d, DIAG_USAGE, "--run %ld: no such run "
			    "in the input (%s)", o->runs[j],
			    runs_present(rs, buf, sizeof(buf)));
	}
	if (*nkeep == 0)
		return diag_set(d, DIAG_DATA, "no requests in the input");
	if (o->nservice > 1 && o->nservice != *nkeep)
		return diag_set(d, DIAG_USAGE, "--service-time has %zu values "
		    "for %zu runs", o->nservice, *nkeep);
	if (o->nconcurrency > 1 && o->nconcurrency != *nkeep)
		return diag_set(d, DIAG_USAGE, "--concurrency has %zu values "
		    "for %zu runs", o->nconcurrency, *nkeep);
	return 0;
}

/* Routes in order: none first, then by their bytes. */
static int
route_cmp(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

/* A run's requests by route, each route's by rank. */
static int
cmp_route(const void *p, const void *q)
{
	const struct req *x = p, *y = q;
	int c = route_cmp(x->route, y->route);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* One more run in a (its route as given, copied), its stats zeroed: 0,
 * or -1 when out of memory. */
static int
add_run(struct analysis *a, size_t *cap, const char *route)
{
	if (a->nruns == *cap) {
		size_t n = *cap * 2 + 8;
		struct stats *s = realloc(a->runs, n * sizeof(*s));
		char **r;

		if (s == NULL)
			return -1;
		a->runs = s;
		if ((r = realloc(a->routes, n * sizeof(*r))) == NULL)
			return -1;
		a->routes = r;
		*cap = n;
	}
	memset(&a->runs[a->nruns], 0, sizeof(a->runs[0]));
	a->routes[a->nruns] = NULL;
	if (route != NULL && (a->routes[a->nruns] = strdup(route)) == NULL)
		return -1;
	a->nruns++;
	return 0;
}

/*
 * --by route: the run's requests r[0..nr) judged route by route, each a
 * run of the document with the run's number and its route, so that one
 * endpoint's 2 ms health check does not set the T of a 200 ms call.
 */
static int
runs_by_route(struct analysis *a, size_t *cap, const struct req *r,
    size_t nr, uint32_t run, const struct stats_opt *so, struct diag *d)
{
	struct req *c;
	int rc = 0;

	if ((c = malloc((nr + 1) * sizeof(*c))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	memcpy(c, r, nr * sizeof(*c));
	qsort(c, nr, sizeof(*c), cmp_route);
	for (size_t g = 0, e; g < nr && rc == 0; g = e) {
		for (e = g + 1; e < nr && route_cmp(c[e].route,
		    c[g].route) == 0; e++)
			;
		if (add_run(a, cap, c[g].route) == -1)
			rc = diag_set(d, DIAG_NOMEM, "out of memory");
		else
			rc = stats_run(&c[g], e - g, run, so,
			    &a->runs[a->nruns - 1], d);
	}
	free(c);
	return rc;
}

/* The statistics options of the k-th run kept. */
static void
run_opt(const struct analysis_opt *o, size_t k, struct stats_opt *so)
{
	memset(so, 0, sizeof(*so));
	if (o->nservice > 0) {
		so->has_service = 1;
		so->service = o->service[o->nservice == 1 ? 0 : k];
	}
	if (o->nconcurrency > 0)
		so->concurrency = o->concurrency[o->nconcurrency == 1 ? 0 : k];
	so->no_series = o->no_series;
	so->keep_errors = o->keep_errors;
}

/* One thread's share of the runs: every step-th kept run from the first. */
struct share {
	const struct reqset *rs;
	const struct analysis_opt *o;
	const uint32_t	*keep;
	size_t		 nkeep, first, step;
	struct analysis	*a;
	size_t		 failed;	/* the run that failed, or nkeep */
	struct diag	 d;
};

static void *
share_run(void *arg)
{
	struct share *sh = arg;
	struct reqset_view view = { NULL, 0, 0 };
	const struct req *run;
	size_t nr;

	sh->failed = sh->nkeep;
	diag_clear(&sh->d);
	for (size_t k = sh->first; k < sh->nkeep; k += sh->step) {
		struct stats_opt so;
		uint32_t r = sh->keep[k];

		run_opt(sh->o, k, &so);
		/* The run as struct req: one run at a time. */
		if ((run = reqset_run(sh->rs, r - 1, &view, &nr)) == NULL) {
			diag_set(&sh->d, DIAG_NOMEM, "out of memory for a run "
			    "of %zu requests", run_size(sh->rs, r));
			sh->failed = k;
			break;
		}
		if (stats_run(run, nr, run_no(sh->rs, r), &so, &sh->a->runs[k],
		    &sh->d) == -1) {
			sh->failed = k;
			break;
		}
	}
	reqset_view_free(&view);
	return NULL;
}

/*
 * The statistics of every kept run into a->runs (allocated, nkeep of
 * them).  Runs are independent: with two or more, a second thread takes
 * every other one (the machine's second core), each thread with its own
 * view of a run.  The error said is that of the first run that failed, as
 * one thread would have said it; without a thread, this one does all.
 */
static int
runs_stats(const struct reqset *rs, const struct analysis_opt *o,
    const uint32_t *keep, size_t nkeep, struct analysis *a, struct diag *d)
{
	struct share sh[2];
	pthread_t th;
	int two;

	a->nruns = nkeep;	/* zeroed: each freeable, filled or not */
	for (int i = 0; i < 2; i++)	/* failed: none, until one runs */
		sh[i] = (struct share){ rs, o, keep, nkeep, (size_t)i, 2, a,
		    nkeep, { 0 } };
	two = nkeep >= 2 && pthread_create(&th, NULL, share_run, &sh[1]) == 0;
	if (!two)
		sh[0].step = 1;
	share_run(&sh[0]);
	if (two)
		pthread_join(th, NULL);
	if (sh[0].failed == nkeep && sh[1].failed == nkeep)
		return 0;
	*d = sh[sh[1].failed < sh[0].failed].d;
	return -1;
}

int
analysis_build(const struct reqset *rs, const struct analysis_opt *o,
    struct analysis *a, struct diag *d)
{
	struct reqset_view view = { NULL, 0, 0 };
	const struct req *run;
	uint32_t *keep;
	size_t nkeep = 0, cap = 0, nr;

	memset(a, 0, sizeof(*a));
	if ((keep = malloc((rs->nruns + 1) * sizeof(*keep))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if (pick_runs(rs, o, keep, &nkeep, d) == -1)
		goto fail;
	/* A sampled run's true size is the whole run's: its routes' are
	 * not known. */
	if (o->by_route && o->nconcurrency > 0) {
		diag_set(d, DIAG_USAGE, "--concurrency and --by route: a "
		    "sampled run's true size cannot be split by route");
		goto fail;
	}
	a->by_route = o->by_route;
	if (!o->by_route && (a->runs = calloc(nkeep,
	    sizeof(*a->runs))) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	if (o->by_route) {
		for (size_t k = 0; k < nkeep; k++) {
			struct stats_opt so;

			run_opt(o, k, &so);
			if ((run = reqset_run(rs, keep[k] - 1, &view,
			    &nr)) == NULL) {
				diag_set(d, DIAG_NOMEM, "out of memory for a "
				    "run of %zu requests", run_size(rs, keep[k]));
				goto fail;
			}
			if (runs_by_route(a, &cap, run, nr, run_no(rs, keep[k]),
			    &so, d) == -1)
				goto fail;
		}
	} else if (runs_stats(rs, o, keep, nkeep, a, d) == -1)
		goto fail;
	reqset_view_free(&view);
	if (skew_fit(a, d) == -1 || skew_t_fit(a, d) == -1 ||
	    usl_fit(a, d) == -1)
		goto fail;
	if (!a->skew.fitted)
		say_open_left(a->skew.reason, sizeof(a->skew.reason),
		    a->skew.open_left);
	if (!a->skew_t.fitted)
		say_open_left(a->skew_t.reason, sizeof(a->skew_t.reason),
		    a->skew_t.open_left);
	if (!a->usl.fitted)
		say_open_left(a->usl.reason, sizeof(a->usl.reason),
		    a->usl.open_left);
	{
		struct traffic_opt to = { o->has_window, o->window };

		if (traffic_build(rs, keep, nkeep, &to, o->no_series,
		    &a->traffic, d) == -1)
			goto fail;
	}
	if (provenance(a, rs, o) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto fail;
	}
	free(keep);
	return 0;
fail:
	reqset_view_free(&view);
	free(keep);
	analysis_free(a);
	return -1;
}

static void
free_strs(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nruns; i++)
		stats_free(&a->runs[i]);
	free(a->runs);
	if (a->routes != NULL)
		free_strs(a->routes, a->nruns);
	free(a->traffic.series);
	free(a->prov.version);
	free_strs(a->prov.options, a->prov.noptions);
	for (size_t i = 0; i < a->prov.ninputs; i++) {
		free(a->prov.inputs[i].src);
		free(a->prov.inputs[i].sha256);
		free_strs(a->prov.inputs[i].opts, a->prov.inputs[i].nopts);
	}
	free(a->prov.inputs);
	memset(a, 0, sizeof(*a));
}

int
analysis_worst_verdict(const struct analysis *a)
{
	int worst = -1;

	for (size_t i = 0; i < a->nruns; i++)
		if ((int)a->runs[i].verdict > worst)
			worst = (int)a->runs[i].verdict;
	return worst;
}

const struct stats *
analysis_run(const struct analysis *a, long run)
{
	for (size_t i = 0; i < a->nruns; i++)
		if ((long)a->runs[i].run == run)
			return &a->runs[i];
	return NULL;
}
