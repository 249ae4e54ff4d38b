#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdoc.h"

/* How a key may be: absent (read as null) and/or null. */
#define F_NULL	1
#define F_OPT	2

static const char *
tname(const cJSON *j)
{
	if (j == NULL)
		return "nothing";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	return "something else";
}

static int
bad(struct diag *d, const char *path, const char *key, const char *want,
    const cJSON *got)
{
	return diag_set(d, DIAG_JSON, "%s%s%s: expected %s, got %s", path,
	    *path != '\0' && key != NULL ? "." : "", key ? key : "", want,
	    tname(got));
}

/* The value at key, or NULL when absent; *j set either way. */
static const cJSON *
item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int
num(const cJSON *o, const char *path, const char *key, int flags, double *v,
    struct diag *d)
{
	const cJSON *j = item(o, key);

	*v = NAN;
	if (j == NULL && (flags & F_OPT))
		return 0;
	if (cJSON_IsNull(j) && (flags & F_NULL))
		return 0;
	if (!cJSON_IsNumber(j))
		return bad(d, path, key, flags & F_NULL ? "a number or null" :
		    "a number", j);
	/* cJSON reads 1e999 as infinity; no number of the contract is. */
	if (!isfinite(j->valuedouble))
		return bad(d, path, key, "a finite number", j);
	*v = j->valuedouble;
	return 0;
}

static int
str(const cJSON *o, const char *path, const char *key, int flags,
    const char **v, struct diag *d)
{
	const cJSON *j = item(o, key);

	*v = NULL;
	if (j == NULL && (flags & F_OPT))
		return 0;
	if (cJSON_IsNull(j) && (flags & F_NULL))
		return 0;
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return bad(d, path, key, flags & F_NULL ? "a string or null" :
		    "a string", j);
	*v = j->valuestring;
	return 0;
}

/* An object that may be {"fitted": false, "reason": ...}: *fitted is 1
 * unless it says fitted false; a "fitted" key, when there, is a boolean. */
static int
block(const cJSON *j, const char *path, int *fitted, const char **reason,
    struct diag *d)
{
	const cJSON *f = item(j, "fitted");

	*fitted = 1;
	*reason = NULL;
	if (f != NULL && !cJSON_IsBool(f))
		return bad(d, path, "fitted", "a boolean", f);
	if (f != NULL && cJSON_IsFalse(f))
		*fitted = 0;
	if (str(j, path, "reason", F_OPT | F_NULL, reason, d) == -1)
		return -1;
	if (*reason == NULL && str(j, path, "note", F_OPT | F_NULL, reason,
	    d) == -1)
		return -1;
	if (!*fitted && *reason == NULL)
		return bad(d, path, "reason",
		    "a string (why it was not fitted)", item(j, "reason"));
	return 0;
}

/* An optional array of strings (null or absent: none). */
static int
strings(const cJSON *a, const char *path, const char *key,
    const char ***out, size_t *n, struct diag *d)
{
	const cJSON *e;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return bad(d, path, key, "an array of strings", a);
	if (cJSON_GetArraySize(a) == 0)
		return 0;
	if ((*out = calloc((size_t)cJSON_GetArraySize(a),
	    sizeof(**out))) == NULL)
		return diag_set(d, DIAG_NOMEM, "%s.%s: out of memory", path,
		    key);
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e) || e->valuestring == NULL)
			return diag_set(d, DIAG_JSON, "%s%s%s[%zu]: expected a "
			    "string, got %s", path, *path ? "." : "", key, k,
			    tname(e));
		(*out)[k++] = e->valuestring;
		*n = k;
	}
	return 0;
}

/* A slope: a number, null, or an object with its "slope" (and maybe a
 * standard error), or {"fitted": false, "reason": ...}, read as null. */
static int
slope(const cJSON *o, const char *path, const char *key, double *v,
    struct diag *d)
{
	const cJSON *j = item(o, key);
	char sub[96];
	const char *why;
	int f;

	if (!cJSON_IsObject(j))
		return num(o, path, key, F_NULL | F_OPT, v, d);
	*v = NAN;
	snprintf(sub, sizeof(sub), "%s.%s", path, key);
	if (block(j, sub, &f, &why, d) == -1)
		return -1;
	return f ? num(j, sub, "slope", 0, v, d) : 0;
}

static int
points(const cJSON *a, const char *path, struct rpt **out, size_t *n,
    struct diag *d)
{
	const cJSON *p;
	size_t k = 0, cnt = (size_t)cJSON_GetArraySize(a);

	*out = NULL;
	*n = 0;
	if (cnt == 0)
		return 0;
	if ((*out = calloc(cnt, sizeof(**out))) == NULL)
		return diag_set(d, DIAG_NOMEM, "%s: out of memory", path);
	cJSON_ArrayForEach(p, a) {
		const cJSON *x = cJSON_GetArrayItem(p, 0);
		const cJSON *y = cJSON_GetArrayItem(p, 1);

		if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2 ||
		    !cJSON_IsNumber(x) || !cJSON_IsNumber(y) ||
		    !isfinite(x->valuedouble) || !isfinite(y->valuedouble))
			return diag_set(d, DIAG_JSON, "%s[%zu]: expected "
			    "[number, number], got %s", path, k, tname(p));
		(*out)[k].x = x->valuedouble;
		(*out)[k].y = y->valuedouble;
		k++;
	}
	*n = k;
	return 0;
}

static int
series(const cJSON *s, const char *path, struct rrun *r, struct diag *d)
{
	char sub[96];
	const cJSON *j;

	if (s == NULL)
		return 0;	/* skew-fit --no-series */
	if (!cJSON_IsObject(s))
		return bad(d, path, "series", "an object", s);
	r->has_series = 1;
	snprintf(sub, sizeof(sub), "%s.series", path);
	j = item(s, "rank");
	if (!cJSON_IsArray(j))
		return bad(d, sub, "rank", "an array", j);
	snprintf(sub, sizeof(sub), "%s.series.rank", path);
	if (points(j, sub, &r->rank, &r->nrank, d) == -1)
		return -1;
	j = item(s, "inflight");
	snprintf(sub, sizeof(sub), "%s.series", path);
	if (j != NULL && !cJSON_IsNull(j)) {
		if (!cJSON_IsArray(j))
			return bad(d, sub, "inflight", "an array or null", j);
		snprintf(sub, sizeof(sub), "%s.series.inflight", path);
		if (points(j, sub, &r->inflight, &r->ninflight, d) == -1)
			return -1;
		/* An empty array still says starts were known. */
		if (r->inflight == NULL && (r->inflight = calloc(1,
		    sizeof(*r->inflight))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	snprintf(sub, sizeof(sub), "%s.series", path);
	j = item(s, "thinned");
	if (j != NULL && !cJSON_IsBool(j))
		return bad(d, sub, "thinned", "a boolean", j);
	r->thinned = cJSON_IsTrue(j);
	return 0;
}

static int
run(const cJSON *o, size_t idx, struct rrun *r, struct diag *d)
{
	char p[64], sub[96];
	const cJSON *j;
	double v;

	snprintf(p, sizeof(p), "runs[%zu]", idx);
	if (!cJSON_IsObject(o))
		return bad(d, p, NULL, "an object", o);
	if (num(o, p, "run", 0, &v, d) == -1)
		return -1;
	if (v != floor(v) || v < 0 || v > 1e9)
		return bad(d, p, "run", "a run number (a whole number)",
		    item(o, "run"));
	r->run = (long)v;
	if (num(o, p, "n", 0, &r->n, d) == -1)
		return -1;
	if (r->n < 0)
		return bad(d, p, "n", "a count (0 or more)", item(o, "n"));
	if (str(o, p, "first", F_NULL, &r->first, d) == -1 ||
	    str(o, p, "last", F_NULL, &r->last, d) == -1 ||
	    num(o, p, "spread", F_NULL, &r->spread, d) == -1)
		return -1;

	/* stagger: {"slope", "stderr", "r2"}, or null / not fitted. */
	j = item(o, "stagger");
	r->stag_slope = r->stag_stderr = r->stag_r2 = NAN;
	snprintf(sub, sizeof(sub), "%s.stagger", p);
	if (cJSON_IsNull(j))
		r->stag_fitted = 0;
	else if (!cJSON_IsObject(j))
		return bad(d, p, "stagger", "an object or null", j);
	else {
		if (block(j, sub, &r->stag_fitted, &r->stag_reason, d) == -1)
			return -1;
		if (r->stag_fitted && (num(j, sub, "slope", 0, &r->stag_slope,
		    d) == -1 || num(j, sub, "stderr", F_NULL | F_OPT,
		    &r->stag_stderr, d) == -1 || num(j, sub, "r2", F_NULL |
		    F_OPT, &r->stag_r2, d) == -1))
			return -1;
	}

	if (num(o, p, "service_time", F_NULL, &r->service_time, d) == -1 ||
	    str(o, p, "service_time_source", F_NULL | F_OPT,
	    &r->service_time_source, d) == -1 ||
	    num(o, p, "serialization", F_NULL, &r->serialization, d) == -1 ||
	    num(o, p, "parallelism", F_NULL, &r->parallelism, d) == -1 ||
	    num(o, p, "max_inflight", F_NULL | F_OPT, &r->max_inflight,
	    d) == -1)
		return -1;

	j = item(o, "littles_law");
	r->ll = -1;
	r->ll_mean = r->ll_xr = NAN;
	if (j != NULL && !cJSON_IsNull(j)) {
		const cJSON *k;
		int f;
		const char *why;

		snprintf(sub, sizeof(sub), "%s.littles_law", p);
		if (!cJSON_IsObject(j))
			return bad(d, p, "littles_law", "an object or null", j);
		if (block(j, sub, &f, &why, d) == -1)
			return -1;
		if (f) {
			if (num(j, sub, "mean_inflight", 0, &r->ll_mean,
			    d) == -1 || num(j, sub, "x_times_r", 0, &r->ll_xr,
			    d) == -1)
				return -1;
			k = item(j, "ok");
			if (!cJSON_IsBool(k))
				return bad(d, sub, "ok", "a boolean", k);
			r->ll = cJSON_IsTrue(k);
		}
	}
	if (slope(o, p, "arrival_stagger", &r->arrival_stagger, d) == -1 ||
	    slope(o, p, "latency_slope", &r->latency_slope, d) == -1)
		return -1;

	j = item(o, "latency");
	r->lat_p50 = r->lat_p90 = r->lat_p99 = r->lat_max = NAN;
	if (j != NULL && !cJSON_IsNull(j)) {
		int f;
		const char *why;

		snprintf(sub, sizeof(sub), "%s.latency", p);
		if (!cJSON_IsObject(j))
			return bad(d, p, "latency", "an object or null", j);
		if (block(j, sub, &f, &why, d) == -1)
			return -1;
		if (f) {
			if (num(j, sub, "p50", 0, &r->lat_p50, d) == -1 ||
			    num(j, sub, "p90", 0, &r->lat_p90, d) == -1 ||
			    num(j, sub, "p99", 0, &r->lat_p99, d) == -1 ||
			    num(j, sub, "max", 0, &r->lat_max, d) == -1)
				return -1;
			r->has_latency = 1;
		}
	}
	if (num(o, p, "waves", F_NULL | F_OPT, &r->waves, d) == -1 ||
	    num(o, p, "pool_size", F_NULL | F_OPT, &r->pool_size, d) == -1 ||
	    num(o, p, "arrival_waves", F_NULL | F_OPT, &r->arrival_waves,
	    d) == -1 ||
	    num(o, p, "arrival_pool_size", F_NULL | F_OPT,
	    &r->arrival_pool_size, d) == -1 ||
	    num(o, p, "pids", F_NULL | F_OPT, &r->pids, d) == -1 ||
	    num(o, p, "tids", F_NULL | F_OPT, &r->tids, d) == -1 ||
	    num(o, p, "unmatched_starts", F_NULL | F_OPT,
	    &r->unmatched_starts, d) == -1 ||
	    num(o, p, "unmatched_ends", F_NULL | F_OPT, &r->unmatched_ends,
	    d) == -1)
		return -1;
	j = item(o, "sampled");
	if (j != NULL && !cJSON_IsBool(j))
		return bad(d, p, "sampled", "a boolean", j);
	r->sampled = cJSON_IsTrue(j);
	if (str(o, p, "verdict", 0, &r->verdict, d) == -1 ||
	    str(o, p, "reason", F_NULL | F_OPT, &r->reason, d) == -1 ||
	    strings(item(o, "notes"), p, "notes", &r->notes, &r->nnotes,
	    d) == -1)
		return -1;
	return series(item(o, "series"), p, r, d);
}

static int
skew(const cJSON *j, struct rskew *s, struct diag *d)
{
	const cJSON *ci;

	s->runs = s->a = s->a_stderr = s->b = s->b_stderr = NAN;
	s->ci_lo = s->ci_hi = s->r2 = s->n_reach = NAN;
	if (!cJSON_IsObject(j))
		return bad(d, "skew", NULL, "an object", j);
	if (block(j, "skew", &s->fitted, &s->reason, d) == -1)
		return -1;
	if (strings(item(j, "notes"), "skew", "notes", &s->notes, &s->nnotes,
	    d) == -1)
		return -1;
	if (!s->fitted)
		return 0;
	if (num(j, "skew", "runs", F_OPT, &s->runs, d) == -1 ||
	    num(j, "skew", "a", 0, &s->a, d) == -1 ||
	    num(j, "skew", "a_stderr", F_NULL | F_OPT, &s->a_stderr, d) == -1 ||
	    num(j, "skew", "b", 0, &s->b, d) == -1 ||
	    num(j, "skew", "b_stderr", F_NULL | F_OPT, &s->b_stderr, d) == -1 ||
	    num(j, "skew", "r2", F_NULL | F_OPT, &s->r2, d) == -1 ||
	    num(j, "skew", "n_reaching_service_time", F_NULL | F_OPT,
	    &s->n_reach, d) == -1)
		return -1;
	ci = item(j, "b_ci95");
	if (ci != NULL && !cJSON_IsNull(ci)) {
		const cJSON *lo = cJSON_GetArrayItem(ci, 0);
		const cJSON *hi = cJSON_GetArrayItem(ci, 1);

		if (!cJSON_IsArray(ci) || cJSON_GetArraySize(ci) != 2 ||
		    !cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) ||
		    !isfinite(lo->valuedouble) || !isfinite(hi->valuedouble))
			return bad(d, "skew", "b_ci95",
			    "[number, number] or null", ci);
		s->ci_lo = lo->valuedouble;
		s->ci_hi = hi->valuedouble;
	}
	return 0;
}

static int
swst(const cJSON *j, struct rswst *s, struct diag *d)
{
	const char *p = "skew_with_service_time";

	s->a = s->b = s->c = s->c_stderr = s->r2 = NAN;
	if (!cJSON_IsObject(j))
		return bad(d, p, NULL, "an object", j);
	if (block(j, p, &s->fitted, &s->reason, d) == -1 ||
	    strings(item(j, "notes"), p, "notes", &s->notes, &s->nnotes,
	    d) == -1)
		return -1;
	if (!s->fitted)
		return 0;
	if (num(j, p, "a", 0, &s->a, d) == -1 ||
	    num(j, p, "b", 0, &s->b, d) == -1 ||
	    num(j, p, "c", 0, &s->c, d) == -1 ||
	    num(j, p, "c_stderr", F_NULL | F_OPT, &s->c_stderr, d) == -1 ||
	    num(j, p, "r2", F_NULL | F_OPT, &s->r2, d) == -1)
		return -1;
	return 0;
}

static int
usl(const cJSON *j, struct rusl *u, struct diag *d)
{
	u->lambda = u->lambda_stderr = u->sigma = u->sigma_stderr = NAN;
	u->kappa = u->kappa_stderr = u->r2 = u->peak_n = NAN;
	u->max_measured_n = NAN;
	if (!cJSON_IsObject(j))
		return bad(d, "usl", NULL, "an object", j);
	if (block(j, "usl", &u->fitted, &u->reason, d) == -1 ||
	    strings(item(j, "notes"), "usl", "notes", &u->notes, &u->nnotes,
	    d) == -1)
		return -1;
	if (!u->fitted)
		return 0;
	if (num(j, "usl", "lambda", 0, &u->lambda, d) == -1 ||
	    num(j, "usl", "lambda_stderr", F_NULL | F_OPT, &u->lambda_stderr,
	    d) == -1 ||
	    num(j, "usl", "sigma", 0, &u->sigma, d) == -1 ||
	    num(j, "usl", "sigma_stderr", F_NULL | F_OPT, &u->sigma_stderr,
	    d) == -1 ||
	    num(j, "usl", "kappa", 0, &u->kappa, d) == -1 ||
	    num(j, "usl", "kappa_stderr", F_NULL | F_OPT, &u->kappa_stderr,
	    d) == -1 ||
	    num(j, "usl", "r2", F_NULL | F_OPT, &u->r2, d) == -1 ||
	    num(j, "usl", "peak_n", F_NULL | F_OPT, &u->peak_n, d) == -1 ||
	    num(j, "usl", "max_measured_n", F_NULL | F_OPT,
	    &u->max_measured_n, d) == -1)
		return -1;
	return strings(item(j, "warnings"), "usl", "warnings", &u->warnings,
	    &u->nwarnings, d);
}

/* An input's "options" (skew-parse's, as its trailer carried them), joined
 * with spaces for the provenance footer. */
static int
input_opts(const cJSON *e, const char *p, struct rinput *in, struct diag *d)
{
	const cJSON *a = item(e, "options"), *o;
	size_t len = 0;

	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return bad(d, p, "options", "an array", a);
	cJSON_ArrayForEach(o, a) {
		if (!cJSON_IsString(o))
			return bad(d, p, "options", "an array of strings", o);
		len += strlen(o->valuestring) + 1;
	}
	if ((in->opts = calloc(len + 1, 1)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(o, a) {
		if (in->opts[0] != '\0')
			strcat(in->opts, " ");
		strcat(in->opts, o->valuestring);
	}
	return 0;
}

static int
provenance(const cJSON *j, struct rdoc *doc, struct diag *d)
{
	const cJSON *a, *e;
	size_t k;

	if (j == NULL)
		return 0;
	if (!cJSON_IsObject(j))
		return bad(d, "provenance", NULL, "an object", j);
	doc->has_provenance = 1;
	if (str(j, "provenance", "version", F_NULL | F_OPT, &doc->version,
	    d) == -1)
		return -1;
	a = item(j, "options");
	if (a != NULL && !cJSON_IsNull(a)) {
		if (!cJSON_IsArray(a))
			return bad(d, "provenance", "options", "an array", a);
		k = (size_t)cJSON_GetArraySize(a);
		if (k > 0 && (doc->options = calloc(k,
		    sizeof(*doc->options))) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		/* Options are printed as given: a string as its text,
		 * anything else (an object of name and value) as JSON. */
		cJSON_ArrayForEach(e, a) {
			char *s, *t = NULL;

			if (cJSON_IsString(e) && e->valuestring != NULL)
				s = strdup(e->valuestring);
			else {
				t = cJSON_PrintUnformatted(e);
				s = t != NULL ? strdup(t) : NULL;
				cJSON_free(t);
			}
			if (s == NULL)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			doc->options[doc->noptions++] = s;
		}
	}
	a = item(j, "inputs");
	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return bad(d, "provenance", "inputs", "an array", a);
	k = (size_t)cJSON_GetArraySize(a);
	if (k > 0 && (doc->inputs = calloc(k, sizeof(*doc->inputs))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, a) {
		struct rinput *in = &doc->inputs[doc->ninputs];
		char p[64];

		snprintf(p, sizeof(p), "provenance.inputs[%zu]", doc->ninputs);
		if (!cJSON_IsObject(e))
			return bad(d, p, NULL, "an object", e);
		if (str(e, p, "src", 0, &in->src, d) == -1 ||
		    str(e, p, "sha256", F_NULL | F_OPT, &in->sha256, d) == -1 ||
		    num(e, p, "bytes", F_NULL | F_OPT, &in->bytes, d) == -1 ||
		    num(e, p, "lines", F_NULL | F_OPT, &in->lines, d) == -1 ||
		    num(e, p, "events", F_NULL | F_OPT, &in->events, d) == -1 ||
		    num(e, p, "skipped", F_NULL | F_OPT, &in->skipped, d) == -1 ||
		    input_opts(e, p, in, d) == -1)
			return -1;
		doc->ninputs++;
	}
	return 0;
}

static int
load(const cJSON *fit, struct rdoc *doc, struct diag *d)
{
	const cJSON *runs, *r;
	double v;
	size_t k = 0, cnt;

	if (!cJSON_IsObject(fit))
		return diag_set(d, DIAG_JSON, "expected a fit document (an "
		    "object), got %s", tname(fit));
	if (num(fit, "", "skew_fit", 0, &v, d) == -1)
		return -1;
	if (v != 1)
		return diag_set(d, DIAG_JSON, "skew_fit: expected 1 (the only "
		    "version of the document this program reads)");
	runs = item(fit, "runs");
	if (!cJSON_IsArray(runs))
		return bad(d, "", "runs", "an array", runs);
	cnt = (size_t)cJSON_GetArraySize(runs);
	if (cnt == 0)
		return diag_set(d, DIAG_JSON, "runs: expected at least one "
		    "run, got an empty array");
	if ((doc->runs = calloc(cnt, sizeof(*doc->runs))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(r, runs) {
		doc->nruns = k + 1;
		if (run(r, k, &doc->runs[k], d) == -1)
			return -1;
		k++;
	}
	if (skew(item(fit, "skew"), &doc->skew, d) == -1 ||
	    swst(item(fit, "skew_with_service_time"), &doc->swst, d) == -1 ||
	    usl(item(fit, "usl"), &doc->usl, d) == -1)
		return -1;
	return provenance(item(fit, "provenance"), doc, d);
}

int
rdoc_load(const cJSON *fit, struct rdoc *doc, struct diag *d)
{
	memset(doc, 0, sizeof(*doc));
	if (load(fit, doc, d) == -1) {
		rdoc_free(doc);
		return -1;
	}
	return 0;
}

void
rdoc_free(struct rdoc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nruns; i++) {
		free(doc->runs[i].rank);
		free(doc->runs[i].inflight);
		free(doc->runs[i].notes);
	}
	free(doc->runs);
	for (size_t i = 0; i < doc->noptions; i++)
		free(doc->options[i]);
	free(doc->options);
	for (size_t i = 0; i < doc->ninputs; i++)
		free(doc->inputs[i].opts);
	free(doc->inputs);
	free(doc->usl.warnings);
	free(doc->usl.notes);
	free(doc->skew.notes);
	free(doc->swst.notes);
	memset(doc, 0, sizeof(*doc));
}

const struct rrun *
rdoc_run(const struct rdoc *doc, long run)
{
	for (size_t i = 0; i < doc->nruns; i++)
		if (doc->runs[i].run == run)
			return &doc->runs[i];
	return NULL;
}
