#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "run.h"

static const struct ts one_s = { 1, 0, 0, 0 };

/* b - a, exact whatever the years between them. */
static struct ts
gap_of(const struct ev *a, const struct ev *b)
{
	struct ts g;

	ts_sub(&b->t, &a->t, &g);
	return g;
}

/*
 * The sign of (b - a) - g: ts_sub() then ts_cmp(), the same arithmetic
 * (wrapping, the nanoseconds borrowed from the seconds) inline, for the
 * passes that compare each event's gap and keep few of them.
 */
static inline int
gap_cmp(const struct ts *a, const struct ts *b, const struct ts *g)
{
	int64_t sec = (int64_t)((uint64_t)b->sec - (uint64_t)a->sec);
	int32_t ns = b->nsec - a->nsec;

	if (ns < 0) {
		ns += TS_NS;
		sec = (int64_t)((uint64_t)sec - 1);
	}
	if (sec != g->sec)
		return sec < g->sec ? -1 : 1;
	return (ns > g->nsec) - (ns < g->nsec);
}

/* A non-negative duration with as few fraction digits as its value
 * needs, so that "gap 45.1 s" reads as it should. */
static struct ts
trim(struct ts t)
{
	t.digits = ts_min_digits(t.nsec);
	t.flags = 0;
	return t;
}

/* The larger of a gap and 1 s: gaps under a second never count. */
static const struct ts *
at_least_1s(const struct ts *g)
{
	return ts_cmp(g, &one_s) > 0 ? g : &one_s;
}

/* Starts and ends both present: then in-flight decides where runs may end. */
static int
both_kinds(const struct ev *ev, size_t n)
{
	int s = 0, e = 0;

	for (size_t i = 0; i < n && !(s && e); i++) {
		if (ev_flags(&ev[i]) & EV_DUR)
			continue;
		if (ev_flags(&ev[i]) & EV_START)
			s = 1;
		else
			e = 1;
	}
	return s && e;
}

/*
 * In flight after one more event.  An end with nothing in flight is an
 * unmatched end (its start is not in the logs): the count stays at zero
 * rather than going negative, or the ends of an earlier completions-only
 * run would hide the requests of a later run that has starts.
 */
static size_t
step(size_t inflight, const struct ev *e)
{
	if (ev_flags(e) & EV_DUR)
		return inflight;
	if (ev_flags(e) & EV_START)
		return inflight + 1;
	return inflight > 0 ? inflight - 1 : 0;
}

int
run_gap(const struct ev *ev, size_t n, struct run_gapinfo *gi,
    struct diag *d)
{
	return run_gap_at(ev, n, gi, NULL, NULL, d);
}

/* One more index in at[] (*nat of them, room for *capat). */
static int
note_at(uint32_t **at, size_t *nat, size_t *capat, size_t i)
{
	uint32_t *q;

	if (*nat == *capat) {
		size_t cap = *capat ? 2 * *capat : 64;

		if ((q = realloc(*at, cap * sizeof(*q))) == NULL)
			return -1;
		*at = q;
		*capat = cap;
	}
	(*at)[(*nat)++] = (uint32_t)i;
	return 0;
}

int
run_gap_at(const struct ev *ev, size_t n, struct run_gapinfo *gi,
    uint32_t **at, size_t *nat, struct diag *d)
{
	static const struct ts zero = { 0, 0, 0, 0 };
	struct ts *g = NULL, *q, best_lo = zero, best_hi = zero, top_small = zero;
	size_t m, big = 0, small = 0, cap = 0, capat = 0;
	double best = 0;

	if (at != NULL) {
		*at = NULL;
		*nat = 0;
	}
	gi->broke = 0;
	gi->gap = one_s;
	gi->below = gi->above = zero;
	if (n < 2)
		return 0;
	/* Every gap counts, in flight or not: the gaps inside the runs are
	 * what the gaps between them stand out from.  (Counting only the
	 * gaps where nothing is in flight would leave, with starts known,
	 * just the gaps between runs: no break among them.)  Only the gaps
	 * over 1 s can be a break, and below them only the largest of the
	 * others is looked at (the ratio's denominator is at least 1 s):
	 * g[] holds that one, then the gaps over 1 s in order. */
	for (size_t i = 0; i + 1 < n; i++) {
		const struct ts *a = &ev[i].t, *b = &ev[i + 1].t;

		if (gap_cmp(a, b, &one_s) > 0) {
			if (big + 1 >= cap) {	/* g[0] kept for top_small */
				cap = cap ? 2 * cap : 64;
				if ((q = realloc(g, cap * sizeof(*g))) == NULL)
					goto nomem;
				g = q;
			}
			g[1 + big++] = gap_of(&ev[i], &ev[i + 1]);
			if (at != NULL && note_at(at, nat, &capat, i + 1) == -1)
				goto nomem;
		} else if (!small || gap_cmp(a, b, &top_small) >= 0) {
			top_small = gap_of(&ev[i], &ev[i + 1]);
			small = 1;
		}
	}
	if (g == NULL && (g = malloc(sizeof(*g))) == NULL)
		goto nomem;
	/* g[] from g[1 - small]: top_small, then the gaps over 1 s. */
	g[0] = top_small;
	if (!small)
		memmove(g, g + 1, big * sizeof(*g));
	m = small + big;
	if (radix_ts_sort(g + small, big) == -1)
		goto nomem;
	for (size_t k = 0; k + 1 < m; k++) {
		double r;

		if (ts_cmp(&g[k + 1], &one_s) <= 0)
			continue;
		/* The ratio of nanosecond counts, each rounded once. */
		r = ts_ns_double(&g[k + 1]) / ts_ns_double(at_least_1s(&g[k]));
		if (r > best) {
			best = r;
			best_lo = g[k];
			best_hi = g[k + 1];
		}
	}
	if (best >= RUN_BREAK) {
		double lo_s = ts_ns_double(at_least_1s(&best_lo)) / 1e9;
		double gm = sqrt(lo_s * ts_ns_double(&best_hi) / 1e9);
		/* At most the range's span, 2.6e14 ms: no overflow. */
		long long ms = llround(gm * 1000);

		gi->broke = 1;
		gi->gap = trim((struct ts){ ms / 1000,
		    (int32_t)(ms % 1000) * 1000000, 0, 0 });
		gi->below = trim(best_lo);
		gi->above = trim(best_hi);
	} else if (m > 0 && ts_cmp(&g[m - 1], &one_s) > 0)
		gi->gap = trim(g[m - 1]);
	free(g);
	return 0;
nomem:
	free(g);
	if (at != NULL) {
		free(*at);
		*at = NULL;
	}
	return diag_set(d, DIAG_NOMEM, "out of memory for the gaps of %zu "
	    "events", n);
}

/* One more run, from event i: noted in first[] unless only counting. */
static size_t
run_at(uint32_t *first, size_t runs, size_t i)
{
	if (first != NULL)
		first[runs] = (uint32_t)i;
	return runs + 1;
}

size_t
run_split(const struct ev *ev, size_t n, const struct ts *gap, uint32_t *first)
{
	uint64_t none;

	return run_split_timeout(ev, n, gap, NULL, both_kinds(ev, n), NULL,
	    first, &none);
}

size_t
run_split_at(const struct ev *ev, size_t n, const uint32_t *at, size_t nat,
    const struct ts *gap, uint32_t *first)
{
	size_t runs;

	if (n == 0)
		return 0;
	runs = run_at(first, 0, 0);
	for (size_t k = 0; k < nat; k++)
		if (gap_cmp(&ev[at[k] - 1].t, &ev[at[k]].t, gap) > 0)
			runs = run_at(first, runs, at[k]);
	return runs;
}

size_t
run_split_timeout(const struct ev *ev, size_t n, const struct ts *gap,
    const struct ts *timeout, int both, uint32_t *scratch, uint32_t *first,
    uint64_t *timed_out)
{
	size_t runs = 0, inflight = 0, head = 0, tail = 0;
	int track = both;

	*timed_out = 0;
	if (n == 0)
		return 0;
	runs = run_at(first, runs, 0);
	for (size_t i = 0; i + 1 < n; i++) {
		struct ts from = ev[i].t, exp;

		if (!track) {
			/* In flight plays no part: only the gaps. */
			if (gap_cmp(&from, &ev[i + 1].t, gap) > 0)
				runs = run_at(first, runs, i + 1);
			continue;
		}
		inflight = step(inflight, &ev[i]);
		if (timeout != NULL) {
			/* The starts in flight, oldest first: an end takes
			 * the oldest; a start older than the next event by
			 * more than the timeout leaves. */
			if ((ev_flags(&ev[i]) & (EV_START | EV_DUR)) == EV_START)
				scratch[tail++] = (uint32_t)i;
			else if (!(ev_flags(&ev[i]) & EV_DUR) && head < tail)
				head++;
			while (head < tail) {
				/* A time ts_add cannot reach has no end
				 * in the range: it never leaves. */
				if (ts_add(&ev[scratch[head]].t, timeout, &exp,
				    NULL) == -1 || ts_cmp(&exp, &ev[i + 1].t) >= 0)
					break;
				if (ts_cmp(&exp, &from) > 0)
					from = exp;
				head++;
				(*timed_out)++;
			}
			inflight = tail - head;
		}
		if (inflight == 0 && gap_cmp(&from, &ev[i + 1].t, gap) > 0)
			runs = run_at(first, runs, i + 1);
	}
	return runs;
}
