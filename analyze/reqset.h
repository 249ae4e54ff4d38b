/*
 * reqset: requests grouped in runs, what skew-align produces and skew-fit
 * reads, and skew-align's output (request NDJSON and the trailers passed
 * through) read back into one.
 *
 * A struct reqset owns all its memory (free with reqset_free()).  Identities
 * (pid, tid, id) are interned strings owned by the set; NULL when absent.
 * Requests are stored run by run, each run ordered as the contract's request
 * records are: by end time (rank i), then unmatched starts by start time.
 *
 * Usage: reqset_init(), reqset_line() for every line of every input
 * (blank lines are the caller's to count and skip), then reqset_finish(),
 * which orders the requests run by run and fills run_first.  The set owns
 * everything; free it with reqset_free() whatever the calls returned.
 *
 * Request records are read by their codec (analyze/request.h), trailers by
 * theirs (parse/trailer.h, analyze/aligntrailer.h); here they are checked and
 * kept.  Times come from the exact "start"/"end" ISO strings (ts_parse,
 * TS_ISO), never from the t_start/t_end doubles.  Records that skew-fit
 * does not know (an event from skew-parse, say) are errors, not skipped:
 * they mean the wrong program's output was piped in.
 */
#ifndef SKEW_REQSET_H
#define SKEW_REQSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/ts.h"
#include "trailer.h"

struct req {
	uint32_t	 run;		/* 1-based */
	uint32_t	 i;		/* rank within the run */
	int		 has_start, has_end;
	struct ts	 start, end;	/* exact, when present */
	const char	*pid, *tid, *id;	/* interned, or NULL */
	const char	*route;		/* interned, or NULL */
	int		 status;	/* HTTP status 100-599; 0: none */
	/* Start and end paired by order (the k-th start of the run with
	 * its k-th end), not by id or from a dur. */
	int		 by_order;
};

/*
 * A request as a set keeps it: 40 bytes on LP64, where struct req takes 88.
 * Each time is its seconds (38 bits: the range of times ends before 2^38
 * s), digits and flags in one word (the start's also holds the status,
 * has_start, has_end and by_order), and its nanoseconds in another; the
 * identities are their strtab numbers (0: none); the run and the rank are
 * the set's (run_no[] of the run it is in, and its place in the run, or
 * rec_key[] in a set read back).  reqrec_pack() and reqrec_unpack() are the
 * only code that reads or writes the fields: users take a run as struct
 * req with reqset_run().
 */
struct reqrec {
	uint64_t	 s, e;		/* start, end: seconds, digits, flags */
	uint32_t	 snsec, ensec;
	uint32_t	 pid, tid, id, route;
};

/* r (its identities interned: strtab_id()) as a record (its run and rank
 * left out): -1 when it cannot be one (a time out of 0 .. 2^38 - 1 s,
 * digits or flags past 15, a status past 1023). */
int	reqrec_pack(const struct req *r, struct reqrec *x);

/* reqrec_pack() of a request that only ended (a completion, no start):
 * its end, status and identities' numbers (0: absent), without making
 * the struct req; the same -1. */
int	reqrec_pack_end(const struct ts *end, int status, uint32_t pid,
	    uint32_t tid, uint32_t id, uint32_t route, struct reqrec *x);

/* The record x, rank i of run run, as a struct req, its identities from
 * the table strings (a struct strtab; NULL: left NULL). */
void	reqrec_unpack(const struct reqrec *x, uint32_t run, uint32_t i,
	    const void *strings, struct req *r);

/* --offset SRC=DURATION: one source's clock corrected, every event of
 * src (its "src", the file name or --source name) moved by off. */
struct src_offset {
	const char	*src;
	struct ts	 off;
};

/* What skew-align adds as its own trailer record. */
struct align_info {
	size_t		runs;
	struct ts	gap;		/* the gap used */
	int		gap_given;	/* --gap, not read from the data */
	struct ts	offset;		/* applied to the start log's times */
	int		offset_auto;
	int		offset_unresolved;	/* read as "offset": "auto",
						 * with no value */
	/* --offset auto with --service-time: the T it subtracted. */
	struct ts	auto_service;
	int		auto_service_given;
	/* --offset SRC=DURATION, in the order given: borrowed from the
	 * options in skew-align and skew; read back from the record in
	 * skew-fit, then owned (srcoff_owned) and freed with the set. */
	const struct src_offset *srcoff;
	struct src_offset *srcoff_owned;
	size_t		nsrcoff;
	uint64_t	unmatched_starts, unmatched_ends;
	uint64_t	events;		/* events read (appended by skew-align) */
	/* --timeout (given, or the default made from the latencies), and
	 * the starts it stopped counting as in flight; gap_timeout: the gap
	 * read from the data had no break and the timeout capped it.  In
	 * the record only when they did something or were given. */
	struct ts	timeout;
	int		timeout_given, gap_timeout, has_timeout;
	uint64_t	timed_out;
};

struct reqset {
	/* The requests, run by run: kept as records (rec, run_no), or, in a
	 * set made by hand (tests), given as struct req (reqs, non-NULL). */
	struct reqrec	*rec;
	struct req	*reqs;
	size_t		 nreqs;
	size_t		*run_first;	/* index of each run's first request */
	size_t		 nruns;		/* runs holding requests: the k-th (from
					 * 0) is [run_first[k], run_first[k+1]),
					 * its number reqset_run_no() */
	uint32_t	*run_no;	/* with rec: each run's number */
	uint64_t	*rec_key;	/* with rec, when read: each record's
					 * run << 32 | i, as it came; NULL:
					 * ranks are places in the run */
	struct align_info info;
	struct trailer *inputs;	/* provenance trailers passed through */
	size_t		 ninputs;
	void		*strings;	/* the intern table; opaque */
	const char	*last[4];	/* the reader's last pid, tid, id,
					 * route (strtab_intern_last) */
	struct ts_memo	 memo;		/* the reader's last minute (ts.h) */
	uint64_t	 fast, slow;	/* lines read by the fast path / cJSON */
	/* Since the current input began (reqset_end()): */
	size_t		 in_mark;	/* inputs[] held before it */
	size_t		 req_mark;	/* requests held before it */
	int		 align_seen;	/* its align record came */
	uint64_t	 align_events;	/* the events that record counts */
};

void	reqset_free(struct reqset *rs);	/* frees members, not *rs */

/*
 * The k-th run present (from 0) as struct req: *n of them, made in v's
 * room (valid until the next call with v; reqset_view_free() frees it), or
 * the set's own when it was given as struct req.  NULL when out of memory.
 * Start v zeroed.
 */
struct reqset_view {
	struct req	*r;
	size_t		 cap;
	int		 no_ids;	/* pid, tid, id and route left NULL,
					 * no string looked up, for readers of
					 * the times only (a set given as
					 * struct req gives its own) */
};
const struct req *reqset_run(const struct reqset *rs, size_t k,
	    struct reqset_view *v, size_t *n);
void	reqset_view_free(struct reqset_view *v);

/*
 * The first request with both a start and an end among the j-th (from 0,
 * among all) to the end of the k-th run: its index, its times in *start and
 * *end; SIZE_MAX when there is none.  Reads the records in place, never
 * making a struct req: for readers of the matched requests' times only
 * (traffic.c), in a run of completions one test a record.
 */
size_t	reqset_next_span(const struct reqset *rs, size_t k, size_t j,
	    struct ts *start, struct ts *end);

/* The j-th request (from 0, among all), which is in the k-th run, as a
 * struct req. */
void	reqset_req(const struct reqset *rs, size_t k, size_t j, struct req *r);

/* reqset_req() of the n requests from the j-th (all in the k-th run) into
 * r[0..n), in one call: for a writer of every request, a few at a time. */
void	reqset_reqs(const struct reqset *rs, size_t k, size_t j, size_t n,
	    struct req *r);

/* Every request at once as struct req, in order (free() it; NULL when out
 * of memory): for tests and checks, at 88 bytes a request, never for the
 * analysis. */
struct req	*reqset_all(const struct reqset *rs);

/* The number of the k-th run present (from 0). */
uint32_t	reqset_run_no(const struct reqset *rs, size_t k);

/* Free the requests and their index (nreqs and nruns 0), keeping the rest
 * (info, inputs, strings): once analysed, the requests are not needed. */
void	reqset_drop_requests(struct reqset *rs);

/* Zero *rs and give it a string table.  -1 when out of memory. */
int	reqset_init(struct reqset *rs, struct diag *d);

/*
 * One record, line[0..n) (no newline).  A request record is added; an
 * "input" trailer is kept as provenance; an "align" trailer fills
 * rs->info.  Returns 0, or -1 with *d saying what was expected (the
 * caller sets d->src and d->line).
 */
int	reqset_line(struct reqset *rs, const char *line, size_t n,
	    struct diag *d);

/*
 * At the end of each input (skew-align's output, whole or filtered):
 * whether it came whole.  REQSET_NO_ALIGN: it held records but no align
 * record (skew-align did not finish, or a filter dropped it); nothing is
 * made up, since which logs fed it is not known.  REQSET_NO_TRAILER: the
 * align record counts more events than the input trailers passed through
 * account for (a filter dropped some): a trailer named name is made up,
 * marked incomplete, with the events unaccounted for.  Trailers skew-align
 * itself made up arrive marked incomplete already.  Returns REQSET_WHOLE,
 * REQSET_NO_ALIGN or REQSET_NO_TRAILER, or -1 when out of memory.
 */
enum {
	REQSET_WHOLE = 0,
	REQSET_NO_ALIGN,
	REQSET_NO_TRAILER
};
int	reqset_end(struct reqset *rs, const char *name, struct diag *d);

/* The same through cJSON alone, never the hand-written fast path: the
 * reference the fast path is tested against. */
int	reqset_line_cjson(struct reqset *rs, const char *line, size_t n,
	    struct diag *d);

/*
 * Sort the requests by (run, i) (when they are not in that order already:
 * skew-align writes them so) and index the runs that hold requests: the
 * k-th (from 0) is [run_first[k], run_first[k+1]) (the last to nreqs), and
 * its number is reqset_run_no(rs, k).  Run numbers need not
 * be consecutive (a filter may have dropped runs); memory is by the runs
 * present, never by the numbers they carry.  -1 on a duplicate (run, i),
 * more than UINT32_MAX requests, or when out of memory.  A set made by
 * align_finish() is in order and indexed already: returned as it is.
 */
int	reqset_finish(struct reqset *rs, struct diag *d);

#endif
