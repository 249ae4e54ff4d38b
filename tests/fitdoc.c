/*
 * Tests for analyze/fitdoc.c, the fit document codec: read(write(a)) == a
 * over random analyses, every null the contract allows included (and every
 * shape of the cross-run blocks, fitted or not, the judgements true, false
 * or null, provenance or none), printed compact and pretty; over the
 * analyses analysis_build() makes of random requests; the mark of an input
 * whose trailer never came; and the documents it refuses.  Two analyses are equal when every has_* flag is, and every
 * value whose flag is set is, bit for bit (a value under a flag of 0 is the
 * document's null and has none).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "analysis.h"
#include "fitdoc.h"
#include "reqset.h"
#include "tap.h"

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(uint64_t n)
{
	return tap_rnd(&seed) % n;
}

/* A finite double: small integers, fractions, huge and tiny magnitudes,
 * or any finite bit pattern. */
static double
rnum(void)
{
	double v;
	uint64_t bits;

	switch (rnd(6)) {
	case 0:
		return (double)rnd(1000) - 500;
	case 1:
		return (double)rnd(1000000) / 1e6;
	case 2:
		return ldexp((double)rnd(1u << 30), (int)rnd(200) - 100);
	case 3:
		return 0;
	default:
		do {
			bits = tap_rnd(&seed);
			memcpy(&v, &bits, sizeof(v));
		} while (!isfinite(v));
		return v;
	}
}

/* A count a double holds exactly (the document's numbers are doubles). */
static uint64_t
rcount(void)
{
	return rnd(4) == 0 ? rnd(UINT64_C(9007199254740993)) : rnd(1000);
}

/* Text of up to max - 1 bytes: ASCII, the characters JSON escapes, and
 * multi-byte UTF-8. */
static void
rtext(char *buf, size_t max)
{
	static const char *const bits[] = { "a", "Z", " ", "\"", "\\", "/",
	    "\n", "\t", "\x01", "\x1f", "µ", "→", "😀", "<", "&", "%" };
	size_t len = 0, want = rnd(5) == 0 ? max - 1 : rnd(40);

	while (len < want) {
		const char *b = bits[rnd(sizeof(bits) / sizeof(bits[0]))];

		if (len + strlen(b) > want)
			break;
		memcpy(buf + len, b, strlen(b));
		len += strlen(b);
	}
	buf[len] = '\0';
}

static char *
rdup(void)
{
	char buf[200];

	rtext(buf, sizeof(buf));
	return strdup(buf);
}

static void
rts(struct ts *t)
{
	static const int32_t unit[] = { 1000000000, 100000000, 10000000,
	    1000000, 100000, 10000, 1000, 100, 10, 1 };

	memset(t, 0, sizeof(*t));
	/* 1970-01-01 to 9999-12-31T23:59:59, the contract's range. */
	t->sec = (int64_t)rnd(INT64_C(253402300800));
	t->digits = (uint8_t)rnd(10);
	t->nsec = t->digits == 0 ? 0 :
	    (int32_t)rnd(1000000000 / (uint64_t)unit[t->digits]) *
	    unit[t->digits];
}

/* *v and its flag: null one time in three. */
static void
maybe(int *has, double *v)
{
	*has = rnd(3) != 0;
	*v = *has ? rnum() : 0;
}

static void
maybe_size(int *has, size_t *v)
{
	*has = rnd(3) != 0;
	*v = *has ? (size_t)rcount() : 0;
}

static void
rslope(struct slope *s)
{
	memset(s, 0, sizeof(*s));
	s->ok = rnd(3) != 0;
	if (!s->ok) {
		rtext(s->why, sizeof(s->why));
		return;
	}
	s->b = rnum();
	maybe(&s->has_se, &s->b_se);
	maybe(&s->has_r2, &s->r2);
}

static struct point *
rpoints(size_t *n)
{
	struct point *p;

	*n = rnd(4) == 0 ? 0 : rnd(20);
	p = calloc(*n + 1, sizeof(*p));
	for (size_t i = 0; p != NULL && i < *n; i++) {
		p[i].x = rnum();
		p[i].y = rnum();
	}
	return p;
}

static void
rrun(struct stats *r)
{
	memset(r, 0, sizeof(*r));
	r->run = (uint32_t)rnd(UINT64_C(4294967296));
	r->n = (size_t)rcount();
	if ((r->has_errors = (int)rnd(3) == 0))
		r->errors = (size_t)rcount();
	r->sampled = (int)rnd(2);
	r->has_first = rnd(3) != 0;
	if (r->has_first) {
		rts(&r->first);
		rts(&r->last);
	}
	maybe(&r->has_spread, &r->spread);
	rslope(&r->stagger);
	maybe(&r->has_T, &r->T);
	r->T_src = (enum tsrc)rnd(3);
	maybe(&r->has_serialization, &r->serialization);
	maybe(&r->has_parallelism, &r->parallelism);
	maybe_size(&r->has_inflight, &r->max_inflight);
	r->ll_state = (int)rnd(3) - 1;
	if (r->ll_state == 1) {
		r->ll_mean = rnum();
		r->ll_xr = rnum();
		r->ll_ok = (int)rnd(2);
	} else if (r->ll_state == -1)
		rtext(r->ll_why, sizeof(r->ll_why));
	r->has_slopes = (int)rnd(2);
	if (r->has_slopes) {
		rslope(&r->arrival);
		rslope(&r->latslope);
	}
	r->has_latency = (int)rnd(2);
	if (r->has_latency) {
		r->p50 = rnum();
		r->p90 = rnum();
		r->p99 = rnum();
		r->lmax = rnum();
	}
	r->origin = (enum stats_origin)rnd(5);
	r->shape = (enum shape)rnd(3);
	maybe(&r->has_throughput, &r->throughput);
	if ((r->has_by_inflight = (int)rnd(2))) {
		r->nby_inflight = rnd(5);
		r->by_inflight = calloc(r->nby_inflight + 1,
		    sizeof(*r->by_inflight));
		for (size_t i = 0; r->by_inflight != NULL &&
		    i < r->nby_inflight; i++) {
			r->by_inflight[i].inflight = (size_t)rcount();
			r->by_inflight[i].n = (size_t)rcount();
			r->by_inflight[i].p50 = rnum();
			r->by_inflight[i].p90 = rnum();
		}
	}
	r->waited_state = (int)rnd(3) - 1;
	if (r->waited_state == 1) {
		r->waited_n = (size_t)rcount();
		r->waited_fraction = rnum();
		maybe(&r->has_wait_p50, &r->wait_p50);
	} else if (r->waited_state == -1)
		rtext(r->waited_why, sizeof(r->waited_why));
	r->pool_method = (enum pool_method)rnd(3);
	if ((r->has_paired = (int)rnd(2)))
		r->paired_by_order = (int)rnd(2);
	maybe_size(&r->has_waves, &r->waves);
	maybe_size(&r->has_pool, &r->pool);
	maybe_size(&r->has_awaves, &r->awaves);
	maybe_size(&r->has_apool, &r->apool);
	maybe_size(&r->has_pids, &r->pids);
	maybe_size(&r->has_tids, &r->tids);
	r->unmatched_starts = rcount();
	r->unmatched_ends = rcount();
	r->verdict = (enum verdict)rnd(4);
	rtext(r->reason, sizeof(r->reason));
	r->nnotes = rnd(STATS_NOTES + 1);
	for (size_t i = 0; i < r->nnotes; i++)
		rtext(r->notes[i], sizeof(r->notes[i]));
	r->has_series = (int)rnd(2);
	if (r->has_series) {
		r->rank = rpoints(&r->nrank);
		if (rnd(2))
			r->inflight = rpoints(&r->ninflight);
		r->thinned = (int)rnd(2);
	}
}

static void
rtexts(struct analysis_texts *t)
{
	t->n = rnd(ANALYSIS_NOTES + 1);
	for (size_t i = 0; i < t->n; i++)
		rtext(t->s[i], sizeof(t->s[i]));
}

static enum analysis_bool
rjudged(void)
{
	return (enum analysis_bool)((int)rnd(3) - 1);
}

static char **
rstrs(size_t *n)
{
	char **s;

	*n = rnd(5);
	s = calloc(*n + 1, sizeof(*s));
	for (size_t i = 0; s != NULL && i < *n; i++)
		s[i] = rdup();
	return s;
}

static void
rusl(struct analysis_usl *u)
{
	if (!(u->fitted = (int)rnd(2))) {
		rtext(u->reason, sizeof(u->reason));
		return;
	}
	u->runs = (size_t)rcount();
	u->lambda = rnum();
	u->sigma = rnum();
	u->kappa = rnum();
	maybe(&u->has_lambda_se, &u->lambda_se);
	maybe(&u->has_sigma_se, &u->sigma_se);
	maybe(&u->has_kappa_se, &u->kappa_se);
	maybe(&u->has_r2, &u->r2);
	maybe(&u->has_peak, &u->peak_n);
	u->max_measured_n = rnum();
	u->peak_beyond = rjudged();
	rtexts(&u->warnings);
	rtexts(&u->notes);
}

static void
ranalysis(struct analysis *a)
{
	memset(a, 0, sizeof(*a));
	a->nruns = 1 + rnd(4);
	a->runs = calloc(a->nruns, sizeof(*a->runs));
	/* --by route: a route per run, or none (null). */
	if ((a->by_route = (int)rnd(3) == 0) &&
	    (a->routes = calloc(a->nruns, sizeof(*a->routes))) != NULL)
		for (size_t i = 0; i < a->nruns; i++)
			a->routes[i] = rnd(4) ? rdup() : NULL;
	for (size_t i = 0; i < a->nruns; i++)
		rrun(&a->runs[i]);

	a->skew.open_left = (size_t)rcount();
	a->skew_t.open_left = (size_t)rcount();
	a->usl.open_left = (size_t)rcount();
	if (!(a->skew.fitted = (int)rnd(2)))
		rtext(a->skew.reason, sizeof(a->skew.reason));
	else {
		a->skew.runs = (size_t)rcount();
		a->skew.a = rnum();
		a->skew.b = rnum();
		maybe(&a->skew.has_a_se, &a->skew.a_se);
		maybe(&a->skew.has_b_se, &a->skew.b_se);
		if ((a->skew.has_ci = (int)rnd(2))) {
			a->skew.ci_lo = rnum();
			a->skew.ci_hi = rnum();
		}
		maybe(&a->skew.has_r2, &a->skew.r2);
		maybe(&a->skew.has_reach, &a->skew.n_reach);
		if (rnd(2))
			rtext(a->skew.reach_why, sizeof(a->skew.reach_why));
		a->skew.reached = rjudged();
		rtexts(&a->skew.notes);
	}
	if (!(a->skew_t.fitted = (int)rnd(2)))
		rtext(a->skew_t.reason, sizeof(a->skew_t.reason));
	else {
		a->skew_t.runs = (size_t)rcount();
		a->skew_t.a = rnum();
		a->skew_t.b = rnum();
		a->skew_t.c = rnum();
		maybe(&a->skew_t.has_a_se, &a->skew_t.a_se);
		maybe(&a->skew_t.has_b_se, &a->skew_t.b_se);
		maybe(&a->skew_t.has_c_se, &a->skew_t.c_se);
		maybe(&a->skew_t.has_r2, &a->skew_t.r2);
		a->skew_t.depends = rjudged();
		rtexts(&a->skew_t.notes);
	}
	rusl(&a->usl);
	/* The traffic block: its USL counts windows and leaves no open
	 * runs out. */
	if (!(a->traffic.fitted = (int)rnd(3) != 0))
		rtext(a->traffic.reason, sizeof(a->traffic.reason));
	else {
		struct analysis_traffic *t = &a->traffic;

		t->window = fabs(rnum()) + 1e-9;
		t->window_given = (int)rnd(2);
		t->requests = (size_t)rcount();
		t->windows = (size_t)rcount();
		t->with_completions = (size_t)rcount();
		t->idle = (size_t)rcount();
		rusl(&t->usl);
		if ((t->has_series = (int)rnd(3) != 0)) {
			t->series = rpoints(&t->nseries);
			t->thinned = (int)rnd(2);
		}
	}

	if ((a->has_prov = (int)rnd(4) != 0)) {
		struct analysis_prov *p = &a->prov;

		p->version = rnd(4) ? rdup() : NULL;
		p->options = rstrs(&p->noptions);
		p->ninputs = rnd(4);
		p->inputs = calloc(p->ninputs + 1, sizeof(*p->inputs));
		for (size_t i = 0; p->inputs != NULL && i < p->ninputs; i++) {
			struct analysis_input *in = &p->inputs[i];

			in->src = rdup();
			in->bytes = rcount();
			in->lines = rcount();
			in->events = rcount();
			in->skipped = rcount();
			for (int c = 0; c < SKIP_NCODES; c++)
				if (rnd(4) == 0) {
					in->reasons[c].count = 1 + rnd(1000);
					in->reasons[c].first_line = rcount();
				}
			in->sha256 = rnd(3) ? rdup() : NULL;
			if ((in->has_opts = (int)rnd(2)))
				in->opts = rstrs(&in->nopts);
			in->complete = rnd(3) != 0;
		}
	}
}

/* ---- Equality, field by field; the first difference is said. ---- */

static char why[256];

static int
differ(const char *what)
{
	if (why[0] == '\0')
		snprintf(why, sizeof(why), "%s", what);
	return 0;
}

static int
same_d(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

#define SAME(cond, what)	((cond) ? 1 : differ(what))
#define SAME_OPT(ha, va, hb, vb, what) \
	SAME((ha) == (hb) && (!(ha) || same_d((va), (vb))), what)
#define SAME_OPTZ(ha, va, hb, vb, what) \
	SAME((ha) == (hb) && (!(ha) || (va) == (vb)), what)

static int
same_slope(const struct slope *a, const struct slope *b, const char *what)
{
	if (a->ok != b->ok)
		return differ(what);
	if (!a->ok)
		return SAME(strcmp(a->why, b->why) == 0, what);
	return SAME(same_d(a->b, b->b), what) &&
	    SAME_OPT(a->has_se, a->b_se, b->has_se, b->b_se, what) &&
	    SAME_OPT(a->has_r2, a->r2, b->has_r2, b->r2, what);
}

static int
same_ts(const struct ts *a, const struct ts *b)
{
	return a->sec == b->sec && a->nsec == b->nsec &&
	    a->digits == b->digits;
}

static int
same_points(const struct point *a, size_t na, const struct point *b,
    size_t nb)
{
	if ((a == NULL) != (b == NULL) || na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_d(a[i].x, b[i].x) || !same_d(a[i].y, b[i].y))
			return 0;
	return 1;
}

static int
same_buckets(const struct stats *a, const struct stats *b)
{
	if (a->has_by_inflight != b->has_by_inflight ||
	    a->nby_inflight != b->nby_inflight)
		return differ("latency_by_inflight");
	for (size_t i = 0; i < a->nby_inflight; i++) {
		const struct stats_bucket *p = &a->by_inflight[i];
		const struct stats_bucket *q = &b->by_inflight[i];

		if (p->inflight != q->inflight || p->n != q->n ||
		    !same_d(p->p50, q->p50) || !same_d(p->p90, q->p90))
			return differ("an entry of latency_by_inflight");
	}
	return 1;
}

static int
same_run(const struct stats *a, const struct stats *b)
{
	int ok = SAME(a->run == b->run && a->n == b->n &&
	    a->sampled == b->sampled, "run, n, sampled") &&
	    SAME(a->has_errors == b->has_errors && a->errors == b->errors,
	    "errors") &&
	    SAME(a->has_first == b->has_first && (!a->has_first ||
	    (same_ts(&a->first, &b->first) && same_ts(&a->last, &b->last))),
	    "first, last") &&
	    SAME_OPT(a->has_spread, a->spread, b->has_spread, b->spread,
	    "spread") &&
	    same_slope(&a->stagger, &b->stagger, "stagger") &&
	    SAME_OPT(a->has_T, a->T, b->has_T, b->T, "service_time") &&
	    SAME(a->T_src == b->T_src, "service_time_source") &&
	    SAME_OPT(a->has_serialization, a->serialization,
	    b->has_serialization, b->serialization, "serialization") &&
	    SAME_OPT(a->has_parallelism, a->parallelism, b->has_parallelism,
	    b->parallelism, "parallelism") &&
	    SAME_OPTZ(a->has_inflight, a->max_inflight, b->has_inflight,
	    b->max_inflight, "max_inflight") &&
	    SAME(a->ll_state == b->ll_state, "littles_law") &&
	    SAME(a->ll_state != 1 || (same_d(a->ll_mean, b->ll_mean) &&
	    same_d(a->ll_xr, b->ll_xr) && a->ll_ok == b->ll_ok),
	    "littles_law's numbers") &&
	    SAME(a->ll_state != -1 || strcmp(a->ll_why, b->ll_why) == 0,
	    "littles_law's reason") &&
	    SAME(a->has_slopes == b->has_slopes, "slopes") &&
	    (!a->has_slopes || (same_slope(&a->arrival, &b->arrival,
	    "arrival_stagger") && same_slope(&a->latslope, &b->latslope,
	    "latency_slope"))) &&
	    SAME(a->has_latency == b->has_latency && (!a->has_latency ||
	    (same_d(a->p50, b->p50) && same_d(a->p90, b->p90) &&
	    same_d(a->p99, b->p99) && same_d(a->lmax, b->lmax))), "latency") &&
	    SAME(a->origin == b->origin, "skew_origin") &&
	    SAME(a->shape == b->shape, "shape") &&
	    SAME_OPT(a->has_throughput, a->throughput, b->has_throughput,
	    b->throughput, "throughput") &&
	    same_buckets(a, b) &&
	    SAME(a->waited_state == b->waited_state, "waited") &&
	    SAME(a->waited_state != 1 || (a->waited_n == b->waited_n &&
	    same_d(a->waited_fraction, b->waited_fraction)), "waited's n, "
	    "fraction") &&
	    SAME(a->waited_state != 1 || (a->has_wait_p50 == b->has_wait_p50 &&
	    (!a->has_wait_p50 || same_d(a->wait_p50, b->wait_p50))),
	    "waited.wait_p50") &&
	    SAME(a->waited_state != -1 || strcmp(a->waited_why,
	    b->waited_why) == 0, "waited's reason") &&
	    SAME(a->pool_method == b->pool_method, "pool_size_method") &&
	    SAME(a->has_paired == b->has_paired && (!a->has_paired ||
	    a->paired_by_order == b->paired_by_order), "paired_by_order") &&
	    SAME_OPTZ(a->has_waves, a->waves, b->has_waves, b->waves,
	    "waves") &&
	    SAME_OPTZ(a->has_pool, a->pool, b->has_pool, b->pool,
	    "pool_size") &&
	    SAME_OPTZ(a->has_awaves, a->awaves, b->has_awaves, b->awaves,
	    "arrival_waves") &&
	    SAME_OPTZ(a->has_apool, a->apool, b->has_apool, b->apool,
	    "arrival_pool_size") &&
	    SAME_OPTZ(a->has_pids, a->pids, b->has_pids, b->pids, "pids") &&
	    SAME_OPTZ(a->has_tids, a->tids, b->has_tids, b->tids, "tids") &&
	    SAME(a->unmatched_starts == b->unmatched_starts &&
	    a->unmatched_ends == b->unmatched_ends, "unmatched") &&
	    SAME(a->verdict == b->verdict && strcmp(a->reason, b->reason) == 0,
	    "verdict, reason") &&
	    SAME(a->nnotes == b->nnotes, "notes");

	for (size_t i = 0; ok && i < a->nnotes; i++)
		ok = SAME(strcmp(a->notes[i], b->notes[i]) == 0, "a note");
	return ok && SAME(a->has_series == b->has_series, "series") &&
	    SAME(!a->has_series || (a->thinned == b->thinned &&
	    same_points(a->rank, a->nrank, b->rank, b->nrank) &&
	    same_points(a->inflight, a->ninflight, b->inflight,
	    b->ninflight)), "series' points");
}

static int
same_texts(const struct analysis_texts *a, const struct analysis_texts *b,
    const char *what)
{
	if (a->n != b->n)
		return differ(what);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->s[i], b->s[i]) != 0)
			return differ(what);
	return 1;
}

static int
same_skew(const struct analysis_skew *a, const struct analysis_skew *b)
{
	if (a->fitted != b->fitted || a->open_left != b->open_left)
		return differ("skew.fitted, open_runs_left_out");
	if (!a->fitted)
		return SAME(strcmp(a->reason, b->reason) == 0, "skew.reason");
	return SAME(a->runs == b->runs && same_d(a->a, b->a) &&
	    same_d(a->b, b->b), "skew: runs, a, b") &&
	    SAME_OPT(a->has_a_se, a->a_se, b->has_a_se, b->a_se,
	    "skew.a_stderr") &&
	    SAME_OPT(a->has_b_se, a->b_se, b->has_b_se, b->b_se,
	    "skew.b_stderr") &&
	    SAME(a->has_ci == b->has_ci && (!a->has_ci ||
	    (same_d(a->ci_lo, b->ci_lo) && same_d(a->ci_hi, b->ci_hi))),
	    "skew.b_ci95") &&
	    SAME_OPT(a->has_r2, a->r2, b->has_r2, b->r2, "skew.r2") &&
	    SAME_OPT(a->has_reach, a->n_reach, b->has_reach, b->n_reach,
	    "skew.n_reaching_service_time") &&
	    SAME(a->reached == b->reached, "skew.reached_at_largest_n") &&
	    SAME(strcmp(a->reach_why, b->reach_why) == 0,
	    "skew.n_reaching_service_time_reason") &&
	    same_texts(&a->notes, &b->notes, "skew.notes");
}

static int
same_skew_t(const struct analysis_skew_t *a, const struct analysis_skew_t *b)
{
	const char *w = "skew_with_service_time";

	if (a->fitted != b->fitted || a->open_left != b->open_left)
		return differ(w);
	if (!a->fitted)
		return SAME(strcmp(a->reason, b->reason) == 0, w);
	return SAME(a->runs == b->runs && same_d(a->a, b->a) &&
	    same_d(a->b, b->b) && same_d(a->c, b->c), w) &&
	    SAME_OPT(a->has_a_se, a->a_se, b->has_a_se, b->a_se, w) &&
	    SAME_OPT(a->has_b_se, a->b_se, b->has_b_se, b->b_se, w) &&
	    SAME_OPT(a->has_c_se, a->c_se, b->has_c_se, b->c_se, w) &&
	    SAME_OPT(a->has_r2, a->r2, b->has_r2, b->r2, w) &&
	    SAME(a->depends == b->depends, "depends_on_service_time") &&
	    same_texts(&a->notes, &b->notes, w);
}

static int
same_usl(const struct analysis_usl *a, const struct analysis_usl *b)
{
	if (a->fitted != b->fitted || a->open_left != b->open_left)
		return differ("usl.fitted, open_runs_left_out");
	if (!a->fitted)
		return SAME(strcmp(a->reason, b->reason) == 0, "usl.reason");
	return SAME(a->runs == b->runs && same_d(a->lambda, b->lambda) &&
	    same_d(a->sigma, b->sigma) && same_d(a->kappa, b->kappa) &&
	    same_d(a->max_measured_n, b->max_measured_n), "usl") &&
	    SAME_OPT(a->has_lambda_se, a->lambda_se, b->has_lambda_se,
	    b->lambda_se, "usl.lambda_stderr") &&
	    SAME_OPT(a->has_sigma_se, a->sigma_se, b->has_sigma_se,
	    b->sigma_se, "usl.sigma_stderr") &&
	    SAME_OPT(a->has_kappa_se, a->kappa_se, b->has_kappa_se,
	    b->kappa_se, "usl.kappa_stderr") &&
	    SAME_OPT(a->has_r2, a->r2, b->has_r2, b->r2, "usl.r2") &&
	    SAME_OPT(a->has_peak, a->peak_n, b->has_peak, b->peak_n,
	    "usl.peak_n") &&
	    SAME(a->peak_beyond == b->peak_beyond,
	    "usl.peak_beyond_measured") &&
	    same_texts(&a->warnings, &b->warnings, "usl.warnings") &&
	    same_texts(&a->notes, &b->notes, "usl.notes");
}

static int
same_traffic(const struct analysis_traffic *a,
    const struct analysis_traffic *b)
{
	if (a->fitted != b->fitted)
		return differ("traffic.fitted");
	if (!a->fitted)
		return SAME(strcmp(a->reason, b->reason) == 0,
		    "traffic.reason");
	return SAME(same_d(a->window, b->window) &&
	    a->window_given == b->window_given && a->requests == b->requests &&
	    a->windows == b->windows &&
	    a->with_completions == b->with_completions && a->idle == b->idle,
	    "traffic") && same_usl(&a->usl, &b->usl) &&
	    SAME(a->has_series == b->has_series && a->thinned == b->thinned,
	    "traffic.series, thinned") &&
	    SAME(same_points(a->series, a->nseries, b->series, b->nseries),
	    "traffic.series");
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_strs(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i], b[i]))
			return 0;
	return 1;
}

static int
same_prov(const struct analysis *x, const struct analysis *y)
{
	const struct analysis_prov *a = &x->prov, *b = &y->prov;

	if (x->has_prov != y->has_prov)
		return differ("provenance");
	if (!x->has_prov)
		return 1;
	if (!same_str(a->version, b->version) || !same_strs(a->options,
	    a->noptions, b->options, b->noptions) || a->ninputs != b->ninputs)
		return differ("provenance: version, options, inputs");
	for (size_t i = 0; i < a->ninputs; i++) {
		const struct analysis_input *p = &a->inputs[i], *q = &b->inputs[i];

		if (!same_str(p->src, q->src) || p->bytes != q->bytes ||
		    p->lines != q->lines || p->events != q->events ||
		    p->skipped != q->skipped || memcmp(p->reasons, q->reasons,
		    sizeof(p->reasons)) != 0 || !same_str(p->sha256,
		    q->sha256) || p->has_opts != q->has_opts ||
		    (p->has_opts && !same_strs(p->opts, p->nopts, q->opts,
		    q->nopts)) || p->complete != q->complete)
			return differ("an input of the provenance");
	}
	return 1;
}

static int
same(const struct analysis *a, const struct analysis *b)
{
	why[0] = '\0';
	if (a->nruns != b->nruns)
		return differ("number of runs");
	for (size_t i = 0; i < a->nruns; i++)
		if (!same_run(&a->runs[i], &b->runs[i]))
			return 0;
	if (a->by_route != b->by_route)
		return differ("by_route");
	for (size_t i = 0; a->by_route && i < a->nruns; i++)
		if (!same_str(a->routes[i], b->routes[i]))
			return differ("route");
	return same_skew(&a->skew, &b->skew) &&
	    same_skew_t(&a->skew_t, &b->skew_t) && same_usl(&a->usl, &b->usl) &&
	    same_traffic(&a->traffic, &b->traffic) && same_prov(a, b);
}

/* The text of a's document as layout writes it (FITDOC_TREE by
 * fitdoc_write()), printed pretty or compact; NULL on failure. */
static char *
printed(const struct analysis *a, int layout, int pretty)
{
	struct diag d;
	cJSON *j = NULL;
	char *text;

	diag_clear(&d);
	if ((layout == FITDOC_TREE ? fitdoc_write(a, &j, &d) :
	    fitdoc_write_as(a, layout, &j, &d)) == -1)
		return NULL;
	text = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return text;
}

/* write, print (compact or pretty), parse, read: 0 with *back, or -1. */
static int
round_trip(const struct analysis *a, int pretty, struct analysis *back,
    struct diag *d)
{
	cJSON *p;
	char *text;
	int rc = -1;

	diag_clear(d);
	memset(back, 0, sizeof(*back));
	if ((text = printed(a, FITDOC_TREE, pretty)) == NULL)
		return -1;
	if ((p = cJSON_Parse(text)) != NULL) {
		rc = fitdoc_read(p, back, d);
		cJSON_Delete(p);
	} else
		snprintf(d->msg, sizeof(d->msg), "the text does not parse");
	cJSON_free(text);
	return rc;
}

static void
test_random_analyses(void)
{
	int read = 1, equal = 1, n = 2000;
	char first[600] = "";

	for (int k = 0; k < n; k++) {
		struct analysis a, b;
		struct diag d;

		ranalysis(&a);
		if (round_trip(&a, k % 5 == 0, &b, &d) == -1) {
			if (read)
				snprintf(first, sizeof(first), "analysis %d: "
				    "%s", k, d.msg);
			read = 0;
		} else if (!same(&a, &b)) {
			if (equal)
				snprintf(first, sizeof(first), "analysis %d: "
				    "%s differs", k, why);
			equal = 0;
		}
		analysis_free(&a);
		analysis_free(&b);
	}
	ok(read, "%d random analyses: every document written is read back%s%s",
	    n, read ? "" : ": ", read ? "" : first);
	ok(equal, "%d random analyses: read(write(a)) == a%s%s", n,
	    equal ? "" : ": ", equal ? "" : first);
}

/*
 * The series written as raw text for a printer (fitdoc_write_as()) print
 * as the tree of arrays does (fitdoc_write()), byte for byte, compact and
 * pretty: random analyses (series empty, short, absent), and points that
 * are not finite (null in the tree).
 */
static void
test_layouts(void)
{
	int same = 1, n = 1000, seen = 0;
	char first[200] = "";

	for (int k = 0; k < n; k++) {
		struct analysis a;

		ranalysis(&a);
		/* Every fourth: a point of each series not finite. */
		for (size_t r = 0; k % 4 == 0 && r < a.nruns; r++) {
			if (a.runs[r].nrank > 0)
				a.runs[r].rank[0].y = NAN;
			if (a.runs[r].ninflight > 1)
				a.runs[r].inflight[1].x = INFINITY;
		}
		for (int pretty = 0; pretty < 2; pretty++) {
			char *t = printed(&a, FITDOC_TREE, pretty);
			char *r = printed(&a, pretty ? FITDOC_PRETTY :
			    FITDOC_COMPACT, pretty);

			if (t == NULL || r == NULL || strcmp(t, r) != 0) {
				if (same)
					snprintf(first, sizeof(first), ": "
					    "analysis %d, %s", k, pretty ?
					    "pretty" : "compact");
				same = 0;
			}
			seen += t != NULL && strstr(t, "[[") != NULL;
			cJSON_free(t);
			cJSON_free(r);
		}
		analysis_free(&a);
	}
	ok(same, "%d random analyses: the series as raw text print as the "
	    "tree does, compact and pretty%s", n, first);
	ok(seen > n / 2, "layouts: %d documents with points", seen);
}

/* Analyses from analysis_build() over random requests: runs of every
 * size, starts and ends missing at random, T given or not, sampled or
 * not, with or without series. */
static void
test_built_analyses(void)
{
	int built = 0, good = 1;
	char first[600] = "";

	for (int k = 0; k < 300; k++) {
		struct reqset rs;
		struct analysis_opt o;
		struct analysis a, b;
		struct diag d;
		struct ts svc = { 0, 0, 0, 0 };
		long conc;
		size_t nruns = 1 + rnd(6);
		char line[256];

		memset(&o, 0, sizeof(o));
		diag_clear(&d);
		reqset_init(&rs, &d);
		for (size_t r = 1; r <= nruns; r++) {
			unsigned n = 1 + (unsigned)rnd(k % 3 == 0 ? 3 : 30);

			for (unsigned i = 0; i < n; i++) {
				unsigned s0 = (unsigned)rnd(4);
				unsigned lat = (unsigned)(rnd(3) * rnd(3));
				int hs = rnd(4) != 0, he = rnd(5) != 0;
				char st[40] = "null", en[40] = "null";

				if (hs)
					snprintf(st, sizeof(st), "\"2023-11-01T"
					    "%02zu:00:%02u.5Z\"", r, s0);
				if (he || !hs)
					snprintf(en, sizeof(en), "\"2023-11-01T"
					    "%02zu:00:%02u.25Z\"", r, s0 + lat);
				snprintf(line, sizeof(line), "{\"run\":%zu,"
				    "\"i\":%u,\"start\":%s,\"end\":%s,"
				    "\"pid\":\"%u\",\"tid\":\"%u\"}", r, i, st,
				    en, (unsigned)rnd(2), (unsigned)rnd(5));
				reqset_line(&rs, line, strlen(line), &d);
			}
		}
		/* An input's trailer, now and then one that never came
		 * ("complete": false). */
		if (k % 3 != 0) {
			snprintf(line, sizeof(line), "{\"kind\":\"input\","
			    "\"src\":\"log%d\",\"bytes\":1,\"lines\":1,"
			    "\"events\":1,\"skipped\":0%s}", k,
			    k % 3 == 1 ? ",\"complete\":false" : "");
			reqset_line(&rs, line, strlen(line), &d);
		}
		reqset_finish(&rs, &d);
		if (rnd(2)) {
			svc.sec = (int64_t)rnd(3);
			o.service = &svc;
			o.nservice = 1;
		}
		if (rnd(3) == 0) {
			conc = 30 + (long)rnd(100);
			o.concurrency = &conc;
			o.nconcurrency = 1;
		}
		o.no_series = (int)rnd(2);
		if (analysis_build(&rs, &o, &a, &d) == 0) {
			built++;
			if (round_trip(&a, 0, &b, &d) == -1 || !same(&a, &b)) {
				if (good)
					snprintf(first, sizeof(first), "case "
					    "%d: %s", k, d.msg[0] ? d.msg :
					    why);
				good = 0;
			}
			analysis_free(&b);
			analysis_free(&a);
		}
		reqset_free(&rs);
	}
	ok(built > 200, "%d analyses built of 300", built);
	ok(good, "built analyses: read(write(a)) == a%s%s", good ? "" : ": ",
	    good ? "" : first);
}

#define RUN	"{\"run\":1,\"n\":2,\"first\":null,\"last\":null," \
	"\"spread\":null,\"stagger\":{\"fitted\":false,\"reason\":\"x\"}," \
	"\"service_time\":null,\"serialization\":null,\"parallelism\":null," \
	"\"littles_law\":null,\"arrival_stagger\":null," \
	"\"latency_slope\":null,\"latency\":null,\"unmatched_starts\":0," \
	"\"unmatched_ends\":0,\"sampled\":false,\"verdict\":\"unknown\"," \
	"\"reason\":\"r\"}"
#define NOFIT(k)	"\"" k "\":{\"fitted\":false,\"reason\":\"y\"}"
#define DOC	"{\"skew_fit\":1,\"runs\":[" RUN "]," NOFIT("skew") "," \
	NOFIT("skew_with_service_time") "," NOFIT("usl") "}"

/*
 * The minimal document with runs[0].key set to the JSON value (and key2
 * to value2 when not NULL) must be refused with msg.
 */
static void
refused(const char *key, const char *value, const char *key2,
    const char *value2, const char *msg)
{
	cJSON *j = cJSON_Parse(DOC);
	cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
	struct analysis a;
	struct diag d;

	cJSON_DeleteItemFromObject(r, key);
	cJSON_AddItemToObject(r, key, cJSON_Parse(value));
	if (key2 != NULL) {
		cJSON_DeleteItemFromObject(r, key2);
		cJSON_AddItemToObject(r, key2, cJSON_Parse(value2));
	}
	diag_clear(&d);
	ok(fitdoc_read(j, &a, &d) == -1 && d.code == DIAG_JSON,
	    "refused: runs[0].%s %s%s%s%s", key, value, key2 ? ", " : "",
	    key2 ? key2 : "", key2 ? value2 : "");
	is_str(d.msg, msg, "its message");
	cJSON_Delete(j);
}

static void
test_refused(void)
{
	struct analysis a;
	struct diag d;
	cJSON *j;

	/* The minimal document (every nullable null or absent, no
	 * provenance) reads, and the judgement it lacks is made by
	 * analyze/'s rule. */
	j = cJSON_Parse(DOC);
	diag_clear(&d);
	ok(j != NULL && fitdoc_read(j, &a, &d) == 0, "a minimal document "
	    "reads (%s)", d.msg);
	ok(a.nruns == 1 && a.runs[0].origin == STATS_ORIGIN_NONE && !a.has_prov &&
	    !a.runs[0].has_spread && !a.runs[0].has_series &&
	    !a.runs[0].has_waves && a.runs[0].T_src == TSRC_NONE,
	    "its nulls are nulls, its origin judged (none)");
	analysis_free(&a);
	cJSON_Delete(j);

	/* That minimal document is version 1: the keys version 2 added
	 * read as null; a version this program does not know is refused,
	 * naming it. */
	j = cJSON_Parse(DOC);
	diag_clear(&d);
	ok(j != NULL && fitdoc_read(j, &a, &d) == 0 &&
	    a.runs[0].shape == SHAPE_NONE && !a.runs[0].has_throughput &&
	    !a.runs[0].has_by_inflight && a.runs[0].waited_state == 0 &&
	    a.runs[0].pool_method == POOL_METHOD_NONE &&
	    !a.runs[0].has_paired && a.skew.open_left == 0,
	    "version 1: shape and the open traffic keys read as null");
	analysis_free(&a);
	cJSON_ReplaceItemInObject(j, "skew_fit", cJSON_CreateNumber(3));
	diag_clear(&d);
	ok(fitdoc_read(j, &a, &d) == -1 && d.code == DIAG_JSON,
	    "version 3 is refused");
	is_str(d.msg, "skew_fit: expected 1 or 2 (the versions of the document "
	    "this program reads), got 3", "its message names the version");
	cJSON_Delete(j);
	refused("shape", "\"closed\"", NULL, NULL, "runs[0].shape: expected "
	    "\"burst\", \"open\" or null, got a string");
	refused("waited", "{\"n\":1,\"fraction\":0.5}", NULL, NULL,
	    "runs[0].waited.wait_p50: expected a number or null, got nothing");
	refused("latency_by_inflight", "[{\"inflight\":-1,\"n\":1,"
	    "\"p50\":1,\"p90\":1}]", NULL, NULL, "runs[0].latency_by_inflight"
	    "[0].inflight: expected a count (a whole number, 0 or more), got a "
	    "number");
	refused("verdict", "\"maybe\"", NULL, NULL, "runs[0].verdict: "
	    "expected \"unknown\", \"parallel\", \"partial\" or \"serialized\", "
	    "got a string");
	refused("first", "\"2023-11-01T10:00:00Z\"", NULL, NULL,
	    "runs[0].last: expected an ISO time (first is one), got null");
	refused("first", "\"yesterday\"", "last", "\"today\"",
	    "runs[0].first: expected an ISO time, got \"yesterday\": "
	    "expected 4 digits of the year, got \"yesterday\"");
	refused("arrival_stagger", "{\"slope\":1}", NULL, NULL,
	    "runs[0].arrival_stagger: expected null (the other slope is), got "
	    "an object");
	refused("skew_origin", "\"elsewhere\"", NULL, NULL,
	    "runs[0].skew_origin: expected \"negligible\", \"admission\", "
	    "\"service\", \"both\" or null, got a string");
	refused("n", "-1", NULL, NULL, "runs[0].n: expected a count (a whole "
	    "number, 0 or more), got a number");
	refused("n", "9007199254740994", NULL, NULL, "runs[0].n: expected a "
	    "count (a whole number, 0 or more), got a number");
	refused("notes", "[\"1\",\"2\",\"3\",\"4\",\"5\"]", NULL, NULL,
	    "runs[0].notes: expected an array of at most 4 strings, got an "
	    "array");
	refused("service_time_source", "\"guessed\"", NULL, NULL,
	    "runs[0].service_time_source: expected \"given\", \"latency\" or "
	    "null, got a string");
	refused("spread", "\"5.1\"", NULL, NULL, "runs[0].spread: expected a "
	    "number or null, got a string");
	refused("sampled", "null", NULL, NULL, "runs[0].sampled: expected a "
	    "boolean, got null");
}

/* The minimal document with one input in its provenance, the JSON members
 * extra added to it. */
static cJSON *
doc_with_input(const char *extra)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%.*s,\"provenance\":{\"version\":null,"
	    "\"options\":[],\"inputs\":[{\"src\":\"a.log\",\"bytes\":1,"
	    "\"lines\":1,\"events\":1,\"skipped\":0,\"sha256\":null%s}]}}",
	    (int)strlen(DOC) - 1, DOC, extra);
	return cJSON_Parse(buf);
}

/*
 * An input whose trailer never came (the contract's "Provenance"): the
 * analysis says so from the requests' trailers, the document writes
 * "complete": false for it and nothing for a complete one, and the reader
 * takes an absent "complete" or true as complete and refuses what is not
 * a boolean.
 */
static void
test_incomplete(void)
{
	static const char *lines[] = {
		"{\"run\":1,\"i\":0,\"start\":null,"
		    "\"end\":\"2023-11-01T10:00:00Z\"}",
		"{\"kind\":\"input\",\"src\":\"cut.log\",\"bytes\":0,"
		    "\"lines\":0,\"events\":1,\"skipped\":0,\"sha256\":null,"
		    "\"complete\":false}",
		"{\"kind\":\"input\",\"src\":\"whole.log\",\"bytes\":9,"
		    "\"lines\":1,\"events\":0,\"skipped\":1}",
	};
	struct reqset rs;
	struct analysis_opt o;
	struct analysis a, b;
	struct diag d;
	const cJSON *ins;
	cJSON *j = NULL;

	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	reqset_init(&rs, &d);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		reqset_line(&rs, lines[i], strlen(lines[i]), &d);
	reqset_finish(&rs, &d);
	ok(analysis_build(&rs, &o, &a, &d) == 0 && a.prov.ninputs == 2,
	    "an analysis of two inputs (%s)", d.msg);
	ok(a.prov.inputs[0].complete == 0 && a.prov.inputs[1].complete == 1,
	    "the input whose trailer never came is not complete; the other is");
	ok(fitdoc_write(&a, &j, &d) == 0, "written");
	ins = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "provenance"),
	    "inputs");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(ins, 0),
	    "complete")), "the document says \"complete\": false for it");
	ok(cJSON_GetObjectItem(cJSON_GetArrayItem(ins, 1), "complete") ==
	    NULL, "and nothing for the complete one");
	/* Its numbers are raw text: printed and parsed to read it back. */
	ok(round_trip(&a, 0, &b, &d) == 0 && b.prov.ninputs == 2 &&
	    b.prov.inputs[0].complete == 0 && b.prov.inputs[1].complete == 1,
	    "read back as written (%s)", d.msg);
	analysis_free(&b);
	analysis_free(&a);
	cJSON_Delete(j);
	reqset_free(&rs);

	j = doc_with_input(",\"complete\":true");
	ok(j != NULL && fitdoc_read(j, &b, &d) == 0 &&
	    b.prov.inputs[0].complete == 1, "\"complete\": true reads as "
	    "complete");
	analysis_free(&b);
	cJSON_Delete(j);
	j = doc_with_input("");
	ok(j != NULL && fitdoc_read(j, &b, &d) == 0 &&
	    b.prov.inputs[0].complete == 1, "no \"complete\" reads as complete");
	analysis_free(&b);
	cJSON_Delete(j);
	j = doc_with_input(",\"complete\":\"no\"");
	diag_clear(&d);
	ok(j != NULL && fitdoc_read(j, &b, &d) == -1 && d.code == DIAG_JSON,
	    "\"complete\": \"no\" is refused");
	is_str(d.msg, "provenance.inputs[0].complete: expected a boolean, got "
	    "a string", "its message");
	analysis_free(&b);
	cJSON_Delete(j);
}

/* The judgements of the cross-run blocks, at their thresholds. */
static void
test_judgements(void)
{
	struct analysis_skew_t t = { 0 };
	struct analysis_usl u = { 0 };
	struct analysis a = { 0 };
	struct stats runs[2];

	is_int(analysis_depends(&t), ANALYSIS_NULL, "depends: not fitted: null");
	t.fitted = 1;
	t.c = 1;
	is_int(analysis_depends(&t), ANALYSIS_NULL, "depends: no stderr: null");
	t.has_c_se = 1;
	t.c_se = 0.5;
	is_int(analysis_depends(&t), ANALYSIS_FALSE, "|c| = 2 stderr: does not "
	    "depend");
	t.c = -1.0000001;
	is_int(analysis_depends(&t), ANALYSIS_TRUE, "|c| > 2 stderr: depends");

	is_int(analysis_peak_beyond(&u), ANALYSIS_NULL, "peak: not fitted: null");
	u.fitted = 1;
	u.max_measured_n = 64;
	is_int(analysis_peak_beyond(&u), ANALYSIS_NULL, "peak: none: null");
	u.has_peak = 1;
	u.peak_n = 64;
	is_int(analysis_peak_beyond(&u), ANALYSIS_FALSE, "peak at the largest n: "
	    "not beyond");
	u.peak_n = 64.5;
	is_int(analysis_peak_beyond(&u), ANALYSIS_TRUE, "peak past it: beyond");

	memset(runs, 0, sizeof(runs));
	runs[0].n = 100;
	runs[1].n = 194;
	a.runs = runs;
	a.nruns = 2;
	is_int(analysis_reached(&a), ANALYSIS_NULL, "reached: not fitted: null");
	a.skew.fitted = a.skew.has_reach = 1;
	a.skew.n_reach = 194.07;
	is_int(analysis_reached(&a), ANALYSIS_FALSE, "largest n 194 < 194.07");
	runs[0].n = 195;
	is_int(analysis_reached(&a), ANALYSIS_TRUE, "largest n 195 >= 194.07");
}

/* The minimal document with the traffic block t (NULL: without one):
 * read, or refused with msg. */
static void
traffic_read(const char *t, const char *msg)
{
	cJSON *j = cJSON_Parse(DOC);
	struct analysis a;
	struct diag d;
	int rc;

	if (t != NULL)
		cJSON_AddItemToObject(j, "traffic", cJSON_Parse(t));
	diag_clear(&d);
	rc = fitdoc_read(j, &a, &d);
	if (msg == NULL) {
		ok(rc == 0, "traffic %s: read (%s)", t ? t : "absent", d.msg);
		if (t == NULL)
			ok(!a.traffic.fitted && strstr(a.traffic.reason,
			    "not in the document") != NULL, "absent: not "
			    "fitted, said so: %s", a.traffic.reason);
		else
			ok(a.traffic.fitted && a.traffic.window == 2 &&
			    a.traffic.window_given && !a.traffic.has_series &&
			    !a.traffic.usl.fitted, "its fields, no series");
		analysis_free(&a);
	} else {
		ok(rc == -1 && d.code == DIAG_JSON, "traffic %s: refused", t);
		is_str(d.msg, msg, "its message");
	}
	cJSON_Delete(j);
}

#define TRAFFIC(w, src, usl) "{\"fitted\":true,\"window\":" w "," \
	"\"window_source\":\"" src "\",\"requests\":3,\"windows\":2," \
	"\"windows_with_completions\":2,\"idle_windows\":0,\"usl\":" usl "}"

static void
test_traffic_read(void)
{
	traffic_read(NULL, NULL);
	traffic_read(TRAFFIC("2", "given", "{\"fitted\":false,"
	    "\"reason\":\"r\"}"), NULL);
	traffic_read(TRAFFIC("0", "given", "{\"fitted\":false,"
	    "\"reason\":\"r\"}"), "traffic.window: expected a number above "
	    "0, got a number");
	traffic_read(TRAFFIC("2", "guessed", "{\"fitted\":false,"
	    "\"reason\":\"r\"}"), "traffic.window_source: expected "
	    "\"given\" or \"default\", got a string");
	traffic_read(TRAFFIC("2", "default", "{\"fitted\":true,"
	    "\"lambda\":\"1\"}"), "traffic.usl.lambda: expected a number, "
	    "got a string");
	traffic_read("{\"fitted\":true,\"window\":1,\"window_source\":"
	    "\"given\",\"requests\":1,\"windows\":1,"
	    "\"windows_with_completions\":1,\"idle_windows\":0,\"usl\":"
	    "{\"fitted\":false,\"reason\":\"r\"},\"series\":[[1]]}",
	    "traffic.series[0]: expected [number, number], got an array");
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_random_analyses();
	test_layouts();
	test_built_analyses();
	test_refused();
	test_incomplete();
	test_judgements();
	test_traffic_read();
	return done_testing();
}
