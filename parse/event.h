/*
 * evw: the event record, written and read back.  Events as NDJSON (the
 * contract's key order) or TSV, written straight into a jw buffer: no
 * tree, and no allocation per event once the buffer has reached its
 * working size.  evw_read() reads one NDJSON line back (skew-align's
 * input): an event, or an input trailer (parse/rec.c codes those).
 *
 * A struct evw is owned by its caller (evw_init / evw_free); it does not
 * close the FILE.  Write errors are sticky, as in jw: evw_finish() reports
 * them once at the end (and evw_event() returns -1 once one has happened).
 */
#ifndef SKEW_EVW_H
#define SKEW_EVW_H

#include <stdio.h>

#include "base/jsonin.h"
#include "base/jsonout.h"
#include "trailer.h"
#include "base/ts.h"

struct evw {
	struct jw	 w;
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

void	evw_init(struct evw *e, FILE *fp, int tsv);

/* Write from a thread of its own (see jw_async()); 0 or -1 as there. */
int	evw_async(struct evw *e);
void	evw_free(struct evw *e);

/* Start an input named src (call it before each input): its name is
 * escaped once here, and bytes that are not UTF-8 are counted from here.
 * Returns 0, or -1 when out of memory. */
int	evw_begin(struct evw *e, const char *src);

/* One event.  Returns 0, or -1 once a write has failed (e->w.err). */
int	evw_event(struct evw *e, const struct rec *r);

/*
 * The trailer of an input (NDJSON only; nothing in TSV).  Sets
 * in->bad_utf8 to the bytes written as U+FFFD since evw_begin() in the
 * input's pid, tid and id fields and first_skipped text.
 */
int	evw_trailer(struct evw *e, struct rec_input *in);

/* Write out everything; returns 0 or -1 with e->w.err the errno. */
int	evw_finish(struct evw *e);

/*
 * One line of skew-parse's NDJSON output read back.  EVW_EVENT: rec is the
 * event (rec.src unset: the name is src[0..srcn)), its strings pointing
 * into the line or into own[] (identities with a NUL, decoded).  EVW_INPUT:
 * in is the trailer.  Either way it is valid until evw_line_free() and,
 * for what points into it, while the line is.
 */
enum {
	EVW_EVENT = 1,
	EVW_INPUT
};

struct evw_line {
	struct rec	 rec;
	const char	*src;
	size_t		 srcn;
	struct rec_input in;
	uint64_t	 unknown;	/* keys the reader does not know */
	int		 align;		/* it was an align record (an error) */
	int		 fast;		/* read by the hand-written path (then
					 * only rec, src and the counts are set) */
	struct jr_bytes	 own[3];
	cJSON		*tree;		/* what src points into, read by cJSON */
};

/*
 * Read line[0..n) (without its newline): the hand-written path for exactly
 * the layout evw_event() writes, cJSON for anything else.  Times come from
 * "ts" (ts_parse, TS_ISO), never from "t"; "dur" from its exact decimal
 * text.  Returns EVW_EVENT or EVW_INPUT, or -1 with *d saying what was
 * expected (an align or request record is skew-align's output, not
 * events: an error).  Free *l with evw_line_free() after EVW_*; after -1
 * there is nothing to free.
 */
int	evw_read(const char *line, size_t n, struct evw_line *l,
	    struct diag *d);

/* The same through cJSON alone: the reference the fast path is tested
 * against. */
int	evw_read_cjson(const char *line, size_t n, struct evw_line *l,
	    struct diag *d);
void	evw_line_free(struct evw_line *l);

#endif
