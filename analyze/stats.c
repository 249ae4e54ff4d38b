#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

static const char *const verdict_names[] = {
	"unknown", "parallel", "partial", "serialized"
};

const char *
stats_verdict_name(enum verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return NULL;
	return verdict_names[v];
}

int
stats_verdict_parse(const char *word)
{
	for (size_t i = 0; i < sizeof(verdict_names) / sizeof(verdict_names[0]);
	    i++)
		if (strcmp(word, verdict_names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const shape_names[] = { NULL, "burst", "open" };
static const char *const method_names[] = { NULL, "waves", "overlap" };

/* The word for value v of a table of n words (NULL at 0), or NULL. */
static const char *
name_of(const char *const *t, size_t n, unsigned v)
{
	return v < n ? t[v] : NULL;
}

/* The value whose word is w in a table of n words (from 1), or -1. */
static int
parse_of(const char *const *t, size_t n, const char *w)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(w, t[i]) == 0)
			return (int)i;
	return -1;
}

#define NWORDS(t)	(sizeof(t) / sizeof((t)[0]))

const char *
stats_shape_name(enum shape sh)
{
	return name_of(shape_names, NWORDS(shape_names), (unsigned)sh);
}

int
stats_shape_parse(const char *word)
{
	return parse_of(shape_names, NWORDS(shape_names), word);
}

const char *
stats_pool_method_name(enum pool_method m)
{
	return name_of(method_names, NWORDS(method_names), (unsigned)m);
}

int
stats_pool_method_parse(const char *word)
{
	return parse_of(method_names, NWORDS(method_names), word);
}

static const char *const stats_origin_names[] = {
	NULL, "negligible", "admission", "service", "both"
};

const char *
stats_origin_name(enum stats_origin o)
{
	return name_of(stats_origin_names, NWORDS(stats_origin_names),
	    (unsigned)o);
}

int
stats_origin_parse(const char *word)
{
	return parse_of(stats_origin_names, NWORDS(stats_origin_names), word);
}

/*
 * One run seen once and sorted once: what every measure below reads.  The
 * arrays are sized for the whole run (nr + 1, so that none is empty).
 */
struct view {
	const struct req *r;		/* the run as stored */
	size_t		  nr;
	const struct req **ends;	/* completions ranked by end time */
	size_t		  nseen;	/* completions in the log */
	struct ts	 *starts;	/* arrival times, sorted */
	size_t		  nstarts;
	double		 *x;		/* the ranks 0, 1, 2, ... */
	double		 *y;		/* completion times since the first */
	double		 *lat;		/* latencies of matched requests, */
	int64_t		 *latns;	/* by rank: seconds, nanoseconds */
	double		 *latx;		/* and their ranks */
	size_t		  nmatched;
	int64_t		  Tns;		/* the service time in ns, once known */
	int		  ser_high;	/* serialization >= 0.9, exactly */
	int		  ser_low;	/* serialization < 0.1, exactly */
	int		  not_burst;	/* spread > 1.5 (n - 1) T, exactly */
	int64_t		  minlat;	/* the lowest matched latency, ns */
	/* Scratch, each used by one measure at a time: */
	double		 *sorted;
	int64_t		 *waves;
	struct ts	 *ets;
	size_t		 *sizes;
};

static void
slope_of(const struct fit_line *f, struct slope *s)
{
	memset(s, 0, sizeof(*s));
	s->ok = f->ok;
	s->b = f->b;
	s->has_se = f->ok && f->has_se;
	s->b_se = s->has_se ? f->b_se : 0;
	s->has_r2 = f->ok && f->has_r2;
	s->r2 = s->has_r2 ? f->r2 : 0;
	if (!f->ok) {
		s->b = 0;
		snprintf(s->why, sizeof(s->why), "%s", f->why);
	}
}

static void
note(struct stats *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nnotes >= STATS_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(s->notes[s->nnotes++], STATS_TEXT, fmt, ap);
	va_end(ap);
}

static double
since(const struct ts *t, const struct ts *origin)
{
	struct ts dt;

	/* Exact difference first, then a double: relative times stay
	 * precise to the nanosecond where epoch doubles would not. */
	ts_sub(t, origin, &dt);
	return ts_double(&dt);
}

size_t
stats_pool_size(const size_t *sizes, size_t nwaves)
{
	size_t best = 0, bestcount = 0;

	if (nwaves < 2)
		return 0;
	/* The last wave is usually partial (64 through a pool of 40 finish
	 * 40 + 24), so it does not vote; with two waves only the first is
	 * left. */
	if (nwaves == 2)
		return sizes[0];
	for (size_t i = 0; i + 1 < nwaves; i++) {
		size_t count = 0;

		for (size_t j = 0; j + 1 < nwaves; j++)
			if (sizes[j] == sizes[i])
				count++;
		/* A tie goes to the larger size: a pool of k lets at most k
		 * through at once, so a smaller wave is a partial one. */
		if (count > bestcount || (count == bestcount &&
		    sizes[i] > best)) {
			best = sizes[i];
			bestcount = count;
		}
	}
	return best;
}

size_t
stats_thin_index(size_t k, size_t m, size_t max)
{
	if (m <= max)
		return k;
	/* round(k (m - 1) / (max - 1)) in integers: exact, and the last
	 * index is m - 1. */
	return (k * (m - 1) * 2 + (max - 1)) / (2 * (max - 1));
}

static int
cmp_ts(const void *a, const void *b)
{
	return ts_cmp(a, b);
}

struct ev {
	struct ts	t;
	int		delta;	/* +1 start, -1 end */
};

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	int c = ts_cmp(&x->t, &y->t);

	/* An end and a start at the same instant do not overlap. */
	if (c != 0)
		return c;
	return x->delta - y->delta;
}

/*
 * A duration in nanoseconds, saturated at about 73 years either way so that
 * the wave arithmetic below cannot overflow.  Waves are decided in integers:
 * a latency of exactly one and a half service times must not fall either
 * side of the rounding depending on how 4.8 - 3.2 comes out in binary.
 */
#define NS_CAP	(INT64_MAX / 4)

static int64_t
ns_of(const struct ts *dt)
{
	if (dt->sec > NS_CAP / 1000000000 - 1)
		return NS_CAP;
	if (dt->sec < -(NS_CAP / 1000000000 - 1))
		return -NS_CAP;
	return dt->sec * 1000000000 + dt->nsec;
}

static int64_t
ns_since(const struct ts *t, const struct ts *origin)
{
	struct ts dt;

	ts_sub(t, origin, &dt);
	return ns_of(&dt);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The verdict's thresholds compared exactly, spread / ((n - 1) T) against
 * 0.9 and 0.1 as 10 spread against 9 (n - 1) T and (n - 1) T in integer
 * nanoseconds: a run whose spread is exactly a tenth of (n - 1) T must not
 * be called parallel because 2.9 / 29 is 0.09999999999999999 in doubles.
 * The products need 128 bits (GCC and Clang both have them).
 */
static void
ser_bounds(const struct stats *s, struct view *k, int64_t spread,
    int64_t T)
{
	__extension__ typedef __int128 i128;
	i128 lhs = (i128)10 * spread;
	i128 base = (i128)(s->n - 1) * T;

	k->ser_high = lhs >= STATS_SER_HIGH_TENTHS * base;
	k->ser_low = lhs < STATS_SER_LOW_TENTHS * base;
	/* 2 spread > 3 (n - 1) T: further apart than a serialized burst
	 * with its overheads would finish. */
	k->not_burst = (i128)2 * spread > (i128)STATS_NOT_BURST_HALVES * base;
}

/* Sizes of waves of sorted times t[0..n): a gap above half a service
 * time (2 gap > T, exactly) starts a new wave. */
static size_t
gap_waves(const struct ts *t, size_t n, int64_t T, size_t *sizes)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		if (i == 0 || 2 * ns_since(&t[i], &t[i - 1]) > T)
			sizes[w++] = 0;
		sizes[w - 1]++;
	}
	return w;
}

struct pair {
	const char	*pid, *tid;
};

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a;
	uintptr_t y = (uintptr_t)*(const char *const *)b;

	return (x > y) - (x < y);
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = cmp_ptr(&x->pid, &y->pid);

	return c != 0 ? c : cmp_ptr(&x->tid, &y->tid);
}

/* Interned identities compare by pointer: count the distinct ones. */
static int
identities(const struct req *r, size_t nr, struct stats *s)
{
	const char **p;
	struct pair *q;
	size_t np = 0, nq = 0;

	if ((p = malloc((nr + 1) * sizeof(*p))) == NULL)
		return -1;
	if ((q = malloc((nr + 1) * sizeof(*q))) == NULL) {
		free(p);
		return -1;
	}
	for (size_t i = 0; i < nr; i++) {
		if (r[i].pid != NULL)
			p[np++] = r[i].pid;
		if (r[i].tid != NULL) {
			q[nq].pid = r[i].pid;
			q[nq++].tid = r[i].tid;
		}
	}
	qsort(p, np, sizeof(*p), cmp_ptr);
	qsort(q, nq, sizeof(*q), cmp_pair);
	if (np > 0) {
		s->has_pids = 1;
		for (size_t i = 0; i < np; i++)
			if (i == 0 || p[i] != p[i - 1])
				s->pids++;
	}
	if (nq > 0) {
		s->has_tids = 1;
		for (size_t i = 0; i < nq; i++)
			if (i == 0 || cmp_pair(&q[i], &q[i - 1]) != 0)
				s->tids++;
	}
	free(p);
	free(q);
	return 0;
}

/* A number for a sentence: at most three decimals, trailing zeros cut
 * ("10", "0.05", "1.234"). */
static const char *
say_num(double v, char *buf, size_t sz)
{
	char *e;

	snprintf(buf, sz, "%.3f", v);
	if (strchr(buf, '.') != NULL) {
		e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

/* A short duration for a sentence, in a unit that keeps digits: "0.1 s",
 * "51 ms", "37 us". */
static const char *
say_dur(double v, char *buf, size_t sz)
{
	char nb[32];

	if (v >= 0.1 || v <= 0)
		snprintf(buf, sz, "%s s", say_num(v, nb, sizeof(nb)));
	else if (v >= 0.001)
		snprintf(buf, sz, "%.0f ms", v * 1e3);
	else
		snprintf(buf, sz, "%.0f us", v * 1e6);
	return buf;
}

static void
decide(struct stats *s, const struct view *k, const double *lat,
    const struct ts *starts)
{
	char tb[32], sb[32], mb[32];
	size_t len;

	if (k->nseen == 0 && k->nstarts > 0) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "arrivals only: %zu start%s, "
		    "no completions", k->nstarts, k->nstarts == 1 ? "" : "s");
		return;
	}
	if (s->n < 2) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "%zu completion%s: a spread "
		    "needs 2", s->n, s->n == 1 ? "" : "s");
		return;
	}
	if (!s->has_spread) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "%zu completion%s seen of %zu: "
		    "a spread needs 2", k->nseen, k->nseen == 1 ? "" : "s",
		    s->n);
		return;
	}
	if (!s->has_T) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "service time unknown: no "
		    "request with both a start and an end, and no "
		    "--service-time");
		return;
	}
	if (s->T <= 0) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "service time is 0: nothing "
		    "to measure the spread against");
		return;
	}
	if (k->nstarts == 0 && k->not_burst) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "completions further apart "
		    "than one service time each: not a burst, and without "
		    "start times nothing shows how requests overlapped");
		return;
	}
	snprintf(s->reason, STATS_TEXT, "%zu requests of %s s finished "
	    "within %.3f s", s->n, say_num(s->T, tb, sizeof(tb)), s->spread);
	len = strlen(s->reason);
	if ((s->has_pool && s->pool == 1) ||
	    (s->has_serialization && k->ser_high)) {
		s->verdict = VERDICT_SERIALIZED;
		if (s->has_pool && s->pool == 1)
			snprintf(s->reason + len, STATS_TEXT - len,
			    ": one at a time, in %zu waves of 1", s->waves);
		else
			snprintf(s->reason + len, STATS_TEXT - len,
			    ": each waited for the previous one "
			    "(serialization %.2f)", s->serialization);
	} else if (s->has_waves && s->waves >= 2 && s->has_pool &&
	    s->pool >= 2) {
		s->verdict = VERDICT_PARTIAL;
		snprintf(s->reason + len, STATS_TEXT - len,
		    " in %zu waves: a pool of %zu", s->waves, s->pool);
	} else if (((s->has_waves && s->waves == 1) ||
	    (!s->has_waves && s->sampled)) && s->has_serialization &&
	    k->ser_low) {
		s->verdict = VERDICT_PARALLEL;
	} else {
		s->verdict = VERDICT_PARTIAL;
		if (s->has_serialization)
			snprintf(s->reason + len, STATS_TEXT - len,
			    " (serialization %.2f): neither all at once nor "
			    "one at a time", s->serialization);
	}

	/*
	 * Where the skew comes from, as stats_judge_origin() judged it
	 * (staggered arrivals with equal latencies are an admission limit in
	 * front of the service; latencies growing with rank are the service
	 * itself),
	 * with the figures that show it.  A negligible stagger gets none.
	 */
	if (k->nmatched >= 2 && k->nstarts >= 2 &&
	    s->origin != STATS_ORIGIN_NONE &&
	    s->origin != STATS_ORIGIN_NEGLIGIBLE) {
		double lo = lat[0], hi = lat[0], arr, per, med;
		size_t ns = s->sampled ? s->n : k->nstarts;

		for (size_t i = 1; i < k->nmatched; i++) {
			if (lat[i] < lo)
				lo = lat[i];
			if (lat[i] > hi)
				hi = lat[i];
		}
		arr = since(&starts[k->nstarts - 1], &starts[0]);
		med = s->has_latency ? s->p50 : lo;
		len = strlen(s->reason);
		if (s->origin == STATS_ORIGIN_ADMISSION && arr > 0) {
			per = arr / (double)(ns - 1);
			snprintf(s->reason + len, STATS_TEXT - len,
			    "; admitted one every %s (%.1f/s), each served in "
			    "%s", say_dur(per, sb, sizeof(sb)), 1 / per,
			    say_dur(med, mb, sizeof(mb)));
		} else if (s->origin != STATS_ORIGIN_ADMISSION && hi - lo > 0) {
			per = s->has_slopes && s->latslope.ok ?
			    s->latslope.b : (hi - lo) / (double)(s->n - 1);
			snprintf(s->reason + len, STATS_TEXT - len,
			    "; latency grows %s per request%s",
			    say_dur(per, sb, sizeof(sb)),
			    s->verdict == VERDICT_SERIALIZED ?
			    ": serialized service" :
			    s->verdict == VERDICT_PARTIAL ?
			    ": service is the limit" : "");
		}
	}
	/* Nothing in a completions-only log shows that the requests were
	 * sent at once: the verdict rests on that premise, and says so. */
	if (k->nstarts == 0) {
		len = strlen(s->reason);
		snprintf(s->reason + len, STATS_TEXT - len, " (completions "
		    "only: assumed a burst)");
	}
}

enum stats_origin
stats_judge_origin(const struct stats *s)
{
	double as = s->arrival.b, ls = s->latslope.b;

	if (s->has_slopes && s->arrival.ok && s->latslope.ok) {
		if (s->has_T && s->T > 0 && s->has_spread &&
		    s->spread < STATS_NEGLIGIBLE_SPREAD * s->T)
			return STATS_ORIGIN_NEGLIGIBLE;
		if (fabs(ls) <= STATS_DOMINANT_RATIO * fabs(as))
			return STATS_ORIGIN_ADMISSION;
		if (fabs(as) <= STATS_DOMINANT_RATIO * fabs(ls))
			return STATS_ORIGIN_SERVICE;
		return STATS_ORIGIN_BOTH;
	}
	/* One slope fitted and not the other says nothing either way. */
	if ((s->has_slopes && (s->arrival.ok || s->latslope.ok)) ||
	    !s->has_latency || !s->has_spread)
		return STATS_ORIGIN_NONE;
	return s->lmax - s->p50 < STATS_LATENCY_SPREAD * s->spread ?
	    STATS_ORIGIN_ADMISSION : STATS_ORIGIN_BOTH;
}

/* In-flight steps, max_inflight and Little's law from the intervals:
 * matched requests [start, end], unmatched starts [start, end of run]. */
static int
inflight(const struct req *r, size_t nr, const struct ts *origin,
    struct stats *s, const struct view *k, int want_series)
{
	struct ev *ev;
	size_t ne = 0, cur = 0, npts = 0;
	struct ts last = { 0, 0, 0, 0 }, first;
	double area = 0, span, latsum = 0;
	struct point *pts = NULL;
	int have_last = 0;

	if ((ev = malloc((2 * nr + 1) * sizeof(*ev))) == NULL)
		return -1;
	for (size_t i = 0; i < nr; i++) {
		if (r[i].has_start) {
			ev[ne].t = r[i].start;
			ev[ne++].delta = 1;
		}
		if (r[i].has_start && r[i].has_end)
			latsum += since(&r[i].end, &r[i].start);
		/* A request of no length is in flight for no time; leaving
		 * it out keeps an end from sorting before its own start. */
		if (r[i].has_start && r[i].has_end &&
		    ts_cmp(&r[i].end, &r[i].start) == 0)
			ne--;
		else if (r[i].has_start && r[i].has_end) {
			ev[ne].t = r[i].end;
			ev[ne++].delta = -1;
		}
	}
	if (ne == 0) {
		/* Only requests of no length: nothing was ever in flight. */
		free(ev);
		s->has_inflight = 1;
		s->ll_state = -1;
		snprintf(s->ll_why, FIT_WHY, "the run spans no time");
		return 0;
	}
	qsort(ev, ne, sizeof(*ev), cmp_ev);
	/* Unmatched starts are still in flight when the run's last event
	 * happens: they end there, so that the integral counts them. */
	for (size_t i = 0; i < nr; i++)
		if (r[i].has_end && ts_cmp(&r[i].end, &ev[ne - 1].t) > 0) {
			if (!have_last || ts_cmp(&r[i].end, &last) > 0)
				last = r[i].end;
			have_last = 1;
		}
	if (!have_last)
		last = ev[ne - 1].t;
	first = ev[0].t;
	if (want_series && (pts = malloc((ne + 1) * sizeof(*pts))) == NULL) {
		free(ev);
		return -1;
	}
	for (size_t i = 0; i < ne; i++) {
		if (i > 0)
			area += (double)cur * since(&ev[i].t, &ev[i - 1].t);
		/* Every end sorts after its own start (zero-length requests
		 * are left out), so the count never goes below zero. */
		if (ev[i].delta > 0)
			cur++;
		else
			cur--;
		if (cur > s->max_inflight)
			s->max_inflight = cur;
		if (pts != NULL && (i + 1 == ne ||
		    ts_cmp(&ev[i + 1].t, &ev[i].t) != 0)) {
			/* One point per instant: the count after every event
			 * at that time. */
			pts[npts].x = since(&ev[i].t, origin);
			pts[npts++].y = (double)cur;
		}
	}
	area += (double)cur * since(&last, &ev[ne - 1].t);
	s->has_inflight = 1;
	span = since(&last, &first);
	if (k->nmatched == 0) {
		/* Nothing completed: X R is 0 whatever was in flight, and
		 * calling that "off" would blame the law. */
		s->ll_state = -1;
		snprintf(s->ll_why, FIT_WHY, "no request completed");
	} else if (span > 0) {
		s->ll_state = 1;
		s->ll_mean = area / span;
		/* X R: completions per second over the span times the mean
		 * latency of the completed requests. */
		s->ll_xr = k->nmatched > 0 ? ((double)k->nmatched / span) *
		    (latsum / (double)k->nmatched) : 0;
		s->ll_ok = fabs(s->ll_mean - s->ll_xr) <=
		    STATS_LITTLE_TOL * fmax(s->ll_mean, s->ll_xr);
	} else {
		s->ll_state = -1;
		snprintf(s->ll_why, FIT_WHY, "the run spans no time");
	}
	free(ev);
	s->inflight = pts;
	s->ninflight = npts;
	return 0;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct req *x = *(const struct req *const *)a;
	const struct req *y = *(const struct req *const *)b;
	int c = ts_cmp(&x->end, &y->end);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

static int
thin(struct point **p, size_t *n)
{
	size_t m = *n;

	if (m <= STATS_SERIES_MAX)
		return 0;
	for (size_t k = 0; k < STATS_SERIES_MAX; k++)
		(*p)[k] = (*p)[stats_thin_index(k, m, STATS_SERIES_MAX)];
	*n = STATS_SERIES_MAX;
	return 1;
}

static void
view_free(struct view *v)
{
	free(v->ends);
	free(v->starts);
	free(v->x);
	free(v->y);
	free(v->lat);
	free(v->latns);
	free(v->latx);
	free(v->sorted);
	free(v->waves);
	free(v->ets);
	free(v->sizes);
}

/* Split the run into its completions and arrivals and sort each once. */
static int
view_make(struct view *v, const struct req *r, size_t nr)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->nr = nr;
	if ((v->ends = malloc((nr + 1) * sizeof(*v->ends))) == NULL ||
	    (v->starts = malloc((nr + 1) * sizeof(*v->starts))) == NULL ||
	    (v->x = malloc((nr + 1) * sizeof(*v->x))) == NULL ||
	    (v->y = malloc((nr + 1) * sizeof(*v->y))) == NULL ||
	    (v->lat = malloc((nr + 1) * sizeof(*v->lat))) == NULL ||
	    (v->latns = malloc((nr + 1) * sizeof(*v->latns))) == NULL ||
	    (v->latx = malloc((nr + 1) * sizeof(*v->latx))) == NULL ||
	    (v->sorted = malloc((nr + 1) * sizeof(*v->sorted))) == NULL ||
	    (v->waves = malloc((nr + 1) * sizeof(*v->waves))) == NULL ||
	    (v->ets = malloc((nr + 1) * sizeof(*v->ets))) == NULL ||
	    (v->sizes = malloc((nr + 1) * sizeof(*v->sizes))) == NULL)
		return -1;
	for (size_t i = 0; i < nr; i++) {
		if (r[i].has_end)
			v->ends[v->nseen++] = &r[i];
		if (r[i].has_start)
			v->starts[v->nstarts++] = r[i].start;
	}
	/* Rank by end time, whatever order the records came in. */
	qsort(v->ends, v->nseen, sizeof(*v->ends), cmp_rank);
	qsort(v->starts, v->nstarts, sizeof(*v->starts), cmp_ts);
	for (size_t i = 0; i < nr; i++)
		v->x[i] = (double)i;
	for (size_t i = 0; i < v->nseen; i++) {
		const struct req *e = v->ends[i];

		v->y[i] = since(&e->end, &v->ends[0]->end);
		if (e->has_start) {
			v->latns[v->nmatched] = ns_since(&e->end, &e->start);
			v->lat[v->nmatched] = since(&e->end, &e->start);
			v->latx[v->nmatched++] = (double)i;
		}
	}
	return 0;
}

static void
measure_unmatched(const struct view *v, struct stats *s)
{
	for (size_t i = 0; i < v->nr; i++)
		if (v->r[i].has_start && !v->r[i].has_end)
			s->unmatched_starts++;
	/* Completions-only logs pair nothing: their ends are not
	 * "unmatched", there was nothing to match them with. */
	if (v->nstarts > 0)
		for (size_t i = 0; i < v->nseen; i++)
			if (!v->ends[i]->has_start)
				s->unmatched_ends++;
}

/* n: the completions seen, or the run's true size when it was sampled. */
static int
measure_size(const struct view *v, const struct stats_opt *o,
    struct stats *s, struct diag *d)
{
	s->n = v->nseen;
	if (o->concurrency > 0) {
		if ((size_t)o->concurrency < v->nseen)
			return diag_set(d, DIAG_USAGE, "run %u: --concurrency "
			    "%ld is fewer than the %zu completions seen",
			    s->run, o->concurrency, v->nseen);
		s->n = (size_t)o->concurrency;
		s->sampled = s->n > v->nseen;
	}
	if (s->sampled)
		note(s, "sampled run: %zu of %zu completions seen; waves, "
		    "pool sizes and slopes not computed", v->nseen, s->n);
	return 0;
}

static void
measure_spread(const struct view *v, struct stats *s)
{
	/* One completion seen of a sampled run says nothing of its spread. */
	s->has_spread = v->nseen > 0 && (!s->sampled || v->nseen >= 2);
	if (v->nseen > 0) {
		s->has_first = 1;
		s->first = v->ends[0]->end;
		s->last = v->ends[v->nseen - 1]->end;
		s->spread = since(&s->last, &s->first);
	}
}

static void
measure_stagger(const struct view *v, struct stats *s)
{
	struct fit_line fl;

	if (s->sampled && !s->has_spread) {
		snprintf(s->stagger.why, FIT_WHY, "sampled run: %zu "
		    "completion%s seen; 2 needed", v->nseen,
		    v->nseen == 1 ? "" : "s");
	} else if (s->sampled) {
		/* Only the ends of a sampled run are known: the slope is the
		 * spread over the true number of steps, with no error. */
		s->stagger.ok = 1;
		s->stagger.b = s->spread / (double)(s->n - 1);
	} else {
		fit_linear(v->x, v->y, v->nseen, &fl);
		slope_of(&fl, &s->stagger);
	}
}

/* T: given, or the lowest latency seen. */
static void
measure_service(struct view *v, const struct stats_opt *o,
    struct stats *s)
{
	if (o->has_service) {
		s->has_T = 1;
		s->T = ts_double(&o->service);
		v->Tns = ns_of(&o->service);
		s->T_src = TSRC_GIVEN;
	} else if (v->nmatched > 0) {
		/* The lowest latency, not the median: the first wave did not
		 * queue, and a median would hide queueing in T itself. */
		s->has_T = 1;
		s->T = v->lat[0];
		v->Tns = v->latns[0];
		for (size_t i = 1; i < v->nmatched; i++)
			if (v->latns[i] < v->Tns) {
				s->T = v->lat[i];
				v->Tns = v->latns[i];
			}
		s->T_src = TSRC_LATENCY;
	} else
		note(s, "service time unknown: give --service-time");
}

static void
measure_serialization(struct view *v, struct stats *s)
{
	if (s->has_T && s->T > 0 && s->n >= 2 && s->has_spread) {
		s->has_serialization = 1;
		s->serialization = s->spread / ((double)(s->n - 1) * s->T);
		ser_bounds(s, v, ns_since(&s->last, &s->first), v->Tns);
		if (s->serialization > 1)
			s->serialization = 1;
		if (s->serialization < 0)
			s->serialization = 0;
	}
}

static void
measure_parallelism(struct stats *s)
{
	if (s->has_T && s->has_spread && s->spread + s->T > 0) {
		s->has_parallelism = 1;
		s->parallelism = (double)s->n * s->T / (s->spread + s->T);
	}
}

static void
measure_latency(struct view *v, struct stats *s)
{
	double *sorted = v->sorted;
	size_t n = v->nmatched;

	if (n == 0)
		return;
	memcpy(sorted, v->lat, n * sizeof(*sorted));
	gsl_sort(sorted, 1, n);
	s->has_latency = 1;
	s->p50 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.5);
	s->p90 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.9);
	s->p99 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.99);
	s->lmax = sorted[n - 1];
}

/*
 * In flight and Little's law describe the requests seen, so they are kept
 * for a sampled run too (the contract leaves out only waves and slopes
 * there).
 */
static int
measure_inflight(const struct view *v, const struct stats_opt *o,
    struct stats *s, struct diag *d)
{
	if (v->nstarts == 0)
		return 0;
	/* Times in the series count from the first completion, or from the
	 * first arrival when nothing completed. */
	if (inflight(v->r, v->nr, v->nseen > 0 ? &s->first : &v->starts[0],
	    s, v, !o->no_series) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	return 0;
}

/*
 * Burst or open: open when the arrivals span more than the lowest matched
 * latency (whatever --service-time says), since then some request arrived
 * after another could have been served.  Compared in nanoseconds.
 */
static void
measure_shape(struct view *v, struct stats *s)
{
	if (v->nseen == 0)
		return;
	s->shape = SHAPE_BURST;
	if (v->nmatched == 0 || v->nstarts == 0)
		return;
	v->minlat = v->latns[0];
	for (size_t i = 1; i < v->nmatched; i++)
		if (v->latns[i] < v->minlat)
			v->minlat = v->latns[i];
	if (ns_since(&v->starts[v->nstarts - 1], &v->starts[0]) > v->minlat)
		s->shape = SHAPE_OPEN;
}

/* The slopes would put a sampled run's ranks where they are unknown. */
static void
measure_slopes(struct view *v, struct stats *s)
{
	struct fit_line fl;

	if (v->nstarts == 0 || s->sampled)
		return;
	s->has_slopes = 1;
	for (size_t i = 0; i < v->nstarts; i++)
		v->sorted[i] = since(&v->starts[i], &v->starts[0]);
	fit_linear(v->x, v->sorted, v->nstarts, &fl);
	slope_of(&fl, &s->arrival);
	fit_linear(v->latx, v->lat, v->nmatched, &fl);
	slope_of(&fl, &s->latslope);
}

/* nw waves of the given sizes: their count, and a pool size from two. */
static void
set_waves(const size_t *sizes, size_t nw, int *has_waves, size_t *waves,
    int *has_pool, size_t *pool)
{
	*has_waves = 1;
	*waves = nw;
	if (nw >= 2) {
		*has_pool = 1;
		*pool = stats_pool_size(sizes, nw);
	}
}

/* Waves of completions and of arrivals, and the pool sizes they give. */
static void
measure_waves(struct view *v, struct stats *s)
{
	int64_t T = v->Tns, *w = v->waves;
	size_t *sizes = v->sizes, nw;

	if (!s->has_T || T <= 0 || s->sampled || v->nseen == 0)
		return;
	if (v->nmatched == v->nseen) {
		/*
		 * Every latency known: a request's wave is how many service
		 * times it waited, rounded half up, in integers:
		 * floor((2 (L - T) + T) / (2 T)).  A given T longer than the
		 * latencies gives negative waves, as the contract's
		 * round((L - T) / T) does.
		 */
		for (size_t i = 0; i < v->nseen; i++) {
			int64_t num = 2 * (v->latns[i] - T) + T;
			int64_t q = num / (2 * T);

			if (num % (2 * T) != 0 && num < 0)
				q--;
			w[i] = q;
		}
		qsort(w, v->nseen, sizeof(*w), cmp_i64);
		nw = 0;
		for (size_t i = 0; i < v->nseen; i++) {
			if (i == 0 || w[i] != w[i - 1])
				sizes[nw++] = 0;
			sizes[nw - 1]++;
		}
	} else {
		for (size_t i = 0; i < v->nseen; i++)
			v->ets[i] = v->ends[i]->end;
		nw = gap_waves(v->ets, v->nseen, T, sizes);
	}
	set_waves(sizes, nw, &s->has_waves, &s->waves, &s->has_pool, &s->pool);
	s->pool_method = POOL_METHOD_WAVES;
	if (v->nstarts > 0) {
		nw = gap_waves(v->starts, v->nstarts, T, sizes);
		set_waves(sizes, nw, &s->has_awaves, &s->awaves, &s->has_apool,
		    &s->apool);
	}
}

/* The rank plot's points (and the in-flight steps), thinned to at most
 * STATS_SERIES_MAX each. */
static int
measure_series(const struct view *v, const struct stats_opt *o,
    struct stats *s, struct diag *d)
{
	if (o->no_series)
		return 0;
	s->has_series = 1;
	if ((s->rank = malloc((v->nseen + 1) * sizeof(*s->rank))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < v->nseen; i++) {
		s->rank[i].x = v->x[i];
		s->rank[i].y = v->y[i];
	}
	s->nrank = v->nseen;
	s->thinned = thin(&s->rank, &s->nrank);
	if (s->inflight != NULL && thin(&s->inflight, &s->ninflight))
		s->thinned = 1;
	return 0;
}

/* Each measure in turn over one sorted view; a later one may read what an
 * earlier one filled in *s (n, the spread, T). */
int
stats_run(const struct req *r, size_t nr, uint32_t run,
    const struct stats_opt *o, struct stats *s, struct diag *d)
{
	struct view v;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->run = run;
	if (view_make(&v, r, nr) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	measure_unmatched(&v, s);
	if (measure_size(&v, o, s, d) == -1)
		goto out;
	measure_shape(&v, s);
	measure_spread(&v, s);
	measure_stagger(&v, s);
	measure_service(&v, o, s);
	measure_serialization(&v, s);
	measure_parallelism(s);
	measure_latency(&v, s);
	if (measure_inflight(&v, o, s, d) == -1)
		goto out;
	measure_slopes(&v, s);
	measure_waves(&v, s);
	if (identities(r, nr, s) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	s->origin = stats_judge_origin(s);
	decide(s, &v, v.lat, v.starts);
	if (measure_series(&v, o, s, d) == -1)
		goto out;
	rc = 0;
out:
	view_free(&v);
	return rc;
}

void
stats_free(struct stats *s)
{
	if (s == NULL)
		return;
	free(s->rank);
	free(s->inflight);
	free(s->by_inflight);
	s->by_inflight = NULL;
	s->nby_inflight = 0;
	s->rank = s->inflight = NULL;
	s->nrank = s->ninflight = 0;
}
