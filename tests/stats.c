/*
 * Tests for analyze/stats.c: one run at a time, on runs made by hand so
 * that every expected value can be worked out on paper (the working is in
 * the comments).  Times are milliseconds after an arbitrary epoch second.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis.h"
#include "reqset.h"
#include "stats.h"
#include "tap.h"

#define BASE	1698880000LL
#define NONE	(-1LL)

static void
at(struct ts *t, long long ms)
{
	t->sec = BASE + ms / 1000;
	t->nsec = (int32_t)(ms % 1000) * 1000000;
	t->digits = 3;
	t->flags = 0;
}

static void
mk(struct req *r, uint32_t i, long long start, long long end,
    const char *pid, const char *tid)
{
	memset(r, 0, sizeof(*r));
	r->run = 1;
	r->i = i;
	if (start != NONE) {
		r->has_start = 1;
		at(&r->start, start);
	}
	if (end != NONE) {
		r->has_end = 1;
		at(&r->end, end);
	}
	r->pid = pid;
	r->tid = tid;
}

static int
run(struct req *r, size_t n, double T, long conc, struct stats *s)
{
	struct stats_opt o;
	struct diag d;

	memset(&o, 0, sizeof(o));
	diag_clear(&d);
	if (T >= 0) {
		o.has_service = 1;
		o.service.sec = (int64_t)T;
		o.service.nsec = (int32_t)llround((T - floor(T)) * 1e9);
	}
	o.concurrency = conc;
	return stats_run(r, n, 1, &o, s, &d);
}

static void
test_parallel(void)
{
	/* The article's run 1 (completions only), T = 10 given.  spread =
	 * 05.008870 - 04.806247 = 0.202623; serialization = 0.202623 /
	 * (3 * 10) = 0.0067541; parallelism = 4 * 10 / 10.202623 =
	 * 3.92056042843100 (40 / 10.202623 by hand: 3.9205604284). */
	static const char *tid[] = { "a", "b", "c", "d" };
	int32_t ns[] = { 806247000, 843306000, 936511000, 8870000 };
	struct req r[4];
	struct stats s;

	for (int i = 0; i < 4; i++) {
		mk(&r[i], (uint32_t)i, NONE, 0, "65432", tid[i]);
		r[i].end.sec = 1698880204 + (i == 3);
		r[i].end.nsec = ns[i];
		r[i].end.digits = 6;
	}
	is_int(run(r, 4, 10, 0, &s), 0, "run 1: stats_run returns 0");
	is_int((long long)s.n, 4, "run 1: n");
	is_double(s.spread, 0.202623, 1e-15, "run 1: spread");
	is_double(s.serialization, 0.0067541, 1e-15, "run 1: serialization");
	is_double(s.parallelism, 40 / 10.202623, 1e-14, "run 1: parallelism");
	is_int(s.T_src, TSRC_GIVEN, "run 1: T given");
	ok(s.has_waves && s.waves == 1 && !s.has_pool, "run 1: one wave, no "
	    "pool size");
	ok(!s.has_inflight && s.ll_state == 0 && !s.has_slopes &&
	    !s.has_latency, "run 1: no starts, so no in-flight, Little, "
	    "slopes or latency");
	is_int((long long)s.pids, 1, "run 1: one pid");
	is_int((long long)s.tids, 4, "run 1: four threads");
	is_int(s.verdict, VERDICT_PARALLEL, "run 1: parallel");
	is_str(s.reason, "4 requests of 10 s finished within 0.203 s "
	    "(completions only: assumed a burst)", "run 1: reason");
	is_int((long long)s.unmatched_ends, 0, "completions-only: no "
	    "unmatched ends");
	stats_free(&s);
}

static void
test_serialized(void)
{
	/* Four requests arrive at 0 and are served one after another, 1 s
	 * each: ends 1, 2, 3, 4; latencies 1, 2, 3, 4.  T = lowest latency
	 * = 1.  Waves round((lat - 1) / 1) = 0, 1, 2, 3: four waves of 1,
	 * pool size 1.  serialization = 3 / (3 * 1) = 1; parallelism =
	 * 4 / (3 + 1) = 1.  All four in flight at 0: max_inflight 4.
	 * Little: integral = 1 + 2 + 3 + 4 = 10 over span 4: 2.5; X R =
	 * 4 / 4 * 2.5 = 2.5.  Latency quantiles (linear between order
	 * statistics, index (n - 1) q): p50 = 2.5, p90 = 3 + 0.7 = 3.7,
	 * p99 = 3 + 0.97 = 3.97, max 4.  latency_slope = 1 per rank;
	 * arrival_stagger = 0 (every start at 0). */
	struct req r[4];
	struct stats s;

	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, 0, 1000 * (i + 1), "1", "1");
	is_int(run(r, 4, -1, 0, &s), 0, "serialized: stats_run returns 0");
	ok(s.has_T && s.T == 1 && s.T_src == TSRC_LATENCY,
	    "serialized: T from the lowest latency");
	is_double(s.serialization, 1, 0, "serialized: serialization 1");
	is_double(s.parallelism, 1, 0, "serialized: parallelism 1");
	is_int((long long)s.max_inflight, 4, "serialized: max_inflight 4");
	is_int(s.ll_state, 1, "serialized: Little's law computed");
	is_double(s.ll_mean, 2.5, 1e-15, "serialized: mean in flight");
	is_double(s.ll_xr, 2.5, 1e-15, "serialized: X R");
	ok(s.ll_ok, "serialized: Little's law holds");
	is_double(s.p50, 2.5, 1e-15, "p50: mean of the two middle values");
	is_double(s.p90, 3.7, 1e-15, "p90");
	is_double(s.p99, 3.97, 1e-15, "p99");
	is_double(s.lmax, 4, 0, "max");
	ok(s.latslope.ok, "latency slope fitted");
	is_double(s.latslope.b, 1, 1e-15, "latency grows 1 s per rank");
	is_double(s.arrival.b, 0, 0, "arrival stagger 0");
	ok(!s.arrival.has_r2, "arrival: equal starts, no r2");
	is_int((long long)s.waves, 4, "four waves");
	is_int((long long)s.pool, 1, "pool size 1");
	is_int((long long)s.awaves, 1, "arrivals in one wave");
	ok(!s.has_apool, "no arrival pool size with one wave");
	is_int(s.verdict, VERDICT_SERIALIZED, "verdict serialized");
	is_str(s.reason, "4 requests of 1 s finished within 3.000 s: one at "
	    "a time, in 4 waves of 1; latency grows 1 s per request: "
	    "serialized service", "serialized: reason");
	ok(s.ninflight == 5 && s.inflight[0].x == -1 &&
	    s.inflight[0].y == 4 && s.inflight[4].x == 3 &&
	    s.inflight[4].y == 0, "in-flight steps: 4 at -1 s (the start, "
	    "before the first end), 0 at 3 s");
	stats_free(&s);
}

static void
test_pool(void)
{
	/* Six requests at 0 through a pool of 2, 1 s each: ends 1, 1, 2,
	 * 2, 3, 3.  Waves 0, 0, 1, 1, 2, 2: sizes 2, 2, 2; pool 2 (the two
	 * waves before the last).  serialization = 2 / (5 * 1) = 0.4. */
	struct req r[6];
	struct stats s;

	for (int i = 0; i < 6; i++)
		mk(&r[i], (uint32_t)i, 0, 1000 * (i / 2 + 1), "1", "1");
	run(r, 6, -1, 0, &s);
	is_int((long long)s.waves, 3, "pool: three waves");
	is_int((long long)s.pool, 2, "pool: size 2");
	is_double(s.serialization, 0.4, 1e-15, "pool: serialization 0.4");
	is_int(s.verdict, VERDICT_PARTIAL, "pool: partial");
	is_str(s.reason, "6 requests of 1 s finished within 2.000 s in 3 "
	    "waves: a pool of 2; latency grows 0.457 s per request: service is "
	    "the limit", "pool: reason (slope of 1,1,2,2,3,3 on 0..5: "
	    "Sxy / Sxx = 8 / 17.5 = 0.457)");
	stats_free(&s);

	/* Completions only, T = 1 given: ends 0, 0.1, 1.0, 1.1, 2.0; gaps
	 * above 0.5 split them 2, 2, 1: pool 2. */
	{
		long long e[] = { 0, 100, 1000, 1100, 2000 };
		struct req q[5];

		for (int i = 0; i < 5; i++)
			mk(&q[i], (uint32_t)i, NONE, e[i], NULL, NULL);
		run(q, 5, 1, 0, &s);
		is_int((long long)s.waves, 3, "gap waves: three");
		is_int((long long)s.pool, 2, "gap waves: pool 2");
		ok(!s.has_pids && !s.has_tids, "no identities: pids and tids "
		    "absent");
		stats_free(&s);
	}
}

static void
test_half(void)
{
	/* Latencies 3.2, 4.0, 4.0, 4.8 s: T = 3.2, (L - T) / T = 0, 0.25,
	 * 0.25, 0.5 exactly; in doubles 1.6 / 3.2 comes out just below 0.5.
	 * Decided in integers the half rounds up: waves 0, 0, 0, 1, so two
	 * waves, pool size 3 (the first of two). */
	long long st[] = { 100, 300, 300, 300 }, en[] = { 3300, 4300, 4300,
	    5100 };
	struct req r[4];
	struct stats s;

	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, st[i], en[i], NULL, NULL);
	run(r, 4, -1, 0, &s);
	is_int((long long)s.waves, 2, "exact half: two waves");
	is_int((long long)s.pool, 3, "exact half: pool 3");
	stats_free(&s);

	/* T = 3 s given, latencies 1 and 2 s: (L - T) / T = -2/3 and -1/3,
	 * waves -1 and 0: two. */
	mk(&r[0], 0, 0, 1000, NULL, NULL);
	mk(&r[1], 1, 0, 2000, NULL, NULL);
	run(r, 2, 3, 0, &s);
	is_int((long long)s.waves, 2, "T above the latencies: waves -1 and "
	    "0");
	stats_free(&s);

	/* One latency a million times T: two waves, found without walking
	 * every wave number in between. */
	mk(&r[0], 0, 0, 1000, NULL, NULL);
	mk(&r[1], 1, 0, 1000000000LL, NULL, NULL);
	run(r, 2, -1, 0, &s);
	is_int((long long)s.waves, 2, "far apart: two waves");
	stats_free(&s);
}

static void
test_admission(void)
{
	/* Admitted one every 50 ms, each served in exactly 30 s: starts 0,
	 * 50, 100, 150; ends 30000, 30050, 30100, 30150.  T = 30; one
	 * wave; serialization = 0.15 / (3 * 30) = 0.0016667: parallel. */
	struct req r[4];
	struct stats s;

	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, 50 * i, 30000 + 50 * i, "1", NULL);
	run(r, 4, -1, 0, &s);
	is_double(s.arrival.b, 0.05, 1e-15, "admission: arrival stagger");
	is_double(s.latslope.b, 0, 1e-15, "admission: latency slope 0");
	is_double(s.stagger.b, s.arrival.b + s.latslope.b, 1e-15,
	    "in order: stagger = arrival stagger + latency slope");
	is_int(s.verdict, VERDICT_PARALLEL, "admission: parallel");
	/* 0.15 s of spread is under a tenth of T = 30 s: too small to say
	 * where it came from (STATS_NEGLIGIBLE_SPREAD), so the reason does
	 * not. */
	is_int(s.origin, STATS_ORIGIN_NEGLIGIBLE, "4 requests: origin negligible");
	is_str(s.reason, "4 requests of 30 s finished within 0.150 s",
	    "4 requests: reason");
	is_int((long long)s.awaves, 1, "admission: arrivals in one wave "
	    "(gaps of 50 ms < 15 s)");
	stats_free(&s);

	/* The article's run 5 in round numbers: 200 admitted one every
	 * 50 ms, each served in exactly 30 s.  Spread 199 * 0.05 = 9.95 s,
	 * over a tenth of T; latency slope 0 <= 0.5 * 0.05: admission. */
	{
		static struct req big[200];

		for (int i = 0; i < 200; i++)
			mk(&big[i], (uint32_t)i, 50 * i, 30000 + 50 * i, "1",
			    NULL);
		run(big, 200, -1, 0, &s);
		is_int(s.origin, STATS_ORIGIN_ADMISSION, "200 requests: admission");
		is_str(s.reason, "200 requests of 30 s finished within "
		    "9.950 s; admitted one every 50 ms (20.0/s), each served "
		    "in 30 s", "200 requests: reason");
		stats_free(&s);
	}
}

static void
test_origin(void)
{
	/* stats_judge_origin() on the document's fields alone, each threshold
	 * from both sides. */
	struct stats s;

	memset(&s, 0, sizeof(s));
	is_int(stats_judge_origin(&s), STATS_ORIGIN_NONE, "nothing known: none");
	s.has_slopes = s.arrival.ok = s.latslope.ok = 1;
	s.has_T = s.has_spread = 1;
	s.T = 1;
	s.spread = 0.099;
	s.arrival.b = 0.01;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_NEGLIGIBLE, "spread < T / 10");
	s.spread = 0.1;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_ADMISSION, "spread = T / 10, "
	    "latency slope 0: admission");
	s.latslope.b = 0.005;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_ADMISSION, "latency slope half the "
	    "arrival stagger: admission");
	s.latslope.b = 0.0051;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_BOTH, "a little over half: both");
	s.latslope.b = 0.02;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_SERVICE, "arrival stagger half the "
	    "latency slope: service");
	s.latslope.ok = 0;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_NONE, "one slope not fitted: none");
	/* Without slopes (a sampled run), from the percentiles: max - p50
	 * against a quarter of the spread. */
	s.has_slopes = 0;
	s.has_latency = 1;
	s.spread = 2;
	s.p50 = 1;
	s.lmax = 1.4375;	/* values exact in binary */
	is_int(stats_judge_origin(&s), STATS_ORIGIN_ADMISSION, "max - p50 < spread / 4: "
	    "admission");
	s.lmax = 1.5;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_BOTH, "max - p50 = spread / 4: both");
	s.has_spread = 0;
	is_int(stats_judge_origin(&s), STATS_ORIGIN_NONE, "no spread: none");
	is_str(stats_origin_name(STATS_ORIGIN_SERVICE), "service", "stats_origin_name");
	is_int(stats_origin_parse("both"), STATS_ORIGIN_BOTH, "stats_origin_parse");
	is_int(stats_origin_parse("none"), -1, "stats_origin_parse: no such word");
	ok(stats_origin_name(STATS_ORIGIN_NONE) == NULL, "STATS_ORIGIN_NONE has no name");
}

static void
test_sampled(void)
{
	struct req r[3];
	struct stats s;
	struct stats_opt o;
	struct diag d;

	/* Ends 0, 1, 4 seen of 10 requests: stagger = 4 / 9. */
	mk(&r[0], 0, NONE, 0, NULL, NULL);
	mk(&r[1], 1, NONE, 1000, NULL, NULL);
	mk(&r[2], 2, NONE, 4000, NULL, NULL);
	is_int(run(r, 3, 30, 10, &s), 0, "sampled: stats_run returns 0");
	ok(s.sampled && s.n == 10 && s.nrank == 3, "sampled: n 10 of 3 seen "
	    "(3 points ranked)");
	is_double(s.stagger.b, 4.0 / 9, 1e-15, "sampled: stagger = spread / "
	    "(n - 1)");
	ok(!s.stagger.has_se && !s.stagger.has_r2, "sampled: no stderr, no "
	    "r2");
	ok(!s.has_waves && !s.has_pool, "sampled: no waves");
	is_int(s.verdict, VERDICT_PARALLEL, "sampled: parallel (4 / (9 * "
	    "30) < 0.1, waves unknown)");
	is_int((long long)s.nnotes, 1, "sampled: one note");
	stats_free(&s);
	is_int(run(r, 3, 30, 3, &s), 0, "concurrency equal to seen: fine");
	ok(!s.sampled && s.stagger.has_se, "not sampled: fitted stagger");
	stats_free(&s);

	/* Ends 0 and 2.9 s of 30 requests, T = 1: serialization 2.9 / 29 is
	 * exactly 0.1 (0.09999999999999999 in doubles), so not parallel:
	 * rule 5, partial. */
	mk(&r[0], 0, NONE, 0, NULL, NULL);
	mk(&r[1], 1, NONE, 2900, NULL, NULL);
	run(r, 2, 1, 30, &s);
	ok(s.has_serialization && strstr(s.reason, "(serialization 0.10): "
	    "neither all at once nor one at a time") != NULL,
	    "serialization exactly 0.1: neither below 0.1 nor 0.9");
	is_int(s.verdict, VERDICT_PARTIAL, "serialization exactly 0.1: "
	    "partial");
	stats_free(&s);
	/* 0.9 exactly: ends 0 and 26.1 s of 30, T = 1: 26.1 / 29 = 0.9. */
	mk(&r[1], 1, NONE, 26100, NULL, NULL);
	run(r, 2, 1, 30, &s);
	is_int(s.verdict, VERDICT_SERIALIZED, "serialization exactly 0.9: "
	    "serialized");
	stats_free(&s);
	mk(&r[1], 1, NONE, 1000, NULL, NULL);
	mk(&r[2], 2, NONE, 4000, NULL, NULL);

	/* One completion seen of 10: the spread is unknown, not 0. */
	run(r, 1, 30, 10, &s);
	ok(s.sampled && !s.has_spread && !s.stagger.ok &&
	    !s.has_serialization && !s.has_parallelism, "one seen of 10: no "
	    "spread, stagger, serialization or parallelism");
	is_str(s.stagger.why, "sampled run: 1 completion seen; 2 needed",
	    "one seen of 10: stagger reason");
	is_int(s.verdict, VERDICT_UNKNOWN, "one seen of 10: unknown");
	is_str(s.reason, "1 completion seen of 10: a spread needs 2",
	    "one seen of 10: reason");
	stats_free(&s);

	memset(&o, 0, sizeof(o));
	o.concurrency = 2;
	diag_clear(&d);
	is_int(stats_run(r, 3, 7, &o, &s, &d), -1, "concurrency below seen: "
	    "an error");
	is_int(d.code, DIAG_USAGE, "a usage error");
	is_str(d.msg, "run 7: --concurrency 2 is fewer than the 3 "
	    "completions seen", "message names both counts");
	stats_free(&s);
}

static void
test_degenerate(void)
{
	struct req r[3];
	struct stats s;

	mk(&r[0], 0, NONE, 5000, NULL, NULL);
	run(r, 1, 10, 0, &s);
	ok(s.n == 1 && s.spread == 0 && !s.stagger.ok, "one request: no "
	    "stagger");
	is_str(s.stagger.why, "1 point; 2 needed for a slope", "one request: "
	    "stagger reason");
	ok(!s.has_serialization, "one request: no serialization");
	is_int(s.verdict, VERDICT_UNKNOWN, "one request: unknown");
	is_str(s.reason, "1 completion: a spread needs 2", "one request: "
	    "reason");
	stats_free(&s);

	/* Three at the same instant, T = 1: spread 0, serialization 0,
	 * parallelism 3 * 1 / (0 + 1) = 3, slope 0 without r2. */
	for (int i = 0; i < 3; i++)
		mk(&r[i], (uint32_t)i, NONE, 5000, NULL, NULL);
	run(r, 3, 1, 0, &s);
	is_double(s.spread, 0, 0, "equal times: spread 0");
	is_double(s.serialization, 0, 0, "equal times: serialization 0");
	is_double(s.parallelism, 3, 0, "equal times: parallelism 3");
	ok(s.stagger.ok && s.stagger.b == 0 && !s.stagger.has_r2,
	    "equal times: slope 0, no r2");
	is_int(s.verdict, VERDICT_PARALLEL, "equal times: parallel");
	stats_free(&s);

	/* T = 0 given. */
	mk(&r[2], 2, NONE, 6000, NULL, NULL);
	run(r, 3, 0, 0, &s);
	ok(!s.has_serialization && !s.has_waves, "T 0: no serialization, "
	    "no waves");
	is_double(s.parallelism, 0, 0, "T 0: parallelism 3 * 0 / 1 = 0");
	is_int(s.verdict, VERDICT_UNKNOWN, "T 0: unknown");
	is_str(s.reason, "service time is 0: nothing to measure the spread "
	    "against", "T 0: reason");
	stats_free(&s);

	/* No T at all. */
	run(r, 3, -1, 0, &s);
	ok(!s.has_T && s.T_src == TSRC_NONE && !s.has_parallelism,
	    "no T: nothing that needs it");
	is_int(s.verdict, VERDICT_UNKNOWN, "no T: unknown");
	stats_free(&s);

	/* Zero-length requests with starts: nothing in flight. */
	mk(&r[0], 0, 5000, 5000, NULL, NULL);
	mk(&r[1], 1, 5000, 5000, NULL, NULL);
	run(r, 2, -1, 0, &s);
	ok(s.has_T && s.T == 0, "zero latencies: T 0");
	is_int((long long)s.max_inflight, 0, "zero latencies: none in "
	    "flight");
	is_int(s.ll_state, -1, "zero latencies: Little refused");
	stats_free(&s);
}

static void
test_little_unmatched(void)
{
	/* A [0, 1], B [0, 1], C started at 0 and never ended.  The run
	 * ends at 1 s: 3 in flight over 1 s, mean 3; X R = 2 / 1 * 1 = 2:
	 * more than 10 % apart, so not ok. */
	struct req r[3];
	struct stats s;

	mk(&r[0], 0, 0, 1000, "p", "1");
	mk(&r[1], 1, 0, 1000, "p", "2");
	mk(&r[2], 2, 0, NONE, "q", "1");
	run(r, 3, -1, 0, &s);
	is_int((long long)s.unmatched_starts, 1, "one unmatched start");
	is_double(s.ll_mean, 3, 1e-15, "mean in flight counts it");
	is_double(s.ll_xr, 2, 1e-15, "X R does not");
	ok(!s.ll_ok, "so Little's law fails");
	is_int((long long)s.max_inflight, 3, "max_inflight 3");
	is_int((long long)s.pids, 2, "pids p and q");
	is_int((long long)s.tids, 3, "threads (p,1) (p,2) (q,1)");
	stats_free(&s);
}

static void
test_series(void)
{
	static struct req r[1000];
	struct stats s;
	int mono = 1;

	for (int i = 0; i < 1000; i++)
		mk(&r[i], (uint32_t)i, NONE, 10 * i, NULL, NULL);
	run(r, 1000, 100, 0, &s);
	is_int((long long)s.nrank, STATS_SERIES_MAX, "1000 ranks thinned to "
	    "512");
	ok(s.thinned, "thinned is set");
	ok(s.rank[0].x == 0 && s.rank[0].y == 0, "first point kept");
	ok(s.rank[511].x == 999 && fabs(s.rank[511].y - 9.99) < 1e-12,
	    "last point kept");
	for (int k = 1; k < 512; k++)
		if (!(s.rank[k].x > s.rank[k - 1].x))
			mono = 0;
	ok(mono, "ranks strictly increase");
	{
		int kept = 1;

		/* Point k is rank stats_thin_index(k): i at 10 i ms. */
		for (size_t k = 0; k < s.nrank; k++) {
			size_t i = stats_thin_index(k, 1000, 512);

			kept &= s.rank[k].x == (double)i &&
			    s.rank[k].y == (double)(10 * i) / 1e3;
		}
		ok(kept, "every point kept is the rank stats_thin_index() "
		    "names, its time exact");
	}
	stats_free(&s);
	run(r, 512, 100, 0, &s);
	ok(!s.thinned && s.nrank == 512, "512 points: not thinned");
	stats_free(&s);
	/* round(k 999 / 511): k = 1 -> 1.955 -> 2; k = 256 -> 500.49 -> 500. */
	is_int((long long)stats_thin_index(1, 1000, 512), 2, "thin index 1");
	is_int((long long)stats_thin_index(256, 1000, 512), 500,
	    "thin index 256");
	is_int((long long)stats_thin_index(7, 100, 512), 7, "no thinning "
	    "below max");
}

/* stats_pool_size(), its return code checked: the pool, or -2. */
static long long
pool_of(size_t *sizes, size_t nwaves)
{
	size_t pool;

	return stats_pool_size(sizes, nwaves, &pool) == 0 ? (long long)pool :
	    -2;
}

static void
test_pool_size(void)
{
	size_t a[] = { 40, 24 }, b[] = { 40, 40, 24 }, c[] = { 3, 2, 3, 2, 1 };
	size_t e[] = { 5 };

	is_int(pool_of(a, 2), 40, "two waves: the first");
	is_int(pool_of(b, 3), 40, "mode without the last");
	is_int(pool_of(c, 5), 3, "a tie goes to the larger size");
	is_int(pool_of(e, 1), 0, "one wave: no pool");
	{
		/* The last wave does not vote, and the tie among the others
		 * goes to the larger size whatever their order; 30000 waves
		 * (sorted, not counted each against all): 7 twice as common
		 * as 4, the last 9 left out. */
		size_t f[] = { 7, 4, 7, 4, 1, 1, 9 };
		static size_t g[30000];

		is_int(pool_of(f, 7), 7, "a tie of three goes to the larger "
		    "size");
		for (size_t i = 0; i < 30000; i++)
			g[i] = i == 29999 ? 9 : i % 3 ? 7 : 4;
		is_int(pool_of(g, 30000), 7, "30000 waves: the mode");
		{
			int sorted = g[29999] == 9;

			for (size_t i = 1; i < 29999; i++)
				sorted &= g[i - 1] <= g[i];
			ok(sorted && g[0] == 4 && g[29998] == 7, "30000 waves: "
			    "all but the last sorted in place");
		}
	}
	is_int(stats_verdict_parse("partial"), VERDICT_PARTIAL, "verdict words");
	is_int(stats_verdict_parse("bogus"), -1, "unknown word");
	ok(VERDICT_SERIALIZED > VERDICT_PARTIAL && VERDICT_PARTIAL >
	    VERDICT_PARALLEL, "verdicts ordered by how bad");
}


/* ---- Open traffic ---- */

/* In flight when request k arrived, counted the slow way: the others that
 * started strictly before it and had not ended (an end at that instant
 * does not overlap), unmatched starts never ending.  The reference the
 * sweeps are checked against. */
static size_t
brute_q(const struct req *r, size_t n, size_t k)
{
	size_t q = 0;

	for (size_t i = 0; i < n; i++)
		if (i != k && r[i].has_start &&
		    ts_cmp(&r[i].start, &r[k].start) < 0 &&
		    (!r[i].has_end || ts_cmp(&r[i].end, &r[k].start) > 0))
			q++;
	return q;
}

/* The most in flight, the slow way: at every start, what brute_q() sees
 * plus itself. */
static size_t
brute_max(const struct req *r, size_t n)
{
	size_t m = 0;

	for (size_t k = 0; k < n; k++)
		if (r[k].has_start && r[k].has_end &&
		    ts_cmp(&r[k].end, &r[k].start) > 0 &&
		    brute_q(r, n, k) + 1 > m)
			m = brute_q(r, n, k) + 1;
	return m;
}

/* Every entry of latency_by_inflight counts what brute_q() counts. */
static int
buckets_agree(const struct req *r, size_t n, const struct stats *s)
{
	size_t total = 0;

	for (size_t b = 0; b < s->nby_inflight; b++) {
		size_t c = 0;

		for (size_t k = 0; k < n; k++)
			c += r[k].has_start && r[k].has_end &&
			    brute_q(r, n, k) == s->by_inflight[b].inflight;
		if (c != s->by_inflight[b].n)
			return 0;
		total += c;
	}
	return total == n;
}

/*
 * A pool of 4, FIFO: 40 requests arrive 10 ms apart (100/s), each served
 * in 100 ms.  Request i starts at 100 floor(i/4) + 10 (i mod 4) (each
 * worker takes the next as it finishes), so group g = floor(i/4) waits
 * 60 g ms: latency 100 + 60 g, T = 100 ms, and 36 of 40 waited (L >
 * 150).  The last T of each request is its service: with epsilon = 1 ms
 * (resolution; the four that did not wait all took 100 ms, p10 - min =
 * 0) at most 4 overlap.  At 390 ms, 40 arrived and 12 ended: 28 in
 * flight.  The four with fewer than 4 in flight (i < 4) did not wait:
 * consistent.  Waits 60 g for g = 1..9, four each: median (18th and 19th
 * of 36) 300 ms.  Throughput 40 / 1.03 s.
 */
static void
test_open_pool(void)
{
	struct req r[40];
	struct stats s;

	for (int i = 0; i < 40; i++) {
		long long st = 100LL * (i / 4) + 10 * (i % 4);

		mk(&r[i], (uint32_t)i, 10LL * i, (i < 4 ? 10LL * i : st) + 100,
		    NULL, NULL);
	}
	ok(run(r, 40, -1, 0, &s) == 0, "open pool: stats_run returns 0");
	is_str(stats_shape_name(s.shape), "open", "open pool: shape open "
	    "(arrivals over 390 ms > the lowest latency, 100 ms)");
	is_int((long long)s.max_inflight, 28, "open pool: 28 in flight at "
	    "390 ms");
	is_int((long long)s.max_inflight, (long long)brute_max(r, 40),
	    "open pool: max_inflight as counted the slow way");
	ok(s.waited_state == 1 && s.waited_n == 36, "open pool: 36 waited");
	is_double(s.waited_fraction, 0.9, 0, "open pool: fraction 0.9");
	is_double(s.wait_p50, 0.3, 1e-12, "open pool: median wait 0.3 s");
	ok(s.has_pool && s.pool == 4, "open pool: pool_size 4");
	is_int(s.pool_method, POOL_METHOD_OVERLAP, "open pool: by overlap");
	is_double(s.throughput, 40 / 1.03, 1e-9, "open pool: throughput");
	is_int(s.verdict, VERDICT_PARTIAL, "open pool: partial");
	is_str(s.reason, "at 39 requests/s, up to 28 in flight; a pool of 4 "
	    "served them, the others queued (median wait 0.3 s)",
	    "open pool: the reason a person would write");
	ok(buckets_agree(r, 40, &s), "open pool: latency_by_inflight groups "
	    "as counted the slow way");
	ok(!s.has_spread && !s.stagger.ok && !s.has_serialization &&
	    !s.has_waves && !s.has_slopes && s.origin == STATS_ORIGIN_NONE,
	    "open pool: burst fields null");
	stats_free(&s);

	/* A given T below the log's resolution (1 ms): waits cannot be
	 * told, nor the pool, nor the verdict. */
	ok(run(r, 40, 0.0005, 0, &s) == 0 && s.waited_state == -1 &&
	    !s.has_pool, "open pool, T 0.5 ms given: waited refused");
	is_str(s.waited_why, "service time 500 us is below the log's time "
	    "resolution (1 ms): waits cannot be told", "its reason");
	is_int(s.verdict, VERDICT_UNKNOWN, "and the verdict is unknown");
	stats_free(&s);
}

/*
 * A FIFO queue before k workers, each request served in S ms, its arrival
 * stamped o ms before the server sees it (a client's connect): arrivals
 * 5 to 15 ms apart (5 + 7 i mod 11, about 100/s), request i reaching the
 * server at a_i + o and starting at the later of that and the earliest
 * free worker.  The lowest latency, T, is S + o, not S.
 */
static void
mk_fifo(struct req *r, size_t n, int k, long long S, long long o)
{
	long long a = 0, free_at[8] = { 0 };

	for (size_t i = 0; i < n; i++) {
		int w = 0;
		long long st;

		a += 5 + (long long)(7 * i % 11);
		for (int j = 1; j < k; j++)
			if (free_at[j] < free_at[w])
				w = j;
		st = a + o > free_at[w] ? a + o : free_at[w];
		free_at[w] = st + S;
		mk(&r[i], (uint32_t)i, a, st + S, NULL, NULL);
	}
}

/*
 * The arrival stamp carries an overhead (the client's, 18 ms, before the
 * server's listen queue): T = S + 18 ms, and the last T of consecutive
 * queued requests overlap by 18 ms, so by overlap alone one worker of
 * 50 ms looks like 2 (testdata/real/open-single, read with the client's
 * arrivals).  The implied service times e_i - D_(i-k) of the queued
 * requests are S exactly for the true k and scatter below it for a
 * smaller k: pool 1, serialized; a pool of 4 of 100 ms: 4.
 */
static void
test_open_overhead(void)
{
	struct req r[60];
	struct stats s;

	mk_fifo(r, 60, 1, 50, 18);
	ok(run(r, 60, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN &&
	    s.waited_state == 1, "overhead, one worker: open, waits told");
	is_double(s.T, 0.068, 1e-12, "overhead, one worker: T = 50 + 18 ms");
	ok(s.has_pool && s.pool == 1, "overhead, one worker: pool_size 1 "
	    "(%zu)", s.pool);
	is_int(s.verdict, VERDICT_SERIALIZED, "overhead, one worker: "
	    "serialized");
	ok(strstr(s.reason, "one worker served them") != NULL, "overhead, "
	    "one worker: says so (%s)", s.reason);
	stats_free(&s);

	mk_fifo(r, 60, 4, 100, 18);
	ok(run(r, 60, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN &&
	    s.waited_state == 1, "overhead, pool of 4: open, waits told");
	ok(s.has_pool && s.pool == 4, "overhead, pool of 4: pool_size 4 "
	    "(%zu)", s.pool);
	is_int(s.verdict, VERDICT_PARTIAL, "overhead, pool of 4: partial");
	stats_free(&s);

	/* Without the overhead, the overlap gives k already. */
	mk_fifo(r, 60, 1, 50, 0);
	ok(run(r, 60, -1, 0, &s) == 0 && s.has_pool && s.pool == 1,
	    "no overhead, one worker: pool_size 1");
	stats_free(&s);
	mk_fifo(r, 60, 4, 100, 0);
	ok(run(r, 60, -1, 0, &s) == 0 && s.has_pool && s.pool == 4,
	    "no overhead, pool of 4: pool_size 4");
	stats_free(&s);
}

/*
 * Thread per request: 40 requests, arrivals 10 ms apart with 0 to 6 ms of
 * irregularity (3 (i mod 3)), latencies 100 to 104 ms (i mod 5): nobody
 * waits (T = 100, every L <= 150): parallel, no pool.
 */
static void
test_open_threads(void)
{
	struct req r[40];
	struct stats s;

	for (int i = 0; i < 40; i++) {
		long long a = 10LL * i + 3 * (i % 3);

		mk(&r[i], (uint32_t)i, a, a + 100 + i % 5, NULL, NULL);
	}
	ok(run(r, 40, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN,
	    "threads: open");
	is_int((long long)s.max_inflight, (long long)brute_max(r, 40),
	    "threads: max_inflight as counted the slow way");
	ok(s.waited_state == 1 && s.waited_n == 0 && !s.has_wait_p50,
	    "threads: none waited, no median wait");
	ok(!s.has_pool, "threads: no pool");
	is_int(s.verdict, VERDICT_PARALLEL, "threads: parallel");
	ok(strstr(s.reason, "0 waited (under 5 %): no limit reached") != NULL,
	    "threads: no limit reached (%s)", s.reason);
	ok(buckets_agree(r, 40, &s), "threads: latency_by_inflight groups");
	stats_free(&s);

	/* Arrivals exactly 10 ms apart, 100 ms each: always 10 in flight
	 * from 90 ms to 400 ms of a busy time of 490 ms: capped. */
	for (int i = 0; i < 40; i++)
		mk(&r[i], (uint32_t)i, 10LL * i, 10LL * i + 100, NULL, NULL);
	ok(run(r, 40, -1, 0, &s) == 0 && s.max_inflight == 10,
	    "steady threads: 10 in flight");
	ok(strstr(s.reason, "; capped at 10 in flight: a queue before the "
	    "arrival stamp would not show") != NULL, "steady threads: capped "
	    "(%s)", s.reason);
	stats_free(&s);
}

/*
 * One worker stamping arrival when service starts: 20 requests of 100 ms,
 * 0..9 back to back from 0, 10..19 back to back from 2000 (one idle gap):
 * 18 of 19 gaps are 0.  Then the same with each start 2 ms later: never
 * overlapping, not back to back (2 ms > max(epsilon 1 ms, T/10 = 10 ms)?
 * no: T/10 = 10 ms covers 2 ms), so 30 ms gaps instead.
 */
static void
test_open_one_at_a_time(void)
{
	struct req r[20];
	struct stats s;

	for (int i = 0; i < 20; i++) {
		long long a = (i < 10 ? 0 : 1100) + 100LL * i;

		mk(&r[i], (uint32_t)i, a, a + 100, NULL, NULL);
	}
	ok(run(r, 20, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN &&
	    s.max_inflight == 1, "back to back: open, one in flight");
	is_int(s.verdict, VERDICT_SERIALIZED, "back to back: serialized");
	ok(strstr(s.reason, "one in flight at a time, 18 of 19 starting "
	    "within 10 ms of the previous end: ran back to back") != NULL,
	    "back to back: says so (%s)", s.reason);
	ok(strstr(s.reason, "a queue before the stamp does not show") != NULL,
	    "back to back: and what it cannot see");
	stats_free(&s);

	for (int i = 0; i < 20; i++) {
		long long a = (i < 10 ? 0 : 1100) + 130LL * i;

		mk(&r[i], (uint32_t)i, a, a + 100, NULL, NULL);
	}
	ok(run(r, 20, -1, 0, &s) == 0 && s.max_inflight == 1,
	    "30 ms apart: one in flight");
	is_int(s.verdict, VERDICT_UNKNOWN, "30 ms apart: unknown");
	ok(strstr(s.reason, "no concurrency to judge") != NULL,
	    "30 ms apart: no concurrency to judge (%s)", s.reason);
	stats_free(&s);

	/* A poller: two calls in a row (the second 5 ms after the first's
	 * end) every 1.3 s, 10 pairs: 10 of 19 gaps back to back, fewer
	 * than two in three: a client's rhythm, not a serializing server
	 * (an OpenStack API log's shape). */
	for (int i = 0; i < 20; i++) {
		long long a = 1300LL * (i / 2) + (i % 2) * 105;

		mk(&r[i], (uint32_t)i, a, a + 100, NULL, NULL);
	}
	ok(run(r, 20, -1, 0, &s) == 0 && s.max_inflight == 1,
	    "poller: one in flight");
	is_int(s.verdict, VERDICT_UNKNOWN, "poller: unknown, not serialized");
	ok(strstr(s.reason, "not back to back: no concurrency to judge") !=
	    NULL, "poller: no concurrency to judge (%s)", s.reason);
	stats_free(&s);
}

/*
 * Latency growing with load, no pool: groups of 1 to 6 requests arriving
 * 1 ms apart, groups 1 s apart, twice; the j-th of a group (j others in
 * flight) takes 50 + 20 j ms the first time, 50 + 30 j the second (the
 * same law at a different load).  T = 50: 10 of the first 21 waited (L >
 * 75, j >= 2) and 15 of the second (j >= 1).  The last-T intervals
 * overlap 3 at a time; the implied service times of one worker are the
 * gaps between ends, 21 and 31 ms (p10 21 < 0.9 of the median), of two
 * 42 and 62: no smaller k.  Of the requests that arrived with fewer than
 * 3 in flight many waited (over 5 %): no fixed pool.  Latency on j grows.
 * (With 50 + 20 j both times, the ends of each group are 21 ms apart: one
 * worker of 21 ms behind a fixed 29 ms overhead explains that exactly,
 * and pool_size is 1.)
 * Then latency alternating by request (200 ms even, 10 ms odd, arrivals
 * 150 ms apart): the slow ones arrive with none in flight, the fast with
 * the slow one before them; half waited; the last 10 ms of each never
 * overlap (k = 1), but all 20 that arrived with none in flight waited: no
 * consistent pool; the slope of latency on the count is negative: varies
 * by request.
 */
static void
test_open_load(void)
{
	struct req r[60];
	struct stats s;
	size_t n = 0;

	for (int rep = 0; rep < 2; rep++)
		for (int g = 1; g <= 6; g++)
			for (int j = 0; j < g; j++) {
				long long a = 1000LL * (6 * rep + g) + j;

				mk(&r[n], (uint32_t)n, a, a + 50 +
				    (20 + 10 * rep) * j, NULL, NULL);
				n++;
			}
	ok(run(r, n, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN, "load: open");
	ok(s.waited_state == 1 && s.waited_n == 25, "load: 25 of 42 waited "
	    "(%zu)", s.waited_n);
	ok(!s.has_pool, "load: no consistent pool");
	is_int(s.verdict, VERDICT_PARTIAL, "load: partial");
	ok(strstr(s.reason, "latency grows with load, but no fixed pool "
	    "explains it (a shared CPU or lock?)") != NULL, "load: says so "
	    "(%s)", s.reason);
	ok(buckets_agree(r, n, &s), "load: latency_by_inflight groups");
	ok(s.nby_inflight == 6 && s.by_inflight[5].inflight == 5 &&
	    s.by_inflight[5].n == 2, "load: 6 groups, the last of 2 requests");
	is_double(s.by_inflight[2].p50, 0.1, 1e-12, "load: 2 in flight: "
	    "p50 100 ms (90 four times, 110 four times)");
	stats_free(&s);

	for (int i = 0; i < 40; i++)
		mk(&r[i], (uint32_t)i, 150LL * i, 150LL * i + (i % 2 ? 10 : 200),
		    NULL, NULL);
	ok(run(r, 40, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN &&
	    s.waited_n == 20 && s.max_inflight == 2, "by request: open, 20 "
	    "waited, 2 in flight");
	ok(!s.has_pool, "by request: no pool");
	is_int(s.verdict, VERDICT_UNKNOWN, "by request: unknown");
	ok(strstr(s.reason, "latency varies by request, not by load") !=
	    NULL, "by request: says so (%s)", s.reason);
	stats_free(&s);
}

/*
 * Shapes: arrivals within the lowest latency are a burst (the article's
 * run 5: 10.4 s of arrivals, 30 s calls); a completions-only run is a
 * burst, said to be assumed, unless its spread exceeds 1.5 (n - 1) T.
 */
static void
test_shapes(void)
{
	struct req r[4];
	struct stats s;

	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, 100LL * i, 100LL * i + 1000, NULL, NULL);
	ok(run(r, 4, -1, 0, &s) == 0 && s.shape == SHAPE_BURST &&
	    s.pool_method == POOL_METHOD_WAVES, "arrivals over 300 ms, calls "
	    "of 1 s: a burst, pool by waves");
	stats_free(&s);
	/* The arrival span equal to the lowest latency is still a burst. */
	mk(&r[3], 3, 1000, 2000, NULL, NULL);
	ok(run(r, 4, -1, 0, &s) == 0 && s.shape == SHAPE_BURST,
	    "arrival span = the lowest latency: a burst");
	stats_free(&s);
	mk(&r[3], 3, 1001, 2001, NULL, NULL);
	ok(run(r, 4, -1, 0, &s) == 0 && s.shape == SHAPE_OPEN,
	    "1 ms more: open");
	stats_free(&s);

	/* Completions 3 s apart, T = 1 s: 9 s > 1.5 x 3 x 1 s. */
	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, NONE, 3000LL * i, NULL, NULL);
	ok(run(r, 4, 1, 0, &s) == 0 && s.shape == SHAPE_BURST &&
	    s.verdict == VERDICT_UNKNOWN, "completions 3 s apart, T 1 s: "
	    "unknown");
	is_str(s.reason, "completions further apart than one service time "
	    "each: not a burst, and without start times nothing shows how "
	    "requests overlapped", "its reason");
	stats_free(&s);
	/* 1.5 s apart: 4.5 s = 1.5 x 3 x 1 s, exactly: still a burst,
	 * serialized, and assumed so. */
	for (int i = 0; i < 4; i++)
		mk(&r[i], (uint32_t)i, NONE, 1500LL * i, NULL, NULL);
	ok(run(r, 4, 1, 0, &s) == 0 && s.verdict == VERDICT_SERIALIZED,
	    "completions 1.5 s apart, T 1 s: serialized (the boundary)");
	ok(strstr(s.reason, "(completions only: assumed a burst)") != NULL,
	    "and the reason says the burst was assumed (%s)", s.reason);
	stats_free(&s);
	mk(&r[3], 3, NONE, 4501, NULL, NULL);
	ok(run(r, 4, 1, 0, &s) == 0 && s.verdict == VERDICT_UNKNOWN,
	    "1 ms more: unknown");
	stats_free(&s);
}

/* n_reaching_service_time through analysis_build(): one run per n, the
 * runs' spreads chosen for each reason. */
static int
cross(const long long *spread_ms, const int *n, size_t nruns, double T,
    struct analysis *a)
{
	static struct req r[64];
	static size_t first[16];
	struct reqset rs;
	struct analysis_opt o;
	struct ts t;
	struct diag d;
	size_t k = 0;

	memset(&rs, 0, sizeof(rs));
	memset(&o, 0, sizeof(o));
	for (size_t j = 0; j < nruns; j++) {
		first[j] = k;
		for (int i = 0; i < n[j]; i++) {
			/* Completions only, evenly over the run's spread. */
			mk(&r[k], (uint32_t)i, NONE, 100000LL * (long long)j +
			    (n[j] > 1 ? spread_ms[j] * i / (n[j] - 1) : 0),
			    NULL, NULL);
			r[k++].run = (uint32_t)j + 1;
		}
	}
	rs.reqs = r;
	rs.nreqs = k;
	rs.run_first = first;
	rs.nruns = nruns;
	t.sec = (int64_t)T;
	t.nsec = (int32_t)llround((T - floor(T)) * 1e9);
	t.digits = 3;
	t.flags = 0;
	o.service = &t;
	o.nservice = 1;
	o.no_series = 1;
	diag_clear(&d);
	return analysis_build(&rs, &o, a, &d);
}

static void
test_reach(void)
{
	static const int n3[] = { 2, 4, 8 }, n2[] = { 2, 4 };
	static const long long grow[] = { 100, 300, 700 };	/* b 100 ms */
	static const long long flat[] = { 300, 200, 100 };	/* b < 0 */
	static const long long noisy[] = { 100, 900, 400 };	/* spans 0 */
	static const long long high[] = { 1200, 1400, 1800 };	/* a + b 1.1 */
	struct analysis a;

	ok(cross(grow, n3, 3, 10, &a) == 0 && a.skew.has_reach &&
	    a.skew.reach_why[0] == '\0', "b = 0.1 s: reaches T");
	/* spread = -0.1 + 0.1 n exactly: T = 10 at n = 101. */
	is_double(a.skew.n_reach, 101, 1e-9, "at n = 101");
	analysis_free(&a);
	ok(cross(grow, n3, 3, 0.05, &a) == 0 && a.skew.has_reach,
	    "T = 50 ms: a + b = 0 is below it at n = 1");
	is_double(a.skew.n_reach, 1.5, 1e-9, "reached at n = 1.5");
	analysis_free(&a);
	/* spread = 1 + 0.1 n: 1.1 s at n = 1, over T = 1 s. */
	ok(cross(high, n3, 3, 1, &a) == 0 && !a.skew.has_reach,
	    "spread 1.1 s at n = 1, T = 1 s: null");
	is_str(a.skew.reach_why, "already above it at n = 1", "its reason");
	analysis_free(&a);
	ok(cross(flat, n3, 3, 10, &a) == 0 && !a.skew.has_reach,
	    "spread shrinking with n: never");
	is_str(a.skew.reach_why, "never reaches it (b <= 0)", "its reason");
	analysis_free(&a);
	ok(cross(noisy, n3, 3, 10, &a) == 0 && !a.skew.has_reach,
	    "an interval spanning 0: null");
	is_str(a.skew.reach_why, "b not distinguishable from 0", "its reason");
	analysis_free(&a);
	ok(cross(grow, n2, 2, 10, &a) == 0 && !a.skew.has_reach,
	    "two runs: null");
	is_str(a.skew.reach_why, "two runs: no interval", "its reason");
	analysis_free(&a);
}

/* ---- Orders with many ties, against the comparison sorts they replace ----
 *
 * stats_run() orders a run once (stats.c, the view and the open run's
 * orders) and merges those orders where it used to sort each measure's
 * events with qsort().  Below, runs on a coarse grid (equal starts, equal
 * ends, ends at starts, requests of no length, unmatched starts at the
 * instants of matched ones) are checked against the old way: the events
 * made as they were and sorted with the old comparison functions.
 */

static double
dsince(const struct ts *t, const struct ts *o)
{
	struct ts d;

	ts_sub(t, o, &d);
	return ts_double(&d);
}

static int64_t
nsince(const struct ts *t, const struct ts *o)
{
	struct ts d;

	ts_sub(t, o, &d);
	return d.sec * 1000000000 + d.nsec;
}

/* The contract's order: completions by end (then as made), unmatched
 * starts after them by start. */
static int
cmp_stored(const void *a, const void *b)
{
	const struct req *x = a, *y = b;
	int c;

	if (x->has_end != y->has_end)
		return x->has_end ? -1 : 1;
	c = x->has_end ? ts_cmp(&x->end, &y->end) : ts_cmp(&x->start,
	    &y->start);
	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* n requests, starts on a 5 ms grid over `span` steps, latencies of 0 to
 * 30 ms in steps of 10 (a quarter of them of no length), one in eight
 * unmatched; stored as a request set stores them, i by rank. */
static void
mk_ties(struct req *r, size_t n, long long span, uint64_t *rs)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t x = tap_rnd(rs);
		long long st = (long long)(x % (uint64_t)span) * 5;
		long long lat = (long long)((x >> 20) % 4) * 10;

		mk(&r[k], (uint32_t)k, st, (x >> 30) % 8 == 0 ? NONE : st + lat,
		    NULL, NULL);
	}
	qsort(r, n, sizeof(*r), cmp_stored);
	for (size_t k = 0; k < n; k++)
		r[k].i = (uint32_t)k;
}

/* The in-flight events as inflight() made them before: every start (but
 * those of requests of no length), every end of a matched request, sorted
 * by time, ends first. */
struct old_ev {
	struct ts	t;
	int		delta;
};

static int
cmp_old_ev(const void *a, const void *b)
{
	const struct old_ev *x = a, *y = b;
	int c = ts_cmp(&x->t, &y->t);

	if (c != 0)
		return c;
	return x->delta - y->delta;
}

/* The in-flight series and max_inflight the old way: 1 when s has them. */
static int
inflight_as_before(const struct req *r, size_t n, const struct stats *s)
{
	struct old_ev *ev = calloc(2 * n + 1, sizeof(*ev));
	size_t ne = 0, cur = 0, max = 0, np = 0;
	int same;

	if (ev == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i].has_start) {
			ev[ne].t = r[i].start;
			ev[ne++].delta = 1;
		}
		if (r[i].has_start && r[i].has_end &&
		    ts_cmp(&r[i].end, &r[i].start) == 0)
			ne--;
		else if (r[i].has_start && r[i].has_end) {
			ev[ne].t = r[i].end;
			ev[ne++].delta = -1;
		}
	}
	qsort(ev, ne, sizeof(*ev), cmp_old_ev);
	same = s->has_series && s->inflight != NULL && !s->thinned;
	for (size_t i = 0; same && i < ne; i++) {
		cur = ev[i].delta > 0 ? cur + 1 : cur - 1;
		if (cur > max)
			max = cur;
		if (i + 1 == ne || ts_cmp(&ev[i + 1].t, &ev[i].t) != 0) {
			same = np < s->ninflight &&
			    s->inflight[np].x == dsince(&ev[i].t, &s->first) &&
			    s->inflight[np].y == (double)cur;
			np++;
		}
	}
	free(ev);
	return same && np == s->ninflight && max == s->max_inflight;
}

/* An open run's sweep event as it was: sorted by time, then delta (end,
 * start of no length, start), then request (unmatched last). */
struct old_oev {
	int64_t		t;
	int32_t		delta;
	uint32_t	k;
};

static int
cmp_old_oev(const void *a, const void *b)
{
	const struct old_oev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->delta != y->delta)
		return x->delta < y->delta ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/* latency_by_inflight the old way (the count each matched request found in
 * flight from the events sorted by cmp_old_oev, the latencies of each
 * count sorted): 1 when s has it. */
static int
buckets_as_before(const struct req *r, size_t n, const struct stats *s)
{
	struct old_oev *ev = calloc(2 * n + 1, sizeof(*ev));
	size_t *q = calloc(n + 1, sizeof(*q)), ne = 0, m = 0, cur = 0, nb = 0;
	double *lat = calloc(n + 1, sizeof(*lat)), *g = calloc(n + 1,
	    sizeof(*g));
	const struct ts *o = NULL;
	int same = 1;

	if (ev == NULL || q == NULL || lat == NULL || g == NULL)
		same = 0;
	for (size_t i = 0; same && i < n; i++)
		if (r[i].has_start && (o == NULL ||
		    ts_cmp(&r[i].start, o) < 0))
			o = &r[i].start;
	for (size_t i = 0; same && i < n; i++) {
		if (!r[i].has_start)
			continue;
		ev[ne].t = nsince(&r[i].start, o);
		if (!r[i].has_end) {
			ev[ne].delta = 1;
			ev[ne++].k = UINT32_MAX;
			continue;
		}
		ev[ne].delta = ts_cmp(&r[i].end, &r[i].start) > 0;
		ev[ne++].k = (uint32_t)m;
		if (ts_cmp(&r[i].end, &r[i].start) > 0) {
			ev[ne].t = nsince(&r[i].end, o);
			ev[ne].delta = -1;
			ev[ne++].k = (uint32_t)m;
		}
		lat[m++] = dsince(&r[i].end, &r[i].start);
	}
	qsort(ev, ne, sizeof(*ev), cmp_old_oev);
	for (size_t i = 0; same && i < ne; i++) {
		if (ev[i].delta >= 0 && ev[i].k != UINT32_MAX)
			q[ev[i].k] = cur;
		if (ev[i].delta > 0)
			cur++;
		else if (ev[i].delta < 0 && cur > 0)
			cur--;
	}
	/* Count by count, ascending: the latencies of each sorted. */
	for (size_t c = 0; same && c <= n; c++) {
		size_t k = 0;
		const struct stats_bucket *b;

		for (size_t j = 0; j < m; j++)
			if (q[j] == c)
				g[k++] = lat[j];
		if (k == 0)
			continue;
		for (size_t a = 1; a < k; a++)	/* insertion sort */
			for (size_t z = a; z > 0 && g[z - 1] > g[z]; z--) {
				double t = g[z];

				g[z] = g[z - 1];
				g[z - 1] = t;
			}
		b = nb < s->nby_inflight ? &s->by_inflight[nb] : NULL;
		same = b != NULL && b->inflight == c && b->n == k &&
		    b->p50 == gsl_stats_quantile_from_sorted_data(g, 1, k,
		    0.5) && b->p90 == gsl_stats_quantile_from_sorted_data(g,
		    1, k, 0.9);
		nb++;
	}
	same &= s->has_by_inflight && nb == s->nby_inflight;
	free(ev);
	free(q);
	free(lat);
	free(g);
	return same;
}

static void
test_ties(void)
{
	static struct req r[400];
	uint64_t rs = 0x2545f4914f6cdd1dULL;
	int inflight_ok = 1, buckets_ok = 1, open = 0, burst = 0;
	size_t nrun = 0;

	for (int t = 0; t < 60; t++) {
		/* Spans of 1 to 30 steps, 20 to 400 requests: few distinct
		 * instants for many requests, and a burst (all at one
		 * instant) now and then. */
		size_t n = 20 + (size_t)(tap_rnd(&rs) % 381);
		long long span = t % 10 == 0 ? 1 : 1 + (long long)(t % 30);
		struct stats s;

		mk_ties(r, n, span, &rs);
		if (run(r, n, -1, 0, &s) != 0) {
			stats_free(&s);
			break;
		}
		nrun++;
		inflight_ok &= inflight_as_before(r, n, &s);
		if (s.shape == SHAPE_OPEN) {
			open++;
			buckets_ok &= buckets_as_before(r, n, &s);
		} else
			burst++;
		stats_free(&s);
	}
	is_int((long long)nrun, 60, "ties: 60 runs measured");
	ok(open > 0 && burst > 0, "ties: open runs (%d) and bursts (%d)",
	    open, burst);
	ok(inflight_ok, "ties: in-flight series and max_inflight as the "
	    "events sorted by the old comparison made them");
	ok(buckets_ok, "ties: latency_by_inflight as the open sweep's events "
	    "sorted by the old comparison made it");
}

/* Ranked the old way: by end, then i. */
static int
cmp_old_rank(const void *a, const void *b)
{
	const struct req *x = *(const struct req *const *)a;
	const struct req *y = *(const struct req *const *)b;
	int c = ts_cmp(&x->end, &y->end);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * A hand-made request file, stored in no order, whose i do not follow the
 * end times: the run is ranked by end, ties by i, as qsort() with the old
 * comparison ranked it.
 * The ends tie in fives, logged with 3 or 6 digits, each with its own
 * latency: which of equal ends comes first shows in "first" (its digits)
 * and in the latency slope (latency against rank).
 */
static void
test_rank_unordered(void)
{
	static struct req r[300];
	const struct req *e[300];
	double x[300], y[300];
	uint64_t rs = 0x853c49e6748fea9bULL;
	struct fit_line fl;
	struct stats s;
	size_t n = 300;

	for (size_t k = 0; k < n; k++) {
		long long end = 100 + (long long)(k / 5) * 7;

		/* Arrivals within 50 ms, the lowest latency above that: a
		 * burst, which has the slopes. */
		mk(&r[k], (uint32_t)((k * 7919) % n),
		    (long long)(tap_rnd(&rs) % 50), end, NULL, NULL);
		r[k].end.digits = tap_rnd(&rs) % 2 ? 6 : 3;
	}
	/* Stored in neither order. */
	for (size_t k = n - 1; k > 0; k--) {
		size_t j = (size_t)(tap_rnd(&rs) % (k + 1));
		struct req t = r[k];

		r[k] = r[j];
		r[j] = t;
	}
	for (size_t k = 0; k < n; k++)
		e[k] = &r[k];
	qsort(e, n, sizeof(*e), cmp_old_rank);
	for (size_t k = 0; k < n; k++) {
		x[k] = (double)k;
		y[k] = dsince(&e[k]->end, &e[k]->start);
	}
	fit_linear(x, y, n, &fl);
	ok(run(r, n, -1, 0, &s) == 0, "unranked: stats_run returns 0");
	ok(ts_cmp(&s.first, &e[0]->end) == 0 && s.first.digits ==
	    e[0]->end.digits && ts_cmp(&s.last, &e[n - 1]->end) == 0 &&
	    s.last.digits == e[n - 1]->end.digits, "unranked: first and last "
	    "(with their digits) of qsort's rank");
	ok(s.has_slopes && s.latslope.ok && fl.ok && s.latslope.b == fl.b &&
	    s.latslope.r2 == fl.r2, "unranked: latency slope over qsort's "
	    "rank (%.17g, %.17g)", s.latslope.b, fl.b);
	stats_free(&s);
}

/*
 * Latencies past 73 years are counted in ns cut short (NS_CAP in stats.c),
 * where they may tie or even go the wrong way; the percentiles and
 * latency_by_inflight still sort them by the latency in seconds.
 */
static void
test_long_latencies(void)
{
	const long long Y = 365LL * 86400 * 1000;	/* ms */
	struct req r[3];
	struct stats s;

	/* Ranked by end, the 90 years come before the 80 (both cut short
	 * to the same ns): max 90 years, median 80. */
	mk(&r[0], 0, 0, 1000, NULL, NULL);
	mk(&r[1], 1, 500, 500 + 90 * Y, NULL, NULL);
	mk(&r[2], 2, 20 * Y, 100 * Y, NULL, NULL);
	ok(run(r, 3, -1, 0, &s) == 0, "long latencies: stats_run returns 0");
	is_double(s.lmax, 90.0 * Y / 1000, 0, "long latencies: max 90 years");
	is_double(s.p50, 80.0 * Y / 1000, 0, "long latencies: median 80 "
	    "years");
	stats_free(&s);

	/* Request 0 (0.9 s) arrives first, request 1 (80 years) 0.5 s later
	 * finds it in flight, request 2 (90 years) at 1 s finds request 1
	 * (request 0 has ended): arrivals over 1 s, more than the lowest
	 * latency, open.  Since the first start, both their ends are
	 * cut short to the same ns, so the 90 years, starting later, look
	 * shorter.  Both are in the bucket of 1, whose p90 is 80 + 0.9 (90 -
	 * 80) years. */
	mk(&r[0], 0, 0, 900, NULL, NULL);
	mk(&r[1], 1, 500, 500 + 80 * Y, NULL, NULL);
	mk(&r[2], 2, 1000, 1000 + 90 * Y, NULL, NULL);
	ok(run(r, 3, -1, 0, &s) == 0, "long latencies, open: stats_run "
	    "returns 0");
	ok(s.shape == SHAPE_OPEN && s.nby_inflight == 2 &&
	    s.by_inflight[1].inflight == 1 && s.by_inflight[1].n == 2,
	    "long latencies, open: two found one in flight");
	if (s.nby_inflight == 2)
		is_double(s.by_inflight[1].p90, (80 + 0.9 * 10) * Y / 1000,
		    1e-6, "long latencies, open: their p90 from 80 to 90 "
		    "years");
	stats_free(&s);
}

/* The distinct pids and (pid, tid) pairs, counted against all before: a
 * pid of "p" or another string "p" interned elsewhere are one only when
 * the pointer is (the request set interns them). */
static int
identities_agree(const struct req *r, size_t n, const struct stats *s)
{
	size_t pids = 0, tids = 0;

	for (size_t i = 0; i < n; i++) {
		int newp = r[i].pid != NULL, newt = r[i].tid != NULL;

		for (size_t j = 0; j < i; j++) {
			newp &= r[j].pid != r[i].pid;
			newt &= !(r[j].tid == r[i].tid && r[j].pid == r[i].pid);
		}
		pids += newp;
		tids += newt;
	}
	return s->pids == pids && s->tids == tids &&
	    s->has_pids == (pids > 0) && s->has_tids == (tids > 0);
}

/* Random identities, some absent: no pid, every pid the same, one pid or
 * none, several. */
static void
test_identities(void)
{
	static const char *const pid[] = { "1", "2", "3" };
	static const char *const tid[] = { "a", "b", "c", "d", "e", "f" };
	static struct req r[500];
	uint64_t rs = 0xda942042e4dd58b5ULL;
	int agree = 1;

	for (int t = 0; t < 12; t++) {
		struct stats s;

		for (size_t k = 0; k < 500; k++) {
			uint64_t x = tap_rnd(&rs);
			const char *p = t % 4 == 0 ? NULL : t % 4 == 1 ?
			    pid[0] : x % 5 == 0 ? NULL : pid[t % 4 == 2 ? 0 :
			    x % 3];

			mk(&r[k], (uint32_t)k, NONE, (long long)k, p,
			    (x >> 8) % 7 == 0 ? NULL : tid[(x >> 16) % 6]);
		}
		agree &= run(r, 500, -1, 0, &s) == 0 &&
		    identities_agree(r, 500, &s);
		stats_free(&s);
	}
	ok(agree, "identities: distinct pids and (pid, tid) pairs as "
	    "counted against all before");
	/* Many distinct: hundreds of threads, tens of pids (the set grows
	 * many times), runs of one thread repeated, some absent. */
	agree = 1;
	for (int t = 0; t < 8; t++) {
		static char names[700][8];
		struct stats s;
		uint64_t x = 0;

		for (size_t k = 0; k < 500; k++) {
			if (k % 3 == 0 || t % 2 == 0)
				x = tap_rnd(&rs);
			mk(&r[k], (uint32_t)k, NONE, (long long)k, t < 2 ?
			    names[600 + x % 3] : x % 11 == 0 ? NULL :
			    names[600 + (x >> 4) % (size_t)(8 * t)],
			    (x >> 8) % 13 == 0 ? NULL : names[(x >> 12) %
			    (size_t)(100 + 60 * t)]);
		}
		agree &= run(r, 500, -1, 0, &s) == 0 &&
		    identities_agree(r, 500, &s) && s.tids > 60;
		stats_free(&s);
	}
	ok(agree, "identities: hundreds of distinct threads, tens of pids: "
	    "counted as against all before");
}

/*
 * The counts made as the run is split (view_make()): unmatched starts,
 * unmatched ends (none in a run of completions only), errors and whether
 * any status came, against counts made here request by request, over
 * random runs: every mix of starts and ends, statuses or none.
 */
static void
test_counts(void)
{
	static struct req r[300];
	uint64_t seed = 0x4f1bbcdcbfa53e0bULL;
	int agree = 1;

	for (int t = 0; t < 40; t++) {
		size_t us = 0, ue = 0, ends_only = 0, starts = 0, err = 0;
		int has_status = 0;
		struct stats s;

		for (size_t k = 0; k < 300; k++) {
			uint64_t x = tap_rnd(&seed);
			/* t % 4 == 0: completions only. */
			int has = t % 4 == 0 ? 2 : 1 + (int)(x % 3);

			mk(&r[k], (uint32_t)k, has & 1 ? (long long)k : NONE,
			    has & 2 ? (long long)k + 5 + (long long)(x >> 8) %
			    50 : NONE, NULL, NULL);
			if (t % 3 != 0 && (x >> 20) % 4 != 0)
				r[k].status = 100 + (int)((x >> 24) % 500);
			us += has == 1;
			ends_only += has == 2;
			starts += (has & 1) != 0;
			err += r[k].status >= 400;
			has_status |= r[k].status != 0;
		}
		ue = starts > 0 ? ends_only : 0;
		agree &= run(r, 300, -1, 0, &s) == 0 &&
		    s.unmatched_starts == us && s.unmatched_ends == ue &&
		    s.errors == err && s.has_errors == has_status;
		stats_free(&s);
	}
	ok(agree, "counts: unmatched starts and ends, errors, statuses as "
	    "counted request by request");
}

/* Two times the same, field for field (not their padding). */
static int
same_ts(const struct ts *a, const struct ts *b)
{
	return a->sec == b->sec && a->nsec == b->nsec &&
	    a->digits == b->digits && a->flags == b->flags;
}

/* Two requests the same, field for field (identities by pointer). */
static int
same_req(const struct req *a, const struct req *b)
{
	return a->run == b->run && a->i == b->i &&
	    a->has_start == b->has_start && a->has_end == b->has_end &&
	    same_ts(&a->start, &b->start) && same_ts(&a->end, &b->end) &&
	    a->pid == b->pid && a->tid == b->tid && a->id == b->id &&
	    a->route == b->route && a->status == b->status &&
	    a->by_order == b->by_order;
}

/*
 * A run as the statistics take it (reqset_run(), one loop over the
 * records, an identity looked up only when it changes) is, request for
 * request, reqset_req()'s (reqrec_unpack() of each record): random
 * records with and without each time, identity, status and pairing,
 * runs read in order and out of it (ranks from the records then); and
 * with no_ids, the same times and no identity.
 */
static void
test_run_view(void)
{
	static const char *const ids[] = { "a", "b", "c" };
	uint64_t rs_seed = 0x853c49e6748fea9bULL;
	struct reqset rs;
	struct diag d;
	char line[512];
	int read_ok = 1, same = 1, times = 1;
	size_t n = 0;

	diag_clear(&d);
	reqset_init(&rs, &d);
	for (unsigned k = 0; k < 4000; k++) {
		uint64_t x = tap_rnd(&rs_seed);
		/* Runs 1-3 in order, then run 5 with its ranks reversed and
		 * every other one missing (ranks are not places then). */
		unsigned run = k < 3000 ? 1 + k / 1000 : 5;
		unsigned i = k < 3000 ? k % 1000 : 2 * (3999 - k);
		int has = 1 + (int)(x % 3), len;
		const char *fmt = "\"2023-11-01T10:%02u:%02u.%03uZ\"";
		char st[40] = "null", en[40] = "null";

		if (has & 1)
			snprintf(st, sizeof(st), fmt, i / 600, i / 10 % 60,
			    i % 7);
		if (has & 2)
			snprintf(en, sizeof(en), fmt, i / 600, i / 10 % 60,
			    i % 7 + 100);
		len = snprintf(line, sizeof(line), "{\"run\":%u,\"i\":%u,"
		    "\"start\":%s,\"end\":%s", run, i, st, en);
		if (has == 3 && (x >> 4) % 2)
			len += snprintf(line + len, sizeof(line) - (size_t)len,
			    ",\"paired\":\"order\"");
		if ((x >> 5) % 3)
			len += snprintf(line + len, sizeof(line) - (size_t)len,
			    ",\"status\":%u", 200 + (unsigned)(x >> 8) % 400);
		for (int f = 0; f < 4; f++)
			if ((x >> (16 + 3 * f)) % 4 != 0)
				len += snprintf(line + len, sizeof(line) -
				    (size_t)len, ",\"%s\":\"%s\"", f == 0 ?
				    "pid" : f == 1 ? "tid" : f == 2 ? "id" :
				    "route", ids[(x >> (32 + 2 * f)) % 3]);
		snprintf(line + len, sizeof(line) - (size_t)len, "}");
		if (reqset_line(&rs, line, strlen(line), &d) != 0)
			read_ok = 0;
	}
	ok(read_ok && reqset_finish(&rs, &d) == 0 && rs.nruns == 4 &&
	    rs.rec != NULL, "run view: 4000 records read, 4 runs (%s)",
	    d.msg);
	for (size_t k = 0; k < rs.nruns; k++) {
		struct reqset_view v = { NULL, 0, 0 }, t = { NULL, 0, 1 };
		const struct req *r = reqset_run(&rs, k, &v, &n);
		const struct req *q = reqset_run(&rs, k, &t, &n);
		struct req e;

		for (size_t j = 0; r != NULL && q != NULL && j < n; j++) {
			reqset_req(&rs, k, rs.run_first[k] + j, &e);
			same &= same_req(&r[j], &e);
			e.pid = e.tid = e.id = e.route = NULL;
			times &= same_req(&q[j], &e);
		}
		same &= r != NULL;
		times &= q != NULL;
		reqset_view_free(&v);
		reqset_view_free(&t);
	}
	ok(same, "run view: every request as reqset_req() makes it");
	ok(times, "run view without ids: the same, no identity looked up");
	reqset_free(&rs);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_parallel();
	test_serialized();
	test_pool();
	test_half();
	test_admission();
	test_origin();
	test_sampled();
	test_degenerate();
	test_little_unmatched();
	test_series();
	test_pool_size();
	test_open_pool();
	test_open_overhead();
	test_open_threads();
	test_open_one_at_a_time();
	test_open_load();
	test_shapes();
	test_reach();
	test_ties();
	test_rank_unordered();
	test_long_latencies();
	test_identities();
	test_run_view();
	test_counts();
	return done_testing();
}
