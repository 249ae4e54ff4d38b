#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "run.h"

#define NS	1000000000LL

/* A gap in nanoseconds: 292 years fit in an int64_t. */
static int64_t
gap_ns(const struct ev *a, const struct ev *b)
{
	return (b->t.sec - a->t.sec) * NS + (b->t.nsec - a->t.nsec);
}

/* A non-negative number of nanoseconds as a time, with as few fraction
 * digits as its value needs, so that "gap 45.1 s" reads as it should. */
static struct ts
ns_ts(int64_t ns)
{
	struct ts t = { ns / NS, (int32_t)(ns % NS), 9, 0 };

	if (t.nsec == 0)
		t.digits = 0;
	else
		for (int32_t v = t.nsec; v % 10 == 0; v /= 10)
			t.digits--;
	return t;
}

/* Starts and ends both present: then in-flight decides where runs may end. */
static int
both_kinds(const struct ev *ev, size_t n)
{
	int s = 0, e = 0;

	for (size_t i = 0; i < n && !(s && e); i++) {
		if (ev[i].flags & EV_DUR)
			continue;
		if (ev[i].flags & EV_START)
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
	if (e->flags & EV_DUR)
		return inflight;
	if (e->flags & EV_START)
		return inflight + 1;
	return inflight > 0 ? inflight - 1 : 0;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
run_gap(const struct ev *ev, size_t n, struct run_gapinfo *gi,
    struct diag *d)
{
	int64_t *g, lo, best_lo = 0, best_hi = 0;
	size_t m = 0;
	double best = 0;

	gi->broke = 0;
	gi->gap = ns_ts(NS);
	gi->below = gi->above = ns_ts(0);
	if (n < 2)
		return 0;
	if ((g = malloc((n - 1) * sizeof(*g))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory for %zu gaps", n);
	/* Every gap counts, in flight or not: the gaps inside the runs are
	 * what the gaps between them stand out from.  (Counting only the
	 * gaps where nothing is in flight would leave, with starts known,
	 * just the gaps between runs: no break among them.) */
	for (size_t i = 0; i + 1 < n; i++)
		g[m++] = gap_ns(&ev[i], &ev[i + 1]);
	qsort(g, m, sizeof(*g), cmp64);
	for (size_t k = 0; k + 1 < m; k++) {
		double r;

		if (g[k + 1] <= NS)
			continue;
		lo = g[k] > NS ? g[k] : NS;
		r = (double)g[k + 1] / (double)lo;
		if (r > best) {
			best = r;
			best_lo = g[k];
			best_hi = g[k + 1];
		}
	}
	if (best >= RUN_BREAK) {
		double lo_s = (double)(best_lo > NS ? best_lo : NS) / 1e9;
		double gm = sqrt(lo_s * (double)best_hi / 1e9);

		gi->broke = 1;
		gi->gap = ns_ts((int64_t)llround(gm * 1000) * 1000000);
		gi->below = ns_ts(best_lo);
		gi->above = ns_ts(best_hi);
	} else if (m > 0 && g[m - 1] > NS)
		gi->gap = ns_ts(g[m - 1]);
	free(g);
	return 0;
}

size_t
run_split(const struct ev *ev, size_t n, const struct ts *gap, size_t *first)
{
	int64_t lim = gap->sec * NS + gap->nsec;
	size_t runs = 0, inflight = 0;
	int track = both_kinds(ev, n);

	if (n == 0)
		return 0;
	first[runs++] = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		inflight = step(inflight, &ev[i]);
		if ((!track || inflight == 0) && gap_ns(&ev[i], &ev[i + 1]) > lim)
			first[runs++] = i + 1;
	}
	return runs;
}
