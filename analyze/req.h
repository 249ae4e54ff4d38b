/*
 * req: requests grouped in runs, what skew-align produces and skew-fit reads.
 *
 * A struct reqset owns all its memory (free with reqset_free()).  Identities
 * (pid, tid, id) are interned strings owned by the set; NULL when absent.
 * Requests are stored run by run, each run ordered as the contract's request
 * records are: by end time (rank i), then unmatched starts by start time.
 */
#ifndef SKEW_REQ_H
#define SKEW_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "trailer.h"
#include "base/ts.h"

struct req {
	uint32_t	 run;		/* 1-based */
	uint32_t	 i;		/* rank within the run */
	int		 has_start, has_end;
	struct ts	 start, end;	/* exact, when present */
	const char	*pid, *tid, *id;	/* interned, or NULL */
};

/* What skew-align adds as its own trailer record. */
struct align_info {
	size_t		runs;
	struct ts	gap;		/* the gap used */
	int		gap_given;	/* --gap, not read from the data */
	struct ts	offset;		/* applied to the start log's times */
	int		offset_auto;
	uint64_t	unmatched_starts, unmatched_ends;
	uint64_t	events;		/* events read (appended by skew-align) */
};

struct reqset {
	struct req	*reqs;
	size_t		 nreqs;
	size_t		*run_first;	/* index of each run's first request */
	size_t		 nruns;		/* runs holding requests: the k-th (from
					 * 0) is reqs[run_first[k]..], its number
					 * reqs[run_first[k]].run */
	struct align_info info;
	struct trailer *inputs;	/* provenance trailers passed through */
	size_t		 ninputs;
	void		*strings;	/* the intern table; opaque */
	struct ts_memo	 memo;		/* the reader's last minute (ts.h) */
	uint64_t	 fast, slow;	/* lines read by the fast path / cJSON */
	/* Since the current input began (reqset_end()): */
	size_t		 in_mark;	/* inputs[] held before it */
	size_t		 req_mark;	/* reqs[] held before it */
	int		 align_seen;	/* its align record came */
	uint64_t	 align_events;	/* the events that record counts */
};

void	reqset_free(struct reqset *rs);	/* frees members, not *rs */

#endif
