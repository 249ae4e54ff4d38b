#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fit.h"
#include "jw.h"
#include "stats.h"

/*
 * Every cJSON_Add* can fail for want of memory.  Rather than test each of
 * the hundred calls, the helpers below remember the first failure in
 * b->oom and the document is thrown away at the end if it is set.
 */
struct build {
	int	oom;
};

static cJSON *
chk(struct build *b, cJSON *item)
{
	if (item == NULL)
		b->oom = 1;
	return item;
}

static void
num(struct build *b, cJSON *o, const char *key, double v)
{
	char buf[JW_DTOA_MAX];

	if (o == NULL)
		return;
	/* No NaN or infinity ever reaches the document: a value that is
	 * not finite here is a bug upstream, printed as null rather than as
	 * text no JSON reader accepts. */
	if (!isfinite(v))
		chk(b, cJSON_AddNullToObject(o, key));
	else
		chk(b, cJSON_AddRawToObject(o, key, jw_dtoa(v, buf)));
}

static void
num_or_null(struct build *b, cJSON *o, const char *key, int has, double v)
{
	if (has)
		num(b, o, key, v);
	else if (o != NULL)
		chk(b, cJSON_AddNullToObject(o, key));
}

static void
str(struct build *b, cJSON *o, const char *key, const char *v)
{
	if (o == NULL)
		return;
	if (v == NULL)
		chk(b, cJSON_AddNullToObject(o, key));
	else
		chk(b, cJSON_AddStringToObject(o, key, v));
}

static void
boolean(struct build *b, cJSON *o, const char *key, int v)
{
	if (o != NULL)
		chk(b, cJSON_AddBoolToObject(o, key, v));
}

static cJSON *
obj(struct build *b, cJSON *o, const char *key)
{
	return o == NULL ? NULL : chk(b, cJSON_AddObjectToObject(o, key));
}

static cJSON *
arr(struct build *b, cJSON *o, const char *key)
{
	return o == NULL ? NULL : chk(b, cJSON_AddArrayToObject(o, key));
}

static void
push_num(struct build *b, cJSON *a, double v)
{
	char buf[JW_DTOA_MAX];
	cJSON *it;

	if (a == NULL)
		return;
	it = chk(b, isfinite(v) ? cJSON_CreateRaw(jw_dtoa(v, buf)) :
	    cJSON_CreateNull());
	if (it != NULL && !cJSON_AddItemToArray(a, it)) {
		cJSON_Delete(it);
		b->oom = 1;
	}
}

static void
push_str(struct build *b, cJSON *a, const char *s)
{
	cJSON *it;

	if (a == NULL)
		return;
	it = chk(b, cJSON_CreateString(s));
	if (it != NULL && !cJSON_AddItemToArray(a, it)) {
		cJSON_Delete(it);
		b->oom = 1;
	}
}

static cJSON *
push_arr(struct build *b, cJSON *a)
{
	cJSON *it;

	if (a == NULL)
		return NULL;
	it = chk(b, cJSON_CreateArray());
	if (it != NULL && !cJSON_AddItemToArray(a, it)) {
		cJSON_Delete(it);
		b->oom = 1;
		return NULL;
	}
	return it;
}

static void
not_fitted(struct build *b, cJSON *o, const char *key, const char *why)
{
	cJSON *f = obj(b, o, key);

	boolean(b, f, "fitted", 0);
	str(b, f, "reason", why);
}

static void
time_or_null(struct build *b, cJSON *o, const char *key, int has,
    const struct ts *t)
{
	char buf[TS_ISO_MAX];

	if (has) {
		ts_iso(t, buf);
		str(b, o, key, buf);
	} else
		str(b, o, key, NULL);
}

/* {"slope", "stderr", "r2"}, or {"fitted": false, "reason"}. */
static void
slope_block(struct build *b, cJSON *o, const char *key,
    const struct fit_line *f)
{
	cJSON *s;

	if (!f->ok) {
		not_fitted(b, o, key, f->why);
		return;
	}
	s = obj(b, o, key);
	num(b, s, "slope", f->b);
	num_or_null(b, s, "stderr", f->has_se, f->b_se);
	num_or_null(b, s, "r2", f->has_r2, f->r2);
}

static void
points(struct build *b, cJSON *o, const char *key, const struct point *p,
    size_t n)
{
	cJSON *a = arr(b, o, key);

	for (size_t i = 0; i < n; i++) {
		cJSON *pt = push_arr(b, a);

		push_num(b, pt, p[i].x);
		push_num(b, pt, p[i].y);
	}
}

static void
run_block(struct build *b, cJSON *runs, const struct run_stats *s)
{
	static const char *const src[] = { NULL, "given", "latency" };
	cJSON *o, *x;

	if (runs == NULL)
		return;
	if ((o = chk(b, cJSON_CreateObject())) == NULL)
		return;
	if (!cJSON_AddItemToArray(runs, o)) {
		cJSON_Delete(o);
		b->oom = 1;
		return;
	}
	num(b, o, "run", s->run);
	num(b, o, "n", (double)s->n);
	time_or_null(b, o, "first", s->nseen > 0, &s->first);
	time_or_null(b, o, "last", s->nseen > 0, &s->last);
	num_or_null(b, o, "spread", s->has_spread, s->spread);
	slope_block(b, o, "stagger", &s->stagger);
	num_or_null(b, o, "service_time", s->has_T, s->T);
	str(b, o, "service_time_source", src[s->T_src]);
	num_or_null(b, o, "serialization", s->has_serialization,
	    s->serialization);
	num_or_null(b, o, "parallelism", s->has_parallelism, s->parallelism);
	num_or_null(b, o, "max_inflight", s->has_inflight,
	    (double)s->max_inflight);
	if (s->ll_state == 1) {
		x = obj(b, o, "littles_law");
		num(b, x, "mean_inflight", s->ll_mean);
		num(b, x, "x_times_r", s->ll_xr);
		boolean(b, x, "ok", s->ll_ok);
	} else if (s->ll_state == -1)
		not_fitted(b, o, "littles_law", s->ll_why);
	else
		str(b, o, "littles_law", NULL);
	if (s->has_slopes) {
		slope_block(b, o, "arrival_stagger", &s->arrival);
		slope_block(b, o, "latency_slope", &s->latslope);
	} else {
		str(b, o, "arrival_stagger", NULL);
		str(b, o, "latency_slope", NULL);
	}
	if (s->has_latency) {
		x = obj(b, o, "latency");
		num(b, x, "p50", s->p50);
		num(b, x, "p90", s->p90);
		num(b, x, "p99", s->p99);
		num(b, x, "max", s->lmax);
	} else
		str(b, o, "latency", NULL);
	num_or_null(b, o, "waves", s->has_waves, (double)s->waves);
	num_or_null(b, o, "pool_size", s->has_pool, (double)s->pool);
	num_or_null(b, o, "arrival_waves", s->has_awaves, (double)s->awaves);
	num_or_null(b, o, "arrival_pool_size", s->has_apool,
	    (double)s->apool);
	num_or_null(b, o, "pids", s->has_pids, (double)s->pids);
	num_or_null(b, o, "tids", s->has_tids, (double)s->tids);
	num(b, o, "unmatched_starts", (double)s->unmatched_starts);
	num(b, o, "unmatched_ends", (double)s->unmatched_ends);
	boolean(b, o, "sampled", s->sampled);
	str(b, o, "verdict", verdict_name(s->verdict));
	str(b, o, "reason", s->reason);
	x = arr(b, o, "notes");
	for (size_t i = 0; i < s->nnotes; i++)
		push_str(b, x, s->notes[i]);
	if (s->has_series) {
		x = obj(b, o, "series");
		points(b, x, "rank", s->rank, s->nrank);
		if (s->inflight != NULL)
			points(b, x, "inflight", s->inflight, s->ninflight);
		else
			str(b, x, "inflight", NULL);
		boolean(b, x, "thinned", s->thinned);
	}
}

static int
skew_block(struct build *b, cJSON *doc, const struct run_stats *st,
    size_t nst, struct diag *d)
{
	double *x = NULL, *y = NULL, tmin = 0;
	size_t m = 0;
	int has_tmin = 0;
	struct fit_line f;
	cJSON *o, *notes, *ci;
	char why[2 * FIT_WHY];

	if ((x = calloc(nst + 1, sizeof(*x))) == NULL ||
	    (y = calloc(nst + 1, sizeof(*y))) == NULL) {
		free(x);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nst; i++) {
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
	fit_linear(x, y, m, &f, d);
	free(x);
	free(y);
	if (!f.ok) {
		snprintf(why, sizeof(why), "%zu run%s with a spread: %s", m,
		    m == 1 ? "" : "s", f.why);
		not_fitted(b, doc, "skew", why);
		return 0;
	}
	o = obj(b, doc, "skew");
	boolean(b, o, "fitted", 1);
	num(b, o, "runs", (double)m);
	num(b, o, "a", f.a);
	num_or_null(b, o, "a_stderr", f.has_se, f.a_se);
	num(b, o, "b", f.b);
	num_or_null(b, o, "b_stderr", f.has_se, f.b_se);
	if (f.has_ci) {
		ci = arr(b, o, "b_ci95");
		push_num(b, ci, f.b_lo);
		push_num(b, ci, f.b_hi);
	} else
		str(b, o, "b_ci95", NULL);
	num_or_null(b, o, "r2", f.has_r2, f.r2);
	num_or_null(b, o, "n_reaching_service_time", has_tmin && f.b > 0,
	    (tmin - f.a) / f.b);
	notes = arr(b, o, "notes");
	if (!f.has_se)
		push_str(b, notes, "two runs: a line through two points has "
		    "no standard errors and no interval");
	if (!has_tmin)
		push_str(b, notes, "n_reaching_service_time: no service time "
		    "known");
	else if (f.b <= 0)
		push_str(b, notes, "n_reaching_service_time: the spread does "
		    "not grow with n");
	return 0;
}

static int
skew_t_block(struct build *b, cJSON *doc, const struct run_stats *st,
    size_t nst, struct diag *d)
{
	double *X = NULL, *y = NULL;
	size_t m = 0, distinct = 0;
	struct fit_multi f;
	cJSON *o;
	char why[FIT_WHY];

	if ((X = malloc((3 * nst + 1) * sizeof(*X))) == NULL ||
	    (y = calloc(nst + 1, sizeof(*y))) == NULL) {
		free(X);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nst; i++) {
		if (!st[i].has_spread || !st[i].has_T)
			continue;
		X[3 * m] = 1;
		X[3 * m + 1] = (double)st[i].n;
		X[3 * m + 2] = st[i].T;
		y[m++] = st[i].spread;
	}
	/*
	 * Service times within 10 % of each other count as one: read from
	 * latencies, the runs of one server differ by scheduling noise, and
	 * a c fitted to noise would answer a question nobody asked.
	 */
	for (size_t i = 0; i < m; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (fabs(X[3 * j + 2] - X[3 * i + 2]) <=
			    0.1 * fmax(X[3 * j + 2], X[3 * i + 2]))
				break;
		if (j == i)
			distinct++;
	}
	if (distinct < 2) {
		snprintf(why, sizeof(why), "%zu distinct service time%s among "
		    "%zu run%s (times within 10 %% count as one); 2 needed",
		    distinct, distinct == 1 ? "" : "s", m, m == 1 ? "" : "s");
		not_fitted(b, doc, "skew_with_service_time", why);
		goto done;
	}
	if (m < 3) {
		snprintf(why, sizeof(why), "%zu runs for 3 parameters", m);
		not_fitted(b, doc, "skew_with_service_time", why);
		goto done;
	}
	if (fit_multi(X, y, m, 3, &f, d) == -1) {
		free(X);
		free(y);
		return -1;
	}
	if (!f.ok) {
		not_fitted(b, doc, "skew_with_service_time", f.why);
		goto done;
	}
	o = obj(b, doc, "skew_with_service_time");
	boolean(b, o, "fitted", 1);
	num(b, o, "runs", (double)m);
	num(b, o, "a", f.c[0]);
	num_or_null(b, o, "a_stderr", f.has_se, f.se[0]);
	num(b, o, "b", f.c[1]);
	num_or_null(b, o, "b_stderr", f.has_se, f.se[1]);
	num(b, o, "c", f.c[2]);
	num_or_null(b, o, "c_stderr", f.has_se, f.se[2]);
	num_or_null(b, o, "r2", f.has_r2, f.r2);
	o = arr(b, o, "notes");
	if (!f.has_se)
		push_str(b, o, "three runs fit three parameters exactly: no "
		    "standard errors (4 runs needed)");
done:
	free(X);
	free(y);
	return 0;
}

static int
usl_block(struct build *b, cJSON *doc, const struct run_stats *st,
    size_t nst, struct diag *d)
{
	double *x = NULL, *y = NULL, maxn = 0;
	size_t m = 0, zero_t = 0;
	struct fit_usl f;
	cJSON *o, *w;
	char buf[FIT_WHY], why[2 * FIT_WHY];

	if ((x = calloc(nst + 1, sizeof(*x))) == NULL ||
	    (y = calloc(nst + 1, sizeof(*y))) == NULL) {
		free(x);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nst; i++) {
		if (!st[i].has_parallelism)
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
	if (!f.ok && zero_t > 0) {
		snprintf(why, sizeof(why), "%s (%zu run%s with a service time "
		    "of 0 left out: their parallelism is 0 whatever they did)",
		    f.why, zero_t, zero_t == 1 ? "" : "s");
		not_fitted(b, doc, "usl", why);
		return 0;
	}
	if (!f.ok) {
		not_fitted(b, doc, "usl", f.why);
		return 0;
	}
	o = obj(b, doc, "usl");
	boolean(b, o, "fitted", 1);
	num(b, o, "runs", (double)m);
	num(b, o, "lambda", f.lambda);
	num_or_null(b, o, "lambda_stderr", f.has_se, f.lambda_se);
	num(b, o, "sigma", f.sigma);
	num_or_null(b, o, "sigma_stderr", f.has_se, f.sigma_se);
	num(b, o, "kappa", f.kappa);
	num_or_null(b, o, "kappa_stderr", f.has_se, f.kappa_se);
	num_or_null(b, o, "r2", f.has_r2, f.r2);
	num_or_null(b, o, "peak_n", f.kappa > 0 && f.sigma <= 1,
	    sqrt((1 - f.sigma) / f.kappa));
	num(b, o, "max_measured_n", maxn);
	w = arr(b, o, "warnings");
	if (f.sigma < 0)
		push_str(b, w, "sigma is negative: the runs scale better than "
		    "linearly, or the model does not fit them");
	if (f.kappa < 0)
		push_str(b, w, "kappa is negative: no coherency cost measured");
	/* A fit can converge on nonsense runs to huge, cancelling values:
	 * say so rather than let the numbers look like a finding. */
	if (f.has_se && (f.lambda_se > fabs(f.lambda) ||
	    f.sigma_se > fabs(f.sigma) || f.kappa_se > fabs(f.kappa)))
		push_str(b, w, "a standard error exceeds its estimate: the "
		    "runs do not determine the parameters");
	if (f.kappa > 0 && f.sigma <= 1 &&
	    sqrt((1 - f.sigma) / f.kappa) > maxn) {
		snprintf(buf, sizeof(buf), "peak_n %.0f is beyond the largest "
		    "measured n (%.0f): an extrapolation",
		    sqrt((1 - f.sigma) / f.kappa), maxn);
		push_str(b, w, buf);
	}
	w = arr(b, o, "notes");
	if (f.kappa <= 0)
		push_str(b, w, "peak_n: kappa <= 0, the model has no peak");
	else if (f.sigma > 1)
		push_str(b, w, "peak_n: sigma > 1, the model has no peak");
	return 0;
}

static void
provenance(struct build *b, cJSON *doc, const struct reqset *rs,
    const struct fit_opt *o)
{
	cJSON *p = obj(b, doc, "provenance"), *a, *in;
	char buf[64], num_buf[JW_DTOA_MAX];

	str(b, p, "version", SKEW_VERSION);
	a = arr(b, p, "options");
	for (size_t i = 0; i < o->noptions; i++)
		push_str(b, a, o->argv_options[i]);
	/* skew-align's settings travel in its trailer; a reader of the
	 * document needs them to reproduce the runs. */
	if (rs->info.runs > 0) {
		snprintf(buf, sizeof(buf), "skew-align --gap=%s",
		    jw_dtoa(ts_double(&rs->info.gap), num_buf));
		push_str(b, a, buf);
		if (rs->info.offset_auto)
			snprintf(buf, sizeof(buf), "skew-align --offset=auto");
		else
			snprintf(buf, sizeof(buf), "skew-align --offset=%s",
			    jw_dtoa(ts_double(&rs->info.offset), num_buf));
		push_str(b, a, buf);
	}
	a = arr(b, p, "inputs");
	for (size_t i = 0; i < rs->ninputs; i++) {
		const struct rec_input *r = &rs->inputs[i];

		if (a == NULL || (in = chk(b, cJSON_CreateObject())) == NULL)
			continue;
		if (!cJSON_AddItemToArray(a, in)) {
			cJSON_Delete(in);
			b->oom = 1;
			continue;
		}
		str(b, in, "src", r->src);
		num(b, in, "bytes", (double)r->bytes);
		num(b, in, "lines", (double)r->lines);
		num(b, in, "events", (double)r->events);
		num(b, in, "skipped", (double)r->skipped);
		str(b, in, "sha256", r->sha256[0] ? r->sha256 : NULL);
		/* skew-parse's options that read this input, when its
		 * trailer carried them: every option of every stage. */
		if (r->opts != NULL) {
			cJSON *oa = arr(b, in, "options");

			for (size_t k = 0; k < r->nopts; k++)
				push_str(b, oa, r->opts[k]);
		}
	}
}

static size_t
run_size(const struct reqset *rs, size_t r)
{
	size_t end = r < rs->nruns ? rs->run_first[r] : rs->nreqs;

	return end - rs->run_first[r - 1];
}

int
fit_document(const struct reqset *rs, const struct fit_opt *o, cJSON **out,
    struct diag *d)
{
	struct build b = { 0 };
	struct run_stats *st = NULL;
	uint32_t *keep = NULL;
	size_t nkeep = 0, nst = 0;
	cJSON *doc = NULL, *runs;
	int rc = -1;

	*out = NULL;
	if ((keep = malloc((rs->nruns + 1) * sizeof(*keep))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t r = 1; r <= rs->nruns; r++) {
		int want = o->nruns == 0;

		for (size_t j = 0; j < o->nruns; j++)
			if (o->runs[j] == (long)r)
				want = 1;
		if (want && run_size(rs, r) > 0)
			keep[nkeep++] = (uint32_t)r;
	}
	for (size_t j = 0; j < o->nruns; j++) {
		size_t k;

		for (k = 0; k < nkeep; k++)
			if (keep[k] == (uint32_t)o->runs[j])
				break;
		if (k == nkeep) {
			diag_set(d, DIAG_USAGE, "--run %ld: no such run in the "
			    "input (runs 1 to %zu)", o->runs[j], rs->nruns);
			goto out;
		}
	}
	if (nkeep == 0) {
		diag_set(d, DIAG_DATA, "no requests in the input");
		goto out;
	}
	if (o->nservice > 1 && o->nservice != nkeep) {
		diag_set(d, DIAG_USAGE, "--service-time has %zu values for %zu "
		    "runs", o->nservice, nkeep);
		goto out;
	}
	if (o->nconcurrency > 1 && o->nconcurrency != nkeep) {
		diag_set(d, DIAG_USAGE, "--concurrency has %zu values for %zu "
		    "runs", o->nconcurrency, nkeep);
		goto out;
	}
	if ((st = calloc(nkeep, sizeof(*st))) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < nkeep; k++) {
		struct stats_opt so = { 0 };
		uint32_t r = keep[k];

		if (o->nservice > 0) {
			so.has_service = 1;
			so.service = o->service[o->nservice == 1 ? 0 : k];
		}
		if (o->nconcurrency > 0)
			so.concurrency =
			    o->concurrency[o->nconcurrency == 1 ? 0 : k];
		so.no_series = o->no_series;
		nst++;
		if (stats_run(&rs->reqs[rs->run_first[r - 1]], run_size(rs, r),
		    r, &so, &st[k], d) == -1)
			goto out;
	}

	if ((doc = cJSON_CreateObject()) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	num(&b, doc, "skew_fit", FIT_DOC_VERSION);
	runs = arr(&b, doc, "runs");
	for (size_t k = 0; k < nst; k++)
		run_block(&b, runs, &st[k]);
	if (skew_block(&b, doc, st, nst, d) == -1 ||
	    skew_t_block(&b, doc, st, nst, d) == -1 ||
	    usl_block(&b, doc, st, nst, d) == -1)
		goto out;
	provenance(&b, doc, rs, o);
	if (b.oom) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	*out = doc;
	doc = NULL;
	rc = 0;
out:
	cJSON_Delete(doc);
	for (size_t k = 0; k < nst; k++)
		stats_free(&st[k]);
	free(st);
	free(keep);
	return rc;
}

int
fit_worst_verdict(const cJSON *doc)
{
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
	const cJSON *r;
	int worst = -1;

	cJSON_ArrayForEach(r, runs) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "verdict");
		int k;

		if (cJSON_IsString(v) && (k = verdict_parse(v->valuestring)) >
		    worst)
			worst = k;
	}
	return worst;
}
