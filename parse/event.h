/*
 * event: the event record, written and read back.  Events as NDJSON (the
 * contract's key order) or TSV, written straight into a jsonout buffer: no
 * tree, and no allocation per event once the buffer has reached its
 * working size.  event_read() reads one NDJSON line back (skew-align's
 * input): an event, or an input trailer (parse/trailer.c codes those).
 *
 * A struct event_writer is owned by its caller (event_init / event_free); it
 * does not close the FILE.  Write errors are sticky, as in jsonout:
 * event_finish() reports them once at the end (and event_write() returns -1
 * once one has happened).
 */
#ifndef SKEW_EVENT_H
#define SKEW_EVENT_H

#include <stdio.h>

#include "base/jsonin.h"
#include "base/jsonout.h"
#include "record.h"
#include "trailer.h"
#include "base/ts.h"

struct event_writer {
	struct jsonout	 w;
	int		 tsv;
	int		 header;	/* TSV header written */
	size_t		 bad_mark;	/* w.bad when the input began */
	const char	*src;		/* the src the prefix was made for */
	char		*pre;		/* {"src":"...","line": rendered once */
	size_t		 pren;
	/* The whole-second parts of the last time written: consecutive
	 * events mostly share their second, and formatting a date is most
	 * of the cost of an event. */
	int		 have_sec;
	int64_t		 sec;
	char		 iso[TS_ISO_MAX];	/* "2023-11-01T23:10:04" */
	size_t		 ison;
	char		 epoch[TS_EPOCH_MAX];	/* "1698880204" */
	size_t		 epochn;
	/* The last line number and its digits (see line_no()). */
	uint64_t	 lval;
	char		 lnum[20];
	size_t		 lnumn;		/* 0: none yet */
};

void	event_init(struct event_writer *e, FILE *fp, int tsv);

/* Write from a thread of its own (see jsonout_async()); 0 or -1 as there. */
int	event_async(struct event_writer *e);
void	event_free(struct event_writer *e);

/* Start an input named src (call it before each input): its name is
 * escaped once here, and bytes that are not UTF-8 are counted from here.
 * Returns 0, or -1 when out of memory. */
int	event_begin(struct event_writer *e, const char *src);

/* One event.  Returns 0, or -1 once a write has failed (e->w.err). */
int	event_write(struct event_writer *e, const struct record *r);

/*
 * The trailer of an input (NDJSON only; nothing in TSV).  Sets
 * in->bad_utf8 to the bytes written as U+FFFD since event_begin() in the
 * input's pid, tid and id fields and first_skipped text.
 */
int	event_trailer(struct event_writer *e, struct trailer *in);

/* Write out everything; returns 0 or -1 with e->w.err the errno. */
int	event_finish(struct event_writer *e);

/*
 * One line of skew-parse's NDJSON output read back.  EVENT_READ_EVENT: rec
 * is the event (rec.src unset: the name is src[0..srcn)), its strings
 * pointing into the line or into own[] (identities with a NUL, decoded).
 * EVENT_READ_TRAILER: in is the trailer.  Either way it is valid until
 * event_line_free() and, for what points into it, while the line is.
 */
enum {
	EVENT_READ_EVENT = 1,
	EVENT_READ_TRAILER
};

/* The strings an event line may need decoded again (jsonin_bytes()). */
#define EVENT_NOWN	4

struct event_line {
	struct record	 rec;
	const char	*src;
	size_t		 srcn;
	struct trailer in;
	uint64_t	 unknown;	/* keys the reader does not know */
	int		 align;		/* it was an align record (an error) */
	int		 fast;		/* read by the hand-written path (then
					 * only rec, src and the counts are set) */
	struct jsonin_bytes	 own[EVENT_NOWN];	/* pid, tid, id, route */
	cJSON		*tree;		/* what src points into, read by cJSON */
};

/*
 * Read line[0..n) (without its newline): the hand-written path for exactly
 * the layout event_write() writes, cJSON for anything else.  Times come from
 * "ts" (ts_parse, TS_ISO), never from "t"; "dur" from its exact decimal
 * text.  Returns EVENT_READ_EVENT or EVENT_READ_TRAILER, or -1 with *d
 * saying what was expected (an align or request record is skew-align's
 * output, not events: an error).  Free *l with event_line_free() after
 * EVENT_*; after -1 there is nothing to free.
 */
int	event_read(const char *line, size_t n, struct event_line *l,
	    struct diag *d);

/* The same through cJSON alone: the reference the fast path is tested
 * against. */
int	event_read_cjson(const char *line, size_t n, struct event_line *l,
	    struct diag *d);
void	event_line_free(struct event_line *l);

#endif
