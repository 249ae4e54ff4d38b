#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitdoc.h"
#include "base/jsonin.h"
#include "base/jsonout.h"

/* ---- Writing ---- */

/*
 * Every cJSON_Add* can fail for want of memory.  Rather than test each of
 * the hundred calls, the helpers below remember the first failure in
 * b->oom and the document is thrown away at the end if it is set.
 */
struct build {
	int	oom;
	int	layout;		/* FITDOC_TREE, _COMPACT or _PRETTY */
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
	char buf[JSONOUT_DTOA_MAX];

	if (o == NULL)
		return;
	/* No NaN or infinity ever reaches the document: a value that is
	 * not finite here is a bug upstream, written as null rather than as
	 * text no JSON reader accepts. */
	if (!isfinite(v))
		chk(b, cJSON_AddNullToObject(o, key));
	else
		chk(b, cJSON_AddRawToObject(o, key, jsonout_dtoa(v, buf)));
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

static void
judged(struct build *b, cJSON *o, const char *key, enum analysis_bool v)
{
	if (v == ANALYSIS_NULL)
		str(b, o, key, NULL);
	else
		boolean(b, o, key, v == ANALYSIS_TRUE);
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

/* Append item to the array a, or count the failure. */
static cJSON *
push(struct build *b, cJSON *a, cJSON *item)
{
	if (a == NULL || chk(b, item) == NULL) {
		cJSON_Delete(item);
		return NULL;
	}
	if (!cJSON_AddItemToArray(a, item)) {
		cJSON_Delete(item);
		b->oom = 1;
		return NULL;
	}
	return item;
}

static void
push_num(struct build *b, cJSON *a, double v)
{
	char buf[JSONOUT_DTOA_MAX];

	push(b, a, isfinite(v) ? cJSON_CreateRaw(jsonout_dtoa(v, buf)) :
	    cJSON_CreateNull());
}

static void
strs(struct build *b, cJSON *o, const char *key, char *const *s, size_t n)
{
	cJSON *a = arr(b, o, key);

	for (size_t i = 0; i < n; i++)
		push(b, a, cJSON_CreateString(s[i]));
}

static void
texts(struct build *b, cJSON *o, const char *key,
    const struct analysis_texts *t)
{
	cJSON *a = arr(b, o, key);

	for (size_t i = 0; i < t->n; i++)
		push(b, a, cJSON_CreateString(t->s[i]));
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

/* A cross-run block: {"fitted": true, ...} returned to be filled, or
 * {"fitted": false, "reason"} written and NULL returned. */
static cJSON *
fit_block(struct build *b, cJSON *doc, const char *key, int fitted,
    const char *reason, size_t open_left)
{
	cJSON *o;

	if (!fitted) {
		o = obj(b, doc, key);
		boolean(b, o, "fitted", 0);
		str(b, o, "reason", reason);
		num(b, o, "open_runs_left_out", (double)open_left);
		return NULL;
	}
	o = obj(b, doc, key);
	boolean(b, o, "fitted", 1);
	return o;
}

/* {"slope", "stderr", "r2"}, or {"fitted": false, "reason"}. */
static void
slope_w(struct build *b, cJSON *o, const char *key, const struct slope *f)
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

/* A number of a point as push_num() makes it, at t: its end. */
static char *
point_num(char *t, double v)
{
	char buf[JSONOUT_DTOA_MAX];
	const char *s = isfinite(v) ? jsonout_dtoa(v, buf) : "null";
	size_t n = strlen(s);

	memcpy(t, s, n);
	return t + n;
}

/*
 * The points as one raw item, laid out as the printer the layout names
 * lays out the array of arrays points_w() makes otherwise:
 * [[x,y],[x,y]] compact, [[x, y], [x, y]] pretty (cJSON_Print() puts
 * ", " between the items of an array, and no line breaks).  One item where
 * there were three a point: no node, no copy of each number.
 */
static void
points_raw(struct build *b, cJSON *o, const char *key, const struct point *p,
    size_t n)
{
	const char *sep = b->layout == FITDOC_PRETTY ? ", " : ",";
	size_t ns = strlen(sep);
	char *text, *t;

	if ((text = malloc(n * (2 * JSONOUT_DTOA_MAX + 2 * ns + 2) + 3)) ==
	    NULL) {
		b->oom = 1;
		return;
	}
	t = text;
	*t++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(t, sep, ns);
			t += ns;
		}
		*t++ = '[';
		t = point_num(t, p[i].x);
		memcpy(t, sep, ns);
		t += ns;
		t = point_num(t, p[i].y);
		*t++ = ']';
	}
	*t++ = ']';
	*t = '\0';
	chk(b, cJSON_AddRawToObject(o, key, text));
	free(text);
}

static void
points_w(struct build *b, cJSON *o, const char *key, const struct point *p,
    size_t n)
{
	cJSON *a;

	if (o == NULL)
		return;
	if (b->layout != FITDOC_TREE) {
		points_raw(b, o, key, p, n);
		return;
	}
	a = arr(b, o, key);
	for (size_t i = 0; i < n; i++) {
		cJSON *pt = push(b, a, cJSON_CreateArray());

		push_num(b, pt, p[i].x);
		push_num(b, pt, p[i].y);
	}
}

/*
 * The keys of a run, in the order the document gives them: an open run's
 * as the contract lists them, with the burst fields (null there) after
 * its reason; a burst's (and a run of no shape's) in the order version 1
 * had, the keys version 2 added beside their kin.  man/skew-fit.1 lists
 * both.
 */
static const char *const burst_keys[] = {
	"run", "n", "shape", "first", "last", "spread", "stagger",
	"service_time", "service_time_source", "serialization", "parallelism",
	"throughput", "max_inflight", "littles_law", "arrival_stagger",
	"latency_slope", "latency", "latency_by_inflight", "waited",
	"skew_origin", "waves", "pool_size", "pool_size_method",
	"paired_by_order", "arrival_waves", "arrival_pool_size", "pids",
	"tids", "unmatched_starts", "unmatched_ends", "sampled", "verdict",
	"reason", "notes", "series", NULL
};
static const char *const open_keys[] = {
	"run", "n", "shape", "first", "last", "throughput", "max_inflight",
	"littles_law", "latency", "latency_by_inflight", "waited",
	"service_time", "service_time_source", "pool_size", "pool_size_method",
	"paired_by_order", "pids", "tids", "unmatched_starts",
	"unmatched_ends", "verdict", "reason", "spread", "stagger",
	"serialization", "parallelism", "arrival_stagger", "latency_slope",
	"skew_origin", "waves", "arrival_waves", "arrival_pool_size",
	"sampled", "notes", "series", NULL
};

static void
by_inflight_w(struct build *b, cJSON *o, const struct stats *s)
{
	cJSON *a, *e;

	if (!s->has_by_inflight) {
		str(b, o, "latency_by_inflight", NULL);
		return;
	}
	a = arr(b, o, "latency_by_inflight");
	for (size_t i = 0; i < s->nby_inflight; i++) {
		const struct stats_bucket *q = &s->by_inflight[i];

		e = push(b, a, cJSON_CreateObject());
		num(b, e, "inflight", (double)q->inflight);
		num(b, e, "n", (double)q->n);
		num(b, e, "p50", q->p50);
		num(b, e, "p90", q->p90);
	}
}

static void
series_w(struct build *b, cJSON *o, const struct stats *s)
{
	cJSON *x;

	if (!s->has_series)
		return;
	x = obj(b, o, "series");
	points_w(b, x, "rank", s->rank, s->nrank);
	if (s->inflight != NULL)
		points_w(b, x, "inflight", s->inflight, s->ninflight);
	else
		str(b, x, "inflight", NULL);
	boolean(b, x, "thinned", s->thinned);
}

/* One key of run s into o. */
static void
run_key_w(struct build *b, cJSON *o, const struct stats *s, const char *k)
{
	static const char *const src[] = { NULL, "given", "latency" };
	cJSON *x;

	if (strcmp(k, "run") == 0)
		num(b, o, k, s->run);
	else if (strcmp(k, "n") == 0)
		num(b, o, k, (double)s->n);
	else if (strcmp(k, "shape") == 0)
		str(b, o, k, stats_shape_name(s->shape));
	else if (strcmp(k, "first") == 0)
		time_or_null(b, o, k, s->has_first, &s->first);
	else if (strcmp(k, "last") == 0)
		time_or_null(b, o, k, s->has_first, &s->last);
	else if (strcmp(k, "spread") == 0)
		num_or_null(b, o, k, s->has_spread, s->spread);
	else if (strcmp(k, "stagger") == 0) {
		/* Not fitted for no reason: an open run has no stagger. */
		if (!s->stagger.ok && s->stagger.why[0] == '\0')
			str(b, o, k, NULL);
		else
			slope_w(b, o, k, &s->stagger);
	}
	else if (strcmp(k, "service_time") == 0)
		num_or_null(b, o, k, s->has_T, s->T);
	else if (strcmp(k, "service_time_source") == 0)
		str(b, o, k, src[s->T_src]);
	else if (strcmp(k, "serialization") == 0)
		num_or_null(b, o, k, s->has_serialization, s->serialization);
	else if (strcmp(k, "parallelism") == 0)
		num_or_null(b, o, k, s->has_parallelism, s->parallelism);
	else if (strcmp(k, "throughput") == 0)
		num_or_null(b, o, k, s->has_throughput, s->throughput);
	else if (strcmp(k, "max_inflight") == 0)
		num_or_null(b, o, k, s->has_inflight, (double)s->max_inflight);
	else if (strcmp(k, "littles_law") == 0) {
		if (s->ll_state == 1) {
			x = obj(b, o, k);
			num(b, x, "mean_inflight", s->ll_mean);
			num(b, x, "x_times_r", s->ll_xr);
			boolean(b, x, "ok", s->ll_ok);
		} else if (s->ll_state == -1)
			not_fitted(b, o, k, s->ll_why);
		else
			str(b, o, k, NULL);
	} else if (strcmp(k, "arrival_stagger") == 0)
		if (s->has_slopes)
			slope_w(b, o, k, &s->arrival);
		else
			str(b, o, k, NULL);
	else if (strcmp(k, "latency_slope") == 0)
		if (s->has_slopes)
			slope_w(b, o, k, &s->latslope);
		else
			str(b, o, k, NULL);
	else if (strcmp(k, "latency") == 0) {
		if (s->has_latency) {
			x = obj(b, o, k);
			num(b, x, "p50", s->p50);
			num(b, x, "p90", s->p90);
			num(b, x, "p99", s->p99);
			num(b, x, "max", s->lmax);
		} else
			str(b, o, k, NULL);
	} else if (strcmp(k, "latency_by_inflight") == 0)
		by_inflight_w(b, o, s);
	else if (strcmp(k, "waited") == 0) {
		if (s->waited_state == 1) {
			x = obj(b, o, k);
			num(b, x, "n", (double)s->waited_n);
			num(b, x, "fraction", s->waited_fraction);
			num_or_null(b, x, "wait_p50", s->has_wait_p50,
			    s->wait_p50);
		} else if (s->waited_state == -1)
			not_fitted(b, o, k, s->waited_why);
		else
			str(b, o, k, NULL);
	} else if (strcmp(k, "skew_origin") == 0)
		str(b, o, k, stats_origin_name(s->origin));
	else if (strcmp(k, "waves") == 0)
		num_or_null(b, o, k, s->has_waves, (double)s->waves);
	else if (strcmp(k, "pool_size") == 0)
		num_or_null(b, o, k, s->has_pool, (double)s->pool);
	else if (strcmp(k, "pool_size_method") == 0)
		str(b, o, k, stats_pool_method_name(s->pool_method));
	else if (strcmp(k, "paired_by_order") == 0) {
		if (s->has_paired)
			boolean(b, o, k, s->paired_by_order);
		else
			str(b, o, k, NULL);
	} else if (strcmp(k, "arrival_waves") == 0)
		num_or_null(b, o, k, s->has_awaves, (double)s->awaves);
	else if (strcmp(k, "arrival_pool_size") == 0)
		num_or_null(b, o, k, s->has_apool, (double)s->apool);
	else if (strcmp(k, "pids") == 0)
		num_or_null(b, o, k, s->has_pids, (double)s->pids);
	else if (strcmp(k, "tids") == 0)
		num_or_null(b, o, k, s->has_tids, (double)s->tids);
	else if (strcmp(k, "unmatched_starts") == 0)
		num(b, o, k, (double)s->unmatched_starts);
	else if (strcmp(k, "unmatched_ends") == 0)
		num(b, o, k, (double)s->unmatched_ends);
	else if (strcmp(k, "sampled") == 0)
		boolean(b, o, k, s->sampled);
	else if (strcmp(k, "verdict") == 0)
		str(b, o, k, stats_verdict_name(s->verdict));
	else if (strcmp(k, "reason") == 0)
		str(b, o, k, s->reason);
	else if (strcmp(k, "notes") == 0) {
		x = arr(b, o, k);
		for (size_t i = 0; i < s->nnotes; i++)
			push(b, x, cJSON_CreateString(s->notes[i]));
	} else if (strcmp(k, "series") == 0)
		series_w(b, o, s);
}

/*
 * What a run says beyond its statistics: its route after "run" when the
 * runs are split by route (--by route), and "errors" after
 * "unmatched_ends" when the input carries statuses (any run's
 * has_errors), so that documents of inputs without them keep their keys.
 */
struct run_extra {
	int		 by_route;
	const char	*route;
	int		 errors;
};

static void
run_w(struct build *b, cJSON *runs, const struct stats *s,
    const struct run_extra *x)
{
	const char *const *keys = s->shape == SHAPE_OPEN ? open_keys :
	    burst_keys;
	cJSON *o;

	if ((o = push(b, runs, cJSON_CreateObject())) == NULL)
		return;
	for (size_t i = 0; keys[i] != NULL; i++) {
		run_key_w(b, o, s, keys[i]);
		if (x->by_route && strcmp(keys[i], "run") == 0)
			str(b, o, "route", x->route);
		if (x->errors && strcmp(keys[i], "unmatched_ends") == 0)
			num_or_null(b, o, "errors", s->has_errors,
			    (double)s->errors);
	}
}

static void
skew_w(struct build *b, cJSON *doc, const struct analysis_skew *s)
{
	cJSON *o, *ci;

	if ((o = fit_block(b, doc, "skew", s->fitted, s->reason,
	    s->open_left)) == NULL)
		return;
	num(b, o, "runs", (double)s->runs);
	num(b, o, "open_runs_left_out", (double)s->open_left);
	num(b, o, "a", s->a);
	num_or_null(b, o, "a_stderr", s->has_a_se, s->a_se);
	num(b, o, "b", s->b);
	num_or_null(b, o, "b_stderr", s->has_b_se, s->b_se);
	if (s->has_ci) {
		ci = arr(b, o, "b_ci95");
		push_num(b, ci, s->ci_lo);
		push_num(b, ci, s->ci_hi);
	} else
		str(b, o, "b_ci95", NULL);
	num_or_null(b, o, "r2", s->has_r2, s->r2);
	num_or_null(b, o, "n_reaching_service_time", s->has_reach, s->n_reach);
	str(b, o, "n_reaching_service_time_reason", s->reach_why[0] ?
	    s->reach_why : NULL);
	judged(b, o, "reached_at_largest_n", s->reached);
	texts(b, o, "notes", &s->notes);
}

static void
skew_t_w(struct build *b, cJSON *doc, const struct analysis_skew_t *t)
{
	cJSON *o;

	if ((o = fit_block(b, doc, "skew_with_service_time", t->fitted,
	    t->reason, t->open_left)) == NULL)
		return;
	num(b, o, "runs", (double)t->runs);
	num(b, o, "open_runs_left_out", (double)t->open_left);
	num(b, o, "a", t->a);
	num_or_null(b, o, "a_stderr", t->has_a_se, t->a_se);
	num(b, o, "b", t->b);
	num_or_null(b, o, "b_stderr", t->has_b_se, t->b_se);
	num(b, o, "c", t->c);
	num_or_null(b, o, "c_stderr", t->has_c_se, t->c_se);
	num_or_null(b, o, "r2", t->has_r2, t->r2);
	judged(b, o, "depends_on_service_time", t->depends);
	texts(b, o, "notes", &t->notes);
}

/* A USL block: the cross-run one (count "runs", with the open runs left
 * out), or the traffic's (count "windows": no runs are left out of it). */
static void
usl_w(struct build *b, cJSON *doc, const struct analysis_usl *u,
    const char *count)
{
	int runs = strcmp(count, "runs") == 0;
	cJSON *o;

	if (!runs && !u->fitted) {
		not_fitted(b, doc, "usl", u->reason);
		return;
	}
	if ((o = fit_block(b, doc, "usl", u->fitted, u->reason,
	    u->open_left)) == NULL)
		return;
	num(b, o, count, (double)u->runs);
	if (runs)
		num(b, o, "open_runs_left_out", (double)u->open_left);
	num(b, o, "lambda", u->lambda);
	num_or_null(b, o, "lambda_stderr", u->has_lambda_se, u->lambda_se);
	num(b, o, "sigma", u->sigma);
	num_or_null(b, o, "sigma_stderr", u->has_sigma_se, u->sigma_se);
	num(b, o, "kappa", u->kappa);
	num_or_null(b, o, "kappa_stderr", u->has_kappa_se, u->kappa_se);
	num_or_null(b, o, "r2", u->has_r2, u->r2);
	num_or_null(b, o, "peak_n", u->has_peak, u->peak_n);
	num(b, o, "max_measured_n", u->max_measured_n);
	judged(b, o, "peak_beyond_measured", u->peak_beyond);
	texts(b, o, "warnings", &u->warnings);
	texts(b, o, "notes", &u->notes);
}

/* The traffic block: the windows, the USL on them, the series [N, X]
 * (left out with --no-series, as the runs' are). */
static void
traffic_w(struct build *b, cJSON *doc, const struct analysis_traffic *t)
{
	cJSON *o;

	if (!t->fitted) {
		not_fitted(b, doc, "traffic", t->reason);
		return;
	}
	o = obj(b, doc, "traffic");
	boolean(b, o, "fitted", 1);
	num(b, o, "window", t->window);
	str(b, o, "window_source", t->window_given ? "given" : "default");
	num(b, o, "requests", (double)t->requests);
	num(b, o, "windows", (double)t->windows);
	num(b, o, "windows_with_completions", (double)t->with_completions);
	num(b, o, "idle_windows", (double)t->idle);
	usl_w(b, o, &t->usl, "windows");
	if (t->has_series) {
		points_w(b, o, "series", t->series, t->nseries);
		boolean(b, o, "thinned", t->thinned);
	}
}

/* One input of the provenance: its trailer's fields, in its order. */
static void
input_w(struct build *b, cJSON *inputs, const struct analysis_input *in)
{
	cJSON *o = push(b, inputs, cJSON_CreateObject()), *sr = NULL;

	str(b, o, "src", in->src);
	num(b, o, "bytes", (double)in->bytes);
	num(b, o, "lines", (double)in->lines);
	num(b, o, "events", (double)in->events);
	num(b, o, "skipped", (double)in->skipped);
	/* Why, as the trailer counted it; only when something was. */
	for (int c = 0, any = 0; c < SKIP_NCODES; c++) {
		cJSON *r;

		if (in->reasons[c].count == 0)
			continue;
		if (!any++)
			sr = obj(b, o, "skip_reasons");
		r = obj(b, sr, skip_name(c));
		num(b, r, "count", (double)in->reasons[c].count);
		num(b, r, "first_line", (double)in->reasons[c].first_line);
	}
	str(b, o, "sha256", in->sha256);
	/* skew-parse's options that read this input, when its trailer
	 * carried them: every option of every stage. */
	if (in->has_opts)
		strs(b, o, "options", in->opts, in->nopts);
	/* Its trailer never came: made up from its events.  A complete
	 * input says nothing. */
	if (!in->complete)
		boolean(b, o, "complete", 0);
}

static void
prov_w(struct build *b, cJSON *doc, const struct analysis_prov *p)
{
	cJSON *o = obj(b, doc, "provenance"), *a;

	str(b, o, "version", p->version);
	strs(b, o, "options", p->options, p->noptions);
	a = arr(b, o, "inputs");
	for (size_t i = 0; i < p->ninputs; i++)
		input_w(b, a, &p->inputs[i]);
}

int
fitdoc_write(const struct analysis *a, cJSON **out, struct diag *d)
{
	return fitdoc_write_as(a, FITDOC_TREE, out, d);
}

int
fitdoc_write_as(const struct analysis *a, int layout, cJSON **out,
    struct diag *d)
{
	struct build b = { 0, layout };
	struct run_extra x = { 0, NULL, 0 };
	cJSON *doc, *runs;

	*out = NULL;
	if ((doc = cJSON_CreateObject()) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	num(&b, doc, "skew_fit", FIT_DOC_VERSION);
	runs = arr(&b, doc, "runs");
	for (size_t k = 0; k < a->nruns; k++)
		x.errors |= a->runs[k].has_errors;
	for (size_t k = 0; k < a->nruns; k++) {
		x.by_route = a->by_route;
		x.route = a->by_route ? a->routes[k] : NULL;
		run_w(&b, runs, &a->runs[k], &x);
	}
	skew_w(&b, doc, &a->skew);
	skew_t_w(&b, doc, &a->skew_t);
	usl_w(&b, doc, &a->usl, "runs");
	traffic_w(&b, doc, &a->traffic);
	if (a->has_prov)
		prov_w(&b, doc, &a->prov);
	if (b.oom) {
		cJSON_Delete(doc);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	*out = doc;
	return 0;
}

/* ---- Reading ---- */

/* How a key may be: null (read as "not known"), and/or absent (read as
 * null). */
#define F_NULL	1
#define F_OPT	2

/* The largest whole number a double holds exactly. */
#define EXACT_MAX	9007199254740992.0

static int
bad(struct diag *d, const char *path, const char *key, const char *want,
    const cJSON *got)
{
	return diag_set(d, DIAG_JSON, "%s%s%s: expected %s, got %s", path,
	    *path != '\0' && key != NULL ? "." : "", key ? key : "", want,
	    jsonin_type(got));
}

static const cJSON *
item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* 1 when the key's value is null (or absent and F_OPT), 0 when it is
 * there to read, -1 (with *d) when it may not be null or absent. */
static int
is_null(const cJSON *o, const char *path, const char *key, int flags,
    const char *want, struct diag *d)
{
	const cJSON *j = item(o, key);

	if (j == NULL && (flags & F_OPT))
		return 1;
	if (cJSON_IsNull(j) && (flags & F_NULL))
		return 1;
	if (j == NULL || cJSON_IsNull(j))
		return bad(d, path, key, want, j);
	return 0;
}

static int
rnum(const cJSON *o, const char *path, const char *key, int flags,
    int *has, double *v, struct diag *d)
{
	const cJSON *j = item(o, key);
	int h = 0, n;

	*v = 0;
	if ((n = is_null(o, path, key, flags, flags & F_NULL ?
	    "a number or null" : "a number", d)) == -1)
		return -1;
	if (n == 0) {
		if (!cJSON_IsNumber(j))
			return bad(d, path, key, flags & F_NULL ?
			    "a number or null" : "a number", j);
		/* cJSON reads 1e999 as infinity; no number of the document
		 * is. */
		if (!isfinite(j->valuedouble))
			return bad(d, path, key, "a finite number", j);
		*v = j->valuedouble;
		h = 1;
	}
	if (has != NULL)
		*has = h;
	else if (!h)
		return bad(d, path, key, "a number", j);
	return 0;
}

static int
rcount(const cJSON *o, const char *path, const char *key, int flags,
    int *has, uint64_t *v, struct diag *d)
{
	double x;
	int h = 1;

	*v = 0;
	if (rnum(o, path, key, flags, has != NULL ? &h : NULL, &x, d) == -1)
		return -1;
	if (has != NULL)
		*has = h;
	if (!h)
		return 0;
	if (x < 0 || x > EXACT_MAX || x != floor(x))
		return bad(d, path, key, "a count (a whole number, 0 or more)",
		    item(o, key));
	*v = (uint64_t)x;
	return 0;
}

static int
rsize(const cJSON *o, const char *path, const char *key, int flags,
    int *has, size_t *v, struct diag *d)
{
	uint64_t u;

	if (rcount(o, path, key, flags, has, &u, d) == -1)
		return -1;
	if (u > SIZE_MAX)
		return bad(d, path, key, "a smaller count", item(o, key));
	*v = (size_t)u;
	return 0;
}

/* A string into buf[sz]; a longer one is refused, never cut.  *has is 0
 * for null (allowed by flags); has may be NULL when it cannot be. */
static int
rtext(const cJSON *o, const char *path, const char *key, int flags,
    int *has, char *buf, size_t sz, struct diag *d)
{
	const cJSON *j = item(o, key);
	char want[64];
	int n;

	buf[0] = '\0';
	if (has != NULL)
		*has = 0;
	snprintf(want, sizeof(want), "a string of at most %zu bytes%s",
	    sz - 1, flags & F_NULL ? " or null" : "");
	if ((n = is_null(o, path, key, flags, want, d)) == -1)
		return -1;
	if (n == 1)
		return 0;
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    strlen(j->valuestring) >= sz)
		return bad(d, path, key, want, j);
	memcpy(buf, j->valuestring, strlen(j->valuestring) + 1);
	if (has != NULL)
		*has = 1;
	return 0;
}

/* A string copied to the heap (NULL for null), or -1. */
static int
rstrdup(const cJSON *o, const char *path, const char *key, int flags,
    char **out, struct diag *d)
{
	const cJSON *j = item(o, key);
	int n;

	*out = NULL;
	if ((n = is_null(o, path, key, flags, flags & F_NULL ?
	    "a string or null" : "a string", d)) == -1)
		return -1;
	if (n == 1)
		return 0;
	if (!cJSON_IsString(j) || j->valuestring == NULL)
		return bad(d, path, key, flags & F_NULL ? "a string or null" :
		    "a string", j);
	if ((*out = strdup(j->valuestring)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

static int
rbool(const cJSON *o, const char *path, const char *key, int *v,
    struct diag *d)
{
	const cJSON *j = item(o, key);

	if (!cJSON_IsBool(j))
		return bad(d, path, key, "a boolean", j);
	*v = cJSON_IsTrue(j);
	return 0;
}

/* A judgement: true, false or null; absent: *set is 0 (judge it). */
static int
rjudged(const cJSON *o, const char *path, const char *key, int *set,
    enum analysis_bool *v, struct diag *d)
{
	const cJSON *j = item(o, key);

	*set = j != NULL;
	*v = ANALYSIS_NULL;
	if (j == NULL || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsBool(j))
		return bad(d, path, key, "a boolean or null", j);
	*v = cJSON_IsTrue(j) ? ANALYSIS_TRUE : ANALYSIS_FALSE;
	return 0;
}

/* An optional array of at most max strings, each shorter than sz, into
 * out[max][sz]. */
static int
rtexts(const cJSON *o, const char *path, const char *key, char *out,
    size_t max, size_t sz, size_t *n, struct diag *d)
{
	const cJSON *a = item(o, key), *e;

	*n = 0;
	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) > max) {
		char want[64];

		snprintf(want, sizeof(want), "an array of at most %zu strings",
		    max);
		return bad(d, path, key, want, a);
	}
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e) || e->valuestring == NULL ||
		    strlen(e->valuestring) >= sz)
			return diag_set(d, DIAG_JSON, "%s%s%s[%zu]: expected a "
			    "string of at most %zu bytes, got %s", path,
			    *path ? "." : "", key, *n, sz - 1, jsonin_type(e));
		memcpy(out + *n * sz, e->valuestring,
		    strlen(e->valuestring) + 1);
		(*n)++;
	}
	return 0;
}

/* An object that may be {"fitted": false, "reason": ...}: *fitted is 0
 * then, with the reason in why[sz]. */
static int
rblock(const cJSON *j, const char *path, int *fitted, char *why, size_t sz,
    struct diag *d)
{
	const cJSON *f = item(j, "fitted");

	*fitted = 1;
	why[0] = '\0';
	if (f != NULL && !cJSON_IsBool(f))
		return bad(d, path, "fitted", "a boolean", f);
	if (cJSON_IsFalse(f)) {
		*fitted = 0;
		return rtext(j, path, "reason", 0, NULL, why, sz, d);
	}
	return 0;
}

static int
rslope(const cJSON *o, const char *path, const char *key, struct slope *s,
    struct diag *d)
{
	const cJSON *j = item(o, key);
	char sub[96];

	memset(s, 0, sizeof(*s));
	/* Null: not fitted, for no reason worth a word (an open run has no
	 * stagger). */
	if (cJSON_IsNull(j))
		return 0;
	/* The contract names a slope without saying its shape: a plain
	 * number is read as a slope with no standard error. */
	if (cJSON_IsNumber(j) && isfinite(j->valuedouble)) {
		s->ok = 1;
		s->b = j->valuedouble;
		return 0;
	}
	if (!cJSON_IsObject(j))
		return bad(d, path, key, "an object or a number", j);
	snprintf(sub, sizeof(sub), "%s.%s", path, key);
	if (rblock(j, sub, &s->ok, s->why, sizeof(s->why), d) == -1)
		return -1;
	if (!s->ok)
		return 0;
	return rnum(j, sub, "slope", 0, NULL, &s->b, d) == -1 ||
	    rnum(j, sub, "stderr", F_NULL | F_OPT, &s->has_se, &s->b_se,
	    d) == -1 ||
	    rnum(j, sub, "r2", F_NULL | F_OPT, &s->has_r2, &s->r2, d) == -1 ?
	    -1 : 0;
}

static int
rpoints(const cJSON *a, const char *path, struct point **out, size_t *n,
    struct diag *d)
{
	const cJSON *p;
	size_t k = 0, cnt = (size_t)cJSON_GetArraySize(a);

	/* Not NULL even when empty: an empty in-flight series still says
	 * that starts were known. */
	if ((*out = calloc(cnt + 1, sizeof(**out))) == NULL)
		return diag_set(d, DIAG_NOMEM, "%s: out of memory", path);
	*n = 0;
	cJSON_ArrayForEach(p, a) {
		const cJSON *x = cJSON_GetArrayItem(p, 0);
		const cJSON *y = cJSON_GetArrayItem(p, 1);

		if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2 ||
		    !cJSON_IsNumber(x) || !cJSON_IsNumber(y) ||
		    !isfinite(x->valuedouble) || !isfinite(y->valuedouble))
			return diag_set(d, DIAG_JSON, "%s[%zu]: expected "
			    "[number, number], got %s", path, k, jsonin_type(p));
		(*out)[k].x = x->valuedouble;
		(*out)[k].y = y->valuedouble;
		*n = ++k;
	}
	return 0;
}

static int
rseries(const cJSON *s, const char *path, struct stats *r,
    struct diag *d)
{
	char sub[96], sub2[112];
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
	snprintf(sub2, sizeof(sub2), "%s.rank", sub);
	if (rpoints(j, sub2, &r->rank, &r->nrank, d) == -1)
		return -1;
	j = item(s, "inflight");
	if (j != NULL && !cJSON_IsNull(j)) {
		if (!cJSON_IsArray(j))
			return bad(d, sub, "inflight", "an array or null", j);
		snprintf(sub2, sizeof(sub2), "%s.inflight", sub);
		if (rpoints(j, sub2, &r->inflight, &r->ninflight, d) == -1)
			return -1;
	}
	j = item(s, "thinned");
	if (j != NULL && !cJSON_IsBool(j))
		return bad(d, sub, "thinned", "a boolean", j);
	r->thinned = cJSON_IsTrue(j);
	return 0;
}

static int
rtime(const cJSON *o, const char *path, const char *key, int *has,
    struct ts *t, struct diag *d)
{
	struct ts_opt opt = { .form = TS_ISO };
	char buf[TS_ISO_MAX];
	struct diag td;

	if (rtext(o, path, key, F_NULL, has, buf, sizeof(buf), d) == -1)
		return -1;
	diag_clear(&td);
	if (*has && ts_parse(buf, strlen(buf), &opt, t, &td) == -1)
		return diag_set(d, DIAG_JSON, "%s.%s: expected an ISO time, "
		    "got \"%s\": %s", path, key, buf,
		    td.msg[0] ? td.msg : diag_name(td.code));
	return 0;
}

/* A word of a fixed set (parse gives its value, or -1), or null. */
static int
rword(const cJSON *o, const char *path, const char *key, int flags,
    int (*parse)(const char *), const char *want, int *v, struct diag *d)
{
	const cJSON *j = item(o, key);
	int n;

	*v = 0;
	if ((n = is_null(o, path, key, flags, want, d)) != 0)
		return n == 1 ? 0 : -1;
	if (!cJSON_IsString(j) || j->valuestring == NULL ||
	    (*v = parse(j->valuestring)) < 0)
		return bad(d, path, key, want, j);
	return 0;
}

static int
tsrc_parse(const char *w)
{
	return strcmp(w, "given") == 0 ? TSRC_GIVEN :
	    strcmp(w, "latency") == 0 ? TSRC_LATENCY : -1;
}

/* latency_by_inflight: null (or absent), or an array of {"inflight",
 * "n", "p50", "p90"}. */
static int
rby_inflight(const cJSON *o, const char *p, struct stats *r,
    struct diag *d)
{
	const cJSON *a = item(o, "latency_by_inflight"), *e;
	char sub[96];
	size_t k = 0;

	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return bad(d, p, "latency_by_inflight", "an array or null", a);
	r->has_by_inflight = 1;
	if ((r->by_inflight = calloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof(*r->by_inflight))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, a) {
		struct stats_bucket *q = &r->by_inflight[k];

		snprintf(sub, sizeof(sub), "%s.latency_by_inflight[%zu]", p, k);
		if (!cJSON_IsObject(e))
			return bad(d, sub, NULL, "an object", e);
		if (rsize(e, sub, "inflight", 0, NULL, &q->inflight, d) == -1 ||
		    rsize(e, sub, "n", 0, NULL, &q->n, d) == -1 ||
		    rnum(e, sub, "p50", 0, NULL, &q->p50, d) == -1 ||
		    rnum(e, sub, "p90", 0, NULL, &q->p90, d) == -1)
			return -1;
		r->nby_inflight = ++k;
	}
	return 0;
}

/* waited: null (or absent), {"fitted": false, "reason"}, or {"n",
 * "fraction", "wait_p50"}. */
static int
rwaited(const cJSON *o, const char *p, struct stats *r, struct diag *d)
{
	const cJSON *j = item(o, "waited");
	char sub[96];
	int f;

	if (j == NULL || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsObject(j))
		return bad(d, p, "waited", "an object or null", j);
	snprintf(sub, sizeof(sub), "%s.waited", p);
	if (rblock(j, sub, &f, r->waited_why, sizeof(r->waited_why), d) == -1)
		return -1;
	r->waited_state = f ? 1 : -1;
	if (!f)
		return 0;
	return rsize(j, sub, "n", 0, NULL, &r->waited_n, d) == -1 ||
	    rnum(j, sub, "fraction", 0, NULL, &r->waited_fraction, d) == -1 ||
	    rnum(j, sub, "wait_p50", F_NULL, &r->has_wait_p50, &r->wait_p50,
	    d) == -1 ? -1 : 0;
}

static int
run_r(const cJSON *o, size_t idx, struct stats *r, struct diag *d)
{
	char p[64], sub[96];
	const cJSON *j;
	double x;
	int v, has_last, set;

	snprintf(p, sizeof(p), "runs[%zu]", idx);
	if (!cJSON_IsObject(o))
		return bad(d, p, NULL, "an object", o);
	if (rnum(o, p, "run", 0, NULL, &x, d) == -1)
		return -1;
	if (x != floor(x) || x < 0 || x > UINT32_MAX)
		return bad(d, p, "run", "a run number (a whole number)",
		    item(o, "run"));
	r->run = (uint32_t)x;
	/* The keys of version 2 may be absent: a version 1 document reads
	 * with them null. */
	if (rword(o, p, "shape", F_NULL | F_OPT, stats_shape_parse,
	    "\"burst\", \"open\" or null", &v, d) == -1)
		return -1;
	r->shape = (enum shape)v;
	if (rword(o, p, "pool_size_method", F_NULL | F_OPT,
	    stats_pool_method_parse, "\"waves\", \"overlap\" or null", &v,
	    d) == -1)
		return -1;
	r->pool_method = (enum pool_method)v;
	if (rnum(o, p, "throughput", F_NULL | F_OPT, &r->has_throughput,
	    &r->throughput, d) == -1 ||
	    rby_inflight(o, p, r, d) == -1 ||
	    rwaited(o, p, r, d) == -1)
		return -1;
	j = item(o, "paired_by_order");
	if (j != NULL && !cJSON_IsNull(j)) {
		r->has_paired = 1;
		if (rbool(o, p, "paired_by_order", &r->paired_by_order,
		    d) == -1)
			return -1;
	}
	if (rsize(o, p, "n", 0, NULL, &r->n, d) == -1 ||
	    rtime(o, p, "first", &r->has_first, &r->first, d) == -1 ||
	    rtime(o, p, "last", &has_last, &r->last, d) == -1)
		return -1;
	if (has_last != r->has_first)
		return bad(d, p, "last", r->has_first ? "an ISO time (first is "
		    "one)" : "null (first is null)", item(o, "last"));
	if (rnum(o, p, "spread", F_NULL, &r->has_spread, &r->spread,
	    d) == -1 ||
	    rslope(o, p, "stagger", &r->stagger, d) == -1 ||
	    rnum(o, p, "service_time", F_NULL, &r->has_T, &r->T, d) == -1 ||
	    rword(o, p, "service_time_source", F_NULL | F_OPT, tsrc_parse,
	    "\"given\", \"latency\" or null", &v, d) == -1)
		return -1;
	r->T_src = (enum tsrc)v;
	if (rnum(o, p, "serialization", F_NULL, &r->has_serialization,
	    &r->serialization, d) == -1 ||
	    rnum(o, p, "parallelism", F_NULL, &r->has_parallelism,
	    &r->parallelism, d) == -1 ||
	    rsize(o, p, "max_inflight", F_NULL | F_OPT, &r->has_inflight,
	    &r->max_inflight, d) == -1)
		return -1;

	j = item(o, "littles_law");
	if (cJSON_IsObject(j)) {
		int f;

		snprintf(sub, sizeof(sub), "%s.littles_law", p);
		if (rblock(j, sub, &f, r->ll_why, sizeof(r->ll_why), d) == -1)
			return -1;
		r->ll_state = f ? 1 : -1;
		if (f && (rnum(j, sub, "mean_inflight", 0, NULL, &r->ll_mean,
		    d) == -1 || rnum(j, sub, "x_times_r", 0, NULL, &r->ll_xr,
		    d) == -1 || rbool(j, sub, "ok", &r->ll_ok, d) == -1))
			return -1;
	} else if (!cJSON_IsNull(j))
		return bad(d, p, "littles_law", "an object or null", j);

	if (cJSON_IsNull(item(o, "arrival_stagger")) !=
	    cJSON_IsNull(item(o, "latency_slope")))
		return bad(d, p, cJSON_IsNull(item(o, "arrival_stagger")) ?
		    "latency_slope" : "arrival_stagger", "null (the other "
		    "slope is)", item(o, cJSON_IsNull(item(o,
		    "arrival_stagger")) ? "latency_slope" : "arrival_stagger"));
	r->has_slopes = !cJSON_IsNull(item(o, "arrival_stagger"));
	if (r->has_slopes && (rslope(o, p, "arrival_stagger", &r->arrival,
	    d) == -1 || rslope(o, p, "latency_slope", &r->latslope, d) == -1))
		return -1;

	j = item(o, "latency");
	if (cJSON_IsObject(j)) {
		snprintf(sub, sizeof(sub), "%s.latency", p);
		r->has_latency = 1;
		if (rnum(j, sub, "p50", 0, NULL, &r->p50, d) == -1 ||
		    rnum(j, sub, "p90", 0, NULL, &r->p90, d) == -1 ||
		    rnum(j, sub, "p99", 0, NULL, &r->p99, d) == -1 ||
		    rnum(j, sub, "max", 0, NULL, &r->lmax, d) == -1)
			return -1;
	} else if (!cJSON_IsNull(j))
		return bad(d, p, "latency", "an object or null", j);
	set = item(o, "skew_origin") != NULL;
	if (rword(o, p, "skew_origin", F_NULL | F_OPT, stats_origin_parse,
	    "\"negligible\", \"admission\", \"service\", \"both\" or null",
	    &v, d) == -1)
		return -1;
	r->origin = set ? (enum stats_origin)v : stats_judge_origin(r);

	/* The counts below may be absent, read as null, as the report's
	 * reader has always taken them. */
	if (rsize(o, p, "waves", F_NULL | F_OPT, &r->has_waves, &r->waves,
	    d) == -1 ||
	    rsize(o, p, "pool_size", F_NULL | F_OPT, &r->has_pool, &r->pool,
	    d) == -1 ||
	    rsize(o, p, "arrival_waves", F_NULL | F_OPT, &r->has_awaves,
	    &r->awaves, d) == -1 ||
	    rsize(o, p, "arrival_pool_size", F_NULL | F_OPT, &r->has_apool,
	    &r->apool, d) == -1 ||
	    rsize(o, p, "pids", F_NULL | F_OPT, &r->has_pids, &r->pids,
	    d) == -1 ||
	    rsize(o, p, "tids", F_NULL | F_OPT, &r->has_tids, &r->tids,
	    d) == -1 ||
	    rcount(o, p, "unmatched_starts", 0, NULL, &r->unmatched_starts,
	    d) == -1 ||
	    rcount(o, p, "unmatched_ends", 0, NULL, &r->unmatched_ends,
	    d) == -1 ||
	    rbool(o, p, "sampled", &r->sampled, d) == -1 ||
	    rword(o, p, "verdict", 0, stats_verdict_parse, "\"unknown\", "
	    "\"parallel\", \"partial\" or \"serialized\"", &v, d) == -1)
		return -1;
	r->verdict = (enum verdict)v;
	if (rtext(o, p, "reason", 0, NULL, r->reason, sizeof(r->reason),
	    d) == -1 ||
	    rtexts(o, p, "notes", &r->notes[0][0], STATS_NOTES,
	    sizeof(r->notes[0]), &r->nnotes, d) == -1)
		return -1;
	return rseries(item(o, "series"), p, r, d);
}

/* open_runs_left_out, fitted or not; absent (version 1): none. */
static int
ropen_left(const cJSON *j, const char *p, size_t *n, struct diag *d)
{
	int has;

	return rsize(j, p, "open_runs_left_out", F_OPT, &has, n, d);
}

static int
skew_r(const cJSON *j, struct analysis *a, struct diag *d)
{
	struct analysis_skew *s = &a->skew;
	const char *p = "skew";
	const cJSON *ci;
	int set;

	if (!cJSON_IsObject(j))
		return bad(d, p, NULL, "an object", j);
	if (rblock(j, p, &s->fitted, s->reason, sizeof(s->reason), d) == -1 ||
	    ropen_left(j, p, &s->open_left, d) == -1)
		return -1;
	s->reached = ANALYSIS_NULL;
	if (!s->fitted)
		return 0;
	if (rsize(j, p, "runs", 0, NULL, &s->runs, d) == -1 ||
	    rnum(j, p, "a", 0, NULL, &s->a, d) == -1 ||
	    rtext(j, p, "n_reaching_service_time_reason", F_NULL | F_OPT, NULL,
	    s->reach_why, sizeof(s->reach_why), d) == -1 ||
	    rnum(j, p, "a_stderr", F_NULL, &s->has_a_se, &s->a_se, d) == -1 ||
	    rnum(j, p, "b", 0, NULL, &s->b, d) == -1 ||
	    rnum(j, p, "b_stderr", F_NULL, &s->has_b_se, &s->b_se, d) == -1 ||
	    rnum(j, p, "r2", F_NULL, &s->has_r2, &s->r2, d) == -1 ||
	    rnum(j, p, "n_reaching_service_time", F_NULL, &s->has_reach,
	    &s->n_reach, d) == -1 ||
	    rjudged(j, p, "reached_at_largest_n", &set, &s->reached,
	    d) == -1 ||
	    rtexts(j, p, "notes", &s->notes.s[0][0], ANALYSIS_NOTES,
	    ANALYSIS_TEXT, &s->notes.n, d) == -1)
		return -1;
	ci = item(j, "b_ci95");
	if (!cJSON_IsNull(ci)) {
		const cJSON *lo = cJSON_GetArrayItem(ci, 0);
		const cJSON *hi = cJSON_GetArrayItem(ci, 1);

		if (!cJSON_IsArray(ci) || cJSON_GetArraySize(ci) != 2 ||
		    !cJSON_IsNumber(lo) || !cJSON_IsNumber(hi) ||
		    !isfinite(lo->valuedouble) || !isfinite(hi->valuedouble))
			return bad(d, p, "b_ci95", "[number, number] or null",
			    ci);
		s->has_ci = 1;
		s->ci_lo = lo->valuedouble;
		s->ci_hi = hi->valuedouble;
	}
	if (!set)
		s->reached = analysis_reached(a);
	return 0;
}

static int
skew_t_r(const cJSON *j, struct analysis_skew_t *t, struct diag *d)
{
	const char *p = "skew_with_service_time";
	int set, has_runs;

	if (!cJSON_IsObject(j))
		return bad(d, p, NULL, "an object", j);
	if (rblock(j, p, &t->fitted, t->reason, sizeof(t->reason), d) == -1 ||
	    ropen_left(j, p, &t->open_left, d) == -1)
		return -1;
	t->depends = ANALYSIS_NULL;
	if (!t->fitted)
		return 0;
	/* runs, a_stderr and b_stderr are skew-fit's additions to the
	 * contract's keys: a document may lack them. */
	if (rsize(j, p, "runs", F_OPT, &has_runs, &t->runs, d) == -1 ||
	    rnum(j, p, "a", 0, NULL, &t->a, d) == -1 ||
	    rnum(j, p, "a_stderr", F_NULL | F_OPT, &t->has_a_se, &t->a_se,
	    d) == -1 ||
	    rnum(j, p, "b", 0, NULL, &t->b, d) == -1 ||
	    rnum(j, p, "b_stderr", F_NULL | F_OPT, &t->has_b_se, &t->b_se,
	    d) == -1 ||
	    rnum(j, p, "c", 0, NULL, &t->c, d) == -1 ||
	    rnum(j, p, "c_stderr", F_NULL, &t->has_c_se, &t->c_se, d) == -1 ||
	    rnum(j, p, "r2", F_NULL, &t->has_r2, &t->r2, d) == -1 ||
	    rjudged(j, p, "depends_on_service_time", &set, &t->depends,
	    d) == -1 ||
	    rtexts(j, p, "notes", &t->notes.s[0][0], ANALYSIS_NOTES,
	    ANALYSIS_TEXT, &t->notes.n, d) == -1)
		return -1;
	if (!set)
		t->depends = analysis_depends(t);
	return 0;
}

/* A USL block at path p, its count key count (usl_w()). */
static int
usl_r(const cJSON *j, const char *p, const char *count,
    struct analysis_usl *u, struct diag *d)
{
	int set, has_runs;	/* runs: skew-fit's addition, may lack */

	if (!cJSON_IsObject(j))
		return bad(d, p, NULL, "an object", j);
	if (rblock(j, p, &u->fitted, u->reason, sizeof(u->reason), d) == -1 ||
	    ropen_left(j, p, &u->open_left, d) == -1)
		return -1;
	u->peak_beyond = ANALYSIS_NULL;
	if (!u->fitted)
		return 0;
	if (rsize(j, p, count, F_OPT, &has_runs, &u->runs, d) == -1 ||
	    rnum(j, p, "lambda", 0, NULL, &u->lambda, d) == -1 ||
	    rnum(j, p, "lambda_stderr", F_NULL, &u->has_lambda_se,
	    &u->lambda_se, d) == -1 ||
	    rnum(j, p, "sigma", 0, NULL, &u->sigma, d) == -1 ||
	    rnum(j, p, "sigma_stderr", F_NULL, &u->has_sigma_se,
	    &u->sigma_se, d) == -1 ||
	    rnum(j, p, "kappa", 0, NULL, &u->kappa, d) == -1 ||
	    rnum(j, p, "kappa_stderr", F_NULL, &u->has_kappa_se,
	    &u->kappa_se, d) == -1 ||
	    rnum(j, p, "r2", F_NULL, &u->has_r2, &u->r2, d) == -1 ||
	    rnum(j, p, "peak_n", F_NULL, &u->has_peak, &u->peak_n, d) == -1 ||
	    rnum(j, p, "max_measured_n", 0, NULL, &u->max_measured_n,
	    d) == -1 ||
	    rjudged(j, p, "peak_beyond_measured", &set, &u->peak_beyond,
	    d) == -1 ||
	    rtexts(j, p, "warnings", &u->warnings.s[0][0], ANALYSIS_NOTES,
	    ANALYSIS_TEXT, &u->warnings.n, d) == -1 ||
	    rtexts(j, p, "notes", &u->notes.s[0][0], ANALYSIS_NOTES,
	    ANALYSIS_TEXT, &u->notes.n, d) == -1)
		return -1;
	if (!set)
		u->peak_beyond = analysis_peak_beyond(u);
	return 0;
}

static int
window_source_parse(const char *w)
{
	return strcmp(w, "given") == 0 ? 1 : strcmp(w, "default") == 0 ? 0 :
	    -1;
}

/* The traffic block (traffic_w()); absent in a document from before it:
 * not fitted, and said so. */
static int
traffic_r(const cJSON *j, struct analysis_traffic *t, struct diag *d)
{
	const char *p = "traffic";
	const cJSON *s;

	if (j == NULL) {
		snprintf(t->reason, sizeof(t->reason), "not in the document "
		    "(written before skew-fit measured the traffic)");
		return 0;
	}
	if (!cJSON_IsObject(j))
		return bad(d, p, NULL, "an object", j);
	if (rblock(j, p, &t->fitted, t->reason, sizeof(t->reason), d) == -1)
		return -1;
	if (!t->fitted)
		return 0;
	if (rnum(j, p, "window", 0, NULL, &t->window, d) == -1 ||
	    rword(j, p, "window_source", 0, window_source_parse,
	    "\"given\" or \"default\"", &t->window_given, d) == -1 ||
	    rsize(j, p, "requests", 0, NULL, &t->requests, d) == -1 ||
	    rsize(j, p, "windows", 0, NULL, &t->windows, d) == -1 ||
	    rsize(j, p, "windows_with_completions", 0, NULL,
	    &t->with_completions, d) == -1 ||
	    rsize(j, p, "idle_windows", 0, NULL, &t->idle, d) == -1 ||
	    usl_r(item(j, "usl"), "traffic.usl", "windows", &t->usl,
	    d) == -1)
		return -1;
	if (!(t->window > 0))
		return bad(d, p, "window", "a number above 0", item(j,
		    "window"));
	s = item(j, "series");
	if (s == NULL)
		return 0;	/* --no-series */
	if (!cJSON_IsArray(s))
		return bad(d, p, "series", "an array", s);
	t->has_series = 1;
	if (rpoints(s, "traffic.series", &t->series, &t->nseries, d) == -1)
		return -1;
	s = item(j, "thinned");
	if (s != NULL && !cJSON_IsBool(s))
		return bad(d, p, "thinned", "a boolean", s);
	t->thinned = cJSON_IsTrue(s);
	return 0;
}

/* An array of strings into a new array of copies; a value that is not a
 * string (a hand-edited document) is kept as its JSON text. */
static int
rstrs(const cJSON *a, const char *path, const char *key, char ***out,
    size_t *n, struct diag *d)
{
	const cJSON *e;

	if (!cJSON_IsArray(a))
		return bad(d, path, key, "an array", a);
	if ((*out = calloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof(**out))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, a) {
		char *t = NULL, *s;

		if (cJSON_IsString(e) && e->valuestring != NULL)
			s = strdup(e->valuestring);
		else {
			t = cJSON_PrintUnformatted(e);
			s = t != NULL ? strdup(t) : NULL;
			cJSON_free(t);
		}
		if (s == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		(*out)[(*n)++] = s;
	}
	return 0;
}

/* An input's "skip_reasons" (input_w()): skew-parse's codes, each with
 * its count and first line; absent or null, none known. */
static int
reasons_r(const cJSON *e, const char *path, struct analysis_input *in,
    struct diag *d)
{
	const cJSON *x = item(e, "skip_reasons"), *j;
	char p[96];

	if (x == NULL || cJSON_IsNull(x))
		return 0;
	if (!cJSON_IsObject(x))
		return bad(d, path, "skip_reasons", "an object", x);
	snprintf(p, sizeof(p), "%s.skip_reasons", path);
	cJSON_ArrayForEach(j, x) {
		int c;

		for (c = 0; c < SKIP_NCODES; c++)
			if (j->string != NULL &&
			    strcmp(j->string, skip_name(c)) == 0)
				break;
		if (c == SKIP_NCODES || item(x, j->string) != j)
			return bad(d, p, j->string, "a skip code of "
			    "skew-parse(1), once", j);
		if (!cJSON_IsObject(j))
			return bad(d, p, j->string, "an object", j);
		if (rcount(j, p, "count", 0, NULL, &in->reasons[c].count,
		    d) == -1 || rcount(j, p, "first_line", 0, NULL,
		    &in->reasons[c].first_line, d) == -1)
			return -1;
		if (in->reasons[c].count == 0)
			return bad(d, p, j->string, "a count of 1 or more", j);
	}
	return 0;
}

/* One input of the provenance: its trailer's fields (input_w()). */
static int
input_r(const cJSON *e, size_t idx, struct analysis_input *in, struct diag *d)
{
	const cJSON *a;
	char p[64];

	snprintf(p, sizeof(p), "provenance.inputs[%zu]", idx);
	if (!cJSON_IsObject(e))
		return bad(d, p, NULL, "an object", e);
	if (rstrdup(e, p, "src", 0, &in->src, d) == -1 ||
	    rcount(e, p, "bytes", 0, NULL, &in->bytes, d) == -1 ||
	    rcount(e, p, "lines", 0, NULL, &in->lines, d) == -1 ||
	    rcount(e, p, "events", 0, NULL, &in->events, d) == -1 ||
	    rcount(e, p, "skipped", 0, NULL, &in->skipped, d) == -1 ||
	    reasons_r(e, p, in, d) == -1 ||
	    rstrdup(e, p, "sha256", F_NULL | F_OPT, &in->sha256, d) == -1)
		return -1;
	in->complete = 1;
	if (item(e, "complete") != NULL &&
	    rbool(e, p, "complete", &in->complete, d) == -1)
		return -1;
	a = item(e, "options");
	if (a == NULL || cJSON_IsNull(a))
		return 0;
	in->has_opts = 1;
	return rstrs(a, p, "options", &in->opts, &in->nopts, d);
}

static int
prov_r(const cJSON *j, struct analysis *a, struct diag *d)
{
	struct analysis_prov *p = &a->prov;
	const cJSON *x, *e;

	if (j == NULL)
		return 0;
	if (!cJSON_IsObject(j))
		return bad(d, "provenance", NULL, "an object", j);
	a->has_prov = 1;
	if (rstrdup(j, "provenance", "version", F_NULL | F_OPT, &p->version,
	    d) == -1)
		return -1;
	x = item(j, "options");
	if (x != NULL && !cJSON_IsNull(x) && rstrs(x, "provenance", "options",
	    &p->options, &p->noptions, d) == -1)
		return -1;
	x = item(j, "inputs");
	if (x == NULL || cJSON_IsNull(x))
		return 0;
	if (!cJSON_IsArray(x))
		return bad(d, "provenance", "inputs", "an array", x);
	if ((p->inputs = calloc((size_t)cJSON_GetArraySize(x) + 1,
	    sizeof(*p->inputs))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(e, x) {
		p->ninputs++;
		if (input_r(e, p->ninputs - 1, &p->inputs[p->ninputs - 1],
		    d) == -1)
			return -1;
	}
	return 0;
}

static int
read_doc(const cJSON *j, struct analysis *a, struct diag *d)
{
	const cJSON *runs, *r;
	double v;

	if (!cJSON_IsObject(j))
		return diag_set(d, DIAG_JSON, "expected a fit document (an "
		    "object), got %s", jsonin_type(j));
	if (rnum(j, "", "skew_fit", 0, NULL, &v, d) == -1)
		return -1;
	/* Version 1 lacks only keys version 2 added: read with them null
	 * (shape unknown, nothing left out).  Anything else is a document
	 * this program does not know. */
	if (v != FIT_DOC_VERSION && v != 1)
		return diag_set(d, DIAG_JSON, "skew_fit: expected 1 or %d (the "
		    "versions of the document this program reads), got %g",
		    FIT_DOC_VERSION, v);
	runs = item(j, "runs");
	if (!cJSON_IsArray(runs))
		return bad(d, "", "runs", "an array", runs);
	if (cJSON_GetArraySize(runs) == 0)
		return diag_set(d, DIAG_JSON, "runs: expected at least one "
		    "run, got an empty array");
	if ((a->runs = calloc((size_t)cJSON_GetArraySize(runs),
	    sizeof(*a->runs))) == NULL ||
	    (a->routes = calloc((size_t)cJSON_GetArraySize(runs),
	    sizeof(*a->routes))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(r, runs) {
		char p[64];

		a->nruns++;
		if (run_r(r, a->nruns - 1, &a->runs[a->nruns - 1], d) == -1)
			return -1;
		/* --by route's key: any run carrying it says the runs were
		 * split by route. */
		snprintf(p, sizeof(p), "runs[%zu]", a->nruns - 1);
		a->by_route |= item(r, "route") != NULL;
		if (rstrdup(r, p, "route", F_NULL | F_OPT,
		    &a->routes[a->nruns - 1], d) == -1 ||
		    rsize(r, p, "errors", F_NULL | F_OPT,
		    &a->runs[a->nruns - 1].has_errors,
		    &a->runs[a->nruns - 1].errors, d) == -1)
			return -1;
	}
	if (skew_r(item(j, "skew"), a, d) == -1 ||
	    skew_t_r(item(j, "skew_with_service_time"), &a->skew_t, d) == -1 ||
	    usl_r(item(j, "usl"), "usl", "runs", &a->usl, d) == -1 ||
	    traffic_r(item(j, "traffic"), &a->traffic, d) == -1)
		return -1;
	return prov_r(item(j, "provenance"), a, d);
}

int
fitdoc_read(const cJSON *j, struct analysis *a, struct diag *d)
{
	memset(a, 0, sizeof(*a));
	if (read_doc(j, a, d) == -1) {
		analysis_free(a);
		return -1;
	}
	return 0;
}
