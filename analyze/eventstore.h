/*
 * eventstore: the event store of skew-align.
 *
 * Events arrive from any number of skew-parse outputs (NDJSON lines, read
 * with eventstore_line()) or straight from the parser (eventstore_add()), in
 * any order.  Each is copied into one growing array of fixed-size records;
 * the strings (src, pid, tid, id, route) are interned in one strtab and the
 * record holds their numbers (strtab_id()), so memory is a small constant
 * per event (sizeof(struct ev), 48 bytes on LP64, plus the array's growth
 * slack, plus 24 bytes for an event with a dur) whatever the identities
 * look like.  The time, the strings' numbers and seq are plain fields; the
 * packed word (line, EV_*, status) is read and written only through
 * ev_line(), ev_flags(), ev_set_flags() and ev_status(), the strings and
 * the dur through ev_str() and eventstore_dur(): one place knows the
 * packing.  eventstore_get() gives a whole event unpacked (struct evx),
 * for tests and checks.
 *
 * Input trailers ({"kind":"input",...}) are kept in order of appearance as
 * struct trailer copies, owned by the store until align_finish() takes them
 * (and the strings) for its reqset.
 *
 * The store owns everything it holds; eventstore_free() releases it,
 * eventstore_free(NULL) does nothing.  A failing call returns -1 and fills
 * *d (the caller sets d->src and d->line before reading a line; they are
 * left as they are).
 */
#ifndef SKEW_EVENTSTORE_H
#define SKEW_EVENTSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "record.h"
#include "trailer.h"
#include "strtab.h"
#include "base/ts.h"

#define EV_START	0x01	/* kind "start"; otherwise "end" */
#define EV_DUR		0x02	/* carries dur: a whole request on its own */
#define EV_ORDER	0x04	/* paired by order (align's pass sets it) */

/* The largest line number an event keeps (2^48 - 1): a larger one is
 * refused by name, never cut. */
#define EV_LINE_MAX	((UINT64_C(1) << 48) - 1)

struct ev {
	struct ts	 t;	/* time of record, offset applied for starts */
	uint64_t	 lw;	/* line (48 bits), EV_* (4), status (10) */
	uint32_t	 src;	/* strtab numbers: the source's (never 0), */
	uint32_t	 pid, tid, id, route;	/* the others 0 when absent */
	uint32_t	 seq;	/* order of arrival: the last tie-break, and
				 * the key of the event's dur */
};

/* An event with dur: its dur, by its event's seq. */
struct evdur {
	uint32_t	 seq;
	struct ts	 dur;
};

/* One source's events as they were added: eventstore_complete()'s facts,
 * counted by the adds (no pass over the events). */
struct evsrc {
	uint32_t	 src;		/* strtab number */
	uint32_t	 first;		/* seq of its first event */
	uint64_t	 events, maxline;
};

struct eventstore {
	struct ev	*ev;
	size_t		 n, cap;
	struct evdur	*durs;	/* in order of seq (of arrival) */
	size_t		 ndurs, capdurs;
	struct trailer *inputs;
	size_t		 ninputs, capinputs;
	struct strtab	*strs;
	const char	*last[5];	/* the last src, pid, tid, id, route
					 * interned (strtab_intern_last) */
	uint64_t	 unknown_keys;	/* keys skew-align does not know, ignored */
	uint64_t	 align_recs;	/* never kept: an align record is an error */
	uint64_t	 fast, slow;	/* lines read by the fast path / cJSON */
	size_t		 nstarts, nends; /* events of kind start, of kind end,
					 * without dur (the others have one) */
	int		 unordered;	/* added out of (src, line, seq) order,
					 * or sorted since: the sort looks */
	int		 sorted;	/* ev[] already in the sort's order:
					 * add() puts each event in its place
					 * by time while they come in (src,
					 * line, seq) order and within a few
					 * places; cleared by a sort, by
					 * eventstore_moved() */
	size_t		 lastpos;	/* where the last event added went */
	uint64_t	 budget;	/* add()'s moves left (NEAR_MOVES an
					 * event added) */
	struct evsrc	*srcs;		/* in order of their first events */
	size_t		 nsrcs, capsrcs;
	uint32_t	*srcslot;	/* srcs' indexes + 1 by src number,
					 * hashed; 0: free */
	size_t		 capslot;	/* a power of two, or 0 */
	struct evsrc	*cur;		/* the last event's (in srcs), or NULL */
};

static inline uint64_t
ev_line(const struct ev *e)
{
	return e->lw & EV_LINE_MAX;
}

static inline unsigned
ev_flags(const struct ev *e)
{
	return (unsigned)(e->lw >> 48) & 0xf;
}

static inline void
ev_set_flags(struct ev *e, unsigned flags)
{
	e->lw = (e->lw & ~(UINT64_C(0xf) << 48)) | (uint64_t)(flags & 0xf) << 48;
}

/* 100-599, or 0: none. */
static inline int
ev_status(const struct ev *e)
{
	return (int)(e->lw >> 52) & 0x3ff;
}

/* The string of a number an event holds (0: NULL, without a call: most
 * events have no id or route). */
static inline const char *
ev_str(const struct eventstore *s, uint32_t id)
{
	return id != 0 ? strtab_str(s->strs, id) : NULL;
}

/* The dur of an event with EV_DUR. */
const struct ts	*eventstore_dur(const struct eventstore *s, const struct ev *e);

/* An event with its strings and its dur, as struct ev held them before it
 * was packed: for tests and checks. */
struct evx {
	struct ts	 t, dur;	/* dur: when EV_DUR */
	const char	*src, *pid, *tid, *id, *route;
	uint64_t	 line;
	unsigned	 flags;
	int		 status;
	uint32_t	 seq;
};
void		 eventstore_get(const struct eventstore *s, const struct ev *e,
		    struct evx *x);

/* A new, empty store, or NULL (out of memory). */
struct eventstore	*eventstore_new(void);
void		 eventstore_free(struct eventstore *s);

/* Copy one parsed event (strings interned; the rec may go away after).  A
 * line number past EV_LINE_MAX is an error naming it. */
int		 eventstore_add(struct eventstore *s, const struct record *r, struct diag *d);

/* Copy one trailer (its strings duplicated). */
int		 eventstore_add_input(struct eventstore *s, const struct trailer *in,
		    struct diag *d);

/*
 * Read one NDJSON line (without its newline) with event_read() (parse/event.h,
 * the event record's codec) and keep it: an event or an input trailer.
 * Anything else is an error naming what was expected, including an
 * "align" record (counted in align_recs: this is skew-align's own output,
 * not events).  Keys the reader does not know are counted in
 * s->unknown_keys and otherwise ignored.
 */
int		 eventstore_line(struct eventstore *s, const char *line, size_t n,
		    struct diag *d);

/* The same through event_read_cjson(), never the hand-written fast path:
 * the reference the fast path is tested against. */
int		 eventstore_line_cjson(struct eventstore *s, const char *line, size_t n,
		    struct diag *d);

/*
 * After the last line: every source whose events came without its
 * trailer (the upstream failed, or a filter dropped the trailer) gets one
 * made up from what was seen, marked incomplete: events counted, lines the
 * highest line number among them, nothing else known.  Sources are
 * matched by name (an event's "src", a trailer's "src"); the made-up
 * trailers follow the others, in the order of their first events.  What
 * it knows of the events was counted as they were added (eventstore_add(),
 * eventstore_line()), without a pass over them.
 * *made is how many were made up.  Returns 0, or -1
 * when out of memory.
 */
int		 eventstore_complete(struct eventstore *s, size_t *made, struct diag *d);

/* A caller changed an event's time (align's --offset): ev[] is no longer
 * known to be in the sort's order. */
void		 eventstore_moved(struct eventstore *s);

/* Sort by exact time, ties by (src, line), then order of arrival: nothing
 * to do when add() kept them sorted (s->sorted); else in place by
 * insertion when the events are in the ties' order and out of
 * time order by a few places only (no scratch), else by radix sorts
 * (radix.h).  Returns 0, or -1 when out of memory. */
int		 eventstore_sort(struct eventstore *s, struct diag *d);

#endif
