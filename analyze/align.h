/*
 * align: events -> requests grouped in runs (skew-align's library).
 *
 * Feed events and input trailers with align_add_rec() (straight from the
 * parser, as the one-process skew does), align_add_input() and
 * align_add_line() (one NDJSON line of skew-parse's output: an event or a
 * trailer), in any order and from any number of inputs; then align_finish()
 * sorts, splits into runs, pairs and fills a struct reqset, which the
 * caller owns and frees with reqset_free().  align_finish() is called at most
 * once; the struct align is freed with align_free() after it either way
 * (align_free(NULL) does nothing).
 *
 * What it does, in order:
 *  1. Each --offset SRC=DURATION (o->srcoff) names an input: an event's
 *     src or a trailer's; one that names none is an error (DIAG_USAGE,
 *     d->src NULL) naming it.  Its DURATION is added to the time of every
 *     event of that source, starts and ends alike (that host's clock).
 *     --offset DURATION (ALIGN_OFFSET_GIVEN) is added to the time of every
 *     event of kind start (the start log's clock), dur events included,
 *     on top of its source's offset: the two add.  A time they move out
 *     of the range of times (ts_check: 1970-9999) is an error naming that
 *     event (d->src, d->line) and the offsets; so is a start --offset
 *     auto moves (step 5), and a request whose dur puts its other end out
 *     of the range (step 4).
 *  2. Sort by exact time, ties by (src, line), then order of arrival
 *     (eventstore_sort): never by line order.
 *  3. Split into runs with the gap (given, or read from the data: run.h).
 *     A start with no end stops counting as in flight --timeout after it
 *     (o->timeout; by default 10 times the p99 latency of the requests
 *     matched in a first pass (steps 3-5 without a timeout: pairs, and
 *     events with dur), at least 1 s), so one lost
 *     end does not hold the rest of the log in its run: the split is done
 *     again with it (run_split_timeout) when the log has starts with no
 *     dur.  Those starts it stopped counting are info.timed_out.  Where
 *     the log has such starts and the data's gap has no break, the gap is
 *     at most the timeout (info.gap_timeout): nothing then says that two
 *     starts further apart, with nothing in flight between, are one run.
 *  4. Pair inside each run.  An event with dur is a whole request on its
 *     own (an end's start is t - dur, a start's end t + dur) and is never
 *     paired.  When the run's starts and its ends both carry ids, events
 *     with an id pair by id (the k-th start of an id with the k-th end of
 *     that id, in time order) and events without one pair by order among
 *     themselves; otherwise all pair by order (the k-th start with the k-th
 *     end); those pairs are marked (req.by_order, the record's "paired":
 *     "order").  What is left is unmatched: still a request, with its start or
 *     end null, counted in info.unmatched_starts / unmatched_ends.
 *  5. A pair whose end precedes its start is an error naming the end
 *     (d->src, d->line) and the start, suggesting --offset auto.  With
 *     ALIGN_OFFSET_AUTO the smallest shift of the start log that nests every
 *     pair, min(0, min over pairs of end - start), is applied and steps 2-4
 *     are done again; it is reported in info.offset (info.offset_auto set).
 *     With o->service_given, every pair must last at least o->service
 *     (the service time T): the shift is min(0, min(end - start) - T).
 *     This finds only a bound: a start log whose clock is ahead by D is
 *     shifted by -(D - L), L the shortest latency (or by -(D - L + T)
 *     with T), and one that is behind is not shifted at all.
 *  6. Requests of a run are ordered by end time (ties by the end event's
 *     sorted position) and numbered i = 0, 1, ...; unmatched starts follow
 *     by start time.  pid, tid and id are taken from the end event when it
 *     has them, else from the start event.  The requests are made in the
 *     room of the events (each run's over that run's events, a request's
 *     record no larger than an event's), so the events are gone after
 *     align_finish().
 *
 * On failure a function returns -1 and fills *d; d->src may then point to
 * a string owned by the struct align, so print the diag before align_free().
 */
#ifndef SKEW_ALIGN_H
#define SKEW_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "record.h"
#include "trailer.h"
#include "reqset.h"
#include "base/ts.h"

enum align_offset_mode {
	ALIGN_OFFSET_NONE = 0,
	ALIGN_OFFSET_GIVEN,
	ALIGN_OFFSET_AUTO
};

struct align_opt {
	struct ts	gap;		/* when gap_given */
	int		gap_given;
	struct ts	offset;		/* when offset_mode is ALIGN_OFFSET_GIVEN */
	int		offset_mode;	/* enum align_offset_mode */
	struct ts	timeout;	/* when timeout_given: --timeout */
	int		timeout_given;
	struct ts	service;	/* when service_given: --offset auto */
	int		service_given;	/* subtracts it (step 5) */
	/* --offset SRC=DURATION, each src once: not copied, so it must
	 * outlive the align and the reqset align_finish() fills (its info
	 * points to it). */
	struct src_offset *srcoff;
	size_t		nsrcoff;
};

/* What the caller may want to tell the user, beyond the reqset. */
struct align_stats {
	uint64_t	unknown_keys;	/* input keys not known, ignored */
	uint64_t	fast_lines;	/* lines read by the hand-written path */
	uint64_t	cjson_lines;	/* lines read by cJSON */
	int		gap_broke;	/* the gap came from a break in the data */
	struct ts	gap_below, gap_above;	/* the gaps either side of it */
};

struct align;

/* A new aligner (the options are copied), or NULL with *d filled. */
struct align	*align_new(const struct align_opt *o, struct diag *d);
void		 align_free(struct align *a);

/* One event from the parser; its strings are copied. */
int		 align_add_rec(struct align *a, const struct record *r, struct diag *d);

/* One input trailer; copied.  Trailers are passed through in order. */
int		 align_add_input(struct align *a, const struct trailer *in,
		    struct diag *d);

/* One NDJSON line without its newline (eventstore_line); the caller sets d->src
 * and d->line to the line's input and number first. */
int		 align_add_line(struct align *a, const char *line, size_t n,
		    struct diag *d);

/* How many events were added so far (before align_finish(), which gives
 * them to the reqset). */
size_t		 align_count(const struct align *a);

/*
 * Align and fill *out (zeroed first; the caller frees it with
 * reqset_free()).  No events is an error ("no events").
 */
int		 align_finish(struct align *a, struct reqset *out, struct diag *d);

/* Counters and the gap's reasons; valid after align_finish(). */
void		 align_stats(const struct align *a, struct align_stats *st);

#endif
