/*
 * The gap rule (analyze/run.c).  Expected gaps are computed by hand or by
 * the Python lines quoted next to them, never by the code under test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventstore.h"
#include "run.h"
#include "tap.h"

static struct ev evbuf[512];
static size_t nev;

static void
add(long long sec, long nsec, int flags)
{
	struct ev *e = &evbuf[nev];

	memset(e, 0, sizeof(*e));
	e->t.sec = sec;
	e->t.nsec = (int)nsec;
	e->t.digits = 6;
	e->lw = ++nev;
	ev_set_flags(e, (unsigned)flags);
	e->src = 1;
	e->seq = (unsigned)nev;
}

/* Seconds and microseconds of the day 2023-11-01 as epoch: 1698796800 is
 * `date -u -d 2023-11-01 +%s`. */
static void
at(int h, int m, int s, long us, int flags)
{
	add(1698796800LL + h * 3600 + m * 60 + s, us * 1000, flags);
}

static char *
gapstr(const struct ts *t)
{
	static char buf[TS_EPOCH_MAX];

	ts_epoch(t, buf);
	return buf;
}

/*
 * Completions only: run_split_at() from run_gap_at()'s list splits as
 * run_split() does, at every gap of 1 s or more it is given (the gap from
 * the data among them), and run_gap_at() chooses as run_gap() does.  The
 * events: 400 with gaps at random from 0 to 4 s (a third under 1 s, some
 * equal times, some exactly 1 s and exactly the gap).
 */
static void
split_at_against_split(void)
{
	static uint32_t a[512], b[512];
	struct run_gapinfo gi, gi2;
	struct diag d;
	uint64_t x = 88172645463325252ULL;
	long long sec = 1000;
	long nsec = 0;
	uint32_t *where = NULL;
	size_t nat = 0, na, nb;
	int same = 1, tried = 0;

	diag_clear(&d);
	nev = 0;
	for (int k = 0; k < 400; k++) {
		unsigned r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = (unsigned)(x % 9);
		/* 0: equal, 1: 1 s, 2: 2 s, 3-4: under 1 s, 5-8: 1-4 s */
		if (r == 1 || r == 2)
			sec += r;
		else if (r == 3 || r == 4)
			nsec += (long)(x >> 20) % 1000000000L;
		else if (r > 4) {
			sec += r - 4;
			nsec += (long)(x >> 24) % 1000000000L;
		}
		sec += nsec / 1000000000L;
		nsec %= 1000000000L;
		add(sec, nsec, 0);
	}
	is_int(run_gap_at(evbuf, nev, &gi, &where, &nat, &d), 0,
	    "run_gap_at: done");
	run_gap(evbuf, nev, &gi2, &d);
	ok(ts_cmp(&gi.gap, &gi2.gap) == 0 && gi.broke == gi2.broke,
	    "run_gap_at: the gap run_gap chooses (%s)", gapstr(&gi.gap));
	ok(nat > 0 && nat < nev, "run_gap_at: %zu gaps over 1 s", nat);
	for (long long gs = 1; gs <= 5; gs++)
		for (long gns = 0; gns < 1000000000L; gns += 250000000L) {
			struct ts g = { gs, (int32_t)gns, 0, 0 };

			na = run_split_at(evbuf, nev, where, nat, &g, a);
			nb = run_split(evbuf, nev, &g, b);
			same &= na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
			tried++;
		}
	na = run_split_at(evbuf, nev, where, nat, &gi.gap, a);
	nb = run_split(evbuf, nev, &gi.gap, b);
	same &= na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
	ok(same, "run_split_at: the runs of run_split at %d gaps and the "
	    "data's (%zu runs there)", tried, nb);
	free(where);
}

int
main(void)
{
	struct run_gapinfo gi;
	struct diag d;
	uint32_t first[512];
	size_t n;
	struct ts g;

	diag_clear(&d);

	/* The article's completions (testdata/article/, server logs), in time
	 * order.  Within runs the gaps reach 9.931371 s (run 4, 36.568418 ->
	 * 46.499789); the least gap between runs is 103.236125 s (23:13:02.416480
	 * -> 23:14:45.652605).  Gap = sqrt(9.931371 * 103.236125) rounded to the
	 * ms: python3 -c 'import math; print(math.sqrt(9.931371*103.236125))'
	 * -> 32.0198..., so 32.02. */
	nev = 0;
	at(23, 10, 4, 806247, 0); at(23, 10, 4, 843306, 0);
	at(23, 10, 4, 936511, 0); at(23, 10, 5, 8870, 0);
	at(23, 12, 57, 316321, 0); at(23, 12, 57, 367931, 0);
	at(23, 12, 57, 368176, 0); at(23, 12, 57, 405504, 0);
	at(23, 12, 57, 518936, 0); at(23, 13, 2, 207040, 0);
	at(23, 13, 2, 252416, 0); at(23, 13, 2, 253220, 0);
	at(23, 13, 2, 306079, 0); at(23, 13, 2, 416480, 0);
	at(23, 14, 45, 652605, 0); at(23, 14, 45, 690380, 0);
	at(23, 14, 45, 692074, 0); at(23, 14, 45, 860833, 0);
	at(23, 14, 45, 909181, 0); at(23, 14, 50, 579358, 0);
	at(23, 14, 50, 626528, 0); at(23, 14, 50, 626972, 0);
	at(23, 14, 50, 627483, 0); at(23, 14, 50, 785922, 0);
	at(23, 22, 36, 348929, 0); at(23, 22, 36, 415134, 0);
	at(23, 22, 36, 465294, 0); at(23, 22, 36, 516872, 0);
	at(23, 22, 36, 568418, 0); at(23, 22, 46, 499789, 0);
	at(23, 22, 46, 500552, 0); at(23, 22, 46, 500898, 0);
	at(23, 22, 46, 501530, 0); at(23, 22, 46, 612816, 0);
	at(23, 31, 15, 446009, 0); at(23, 31, 15, 524414, 0);
	at(23, 31, 15, 589050, 0); at(23, 31, 15, 590601, 0);
	at(23, 31, 15, 654893, 0); at(23, 31, 25, 231936, 0);
	at(23, 31, 25, 408198, 0); at(23, 31, 25, 641415, 0);
	at(23, 31, 25, 642219, 0); at(23, 31, 25, 817275, 0);
	is_int(run_gap(evbuf, nev, &gi, &d), 0, "article: run_gap");
	ok(gi.broke, "article: a break is found");
	is_str(gapstr(&gi.gap), "32.02", "article: gap 32.02 s");
	is_str(gapstr(&gi.below), "9.931371", "article: largest gap within runs");
	is_str(gapstr(&gi.above), "103.236125", "article: least gap between runs");
	n = run_split(evbuf, nev, &gi.gap, first);
	is_int(n, 5, "article: 5 runs");
	ok(n == 5 && first[0] == 0 && first[1] == 4 && first[2] == 14 &&
	    first[3] == 24 && first[4] == 34, "article: runs of 4, 10, 10, 10, 10");
	is_int(run_split(evbuf, nev, &gi.gap, NULL), 5,
	    "article: counted without first[], the same 5 runs");

	/* A serialized run: one completion per service time (10 s, jittered
	 * by up to 0.3 s).  Sorted gaps 9.7 .. 10.3: no ratio near 3, so no
	 * break, and the gap is the largest gap, 10.3 s. */
	nev = 0;
	add(1000, 0, 0); add(1010, 100000000, 0); add(1019, 800000000, 0);
	add(1030, 100000000, 0); add(1040, 0, 0); add(1050, 200000000, 0);
	add(1060, 0, 0); add(1069, 900000000, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "serialized: no break");
	is_str(gapstr(&gi.gap), "10.3", "serialized: gap is the largest, 10.3 s");
	is_int(run_split(evbuf, nev, &gi.gap, first), 1, "serialized: one run");

	/* One event: one run, the 1 s floor. */
	nev = 0;
	add(5, 0, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "one event: no break");
	is_str(gapstr(&gi.gap), "1", "one event: gap 1 s");
	is_int(run_split(evbuf, nev, &gi.gap, first), 1, "one event: one run");
	is_int(run_split(evbuf, 0, &gi.gap, first), 0, "no events: no runs");

	/* Equal times: every gap is zero: one run, gap 1 s. */
	nev = 0;
	for (int i = 0; i < 6; i++)
		add(77, 5, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "equal times: no break");
	is_str(gapstr(&gi.gap), "1", "equal times: gap 1 s");
	is_int(run_split(evbuf, nev, &gi.gap, first), 1, "equal times: one run");

	/* Sub-second gaps only, then one long pause: the 1 s floor makes the
	 * ratio 200 / 1, a break; gap sqrt(1 * 200) = 14.142 s. */
	nev = 0;
	add(0, 0, 0); add(0, 1000, 0); add(0, 300000000, 0);
	add(200, 300000000, 0); add(200, 300000001, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(gi.broke, "floor: break");
	is_str(gapstr(&gi.gap), "14.142", "floor: gap sqrt(200) = 14.142 s");
	n = run_split(evbuf, nev, &gi.gap, first);
	ok(n == 2 && first[1] == 3, "floor: two runs, split before the 4th");

	/* A ratio just under RUN_BREAK (3): gaps 2, 2, 5.9: 5.9 / 2 = 2.95,
	 * no break; just over (6.1 / 2 = 3.05): a break at sqrt(12.2) =
	 * 3.493 s. */
	nev = 0;
	add(0, 0, 0); add(2, 0, 0); add(4, 0, 0); add(9, 900000000, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "ratio 2.95: no break");
	nev = 0;
	add(0, 0, 0); add(2, 0, 0); add(4, 0, 0); add(10, 100000000, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(gi.broke, "ratio 3.05: break");
	is_str(gapstr(&gi.gap), "3.493", "ratio 3.05: gap sqrt(2 * 6.1) = 3.493");

	/* Starts known: requests in flight hold the run together across a
	 * long gap.  Starts at 0..4 s, ends at 100..104 s, then another run
	 * at 1000 s.  Gaps 1 (x9), 96, 896 (1000 - 104): the ratios are
	 * 96 / 1 = 96 and 896 / 96 = 9.33, so the break is 1 -> 96 and the
	 * gap sqrt(1 * 96) = 9.798 s; the 96 s gap is more than that but in
	 * flight, so only the 896 s gap splits. */
	nev = 0;
	for (int i = 0; i < 5; i++)
		add(i, 0, EV_START);
	for (int i = 0; i < 5; i++)
		add(100 + i, 0, 0);
	add(1000, 0, EV_START); add(1001, 0, 0);
	run_gap(evbuf, nev, &gi, &d);
	is_str(gapstr(&gi.gap), "9.798", "in flight: gap 9.798 s");
	n = run_split(evbuf, nev, &gi.gap, first);
	ok(n == 2 && first[1] == 10, "in flight: two runs");
	/* A given gap shorter than the pause inside the run: still not split
	 * while requests are in flight; the same events as completions only
	 * split on the gap alone. */
	g.sec = 50; g.nsec = 0; g.digits = 0; g.flags = 0;
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2 && first[1] == 10, "in flight: --gap 50 does not split a run in flight");
	for (size_t i = 0; i < nev; i++)
		ev_set_flags(&evbuf[i], 0);
	n = run_split(evbuf, nev, &g, first);
	ok(n == 3 && first[1] == 5 && first[2] == 10,
	    "completions only: --gap 50 splits on the gap alone");
	/* An end with nothing in flight does not go negative: an earlier
	 * completions-only run must not hide a later run's in-flight state. */
	nev = 0;
	add(0, 0, 0); add(1, 0, 0);			/* run of ends only */
	add(500, 0, EV_START); add(501, 0, EV_START);	/* starts */
	add(600, 0, 0); add(601, 0, 0);		/* their ends, 99 s later */
	g.sec = 50;
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2 && first[1] == 2, "unmatched ends before: later run stays whole");

	/* "More than the gap away": a gap equal to --gap does not split. */
	nev = 0;
	add(0, 0, 0); add(50, 0, 0); add(100, 1, 0);
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2 && first[1] == 2, "a gap equal to --gap does not split, 1 ns more does");

	/* dur events are whole requests: they do not count as in flight. */
	nev = 0;
	add(0, 0, EV_START | EV_DUR); add(1, 0, 0); add(200, 0, EV_START);
	add(201, 0, 0);
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2 && first[1] == 2, "dur events do not hold a run open");

	/* Centuries apart: 1970-01-01 and 2270-01-01 (9467107200 = `date -u
	 * -d 2270-01-01 +%s`), half a second each.  A 64-bit count of
	 * nanoseconds overflows on the 300-year gap (past 292 years) and
	 * made them one run.  Gaps 0.5, 0.5, 9467107199.5: the break is
	 * 9467107199.5 / 1 s, gap python3 -c 'import math;
	 * print(math.sqrt(9467107199.5))' -> 97299.0606..., so 97299.061. */
	nev = 0;
	add(0, 0, 0); add(0, 500000000, 0);
	add(9467107200LL, 0, 0); add(9467107200LL, 500000000, 0);
	is_int(run_gap(evbuf, nev, &gi, &d), 0, "300 years: run_gap");
	ok(gi.broke, "300 years: a break");
	is_str(gapstr(&gi.gap), "97299.061", "300 years: gap 97299.061 s");
	is_str(gapstr(&gi.above), "9467107199.5",
	    "300 years: the gap between runs, exact");
	n = run_split(evbuf, nev, &gi.gap, first);
	ok(n == 2 && first[1] == 2, "300 years: two runs");
	g.sec = 1;
	g.nsec = 0;
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2 && first[1] == 2, "300 years, --gap 1: two runs");
	/* The widest gap of all, 1970 to the last instant of 9999, against
	 * the widest --gap: 1 ns less than it does not split. */
	nev = 0;
	add(0, 0, 0); add(253402300799LL, 999999999, 0);
	g.sec = 253402300799LL;
	g.nsec = 999999998;
	n = run_split(evbuf, nev, &g, first);
	ok(n == 2, "1970 to 9999, --gap 1 ns less: split");
	g.nsec = 999999999;
	n = run_split(evbuf, nev, &g, first);
	ok(n == 1, "1970 to 9999, --gap as wide: one run");
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "1970 to 9999: one gap, no break");
	is_str(gapstr(&gi.gap), "253402300799.999999999",
	    "1970 to 9999: the gap is that gap, exact");

	/* More gaps over 1 s than run_gap's first room (64): 150 runs of 3
	 * completions 0.1 s apart, run k + 1 starting 100 + k s after run k
	 * did.  The sorted gaps are 0.1, 99.8, 100.8, ..., 247.8; the break
	 * is between 0.1 (1 s at least) and 99.8: gap sqrt(1 * 99.8) s, to
	 * the millisecond (python3 -c 'print(round(99.8 ** 0.5 * 1000))':
	 * 9990). */
	nev = 0;
	for (long long k = 0, t = 1000; k < 150; k++) {
		add(t, 0, 0); add(t, 100000000, 0); add(t, 200000000, 0);
		t += 100 + k;
	}
	is_int(run_gap(evbuf, nev, &gi, &d), 0, "150 runs: run_gap");
	ok(gi.broke, "150 runs: a break");
	is_str(gapstr(&gi.gap), "9.99", "150 runs: gap 9.99 s");
	is_str(gapstr(&gi.below), "0.1", "150 runs: the largest gap within");
	is_str(gapstr(&gi.above), "99.8",
	    "150 runs: the least gap between");
	n = run_split(evbuf, nev, &gi.gap, first);
	ok(n == 150 && first[1] == 3 && first[149] == 447,
	    "150 runs: split into 150 of 3");
	/* Only gaps over 1 s, all 2 s: no gap under it to keep first. */
	nev = 0;
	for (int k = 0; k < 100; k++)
		add(5000 + 2 * k, 0, 0);
	run_gap(evbuf, nev, &gi, &d);
	ok(!gi.broke, "every gap 2 s: no break");
	is_str(gapstr(&gi.gap), "2", "every gap 2 s: the gap is 2 s");
	is_int(run_split(evbuf, nev, &gi.gap, first), 1,
	    "every gap 2 s: one run");
	/* run_split_timeout() told whether both kinds are there: told
	 * wrongly that they are not, in flight plays no part; told rightly,
	 * it splits as run_split() does. */
	nev = 0;
	add(100, 0, EV_START); add(100, 500000000, 0);
	add(200, 0, EV_START); add(300, 0, 0);
	g.sec = 10;
	g.nsec = 0;
	{
		uint64_t out;

		is_int(run_split_timeout(evbuf, nev, &g, NULL, 1, NULL, first,
		    &out), run_split(evbuf, nev, &g, first),
		    "both kinds, said: as run_split()");
		is_int(run_split(evbuf, nev, &g, first), 2,
		    "a start in flight across 100 s holds its run: 2 runs");
		is_int(run_split_timeout(evbuf, nev, &g, NULL, 0, NULL, first,
		    &out), 3, "both kinds, not said: split at every gap: 3 runs");
	}
	split_at_against_split();
	return done_testing();
}
