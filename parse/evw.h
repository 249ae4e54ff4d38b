/*
 * evw: the event writer.  Events as NDJSON (the contract's key order) or
 * TSV, written straight into a jw buffer: no tree, and no allocation per
 * event once the buffer has reached its working size.
 *
 * A struct evw is owned by its caller (evw_init / evw_free); it does not
 * close the FILE.  Write errors are sticky, as in jw: evw_finish() reports
 * them once at the end (and evw_event() returns -1 once one has happened).
 */
#ifndef SKEW_EVW_H
#define SKEW_EVW_H

#include <stdio.h>

#include "jw.h"
#include "rec.h"
#include "ts.h"

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

#endif
