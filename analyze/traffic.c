#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "analysis.h"
#include "fit.h"
#include "radix.h"
#include "stats.h"
#include "traffic.h"

/* The longest span, and window, counted in int64 nanoseconds: their sum
 * stays below 2^63 ns (292 years).  The traffic of one input never comes
 * near it. */
#define SPAN_MAX_SEC	INT64_C(4000000000)

/* The requests with both ends, in nanoseconds from the earliest start:
 * starts and ends sorted each on its own (the sweep needs only when the
 * count in flight changes, not which request changes it). */
struct spans {
	int64_t	*s, *e;
	size_t	 n;
};

/* The measures of one window length: what the sweep fills. */
struct sweep {
	int64_t	 w;		/* window, ns */
	size_t	 windows, idle, with_completions;
	double	*n, *x;		/* NULL: count only */
};

static int64_t
ns_since(const struct ts *t, const struct ts *t0)
{
	struct ts d;

	ts_sub(t, t0, &d);
	return d.sec * TS_NS + d.nsec;
}

/* The index in rs of the q-th run kept (q from 0). */
static size_t
kept_run(const uint32_t *keep, size_t q)
{
	return keep != NULL ? (size_t)keep[q] - 1 : q;
}

/* The spans of the kept runs' requests with both ends, read from the
 * records in place (reqset_next_span(): a run of completions is one test
 * a record); sp->n 0 (nothing allocated) when there are none, why[] set
 * when they cannot be counted in nanoseconds. */
static int
spans_of(const struct reqset *rs, const uint32_t *keep, size_t nkeep,
    struct spans *sp, char *why, struct diag *d)
{
	struct ts t0 = { 0, 0, 0, 0 }, tmax = { 0, 0, 0, 0 }, span, s, e;
	size_t n = 0, nk = keep != NULL ? nkeep : rs->nruns;

	memset(sp, 0, sizeof(*sp));
	for (size_t q = 0; q < nk; q++) {
		size_t k = kept_run(keep, q), j = rs->run_first[k];

		for (; (j = reqset_next_span(rs, k, j, &s, &e)) != SIZE_MAX;
		    j++) {
			if (n == 0 || ts_cmp(&s, &t0) < 0)
				t0 = s;
			if (n == 0 || ts_cmp(&e, &tmax) > 0)
				tmax = e;
			n++;
		}
	}
	if (n == 0) {
		snprintf(why, TRAFFIC_WHY, "no request has both a start and "
		    "an end: without starts nothing shows what was in flight");
		return 0;
	}
	ts_sub(&tmax, &t0, &span);
	if (span.sec >= SPAN_MAX_SEC) {
		snprintf(why, TRAFFIC_WHY, "the traffic spans %lld s: too "
		    "long to count in nanoseconds", (long long)span.sec);
		return 0;
	}
	if ((sp->s = malloc(n * sizeof(*sp->s))) == NULL ||
	    (sp->e = malloc(n * sizeof(*sp->e))) == NULL) {
		free(sp->s);
		memset(sp, 0, sizeof(*sp));
		return diag_set(d, DIAG_NOMEM, "out of memory for the "
		    "traffic");
	}
	for (size_t q = 0; q < nk; q++) {
		size_t k = kept_run(keep, q), j = rs->run_first[k];

		for (; (j = reqset_next_span(rs, k, j, &s, &e)) != SIZE_MAX;
		    j++) {
			sp->s[sp->n] = ns_since(&s, &t0);
			sp->e[sp->n++] = ns_since(&e, &t0);
		}
	}
	return 0;
}

/* The p90 latency of the spans, before they are sorted apart (the pairs
 * are lost then).  -1 when out of memory. */
static int
p90_of(const struct spans *sp, double *p90)
{
	int64_t *ns;
	double *lat;

	if ((ns = malloc(sp->n * sizeof(*ns))) == NULL)
		return -1;
	for (size_t i = 0; i < sp->n; i++)
		ns[i] = sp->e[i] - sp->s[i];
	if (radix_i64_sort(ns, sp->n) == -1) {
		free(ns);
		return -1;
	}
	/* In order as integers, so in order as seconds: made doubles in
	 * place (no second array; the sort's copy is the only other). */
	lat = (double *)(void *)ns;
	for (size_t i = 0; i < sp->n; i++) {
		double v = (double)ns[i] / TS_NS;

		memcpy(&lat[i], &v, sizeof(v));
	}
	*p90 = gsl_stats_quantile_from_sorted_data(lat, 1, sp->n, 0.9);
	free(ns);
	return 0;
}

/* Windows of w ns that hold a completion (ends sorted). */
static size_t
windows_with_completions(const struct spans *sp, int64_t w)
{
	size_t k = 0;

	for (size_t j = 0; j < sp->n; j++)
		if (j == 0 || sp->e[j] / w != sp->e[j - 1] / w)
			k++;
	return k;
}

/*
 * The in-flight area of a window, count x nanoseconds, kept as whole
 * seconds and nanoseconds so that neither part can overflow: a count of
 * 10^6 over a window of a day is 8.6e19 ns, past int64.
 */
struct area {
	int64_t	sec, ns;
};

static void
area_add(struct area *a, int64_t c, int64_t dt)
{
	/* The divisions only where they change something: a step under a
	 * second has no whole seconds, and nanoseconds under a second are
	 * carried as they are. */
	if (dt >= 0 && dt < TS_NS)
		a->ns += c * dt;
	else {
		a->sec += c * (dt / TS_NS);
		a->ns += c * (dt % TS_NS);
	}
	if (a->ns >= TS_NS || a->ns < 0) {
		a->sec += a->ns / TS_NS;
		a->ns %= TS_NS;
	}
}

/* Close a window: measured when anything was in flight or completed. */
static void
window_end(struct sweep *sw, struct area *a, size_t *done)
{
	if (a->sec == 0 && a->ns == 0 && *done == 0) {
		sw->idle++;
		return;
	}
	if (sw->n != NULL) {
		sw->n[sw->windows] = ((double)a->sec * TS_NS + (double)a->ns) /
		    (double)sw->w;
		sw->x[sw->windows] = (double)*done * TS_NS / (double)sw->w;
	}
	sw->windows++;
	if (*done > 0)
		sw->with_completions++;
	a->sec = a->ns = 0;
	*done = 0;
}

/*
 * Sweep the sorted starts and ends once: between two events the count in
 * flight c is constant, so its area in each window it crosses is c times
 * the time it spends there.  Windows crossed whole at a count c > 0 hold
 * N = c and no completion (no event falls inside them); crossed at c = 0,
 * they are idle.  With sw->n NULL only the counts are made, in O(n)
 * whatever the number of windows.
 */
static void
sweep(const struct spans *sp, struct sweep *sw)
{
	struct area a = { 0, 0 };
	int64_t t = 0, w = sw->w, k = 0, c = 0;
	size_t i = 0, j = 0, done = 0;

	sw->windows = sw->idle = sw->with_completions = 0;
	while (j < sp->n) {
		int64_t te = i < sp->n && sp->s[i] < sp->e[j] ? sp->s[i] :
		    sp->e[j];

		while (te >= (k + 1) * w) {
			int64_t whole;

			area_add(&a, c, (k + 1) * w - t);
			window_end(sw, &a, &done);
			t = ++k * w;
			whole = (te - t) / w;
			if (whole == 0)
				continue;
			if (c == 0)
				sw->idle += (size_t)whole;
			else if (sw->n == NULL)
				sw->windows += (size_t)whole;
			else
				for (int64_t q = 0; q < whole; q++) {
					sw->n[sw->windows] = (double)c;
					sw->x[sw->windows++] = 0;
				}
			k += whole;
			t = k * w;
		}
		area_add(&a, c, te - t);
		t = te;
		/* Every event at te: ends leave, starts arrive.  Their order
		 * at one instant changes no area. */
		while (j < sp->n && sp->e[j] == te) {
			done++;
			c--;
			j++;
		}
		while (i < sp->n && sp->s[i] == te) {
			c++;
			i++;
		}
	}
	window_end(sw, &a, &done);
}

/* The window for the rule: the shortest candidate at least
 * TRAFFIC_LATENCIES p90 latencies long with TRAFFIC_MIN_WINDOWS windows
 * holding completions and at most TRAFFIC_MAX_WINDOWS measured, its counts
 * (sweep() without n and x) in *out; 0 (why[] filled) when none is. */
static int64_t
default_window(const struct spans *sp, double p90, struct sweep *out,
    char *why)
{
	static const int64_t cand[] = TRAFFIC_CANDIDATES;
	size_t best = 0, tried = 0;

	for (size_t c = 0; c < sizeof(cand) / sizeof(cand[0]); c++) {
		int64_t w = cand[c] * TS_NS;
		size_t wc;
		struct sweep sw = { w, 0, 0, 0, NULL, NULL };

		if ((double)cand[c] < TRAFFIC_LATENCIES * p90)
			continue;
		tried++;
		wc = windows_with_completions(sp, w);
		if (wc > best)
			best = wc;
		if (wc < TRAFFIC_MIN_WINDOWS)
			continue;
		sweep(sp, &sw);
		if (sw.windows <= TRAFFIC_MAX_WINDOWS) {
			*out = sw;
			return w;
		}
	}
	if (tried == 0)
		snprintf(why, TRAFFIC_WHY, "the p90 latency is %.3g s: no "
		    "window of 1 s, 10 s, 60 s or 5 min is %d times as long; "
		    "--window sets one", p90, TRAFFIC_LATENCIES);
	else
		snprintf(why, TRAFFIC_WHY, "no window of 1 s, 10 s, 60 s or "
		    "5 min that is at least %d times the p90 latency (%.3g s) "
		    "gives %d windows with completions (%zu at best): --window "
		    "sets one", TRAFFIC_LATENCIES, p90, TRAFFIC_MIN_WINDOWS,
		    best);
	return 0;
}

int
traffic_measure(const struct reqset *rs, const uint32_t *keep, size_t nkeep,
    const struct traffic_opt *o, struct traffic *t, struct diag *d)
{
	struct spans sp;
	struct sweep sw = { 0, 0, 0, 0, NULL, NULL };
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (spans_of(rs, keep, nkeep, &sp, t->why, d) == -1)
		return -1;
	if (sp.n == 0)
		return 0;
	t->requests = sp.n;
	if (p90_of(&sp, &t->p90) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory for the traffic");
		goto out;
	}
	t->has_p90 = 1;
	/* Radix sorts: the ends come nearly in order (a run's requests are
	 * stored by end), the starts close to it. */
	if (radix_i64_sort(sp.s, sp.n) == -1 ||
	    radix_i64_sort(sp.e, sp.n) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory for the traffic");
		goto out;
	}
	rc = 0;
	if (o != NULL && o->has_window) {
		t->window_given = 1;
		t->window = ts_double(&o->window);
		if (o->window.sec < 0 || o->window.sec >= SPAN_MAX_SEC ||
		    (sw.w = o->window.sec * TS_NS + o->window.nsec) <= 0) {
			snprintf(t->why, TRAFFIC_WHY, "a window of %g s cannot "
			    "cut the traffic", t->window);
			goto out;
		}
	} else if (default_window(&sp, t->p90, &sw, t->why) == 0)
		goto out;
	t->window = (double)sw.w / TS_NS;
	/* The rule's window comes counted. */
	if (t->window_given)
		sweep(&sp, &sw);
	if (sw.windows > TRAFFIC_MAX_WINDOWS) {
		snprintf(t->why, TRAFFIC_WHY, "windows of %g s cut the traffic "
		    "into %zu windows with requests; at most %d: give a longer "
		    "--window", t->window, sw.windows, TRAFFIC_MAX_WINDOWS);
		goto out;
	}
	if ((sw.n = malloc((sw.windows + 1) * sizeof(*sw.n))) == NULL ||
	    (sw.x = malloc((sw.windows + 1) * sizeof(*sw.x))) == NULL) {
		free(sw.n);
		rc = diag_set(d, DIAG_NOMEM, "out of memory for the traffic");
		goto out;
	}
	sweep(&sp, &sw);
	t->ok = 1;
	t->n = sw.n;
	t->x = sw.x;
	t->windows = sw.windows;
	t->idle = sw.idle;
	t->with_completions = sw.with_completions;
out:
	free(sp.s);
	free(sp.e);
	if (rc == -1)
		traffic_free(t);
	return rc;
}

void
traffic_free(struct traffic *t)
{
	if (t == NULL)
		return;
	free(t->n);
	free(t->x);
	memset(t, 0, sizeof(*t));
}

/* The USL on the windows with N > 0: a window with completions and
 * nothing in flight (requests of no length) says nothing about N. */
static int
fit_windows(const struct traffic *t, struct analysis_usl *u, struct diag *d)
{
	static const struct fit_usl_rules rules = { 0, TRAFFIC_ROUND_N };
	double *n, *x, maxn = 0;
	size_t m = 0, zero = 0;
	struct fit_usl f;

	if ((n = malloc((t->windows + 1) * sizeof(*n))) == NULL ||
	    (x = malloc((t->windows + 1) * sizeof(*x))) == NULL) {
		free(n);
		return diag_set(d, DIAG_NOMEM, "out of memory for the traffic");
	}
	for (size_t k = 0; k < t->windows; k++) {
		if (!(t->n[k] > 0)) {
			zero++;
			continue;
		}
		n[m] = t->n[k];
		x[m++] = t->x[k];
		if (t->n[k] > maxn)
			maxn = t->n[k];
	}
	if (fit_usl_rules(n, x, m, &rules, &f, d) == -1) {
		free(n);
		free(x);
		return -1;
	}
	free(n);
	free(x);
	u->peak_beyond = ANALYSIS_NULL;
	if (!f.ok)
		snprintf(u->reason, sizeof(u->reason), "%s (N rounded to %g)",
		    f.why, TRAFFIC_ROUND_N);
	else
		analysis_usl_judge(u, &f, m, maxn, "windows");
	if (zero > 0 && f.ok && u->notes.n < ANALYSIS_NOTES)
		snprintf(u->notes.s[u->notes.n++], ANALYSIS_TEXT, "%zu window%s "
		    "with completions but nothing in flight (latencies of 0) "
		    "left out", zero, zero == 1 ? "" : "s");
	return 0;
}

int
traffic_build(const struct reqset *rs, const uint32_t *keep, size_t nkeep,
    const struct traffic_opt *o, int no_series, struct analysis_traffic *a,
    struct diag *d)
{
	struct traffic t;
	size_t m;

	memset(a, 0, sizeof(*a));
	if (traffic_measure(rs, keep, nkeep, o, &t, d) == -1)
		return -1;
	if (!t.ok) {
		snprintf(a->reason, sizeof(a->reason), "%s", t.why);
		traffic_free(&t);
		return 0;
	}
	a->fitted = 1;
	a->window = t.window;
	a->window_given = t.window_given;
	a->requests = t.requests;
	a->windows = t.windows;
	a->with_completions = t.with_completions;
	a->idle = t.idle;
	if (fit_windows(&t, &a->usl, d) == -1)
		goto fail;
	if (!no_series) {
		m = t.windows < STATS_SERIES_MAX ? t.windows : STATS_SERIES_MAX;
		if ((a->series = calloc(m + 1, sizeof(*a->series))) == NULL) {
			diag_set(d, DIAG_NOMEM, "out of memory for the traffic");
			goto fail;
		}
		/* Evenly spaced in time, first and last kept, as the runs'
		 * series are thinned. */
		for (size_t k = 0; k < m; k++) {
			size_t i = stats_thin_index(k, t.windows,
			    STATS_SERIES_MAX);

			a->series[k].x = t.n[i];
			a->series[k].y = t.x[i];
		}
		a->has_series = 1;
		a->nseries = m;
		a->thinned = t.windows > STATS_SERIES_MAX;
	}
	traffic_free(&t);
	return 0;
fail:
	traffic_free(&t);
	free(a->series);
	memset(a, 0, sizeof(*a));
	return -1;
}
