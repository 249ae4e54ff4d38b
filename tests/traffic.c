/*
 * Tests for analyze/traffic.c (the windows of open traffic) and for the
 * USL fitted on them (analyze/fit.c, fit_usl_rules()).  Expected values are
 * worked by hand from the constructed requests (said next to each), or
 * computed apart from the code under test: the overlap of every request
 * with every window summed by brute force, O(windows x requests).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "analysis.h"
#include "fit.h"
#include "tap.h"
#include "traffic.h"

/* 2023-11-14T22:13:20Z, with a fraction so that no window edge falls on a
 * whole second of the epoch. */
#define T0_SEC	1700000000LL
#define T0_NS	250000000L

#define MAXREQ	20000

static struct req reqs[MAXREQ];
static size_t nreq;
static size_t run_first[4];

static void
reset(void)
{
	nreq = 0;
	memset(reqs, 0, sizeof(reqs));
}

static void
at(struct ts *t, int64_t ns)
{
	int64_t v = T0_NS + ns;

	t->sec = T0_SEC + v / 1000000000;
	t->nsec = (int32_t)(v % 1000000000);
	t->digits = 9;
	t->flags = 0;
}

/* A request over [s, e), in nanoseconds from T0; has: 1 start, 2 end. */
static void
add(int64_t s, int64_t e, int has)
{
	struct req *r = &reqs[nreq];

	r->run = 1;
	r->i = (uint32_t)nreq;
	r->has_start = (has & 1) != 0;
	r->has_end = (has & 2) != 0;
	at(&r->start, s);
	at(&r->end, e);
	nreq++;
}

static struct reqset
set_of(void)
{
	struct reqset rs;

	memset(&rs, 0, sizeof(rs));
	rs.reqs = reqs;
	rs.nreqs = nreq;
	run_first[0] = 0;
	rs.run_first = run_first;
	rs.nruns = nreq > 0;
	return rs;
}

static int
measure(int64_t window_ns, struct traffic *t)
{
	struct reqset rs = set_of();
	struct traffic_opt o = { 0 };
	struct diag d;

	diag_clear(&d);
	if (window_ns > 0) {
		o.has_window = 1;
		o.window.sec = window_ns / 1000000000;
		o.window.nsec = (int32_t)(window_ns % 1000000000);
	}
	return traffic_measure(&rs, NULL, 0, &o, t, &d);
}

#define MS	1000000LL
#define SEC	1000000000LL

/*
 * Four lanes, each serving requests of 500 ms back to back from T0 to
 * T0 + 100 s: exactly 4 in flight at every instant.  With windows of 1 s,
 * window 0 holds the four completions at 0.5 s (those at 1.0 s belong to
 * window 1: half-open), windows 1..99 hold eight (k.0 and k.5, four
 * lanes), window 100 the four at 100.0 s with nothing in flight.
 */
static void
test_constant(void)
{
	struct traffic t;
	int exact_n = 1, exact_x = 1;

	reset();
	for (int lane = 0; lane < 4; lane++)
		for (int64_t s = 0; s < 100 * SEC; s += 500 * MS)
			add(s, s + 500 * MS, 3);
	ok(measure(1 * SEC, &t) == 0 && t.ok, "constant 4: measured");
	is_int((long long)t.requests, 800, "constant 4: 800 requests");
	is_int((long long)t.windows, 101, "constant 4: windows 0 to 100");
	is_int((long long)t.idle, 0, "constant 4: none idle");
	is_int((long long)t.with_completions, 101, "constant 4: every "
	    "window holds completions");
	is_double(t.window, 1, 0, "constant 4: the window given, 1 s");
	ok(t.window_given, "constant 4: window given");
	is_double(t.n[0], 4, 0, "window 0: N = 4 exactly");
	is_double(t.x[0], 4, 0, "window 0: X = 4/s (the ends at 1.0 s go to "
	    "window 1)");
	for (size_t k = 1; k < 100; k++) {
		exact_n &= t.n[k] == 4;
		exact_x &= t.x[k] == 8;
	}
	ok(exact_n, "windows 1 to 99: N = 4 exactly");
	ok(exact_x, "windows 1 to 99: X = 8/s exactly");
	is_double(t.n[100], 0, 0, "window 100: nothing in flight");
	is_double(t.x[100], 4, 0, "window 100: the last four ends");
	is_double(t.p90, 0.5, 0, "constant 4: p90 latency 0.5 s");
	traffic_free(&t);

	/* The same with windows of 250 ms: each request covers two whole
	 * windows, the count stays 4. */
	ok(measure(250 * MS, &t) == 0 && t.ok, "constant 4 at 250 ms");
	is_int((long long)t.windows, 401, "250 ms: windows 0 to 400");
	is_double(t.n[1], 4, 0, "250 ms: window 1 N = 4 (crossed whole)");
	is_double(t.x[1], 0, 0, "250 ms: window 1 holds no end");
	is_double(t.x[2], 16, 0, "250 ms: window 2 holds the 4 ends at "
	    "0.5 s: 16/s");
	traffic_free(&t);

	/* The default: 10 p90 = 5 s, so 10 s windows; they give 11 windows
	 * with completions (0.5 s .. 100 s), 60 s and 5 min fewer: none. */
	ok(measure(0, &t) == 0 && !t.ok, "constant 4, 100 s: no default "
	    "window");
	ok(strstr(t.why, "p90 latency (0.5 s)") != NULL &&
	    strstr(t.why, "(11 at best)") != NULL, "the reason names the p90 "
	    "and the best count: %s", t.why);
	traffic_free(&t);
}

/* Brute force: the overlap of every request with window k, in ns. */
static double
brute_n(int64_t k, int64_t w, const int64_t *s, const int64_t *e, size_t n)
{
	long double area = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t lo = s[i] > k * w ? s[i] : k * w;
		int64_t hi = e[i] < (k + 1) * w ? e[i] : (k + 1) * w;

		if (hi > lo)
			area += (long double)(hi - lo);
	}
	return (double)(area / (long double)w);
}

/* Random requests: every window's N and X against brute force. */
static void
test_random(void)
{
	static int64_t s[2000], e[2000];
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int64_t w = 700 * MS, maxe = 0;
	size_t n = 2000, bad_n = 0, bad_x = 0, k = 0, idle = 0;
	struct traffic t;

	reset();
	for (size_t i = 0; i < n; i++) {
		/* Arrivals over 300 s with a quiet stretch from 100 to 150 s;
		 * latencies of 0 to 3 s at nanosecond resolution. */
		int64_t a = (int64_t)(tap_rnd(&seed) % (uint64_t)(250 * SEC));

		if (a >= 100 * SEC)
			a += 50 * SEC;
		s[i] = a;
		e[i] = a + (int64_t)(tap_rnd(&seed) % (uint64_t)(3 * SEC));
		if (i % 97 == 0)
			e[i] = a;	/* some of no length */
		if (e[i] > maxe)
			maxe = e[i];
		add(s[i], e[i], 3);
	}
	/* The earliest start is T0 + min(s): windows start there. */
	{
		int64_t m = s[0];

		for (size_t i = 1; i < n; i++)
			if (s[i] < m)
				m = s[i];
		for (size_t i = 0; i < n; i++) {
			s[i] -= m;
			e[i] -= m;
		}
		maxe -= m;
	}
	add(0, 0, 1);	/* a start with no end: not counted */
	ok(measure(w, &t) == 0 && t.ok, "random: measured");
	is_int((long long)t.requests, (long long)n, "random: the requests "
	    "with both ends, not the start alone");
	for (int64_t q = 0; q <= maxe / w; q++) {
		double bn = brute_n(q, w, s, e, n);
		size_t done = 0;

		for (size_t i = 0; i < n; i++)
			done += e[i] >= q * w && e[i] < (q + 1) * w;
		if (bn == 0 && done == 0) {
			idle++;
			continue;
		}
		if (k < t.windows) {
			bad_n += fabs(t.n[k] - bn) > 1e-12 * (bn > 1 ? bn : 1);
			bad_x += t.x[k] != (double)done * 1e9 / (double)w;
		}
		k++;
	}
	is_int((long long)t.windows, (long long)k, "random: windows "
	    "measured as brute force finds them");
	is_int((long long)t.idle, (long long)idle, "random: idle windows "
	    "(the quiet stretch)");
	ok(idle >= 60, "random: the quiet stretch gives idle windows (%zu)",
	    idle);
	is_int((long long)bad_n, 0, "random: N of every window as brute "
	    "force (1e-12: one division)");
	is_int((long long)bad_x, 0, "random: X of every window exact");
	traffic_free(&t);
}

/* traffic_measure() of rs (keep: as traffic_measure()'s), its windows. */
static int
measure_set(const struct reqset *rs, const uint32_t *keep, size_t nkeep,
    struct traffic *t)
{
	struct traffic_opt o = { 0 };
	struct diag d;

	diag_clear(&d);
	o.has_window = 1;
	o.window.nsec = 300 * MS;
	return traffic_measure(rs, keep, nkeep, &o, t, &d);
}

/* Whether two measures are the same, number for number. */
static int
same_traffic(const struct traffic *a, const struct traffic *b)
{
	if (a->ok != b->ok || a->requests != b->requests ||
	    a->has_p90 != b->has_p90 || a->p90 != b->p90 ||
	    a->windows != b->windows || a->idle != b->idle ||
	    a->with_completions != b->with_completions)
		return 0;
	for (size_t k = 0; k < a->windows; k++)
		if (a->n[k] != b->n[k] || a->x[k] != b->x[k])
			return 0;
	return 1;
}

/*
 * The same requests as a set keeps them (packed records, read in place by
 * reqset_next_span()) and as given (struct req): the same windows, every
 * run or some; runs of completions only, of starts only, and mixed.
 */
static void
test_packed(void)
{
	static struct reqrec rec[MAXREQ];
	size_t first[4], nruns = 4;
	uint32_t run_no[4] = { 1, 2, 5, 6 }, keep[2] = { 2, 3 };
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	struct reqset given, packed;
	struct traffic a, b;
	int packs = 1;

	reset();
	for (size_t k = 0; k < nruns; k++) {
		first[k] = nreq;
		for (size_t i = 0; i < 1500; i++) {
			int64_t s = (int64_t)(k * 20 + tap_rnd(&seed) % 20) *
			    SEC + (int64_t)(tap_rnd(&seed) % SEC);
			/* Run 2 (k = 1): completions only. */
			int has = k == 1 ? 2 : 1 + (int)(tap_rnd(&seed) % 3);

			add(s, s + (int64_t)(tap_rnd(&seed) % (2 * SEC)), has);
			reqs[nreq - 1].run = run_no[k];
			reqs[nreq - 1].i = (uint32_t)i;
			if (!reqs[nreq - 1].has_start)
				memset(&reqs[nreq - 1].start, 0,
				    sizeof(reqs[0].start));
			if (!reqs[nreq - 1].has_end)
				memset(&reqs[nreq - 1].end, 0,
				    sizeof(reqs[0].end));
			packs &= reqrec_pack(&reqs[nreq - 1],
			    &rec[nreq - 1]) == 0;
		}
	}
	ok(packs, "packed: every request packs");
	memset(&given, 0, sizeof(given));
	given.reqs = reqs;
	given.nreqs = nreq;
	given.run_first = first;
	given.nruns = nruns;
	packed = given;
	packed.reqs = NULL;
	packed.rec = rec;
	packed.run_no = run_no;
	ok(measure_set(&given, NULL, 0, &a) == 0 && a.ok &&
	    measure_set(&packed, NULL, 0, &b) == 0 && b.ok,
	    "packed: every run measured both ways");
	ok(a.requests > 1000, "packed: %zu requests with both ends",
	    a.requests);
	ok(same_traffic(&a, &b), "packed: every run: the same windows as "
	    "from struct req");
	traffic_free(&a);
	traffic_free(&b);
	ok(measure_set(&given, keep, 2, &a) == 0 && a.ok &&
	    measure_set(&packed, keep, 2, &b) == 0 && b.ok,
	    "packed: runs 2 and 5 measured both ways");
	ok(same_traffic(&a, &b) && a.requests < 1500, "packed: runs 2 and 5 "
	    "(2 completions only): the same windows as from struct req (%zu "
	    "requests)", b.requests);
	traffic_free(&a);
	traffic_free(&b);
	keep[1] = 2;	/* run 2 alone: completions only */
	ok(measure_set(&packed, keep + 1, 1, &b) == 0 && !b.ok &&
	    b.requests == 0 && strstr(b.why, "both a start and an end") !=
	    NULL, "packed: a run of completions: nothing to measure: %s",
	    b.why);
	traffic_free(&b);
}

/* The default rule picks the shortest window that fits it. */
static void
test_rule(void)
{
	struct traffic t;

	/* Requests of 50 ms every 100 ms over 100 s: 10 p90 = 0.5 s, so 1 s
	 * windows qualify with 101 windows with completions. */
	reset();
	for (int64_t a = 0; a < 100 * SEC; a += 100 * MS)
		add(a, a + 50 * MS, 3);
	ok(measure(0, &t) == 0 && t.ok, "50 ms: a default window");
	is_double(t.window, 1, 0, "50 ms latencies: 1 s windows");
	ok(!t.window_given, "50 ms: the rule's window");
	is_double(t.n[5], 0.5, 1e-15, "50 ms every 100 ms: N = 0.5");
	is_double(t.x[5], 10, 0, "50 ms every 100 ms: X = 10/s");
	traffic_free(&t);

	/* Latencies of 0.5 s over 400 s: 1 s is too short (10 p90 = 5 s),
	 * 10 s gives 41 windows with completions. */
	reset();
	for (int64_t a = 0; a < 400 * SEC; a += 200 * MS)
		add(a, a + 500 * MS, 3);
	ok(measure(0, &t) == 0 && t.ok, "0.5 s: a default window");
	is_double(t.window, 10, 0, "0.5 s latencies: 10 s windows");
	is_double(t.n[3], 2.5, 1e-15, "0.5 s every 200 ms: N = 2.5");
	traffic_free(&t);

	/* Latencies of 5 s (10 p90 = 50 s): 60 s windows need 30 with
	 * completions, so 1,800 s of traffic; 2,000 s gives 34 (ends 5 s
	 * .. 2000 s, windows 0 to 33). */
	reset();
	for (int64_t a = 0; a < 2000 * SEC; a += 5 * SEC)
		add(a, a + 5 * SEC, 3);
	ok(measure(0, &t) == 0 && t.ok, "5 s: a default window");
	is_double(t.window, 60, 0, "5 s latencies: 60 s windows");
	is_int((long long)t.with_completions, 34, "5 s: 34 windows with "
	    "completions");
	is_double(t.n[1], 1, 0, "5 s every 5 s: N = 1 exactly");
	traffic_free(&t);

	/* Latencies of 7 s: 10 p90 = 70 s passes 60 s by; 5 min needs 30
	 * windows with completions, 2,000 s gives 7. */
	reset();
	for (int64_t a = 0; a < 2000 * SEC; a += 5 * SEC)
		add(a, a + 7 * SEC, 3);
	ok(measure(0, &t) == 0 && !t.ok, "7 s over 2,000 s: no default");
	ok(strstr(t.why, "(7 at best)") != NULL, "only 5 min qualifies by "
	    "length: %s", t.why);
	traffic_free(&t);

	/* Latencies of 31 s: no candidate is long enough. */
	reset();
	for (int64_t a = 0; a < 2000 * SEC; a += 5 * SEC)
		add(a, a + 31 * SEC, 3);
	ok(measure(0, &t) == 0 && !t.ok, "31 s: no default");
	ok(strstr(t.why, "p90 latency is 31 s: no window") != NULL,
	    "none long enough: %s", t.why);
	traffic_free(&t);
}

static void
test_degenerate(void)
{
	struct traffic t;

	/* No request with both ends. */
	reset();
	add(0, 1 * SEC, 1);
	add(0, 2 * SEC, 2);
	ok(measure(0, &t) == 0 && !t.ok, "starts and ends apart: not "
	    "measured");
	ok(strstr(t.why, "both a start and an end") != NULL, "why: %s",
	    t.why);
	is_int((long long)t.requests, 0, "no request counted");
	traffic_free(&t);

	/* Nothing at all. */
	reset();
	ok(measure(1 * SEC, &t) == 0 && !t.ok, "no requests: not measured");
	traffic_free(&t);

	/* One window: everything within 300 ms, windows of 10 s. */
	reset();
	add(0, 100 * MS, 3);
	add(100 * MS, 300 * MS, 3);
	ok(measure(10 * SEC, &t) == 0 && t.ok, "one window: measured");
	is_int((long long)t.windows, 1, "one window");
	is_double(t.n[0], 0.03, 1e-17, "one window: N = 0.3 s / 10 s");
	is_double(t.x[0], 0.2, 1e-17, "one window: X = 2 / 10 s");
	traffic_free(&t);

	/* All equal: 50 requests over the same [0, 2 s). */
	reset();
	for (int i = 0; i < 50; i++)
		add(0, 2 * SEC, 3);
	ok(measure(1 * SEC, &t) == 0 && t.ok, "all equal: measured");
	is_int((long long)t.windows, 3, "all equal: windows 0, 1 and the "
	    "ends' window 2");
	is_double(t.n[0], 50, 0, "all equal: N = 50 in window 0");
	is_double(t.n[1], 50, 0, "all equal: N = 50 in window 1");
	is_double(t.x[2], 50, 0, "all equal: the 50 ends in window 2");
	is_double(t.n[2], 0, 0, "all equal: nothing in flight in window 2");
	traffic_free(&t);

	/* Requests of no length: completions, nothing in flight. */
	reset();
	add(0, 0, 3);
	add(5 * SEC, 5 * SEC, 3);
	ok(measure(1 * SEC, &t) == 0 && t.ok, "no length: measured");
	is_int((long long)t.windows, 2, "no length: two windows with "
	    "completions");
	is_int((long long)t.idle, 4, "no length: four idle between");
	is_double(t.n[1], 0, 0, "no length: N = 0");
	is_double(t.x[1], 1, 0, "no length: X = 1/s");
	traffic_free(&t);

	/* A window too short for the traffic. */
	reset();
	add(0, 100 * SEC, 3);
	ok(measure(10 * 1000, &t) == 0 && !t.ok, "10 us over 100 s: refused");
	ok(strstr(t.why, "longer --window") != NULL, "why: %s", t.why);
	traffic_free(&t);

	/* A window too long to count in nanoseconds. */
	reset();
	add(0, 1 * SEC, 3);
	ok(measure(INT64_C(5000000000) * SEC, &t) == 0 && !t.ok,
	    "a window of 158 years: refused");
	traffic_free(&t);
}

/* The USL recovered from X(N) of known parameters, at concurrencies that
 * are time-averages (below 1 too). */
static void
test_usl(void)
{
	static const struct fit_usl_rules win = { 0, 0.1 };
	double n[40], x[40];
	struct fit_usl f;
	struct diag d;
	size_t m = 0;

	diag_clear(&d);
	for (double v = 0.35; v < 30; v *= 1.25) {
		n[m] = v;
		x[m++] = 12.5 * v / (1 + 0.04 * (v - 1) + 0.0015 * v * (v - 1));
	}
	ok(fit_usl_rules(n, x, m, &win, &f, &d) == 0 && f.ok, "USL on "
	    "windows: fitted (%s)", f.why);
	is_double(f.lambda, 12.5, 1e-8, "lambda 12.5 recovered");
	is_double(f.sigma, 0.04, 1e-9, "sigma 0.04 recovered");
	is_double(f.kappa, 0.0015, 1e-10, "kappa 0.0015 recovered");
	is_double(f.r2, 1, 1e-12, "exact data: r2 1");
	/* The runs' rules refuse a concurrency below 1. */
	ok(fit_usl(n, x, m, &f, &d) == 0 && !f.ok &&
	    strstr(f.why, "below 1") != NULL, "fit_usl: N = 0.35 refused "
	    "(%s)", f.why);

	/* Six windows whose N round to three values count as three. */
	{
		double nn[] = { 1.01, 1.04, 2.0, 2.02, 3.0, 2.96 };
		double xx[] = { 1, 1, 2, 2, 3, 3 };

		ok(fit_usl_rules(nn, xx, 6, &win, &f, &d) == 0 && !f.ok,
		    "N rounded to 0.1: three distinct");
		is_int((long long)f.distinct, 3, "three concurrencies (%s)",
		    f.why);
		ok(fit_usl(nn, xx, 6, &f, &d) == 0 && f.distinct == 6,
		    "counted exactly, the same six are six");
	}
}

/* The block: series thinned to 512 windows, first and last kept; the
 * USL refused with the windows' rule in its reason; no series when asked. */
static void
test_block(void)
{
	struct reqset rs;
	struct traffic_opt o = { 1, { 0, 125000000, 9, 0 } };
	struct analysis_traffic a;
	struct diag d;

	reset();
	for (int lane = 0; lane < 4; lane++)
		for (int64_t s = 0; s < 100 * SEC; s += 500 * MS)
			add(s, s + 500 * MS, 3);
	rs = set_of();
	diag_clear(&d);
	ok(traffic_build(&rs, NULL, 0, &o, 0, &a, &d) == 0 && a.fitted,
	    "block: measured");
	is_int((long long)a.windows, 801, "block: 801 windows of 125 ms");
	ok(a.has_series && a.thinned, "block: series thinned");
	is_int((long long)a.nseries, 512, "block: 512 points");
	is_double(a.series[0].x, 4, 0, "block: first point, window 0: N 4");
	is_double(a.series[0].y, 0, 0, "block: first point: no end");
	is_double(a.series[511].x, 0, 0, "block: last point, window 800: "
	    "N 0");
	is_double(a.series[511].y, 32, 0, "block: last point: 4 ends in "
	    "125 ms");
	ok(!a.usl.fitted && strstr(a.usl.reason, "1 distinct concurrency") &&
	    strstr(a.usl.reason, "(N rounded to 0.1)"), "block: USL refused, "
	    "window 800 (N 0) left out: %s", a.usl.reason);
	free(a.series);
	ok(traffic_build(&rs, NULL, 0, &o, 1, &a, &d) == 0 && a.fitted &&
	    !a.has_series && a.series == NULL, "block: --no-series");

	/* Nothing to measure: the block says why. */
	reset();
	add(0, SEC, 2);
	rs = set_of();
	ok(traffic_build(&rs, NULL, 0, NULL, 0, &a, &d) == 0 && !a.fitted &&
	    strstr(a.reason, "both a start and an end") != NULL,
	    "block: completions only: %s", a.reason);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_constant();
	test_random();
	test_packed();
	test_rule();
	test_degenerate();
	test_usl();
	test_block();
	return done_testing();
}
