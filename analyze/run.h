/*
 * run: splitting time-sorted events into runs (the gap rule).
 *
 * A run is one burst of load.  Where the events hold both starts and ends
 * (not counting events with a dur, which are whole requests), a run ends
 * only when nothing is in flight (starts seen minus ends seen, never below
 * zero, is zero) and the next event is more than the gap away; otherwise
 * (completions only, or arrivals only) the gap alone splits.
 *
 * The gap from the data (run_gap): take the gaps between all consecutive
 * events (in flight or not), sort them, and look for the
 * natural break, the largest ratio g[k+1] / max(g[k], 1 s) between
 * neighbours where g[k+1] > 1 s.  When that ratio is at least RUN_BREAK the
 * gap is the geometric mean of max(g[k], 1 s) and g[k+1], rounded to the
 * millisecond (it lies well inside the break); otherwise there is no break
 * and the gap is the largest of those gaps (so nothing splits), never
 * below 1 s.  Gaps under 1 s never count: within a burst they range over
 * orders of magnitude (and equal times give zero), which would make a
 * meaningless "break".
 *
 * Gaps are exact differences of times (ts_sub), never a 64-bit count of
 * nanoseconds, which overflows past 292 years: events centuries apart are
 * as far apart as they are.  The ratios are of nanosecond counts, each
 * rounded once to a double.
 *
 * Nothing here allocates except run_gap's scratch copy of the gaps (and
 * run_gap_at's list of where they are).
 */
#ifndef SKEW_RUN_H
#define SKEW_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "eventstore.h"
#include "base/ts.h"

/* The least ratio between neighbouring gaps that counts as a break. */
#define RUN_BREAK	3.0

/* How run_gap() chose: a break between two gaps, or none (one run). */
struct run_gapinfo {
	struct ts	gap;
	int		broke;		/* a break was found */
	struct ts	below, above;	/* the gaps either side of it */
};

/*
 * The gap read from the n events ev[] (sorted by eventstore_sort).  Returns
 * 0, or -1 with *d filled when out of memory.
 */
int	run_gap(const struct ev *ev, size_t n, struct run_gapinfo *gi,
	    struct diag *d);

/*
 * run_gap(), and where at is not NULL, *at (malloc'd, the caller frees it,
 * NULL when there are none) the index of each event more than 1 s after
 * the one before it, in order, *nat of them: for run_split_at().
 */
int	run_gap_at(const struct ev *ev, size_t n, struct run_gapinfo *gi,
	    uint32_t **at, size_t *nat, struct diag *d);

/*
 * Split the n sorted events ev[] (n <= UINT32_MAX) with the given gap.
 * first[] receives the index of each run's first event, or is NULL to only
 * count the runs (first[] then sized by that count); returns the number of
 * runs (at least 1 when n >= 1, 0 when n == 0).
 */
size_t	run_split(const struct ev *ev, size_t n, const struct ts *gap,
	    uint32_t *first);

/*
 * run_split() where in flight plays no part (not both kinds: see
 * run_split_timeout()) and gap is 1 s at least, from the at[] run_gap_at()
 * gave for the same events: only there can an event be more than the gap
 * after the one before it, so no pass over the events.  first[] has room
 * for nat + 1 entries.
 */
size_t	run_split_at(const struct ev *ev, size_t n, const uint32_t *at,
	    size_t nat, const struct ts *gap, uint32_t *first);

/*
 * The same, where a start with no end stops counting as in flight timeout
 * after its time (skew-align --timeout): where starts and ends are both
 * present, the in-flight count keeps the starts' times (an end takes away
 * the oldest, as pairing by order does), and before each gap the starts
 * older than the next event by more than timeout leave it; the quiet time
 * then counts from the last of them to leave (its time + timeout).  Those
 * starts are counted in *timed_out.  scratch has room for n entries
 * (a call with first NULL and one with first[] give the same count).
 * With timeout NULL, run_split() (scratch unused: may be NULL).  both
 * says whether starts and ends without dur are both among the events (the
 * caller has counted them: eventstore's nstarts and nends), which
 * run_split() finds out with a look.
 */
size_t	run_split_timeout(const struct ev *ev, size_t n, const struct ts *gap,
	    const struct ts *timeout, int both, uint32_t *scratch,
	    uint32_t *first, uint64_t *timed_out);

#endif
