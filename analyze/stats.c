#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "radix.h"
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
 * arrays are sized for the whole run (nr + 1, so that none is empty).  The
 * orders are made by view_make() and open_sweep() and reused by every
 * measure: completions by rank (as a request set stores them, so nothing
 * to sort then), arrival times sorted, and an open run's requests by start
 * and by end; nothing else sorts them again.
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
	/* Counted as the run is split: */
	size_t		  unmatched;	/* starts with no end */
	int		  has_status;	/* a request carries a status */
	size_t		  errors;	/* ... of 400 or more */
	/* Scratch, each used by one measure at a time: */
	double		 *sorted;
	int64_t		 *waves;
	uint64_t	 *keys;
	uint32_t	 *perm;
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

/* The seconds below which a count of nanoseconds stays under 2^53. */
#define DT_FAST_SEC	(((INT64_C(1) << 53) - TS_NS) / TS_NS)

static inline double
since(const struct ts *t, const struct ts *origin)
{
	struct ts dt;

	/* Exact difference first, then a double: relative times stay
	 * precise to the nanosecond where epoch doubles would not.  Under
	 * 2^53 ns (104 days) the count is exact as a double and one
	 * division by 1e9 rounds it once: the nearest, as ts_double()
	 * gives, without its search (no such count is halfway between two
	 * doubles). */
	ts_sub(t, origin, &dt);
	if (dt.sec >= 0 && dt.sec < DT_FAST_SEC)
		return (double)(dt.sec * TS_NS + dt.nsec) / 1e9;
	return ts_double(&dt);
}

int
stats_pool_size(size_t *sizes, size_t nwaves, size_t *pool)
{
	size_t best = 0, bestcount = 0, m = nwaves - 1;
	uint64_t *key;

	*pool = 0;
	if (nwaves < 2)
		return 0;
	/* The last wave is usually partial (64 through a pool of 40 finish
	 * 40 + 24), so it does not vote; with two waves only the first is
	 * left. */
	if (nwaves == 2) {
		*pool = sizes[0];
		return 0;
	}
	/* The mode of the others, sorted once by a radix sort: O(w), where
	 * counting each against all was O(w^2) (an open run of 100k requests
	 * with latencies spread over thousands of T has tens of thousands of
	 * waves).  Ascending, so that a tie goes to the later, larger
	 * size: a pool of k lets at most k through at once, so a smaller
	 * wave is a partial one. */
	if ((key = malloc(m * sizeof(*key))) == NULL)
		return -1;
	for (size_t i = 0; i < m; i++)
		key[i] = sizes[i];
	if (radix_pairs(key, NULL, m) == -1) {
		free(key);
		return -1;
	}
	for (size_t i = 0; i < m; i++)
		sizes[i] = (size_t)key[i];
	free(key);
	for (size_t i = 0, j; i < m; i = j) {
		for (j = i; j < m && sizes[j] == sizes[i]; j++)
			continue;
		if (j - i >= bestcount) {
			best = sizes[i];
			bestcount = j - i;
		}
	}
	*pool = best;
	return 0;
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

struct ev {
	struct ts	t;
	int		delta;	/* +1 start, -1 end */
};

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

static inline int64_t
ns_since(const struct ts *t, const struct ts *origin)
{
	struct ts dt;

	ts_sub(t, origin, &dt);
	return ns_of(&dt);
}

/* perm[0..n): the indexes of t[0..n) in ascending order, ties in index
 * order (key: room for n keys).  -1 when out of memory. */
static int
order_i64(const int64_t *t, size_t n, uint64_t *key, uint32_t *perm)
{
	for (size_t k = 0; k < n; k++) {
		/* The sign bit flipped: two's complement as unsigned. */
		key[k] = (uint64_t)t[k] ^ (UINT64_C(1) << 63);
		perm[k] = (uint32_t)k;
	}
	return radix_pairs(key, perm, n);
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

/*
 * A set of identity pairs (pid, tid), pointers compared as integers:
 * interned identities are the same pointer when the same string.  Open
 * addressing in a table of a power of two slots, at most half full (grown
 * as pairs come); a slot with both NULL is empty (a pair put in has one
 * identity at least).  Counting needs no order: a distinct pair costs one
 * hash and a probe or two, where a radix sort of the pointers took
 * several passes over every request.
 */
struct idpair {
	const char	*p, *t;
};

struct idset {
	struct idpair	*slot;
	size_t		 mask, n;	/* slots - 1, pairs held */
	int		 shift;		/* 64 - log2(slots) */
};

/* An empty set of 2^bits slots: -1 when out of memory. */
static int
idset_init(struct idset *h, int bits)
{
	h->mask = ((size_t)1 << bits) - 1;
	h->shift = 64 - bits;
	h->n = 0;
	h->slot = calloc(h->mask + 1, sizeof(*h->slot));
	return h->slot == NULL ? -1 : 0;
}

/* The slot of (p, t), or the empty one where it would go (Fibonacci
 * hashing of the two pointers, linear probing). */
static inline size_t
idset_find(const struct idset *h, const char *p, const char *t)
{
	uint64_t pp = (uint64_t)(uintptr_t)p;
	size_t i = (size_t)((((uint64_t)(uintptr_t)t ^ (pp << 32 | pp >> 32)) *
	    UINT64_C(0x9e3779b97f4a7c15)) >> h->shift);

	while ((h->slot[i].p != p || h->slot[i].t != t) &&
	    (h->slot[i].p != NULL || h->slot[i].t != NULL))
		i = (i + 1) & h->mask;
	return i;
}

/* Put (p, t) (not both NULL, not in the set) in slot i, idset_find()'s:
 * -1 when out of memory. */
static int
idset_add(struct idset *h, size_t i, const char *p, const char *t)
{
	struct idset g;

	h->slot[i].p = p;
	h->slot[i].t = t;
	if (2 * ++h->n <= h->mask + 1)
		return 0;
	/* Over half full: twice the slots. */
	if (idset_init(&g, 64 - h->shift + 1) == -1)
		return -1;
	for (size_t j = 0; j <= h->mask; j++)
		if (h->slot[j].p != NULL || h->slot[j].t != NULL)
			g.slot[idset_find(&g, h->slot[j].p,
			    h->slot[j].t)] = h->slot[j];
	g.n = h->n;
	free(h->slot);
	*h = g;
	return 0;
}

/* Put (p, t) in when it is not there: -1 when out of memory. */
static inline int
idset_put(struct idset *h, const char *p, const char *t)
{
	size_t i = idset_find(h, p, t);

	if (h->slot[i].p == p && h->slot[i].t == t)
		return 0;
	return idset_add(h, i, p, t);
}

/*
 * The distinct pids, and the distinct (pid, tid) pairs of the requests
 * with a tid (by tid alone when every request has the same pid, or none:
 * the same count).  A pair that repeats the request before's is not looked
 * up, nor a pid when the run has one.
 */
static int
identities(const struct req *r, size_t nr, struct stats *s)
{
	struct idset h;
	const char *p0 = NULL, *lp = NULL, *lt = NULL;
	size_t np = 0;
	int multi = 0, rc = -1;

	if (idset_init(&h, 4) == -1)
		return -1;
	for (size_t i = 0; i < nr; i++) {
		const char *p = r[i].pid, *t = r[i].tid;

		if (p != NULL && np++ == 0)
			p0 = p;
		multi |= p != NULL && p != p0;
		if (t == NULL || (t == lt && p == lp))
			continue;
		lt = t;
		lp = p;
		if (idset_put(&h, p, t) == -1)
			goto out;
	}
	s->tids = h.n;
	s->has_tids = h.n > 0;
	s->pids = np > 0;
	if (multi) {
		/* Pids differ: each one counted, in a set of their own. */
		free(h.slot);
		if (idset_init(&h, 4) == -1)
			return -1;
		lp = NULL;
		for (size_t i = 0; i < nr; i++)
			if (r[i].pid != NULL && r[i].pid != lp &&
			    idset_put(&h, lp = r[i].pid, NULL) == -1)
				goto out;
		s->pids = h.n;
	}
	s->has_pids = s->pids > 0;
	rc = 0;
out:
	free(h.slot);
	return rc;
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

/* The next completion of the view from e[j] on that has a start and is of
 * no length (zero) or of some (!zero); n when there is none. */
static size_t
next_matched(const struct req *const *e, size_t n, size_t j, int zero)
{
	while (j < n && !(e[j]->has_start &&
	    (ts_cmp(&e[j]->end, &e[j]->start) == 0) == zero))
		j++;
	return j;
}

/*
 * The in-flight events of the run in time order, ends before starts at one
 * instant (an end and a start at the same instant do not overlap): the
 * sorted arrival times and the completions by rank merged, the requests of
 * no length left out (in flight for no time; leaving them out keeps an end
 * from sorting before its own start).  Their count.
 */
static size_t
inflight_events(const struct view *v, struct ev *ev)
{
	const struct req *const *e = v->ends;
	const struct ts *st = v->starts;
	size_t ne = 0, si = 0, n = v->nseen;
	size_t ej = next_matched(e, n, 0, 0), zj = next_matched(e, n, 0, 1);

	while (si < v->nstarts || ej < n) {
		/* A request of no length: one start at its time is not an
		 * event (which one of equal times is the same). */
		if (si < v->nstarts && zj < n &&
		    ts_cmp(&st[si], &e[zj]->end) == 0) {
			si++;
			zj = next_matched(e, n, zj + 1, 1);
			continue;
		}
		if (ej < n && (si == v->nstarts ||
		    ts_cmp(&e[ej]->end, &st[si]) <= 0)) {
			ev[ne].t = e[ej]->end;
			ev[ne++].delta = -1;
			ej = next_matched(e, n, ej + 1, 0);
		} else {
			ev[ne].t = st[si++];
			ev[ne++].delta = 1;
		}
	}
	return ne;
}

/* In-flight steps, max_inflight and Little's law from the intervals:
 * matched requests [start, end], unmatched starts [start, end of run]. */
static int
inflight(const struct view *k, const struct ts *origin, struct stats *s,
    int want_series)
{
	const struct req *r = k->r;
	size_t nr = k->nr, ne, cur = 0, npts = 0;
	struct ev *ev;
	struct ts last = { 0, 0, 0, 0 }, first;
	double area = 0, span, latsum = 0;
	struct point *pts = NULL;
	int have_last = 0;

	if ((ev = malloc((2 * nr + 1) * sizeof(*ev))) == NULL)
		return -1;
	for (size_t i = 0; i < nr; i++)
		if (r[i].has_start && r[i].has_end)
			latsum += since(&r[i].end, &r[i].start);
	ne = inflight_events(k, ev);
	if (ne == 0) {
		/* Only requests of no length: nothing was ever in flight. */
		free(ev);
		s->has_inflight = 1;
		s->ll_state = -1;
		snprintf(s->ll_why, FIT_WHY, "the run spans no time");
		return 0;
	}
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

/* Whether completions e[0..n) are by rank: end time (ts_cmp()'s order, its
 * tests folded into one expression), then i. */
static int
ranked(const struct req *const *e, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		const struct ts *a = &e[j - 1]->end, *b = &e[j]->end;

		if (a->sec != b->sec ? a->sec > b->sec : a->nsec != b->nsec ?
		    a->nsec > b->nsec : e[j - 1]->i > e[j]->i)
			return 0;
	}
	return 1;
}

/*
 * Rank completions e[0..n) that did not come by rank (a hand-made request
 * file): by i, then stably by end time, so that equal (end, i) keep the
 * order they came in, as the merge sort of old did.  -1 when out of
 * memory.
 */
static int
rank_ends(const struct req **e, size_t n)
{
	uint64_t *key = malloc((n + 1) * sizeof(*key));
	uint32_t *perm = malloc((n + 1) * sizeof(*perm));
	struct ts *t = malloc((n + 1) * sizeof(*t));
	int rc = -1;

	if (key == NULL || perm == NULL || t == NULL)
		goto out;
	for (size_t j = 0; j < n; j++) {
		key[j] = e[j]->i;
		perm[j] = (uint32_t)j;
		t[j] = e[j]->end;
	}
	if (radix_pairs(key, perm, n) == 0 &&
	    radix_ts_refine(t, 0, n, perm) == 0)
		rc = radix_apply(e, sizeof(*e), perm, n);
out:
	free(key);
	free(perm);
	free(t);
	return rc;
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
	free(v->keys);
	free(v->perm);
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
	    (v->keys = malloc((nr + 1) * sizeof(*v->keys))) == NULL ||
	    (v->perm = malloc((nr + 1) * sizeof(*v->perm))) == NULL ||
	    (v->ets = malloc((nr + 1) * sizeof(*v->ets))) == NULL ||
	    (v->sizes = malloc((nr + 1) * sizeof(*v->sizes))) == NULL)
		return -1;
	for (size_t i = 0; i < nr; i++) {
		if (r[i].has_end)
			v->ends[v->nseen++] = &r[i];
		if (r[i].has_start)
			v->starts[v->nstarts++] = r[i].start;
		v->unmatched += r[i].has_start && !r[i].has_end;
		v->has_status |= r[i].status != 0;
		v->errors += r[i].status >= 400;
		v->x[i] = (double)i;
	}
	/* Rank by end time: a request set stores each run so (the
	 * contract's rank i), checked in one pass; else sorted. */
	if (!ranked(v->ends, v->nseen) && rank_ends(v->ends, v->nseen) == -1)
		return -1;
	if (radix_ts_sort(v->starts, v->nstarts) == -1)
		return -1;
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
	s->unmatched_starts = v->unmatched;
	/* Completions-only logs pair nothing: their ends are not
	 * "unmatched", there was nothing to match them with.  (The
	 * completions with a start are the matched ones.) */
	if (v->nstarts > 0)
		s->unmatched_ends = v->nseen - v->nmatched;
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
	s->has_errors = v->has_status;
	s->errors = v->errors;
	if (o->has_service) {
		s->has_T = 1;
		s->T = ts_double(&o->service);
		v->Tns = ns_of(&o->service);
		s->T_src = TSRC_GIVEN;
	} else if (v->nmatched > 0) {
		/* The lowest latency, not the median: the first wave did not
		 * queue, and a median would hide queueing in T itself.  An
		 * error (status >= 400) is left out: a refusal sent at once
		 * is not the service (unless --keep-errors). */
		for (size_t i = 0; i < v->nmatched; i++) {
			if (!o->keep_errors &&
			    v->ends[(size_t)v->latx[i]]->status >= 400)
				continue;
			if (!s->has_T || v->latns[i] < v->Tns) {
				s->T = v->lat[i];
				v->Tns = v->latns[i];
			}
			s->has_T = 1;
		}
		if (s->has_T)
			s->T_src = TSRC_LATENCY;
		else
			note(s, "service time unknown: every matched response "
			    "has status >= 400 (--keep-errors lets them set T)");
	} else if (v->nseen > 0)
		/* (A run of arrivals only has nothing T would help judge.) */
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

static int
measure_latency(struct view *v, struct stats *s, struct diag *d)
{
	double *sorted = v->sorted;
	size_t n = v->nmatched;

	if (n == 0)
		return 0;
	/* In the order of the latencies in ns: the order of those in
	 * seconds unless one of over 73 years was cut short (ns_of()),
	 * which the check finds. */
	if (order_i64(v->latns, n, v->keys, v->perm) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		sorted[i] = v->lat[v->perm[i]];
	for (size_t i = 1; i < n; i++)
		if (sorted[i - 1] > sorted[i]) {
			memcpy(sorted, v->lat, n * sizeof(*sorted));
			if (radix_f64_sort(sorted, n) == -1)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			break;
		}
	s->has_latency = 1;
	s->p50 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.5);
	s->p90 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.9);
	s->p99 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.99);
	s->lmax = sorted[n - 1];
	return 0;
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
	if (inflight(v, v->nseen > 0 ? &s->first : &v->starts[0], s,
	    !o->no_series) == -1)
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

/* The matched requests of the run skew-align paired by order. */
static size_t
paired_n(const struct view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nseen; i++)
		n += v->ends[i]->has_start && v->ends[i]->by_order;
	return n;
}

/*
 * paired_by_order: true when any matched request was paired by order
 * (skew-align's "paired": "order"), false when every one was paired by id
 * or came with a dur, null when none matched.
 */
static void
measure_paired(const struct view *v, struct stats *s)
{
	if (v->nmatched == 0)
		return;
	s->has_paired = 1;
	s->paired_by_order = paired_n(v) > 0;
}

/* An open run's reason, when it was paired by order, says what that
 * assumes (the contract's paired_by_order). */
static void
paired_caution(const struct view *v, struct stats *s)
{
	size_t len = strlen(s->reason), k = paired_n(v);
	char some[64] = "";

	if (!s->paired_by_order)
		return;
	if (k < v->nmatched)
		snprintf(some, sizeof(some), " (%zu of %zu)", k, v->nmatched);
	snprintf(s->reason + len, sizeof(s->reason) - len, "; starts paired "
	    "with ends by order%s, not by id: latencies are right only if "
	    "requests finished in the order they arrived (a FIFO queue, "
	    "similar service times)", some);
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

/* nw waves of the given sizes: their count, and a pool size from two
 * (sizes sorted in the making).  -1 when out of memory. */
static int
set_waves(size_t *sizes, size_t nw, int *has_waves, size_t *waves,
    int *has_pool, size_t *pool)
{
	*has_waves = 1;
	*waves = nw;
	if (nw >= 2) {
		*has_pool = 1;
		return stats_pool_size(sizes, nw, pool);
	}
	return 0;
}

/* Waves of completions and of arrivals, and the pool sizes they give. */
static int
measure_waves(struct view *v, struct stats *s, struct diag *d)
{
	int64_t T = v->Tns, *w = v->waves;
	size_t *sizes = v->sizes, nw;

	if (!s->has_T || T <= 0 || s->sampled || v->nseen == 0)
		return 0;
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
		if (radix_i64_sort(w, v->nseen) == -1)
			return diag_set(d, DIAG_NOMEM, "out of memory");
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
	if (set_waves(sizes, nw, &s->has_waves, &s->waves, &s->has_pool,
	    &s->pool) == -1)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	s->pool_method = POOL_METHOD_WAVES;
	if (v->nstarts > 0) {
		nw = gap_waves(v->starts, v->nstarts, T, sizes);
		if (set_waves(sizes, nw, &s->has_awaves, &s->awaves,
		    &s->has_apool, &s->apool) == -1)
			return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	return 0;
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
	/* The points thin() would keep, and only those. */
	s->nrank = v->nseen < STATS_SERIES_MAX ? v->nseen : STATS_SERIES_MAX;
	if ((s->rank = malloc((s->nrank + 1) * sizeof(*s->rank))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t k = 0; k < s->nrank; k++) {
		size_t i = stats_thin_index(k, v->nseen, STATS_SERIES_MAX);

		s->rank[k].x = v->x[i];
		s->rank[k].y = v->y[i];
	}
	s->thinned = v->nseen > STATS_SERIES_MAX;
	if (s->inflight != NULL && thin(&s->inflight, &s->ninflight))
		s->thinned = 1;
	return 0;
}

/* ---- Open traffic: judged by what overlapped ---- */

/*
 * An event of the sweeps over an open run, in integer nanoseconds since
 * its first start: +1 a start, -1 an end, 0 the start of a request of no
 * length (it sees what is in flight but adds nothing).  k: the matched
 * request it belongs to, or OPEN_NONE for an unmatched start.
 */
struct oev {
	int64_t		t;
	int32_t		delta;
	uint32_t	k;
};

#define OPEN_NONE	UINT32_MAX

/* What one sweep over the in-flight count finds. */
struct sweep {
	size_t	max;		/* the most in flight at once */
	int64_t	busy;		/* time with one or more in flight, ns */
	int64_t	at_max;		/* time with max in flight, ns */
};

/* Sweep the sorted events ev[0..n): the count each matched request found
 * in flight when it arrived (q[k]), the maximum, and with max_known the
 * time spent at that maximum. */
static void
sweep(const struct oev *ev, size_t n, size_t *q, struct sweep *w,
    int max_known)
{
	size_t cur = 0;

	w->busy = w->at_max = 0;
	if (!max_known)
		w->max = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && cur > 0) {
			int64_t dt = ev[i].t - ev[i - 1].t;

			w->busy += dt;
			if (cur == w->max)
				w->at_max += dt;
		}
		if (ev[i].delta >= 0 && ev[i].k != OPEN_NONE && q != NULL)
			q[ev[i].k] = cur;
		if (ev[i].delta > 0)
			cur++;
		else if (ev[i].delta < 0 && cur > 0)
			cur--;
		if (!max_known && cur > w->max)
			w->max = cur;
	}
}

/*
 * The events of the intervals [lo[k], hi[k]) (k < n) with lo < hi, in time
 * order, ends first at one instant (an end and a start at the same instant
 * do not overlap): the starts in the order lord gives (lo ascending) and
 * the ends in hord's (hi ascending) merged.  Their count.
 */
static size_t
interval_events(const int64_t *lo, const int64_t *hi, const uint32_t *lord,
    const uint32_t *hord, size_t n, struct oev *ev)
{
	size_t a = 0, b = 0, ne = 0;

	for (;;) {
		while (a < n && lo[lord[a]] >= hi[lord[a]])
			a++;
		while (b < n && lo[hord[b]] >= hi[hord[b]])
			b++;
		if (a == n && b == n)
			break;
		if (b < n && (a == n || hi[hord[b]] <= lo[lord[a]])) {
			ev[ne].t = hi[hord[b++]];
			ev[ne].delta = -1;
		} else {
			ev[ne].t = lo[lord[a++]];
			ev[ne].delta = 1;
		}
		ev[ne++].k = OPEN_NONE;
	}
	return ne;
}

/* The most intervals [lo[k], hi[k]) that overlap, k < n, where lo < hi
 * (lord, hord: as interval_events()). */
static size_t
max_overlap(const int64_t *lo, const int64_t *hi, const uint32_t *lord,
    const uint32_t *hord, size_t n, struct oev *ev)
{
	struct sweep w;

	sweep(ev, interval_events(lo, hi, lord, hord, n, ev), NULL, &w, 0);
	return w.max;
}

struct qlat {
	size_t	q;
	double	lat;
};

/* The arrays of an open run's analysis, one or two per matched request. */
struct open {
	size_t	 m;		/* matched requests */
	int64_t	*st, *en;	/* start, end: ns since the first start */
	size_t	*q;		/* in flight when each arrived */
	double	*lat;		/* latency, s */
	/* The requests by start, by end and by latency (en - st), ties in
	 * the order they came (by k): made once by open_sweep(). */
	uint32_t *byst, *byen, *bylat;
	uint32_t *ord;		/* another order, one measure at a time */
	uint64_t *key;		/* the keys that order is sorted by (both
				 * the view's scratch, not owned) */
	struct oev *ev;		/* 2 (requests) events */
	struct qlat *ql;
	int64_t	*lo, *hi;	/* the intervals of the pool's overlap */
	int64_t	 res;		/* the log's time resolution, ns */
	int64_t	 eps;		/* epsilon, ns */
	int64_t	 b2b_tol;	/* back to back: the larger of epsilon and
				 * T / STATS_B2B_T_DIV */
	struct sweep w;
	size_t	 m_eps;		/* the most in flight, each request's
				 * interval shrunk by epsilon at its start:
				 * overlaps within the noise left out */
	int	 b2b;		/* ran back to back */
	size_t	 nb2b;		/* started within epsilon of the previous end */
	int	 grows;		/* latency grows with the number in flight */
	int	 limit;		/* 5 % or more (and 2 or more) waited */
	size_t	 k;		/* the overlap's pool size, before the checks */
	int	 k_ok;		/* ... consistent */
};

static void
open_free(struct open *o)
{
	free(o->st);
	free(o->en);
	free(o->q);
	free(o->lat);
	free(o->byst);
	free(o->byen);
	free(o->bylat);
	free(o->ev);
	free(o->ql);
	free(o->lo);
	free(o->hi);
}

/* 10^(9 - digits) ns: the step of the finest time the run's log wrote. */
static int64_t
resolution(const struct req *r, size_t nr)
{
	int64_t res = 1;
	int d = 0;

	for (size_t i = 0; i < nr; i++) {
		if (r[i].has_start && r[i].start.digits > d)
			d = r[i].start.digits;
		if (r[i].has_end && r[i].end.digits > d)
			d = r[i].end.digits;
	}
	for (int i = d; i < 9; i++)
		res *= 10;
	return res;
}

static int
open_alloc(struct open *o, const struct view *v)
{
	size_t n = v->nr + 1;

	memset(o, 0, sizeof(*o));
	o->ord = v->perm;
	o->key = v->keys;
	if ((o->st = malloc(n * sizeof(*o->st))) == NULL ||
	    (o->en = malloc(n * sizeof(*o->en))) == NULL ||
	    (o->q = calloc(n, sizeof(*o->q))) == NULL ||
	    (o->lat = malloc(n * sizeof(*o->lat))) == NULL ||
	    (o->byst = malloc(n * sizeof(*o->byst))) == NULL ||
	    (o->byen = malloc(n * sizeof(*o->byen))) == NULL ||
	    (o->bylat = malloc(n * sizeof(*o->bylat))) == NULL ||
	    (o->ev = malloc(2 * n * sizeof(*o->ev))) == NULL ||
	    (o->ql = malloc(n * sizeof(*o->ql))) == NULL ||
	    (o->lo = malloc(n * sizeof(*o->lo))) == NULL ||
	    (o->hi = malloc(n * sizeof(*o->hi))) == NULL)
		return -1;
	return 0;
}

/*
 * The head of one class of an open run's events from position *j of its
 * order on (moved past the requests not of the class): 1 with *e filled,
 * or 0 when the class is done.  At one instant the classes go in this
 * order: ends (an end and a start at the same instant do not overlap),
 * starts of requests of no length, other starts, unmatched starts; within
 * a class by request (k), so that simultaneous arrivals are counted in a
 * reproducible order.
 */
enum { EV_END, EV_NOLEN, EV_START, EV_UNMATCHED, EV_CLASSES };

static int
oev_head(const struct open *o, int cls, size_t *j, const int64_t *un,
    size_t nu, struct oev *e)
{
	const uint32_t *ord = cls == EV_END ? o->byen : o->byst;

	if (cls == EV_UNMATCHED) {
		if (*j >= nu)
			return 0;
		e->t = un[*j];
		e->delta = 1;
		e->k = OPEN_NONE;
		return 1;
	}
	for (; *j < o->m; (*j)++) {
		uint32_t k = ord[*j];
		int len = o->en[k] > o->st[k];

		if (cls == EV_NOLEN ? len : !len)
			continue;
		e->t = cls == EV_END ? o->en[k] : o->st[k];
		e->delta = cls == EV_END ? -1 : cls == EV_NOLEN ? 0 : 1;
		e->k = k;
		return 1;
	}
	return 0;
}

/* The events of an open run in order (by time, then class, then request):
 * the classes merged from the requests by end and by start and the
 * unmatched starts un[0..nu) sorted.  Their count. */
static size_t
open_events(struct open *o, const int64_t *un, size_t nu)
{
	struct oev h[EV_CLASSES];
	size_t j[EV_CLASSES] = { 0 }, ne = 0;
	int has[EV_CLASSES];

	for (int c = 0; c < EV_CLASSES; c++)
		has[c] = oev_head(o, c, &j[c], un, nu, &h[c]);
	for (;;) {
		int b = -1;

		for (int c = 0; c < EV_CLASSES; c++)
			if (has[c] && (b < 0 || h[c].t < h[b].t))
				b = c;
		if (b < 0)
			return ne;
		o->ev[ne++] = h[b];
		j[b]++;
		has[b] = oev_head(o, b, &j[b], un, nu, &h[b]);
	}
}

/* The requests as ns since the first start, ordered by start and by end
 * once (every sweep below reads those orders); arrivals counted in one
 * sweep, and the time spent at the most in flight in a second.  -1 when
 * out of memory. */
static int
open_sweep(struct open *o, const struct view *v)
{
	const struct ts *origin = &v->starts[0];
	int64_t *un = o->lo;	/* unmatched starts: lo is free until the
				 * back-to-back check */
	size_t nu = 0, ne;

	for (size_t i = 0; i < v->nr; i++) {
		const struct req *r = &v->r[i];

		if (!r->has_start)
			continue;
		if (!r->has_end) {
			un[nu++] = ns_since(&r->start, origin);
			continue;
		}
		o->st[o->m] = ns_since(&r->start, origin);
		o->en[o->m] = ns_since(&r->end, origin);
		o->lat[o->m] = since(&r->end, &r->start);
		o->m++;
	}
	/* The latencies in ns: hi is free until then too. */
	for (size_t k = 0; k < o->m; k++)
		o->hi[k] = o->en[k] - o->st[k];
	if (order_i64(o->st, o->m, o->key, o->byst) == -1 ||
	    order_i64(o->en, o->m, o->key, o->byen) == -1 ||
	    order_i64(o->hi, o->m, o->key, o->bylat) == -1 ||
	    radix_i64_sort(un, nu) == -1)
		return -1;
	ne = open_events(o, un, nu);
	sweep(o->ev, ne, o->q, &o->w, 0);
	sweep(o->ev, ne, NULL, &o->w, 1);
	return 0;
}

/* latency_by_inflight: the matched requests grouped by the count they
 * found in flight, sorted once. */
static int
open_by_inflight(struct open *o, struct stats *s)
{
	size_t nb = 0;
	double *lat = o->lat;

	/* By latency, then stably by the count: (q, latency) ascending.  The
	 * order by latency in ns is the one by latency in seconds unless a
	 * latency of over 73 years was cut short (ns_of()): checked. */
	memcpy(o->ord, o->bylat, o->m * sizeof(*o->ord));
	for (size_t j = 1; j < o->m; j++)
		if (o->lat[o->ord[j - 1]] > o->lat[o->ord[j]]) {
			if (radix_f64_order(o->lat, o->m, o->ord) == -1)
				return -1;
			break;
		}
	for (size_t j = 0; j < o->m; j++)
		o->key[j] = o->q[o->ord[j]];
	if (radix_pairs(o->key, o->ord, o->m) == -1)
		return -1;
	for (size_t j = 0; j < o->m; j++) {
		o->ql[j].q = o->q[o->ord[j]];
		o->ql[j].lat = o->lat[o->ord[j]];
	}
	for (size_t j = 0; j < o->m; j++)
		if (j == 0 || o->ql[j].q != o->ql[j - 1].q)
			nb++;
	if ((s->by_inflight = calloc(nb + 1, sizeof(*s->by_inflight))) ==
	    NULL)
		return -1;
	s->has_by_inflight = 1;
	/* o->lat is free for scratch until the pool's checks (which read q
	 * and the ns arrays): the latencies, sorted within each group. */
	for (size_t j = 0, g = 0; j < o->m; g++) {
		size_t e = j;
		struct stats_bucket *b = &s->by_inflight[g];

		while (e < o->m && o->ql[e].q == o->ql[j].q) {
			lat[e] = o->ql[e].lat;
			e++;
		}
		b->inflight = o->ql[j].q;
		b->n = e - j;
		b->p50 = gsl_stats_quantile_from_sorted_data(lat + j, 1, e - j,
		    0.5);
		b->p90 = gsl_stats_quantile_from_sorted_data(lat + j, 1, e - j,
		    0.9);
		j = e;
	}
	s->nby_inflight = nb;
	return 0;
}

/* Waited more than half a service time: 2 L > 3 T, in integers. */
static int
waited(int64_t lat, int64_t T)
{
	return (__int128)2 * lat > (__int128)3 * T;
}

/* waited, epsilon, and whether the limit was reached: the waits and the
 * latencies read in order of latency come sorted. */
static void
open_waits(struct open *o, const struct view *v, struct stats *s)
{
	int64_t T = v->Tns;
	double *w = v->sorted;
	size_t nw = 0, nq = 0;
	char tb[32], rb[32];

	o->res = resolution(v->r, v->nr);
	if (T <= 0 || T < o->res) {
		s->waited_state = -1;
		snprintf(s->waited_why, FIT_WHY, "service time %s is below "
		    "the log's time resolution (%s): waits cannot be told",
		    say_dur(s->T, tb, sizeof(tb)),
		    say_dur((double)o->res / 1e9, rb, sizeof(rb)));
	} else {
		for (size_t j = 0; j < o->m; j++) {
			size_t k = o->bylat[j];

			if (waited(o->en[k] - o->st[k], T))
				w[nw++] = (double)(o->en[k] - o->st[k] - T) /
				    1e9;
		}
		s->waited_state = 1;
		s->waited_n = nw;
		s->waited_fraction = (double)nw / (double)o->m;
		if (nw > 0) {
			s->has_wait_p50 = 1;
			s->wait_p50 = gsl_stats_quantile_from_sorted_data(w, 1,
			    nw, 0.5);
		}
		/* The limit is reached when 5 % or more, and 2 or more,
		 * waited: scheduling noise makes a few requests of any
		 * server wait. */
		o->limit = nw >= STATS_WAITED_MIN &&
		    (double)nw * 100 >= STATS_WAITED_PCT * (double)o->m;
	}
	/* Epsilon: the resolution plus the spread of the latencies of the
	 * requests that did not queue (p10 - min), all of them when waits
	 * cannot be told. */
	for (size_t j = 0; j < o->m; j++) {
		size_t k = o->bylat[j];

		if (s->waited_state != 1 || !waited(o->en[k] - o->st[k], T))
			w[nq++] = (double)(o->en[k] - o->st[k]);
	}
	o->eps = o->res;
	if (nq > 0) {
		o->eps += (int64_t)llround(gsl_stats_quantile_from_sorted_data(w,
		    1, nq, 0.1) - w[0]);
	}
	/* A single worker's next request is stamped after the previous
	 * response went out and the next was read: a hand-off of a fraction
	 * of a millisecond that epsilon, made of a resolution of 1 us and
	 * sleeps that vary by microseconds, does not cover. */
	o->b2b_tol = T / STATS_B2B_T_DIV > o->eps ? T / STATS_B2B_T_DIV :
	    o->eps;
}

/* With at most one in flight (overlaps within epsilon left out: a start
 * computed as end - duration, each rounded apart, may fall a hair before
 * the previous end): how many started within epsilon of the previous
 * end, in order of arrival. */
static void
open_back_to_back(struct open *o)
{
	for (size_t j = 0; j < o->m; j++) {
		o->lo[j] = o->st[j] + o->eps;
		o->hi[j] = o->en[j];
	}
	/* lo is st shifted: in the order of the starts. */
	o->m_eps = max_overlap(o->lo, o->hi, o->byst, o->byen, o->m, o->ev);
	if (o->m_eps > 1 || o->m < 2)
		return;
	for (size_t j = 1; j < o->m; j++)
		if (o->st[o->byst[j]] - o->en[o->byst[j - 1]] <= o->b2b_tol)
			o->nb2b++;
	/* "Each" in the contract, read as two in three and 2 or more: a
	 * single worker's log has idle gaps whenever its queue ran dry
	 * (under Poisson arrivals, a share 1 - utilisation of them), while
	 * a client that calls now and then (a poller making two calls in a
	 * row every few seconds: half its gaps) is no sign of the server
	 * serializing anything. */
	o->b2b = o->nb2b >= STATS_WAITED_MIN &&
	    o->nb2b * STATS_B2B_DEN >= STATS_B2B_NUM * (o->m - 1);
}

/*
 * The most intervals [lo[k], hi[k]) (k < n, lo < hi) that overlap for
 * STATS_POOL_TIME_PCT % or more of the time one or more do: the time at
 * each level, swept once (at[L]: time with exactly L), summed from the
 * top.  -1 when out of memory.
 */
static int
held_overlap(const int64_t *lo, const int64_t *hi, const uint32_t *lord,
    const uint32_t *hord, size_t n, struct oev *ev, size_t *k)
{
	size_t ne = 0, cur = 0, max = 0;
	int64_t *at, busy = 0, sum = 0;

	*k = 0;
	if ((at = calloc(n + 2, sizeof(*at))) == NULL)
		return -1;
	ne = interval_events(lo, hi, lord, hord, n, ev);
	for (size_t i = 0; i < ne; i++) {
		if (i > 0 && cur > 0)
			at[cur] += ev[i].t - ev[i - 1].t;
		cur = ev[i].delta > 0 ? cur + 1 : cur - 1;
		if (cur > max)
			max = cur;
	}
	for (size_t L = 1; L <= max; L++)
		busy += at[L];
	for (size_t L = max; L >= 1; L--) {
		sum += at[L];
		if ((__int128)100 * sum >= (__int128)STATS_POOL_TIME_PCT * busy &&
		    sum > 0) {
			*k = L;
			break;
		}
	}
	free(at);
	return 0;
}

/*
 * The smallest pool below k0 that the implied service times explain, or
 * k0.  Before k workers the i-th arrival (A_i, the i-th start in time)
 * cannot start before the (i-k)-th end in time, D_(i-k); with
 * D_(i-k) > A_i it queued, and the i-th end came s_i(k) = D_i - D_(i-k)
 * after a worker freed (in a FIFO queue of equal services, the i-th end
 * is the i-th arrival's; counted by rank, requests that overtook each
 * between stamp and queue, as a client's threads do on a busy machine,
 * change nothing).  For the true k those cluster at the service time,
 * whatever the arrival stamp adds before the server (a client's connect
 * only lengthens the requests that did not queue); for k too small they
 * scatter below it, and above it where a work-conserving pool would not
 * have idled (a FIFO pool of 4 fed 10 ms apart, 100 ms each, ends 10 ms
 * apart in bunches of 4, 70 ms between bunches: tight for k = 1 but for
 * those).  A k explains them when 5 % and 2 or more of the requests
 * queued under k, and the p10 of their s_i(k) is at least 0.9 of the
 * median and the p90 at most 1.5 times it (as a wait is over 1.5 T).
 * k0 - 1 candidates at most, STATS_POOL_SCAN, each sorted once.  -1 when
 * out of memory.
 */
static int
implied_pool(const struct open *o, size_t k0, size_t *k)
{
	int64_t *A, *D, *dv;
	double *sv;
	size_t m = o->m;
	int rc = -1;

	*k = k0;
	if (k0 < 2 || m < 2)
		return 0;
	A = malloc(m * sizeof(*A));
	D = malloc(m * sizeof(*D));
	sv = malloc(m * sizeof(*sv));
	dv = malloc(m * sizeof(*dv));
	if (A == NULL || D == NULL || sv == NULL || dv == NULL)
		goto out;
	for (size_t i = 0; i < m; i++) {
		A[i] = o->st[o->byst[i]];
		D[i] = o->en[o->byen[i]];
	}
	for (size_t c = 1; c < k0 && c <= STATS_POOL_SCAN; c++) {
		size_t nq = 0;
		double p10, p50, p90;

		for (size_t i = c; i < m; i++)
			if (D[i - c] > A[i])
				dv[nq++] = D[i] - D[i - c];
		if (nq < STATS_WAITED_MIN ||
		    (double)nq * 100 < STATS_WAITED_PCT * (double)m)
			continue;
		/* Sorted as integers, then made doubles: in order still. */
		if (radix_i64_sort(dv, nq) == -1)
			goto out;
		for (size_t i = 0; i < nq; i++)
			sv[i] = (double)dv[i];
		p10 = gsl_stats_quantile_from_sorted_data(sv, 1, nq, 0.1);
		p50 = gsl_stats_quantile_from_sorted_data(sv, 1, nq, 0.5);
		p90 = gsl_stats_quantile_from_sorted_data(sv, 1, nq, 0.9);
		if (p50 > 0 && p10 * STATS_IMPLIED_DEN >= p50 *
		    STATS_IMPLIED_NUM && 2 * p90 <= 3 * p50) {
			*k = c;
			break;
		}
	}
	rc = 0;
out:
	free(A);
	free(D);
	free(sv);
	free(dv);
	return rc;
}

/*
 * The pool size by overlap: each request holds a worker during the last T
 * of its latency (all of it when shorter), shrunk by epsilon at its start;
 * the most such intervals held at once for 5 % or more of the busy time
 * is k (a proxy between the stamps and the workers makes a request's end
 * stamp later than its worker's pick-up of the next one, by milliseconds
 * that epsilon does not cover: the overlaps at k + 1 last a few tenths of
 * a percent of the time, those at k most of it), or the smallest k below
 * it that the implied service times explain (implied_pool()).  Kept when
 * consistent: k
 * below the most in flight, and 95 % or more of the requests that arrived
 * with fewer than k in flight did not wait (or fewer than 2 waited).
 */
static int
open_pool(struct open *o, const struct view *v)
{
	int64_t T = v->Tns;
	size_t below = 0, below_waited = 0;

	for (size_t j = 0; j < o->m; j++) {
		int64_t a = o->en[j] - T;

		o->lo[j] = (a > o->st[j] ? a : o->st[j]) + o->eps;
		o->hi[j] = o->en[j];
	}
	if (order_i64(o->lo, o->m, o->key, o->ord) == -1 ||
	    held_overlap(o->lo, o->hi, o->ord, o->byen, o->m, o->ev,
	    &o->k) == -1 ||
	    implied_pool(o, o->k, &o->k) == -1)
		return -1;
	if (o->k < 1 || o->k >= o->w.max)
		return 0;
	for (size_t j = 0; j < o->m; j++)
		if (o->q[j] < o->k) {
			below++;
			below_waited += waited(o->en[j] - o->st[j], T);
		}
	/* Waits among them under 2, as under 5 %, are noise, as for the
	 * limit: one request stamped late by a busy client makes the lowest
	 * latency, T, too low, and the first arrival look as if it waited. */
	o->k_ok = below > 0 && (below_waited < STATS_WAITED_MIN ||
	    (double)below_waited * 100 <= (100 - STATS_NOWAIT_PCT) *
	    (double)below);
	return 0;
}

/* Latency grows with the number found in flight: the slope of latency on
 * that number is above 0 at the 95 % level. */
static int
open_grows(struct open *o)
{
	struct fit_line f;
	double *x = o->lat, *y;

	/* ql holds (q, latency) sorted: read them as two columns. */
	if ((y = malloc((o->m + 1) * sizeof(*y))) == NULL)
		return -1;
	for (size_t j = 0; j < o->m; j++) {
		x[j] = (double)o->ql[j].q;
		y[j] = o->ql[j].lat;
	}
	fit_linear(x, y, o->m, &f);
	o->grows = f.ok && f.has_ci && f.b_lo > 0;
	free(y);
	return 0;
}

/* A rate for a sentence: "14", "2.5", "0.33". */
static const char *
say_rate(double v, char *buf, size_t sz)
{
	if (v >= 10)
		snprintf(buf, sz, "%.0f", v);
	else if (v >= 1)
		snprintf(buf, sz, "%.1f", v);
	else
		snprintf(buf, sz, "%.2g", v);
	return buf;
}

static void
decide_open(struct stats *s, const struct open *o)
{
	char rb[32], wb[32], eb[32];
	size_t len, M = o->w.max;

	if (s->n < 2) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason, STATS_TEXT, "%zu completion%s: nothing "
		    "to judge", s->n, s->n == 1 ? "" : "s");
		return;
	}
	if (s->has_throughput)
		snprintf(s->reason, STATS_TEXT, "at %s requests/s, ",
		    say_rate(s->throughput, rb, sizeof(rb)));
	else
		s->reason[0] = '\0';
	len = strlen(s->reason);
	if (o->m_eps <= 1 && !o->b2b) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason + len, STATS_TEXT - len, "%zu requests, "
		    "never more than one in flight, and not back to back: no "
		    "concurrency to judge", o->m);
		return;
	}
	if (o->m_eps <= 1) {
		s->verdict = VERDICT_SERIALIZED;
		snprintf(s->reason + len, STATS_TEXT - len, "one in flight at "
		    "a time, %zu of %zu starting within %s of the previous "
		    "end: ran back to back (arrivals stamped when service "
		    "starts, or one client at a time; a queue before the stamp "
		    "does not show)", o->nb2b, o->m - 1,
		    say_dur((double)o->b2b_tol / 1e9, eb, sizeof(eb)));
		return;
	}
	if (s->waited_state != 1) {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu in "
		    "flight; %s", M, s->waited_why);
		return;
	}
	if (s->has_pool && s->pool == 1) {
		s->verdict = VERDICT_SERIALIZED;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu in "
		    "flight; one worker served them, the others queued "
		    "(median wait %s)", M, say_dur(s->wait_p50, wb,
		    sizeof(wb)));
	} else if (!o->limit) {
		s->verdict = VERDICT_PARALLEL;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu "
		    "requests in flight, %zu waited (under 5 %%): no limit "
		    "reached", M, s->waited_n);
	} else if (s->has_pool) {
		s->verdict = VERDICT_PARTIAL;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu in "
		    "flight; a pool of %zu served them, the others queued "
		    "(median wait %s)", M, s->pool, say_dur(s->wait_p50, wb,
		    sizeof(wb)));
	} else if (o->grows) {
		s->verdict = VERDICT_PARTIAL;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu in "
		    "flight, %zu waited (%.0f %%): latency grows with load, "
		    "but no fixed pool explains it (a shared CPU or lock?)", M,
		    s->waited_n, 100 * s->waited_fraction);
	} else {
		s->verdict = VERDICT_UNKNOWN;
		snprintf(s->reason + len, STATS_TEXT - len, "up to %zu in "
		    "flight, %zu waited (%.0f %%): latency varies by request, "
		    "not by load", M, s->waited_n, 100 * s->waited_fraction);
	}
	/* At its maximum a fifth of the busy time or more: a cap in front
	 * of the arrival stamp (a client's or a proxy's connections). */
	if ((__int128)100 * o->w.at_max >= (__int128)STATS_CAPPED_PCT *
	    o->w.busy && o->w.busy > 0) {
		len = strlen(s->reason);
		snprintf(s->reason + len, STATS_TEXT - len, "; capped at %zu "
		    "in flight: a queue before the arrival stamp would not "
		    "show", M);
	}
}

/* The burst measures mean nothing on open traffic: null. */
static void
null_burst(struct stats *s)
{
	s->has_spread = 0;
	s->spread = 0;
	memset(&s->stagger, 0, sizeof(s->stagger));
	s->has_serialization = s->has_parallelism = 0;
	s->serialization = s->parallelism = 0;
	s->has_slopes = 0;
	memset(&s->arrival, 0, sizeof(s->arrival));
	memset(&s->latslope, 0, sizeof(s->latslope));
	s->origin = STATS_ORIGIN_NONE;
	s->has_waves = s->has_pool = s->has_awaves = s->has_apool = 0;
	s->waves = s->pool = s->awaves = s->apool = 0;
}

/* An open run: its measures, then its verdict. */
static int
measure_open(struct view *v, struct stats *s, struct diag *d)
{
	struct open o;
	double span;

	null_burst(s);
	s->pool_method = POOL_METHOD_OVERLAP;
	if (open_alloc(&o, v) == -1) {
		open_free(&o);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (open_sweep(&o, v) == -1) {
		open_free(&o);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	span = since(&v->ends[v->nseen - 1]->end, &v->starts[0]);
	if (span > 0 && o.m > 0) {
		s->has_throughput = 1;
		s->throughput = (double)o.m / span;
	}
	if (open_by_inflight(&o, s) == -1) {
		open_free(&o);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	open_waits(&o, v, s);
	open_back_to_back(&o);
	if (s->waited_state == 1 && o.limit) {
		if (open_pool(&o, v) == -1) {
			open_free(&o);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		if (o.k_ok) {
			s->has_pool = 1;
			s->pool = o.k;
		}
	}
	if (open_grows(&o) == -1) {
		open_free(&o);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	decide_open(s, &o);
	paired_caution(v, s);
	open_free(&o);
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
	measure_paired(&v, s);
	measure_spread(&v, s);
	measure_stagger(&v, s);
	measure_service(&v, o, s);
	measure_serialization(&v, s);
	measure_parallelism(s);
	if (measure_latency(&v, s, d) == -1 ||
	    measure_inflight(&v, o, s, d) == -1)
		goto out;
	measure_slopes(&v, s);
	if (measure_waves(&v, s, d) == -1)
		goto out;
	if (identities(r, nr, s) == -1) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	s->origin = stats_judge_origin(s);
	if (s->shape == SHAPE_OPEN) {
		if (measure_open(&v, s, d) == -1)
			goto out;
	} else
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
