/*
 * reqread: skew-align's output (request NDJSON and the trailers passed
 * through) read back into a struct reqset.
 *
 * Usage: reqset_init(), reqset_line() for every line of every input
 * (blank lines are the caller's to count and skip), then reqset_finish(),
 * which orders the requests run by run and fills run_first.  The set owns
 * everything; free it with reqset_free() whatever the calls returned.
 *
 * Request records are read by their codec (analyze/reqw.h), trailers by
 * theirs (parse/rec.h, analyze/alignrec.h); here they are checked and
 * kept.  Times come from the exact "start"/"end" ISO strings (ts_parse,
 * TS_ISO), never from the t_start/t_end doubles.  Records that skew-fit
 * does not know (an event from skew-parse, say) are errors, not skipped:
 * they mean the wrong program's output was piped in.
 */
#ifndef SKEW_REQSET_H
#define SKEW_REQSET_H

#include <stddef.h>

#include "base/diag.h"
#include "req.h"

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
 * Sort the requests by (run, i) and index the runs that hold requests:
 * the k-th (from 0) is reqs[run_first[k] .. run_first[k+1]) (the last to
 * nreqs), and its number is reqs[run_first[k]].run.  Run numbers need not
 * be consecutive (a filter may have dropped runs); memory is by the runs
 * present, never by the numbers they carry.  -1 on a duplicate (run, i)
 * or when out of memory.
 */
int	reqset_finish(struct reqset *rs, struct diag *d);

#endif
