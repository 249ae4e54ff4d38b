/*
 * request: the request record, written (skew-align's output) and read back
 * (skew-fit's input); and skew-align's whole output, request_write_all().
 *
 * Written straight through jsonout_* (no JSON tree): one record per request,
 * keys in the contract's order
 *   {"run":1,"i":0,"start":"...Z"|null,"end":"...Z"|null,
 *    "t_start":...|null,"t_end":...|null,"latency":...|null,
 *    "pid":"...","tid":"...","id":"...","route":"...","status":N,
 *    "paired":"order"}
 * where pid, tid, id, route and status are left out when the request has
 * none (route and status: captured by skew-parse's groups of those names,
 * the end's status first; status a JSON number), and "paired" is there
 * only when the start and end were paired by order (r->by_order: not by
 * id, not from a dur), the one case a record cannot show otherwise, so
 * records of any other request read as they always did; start and
 * end are exact ISO times (ts_iso), t_start and t_end their epoch seconds
 * with the same digits (ts_epoch), latency the exact difference end - start.
 * Then the input trailers passed through (parse/trailer.c), then skew-align's
 * own trailer (analyze/aligntrailer.c).
 *
 * Trailers are written from struct trailer: the contract's keys in its
 * order, then "bad_utf8" and "fold" (0 when the input had none), as
 * skew-parse writes them, so its trailers pass through byte for byte.
 * Other keys a trailer had are not kept (skew-align counts and reports
 * them).
 *
 * Nothing here allocates beyond the jsonout buffer; errors are jsonout's sticky
 * w->err.
 */
#ifndef SKEW_REQUEST_H
#define SKEW_REQUEST_H

#include <cJSON.h>

#include "base/jsonin.h"
#include "base/jsonout.h"
#include "record.h"
#include "trailer.h"
#include "reqset.h"

void	request_write(struct jsonout *w, const struct req *r);
void	request_input(struct jsonout *w, const struct trailer *in);

/* Every request, every trailer, the align trailer, then jsonout_flush().
 * Returns 0, or -1 with w->err set. */
int	request_write_all(const struct reqset *rs, struct jsonout *w);

/*
 * One request record read back: r with its run, rank and exact times
 * (from the ISO "start" and "end", never the doubles) and status, its
 * strings in id[] (pid, tid, id, route: bytes with a length, pointing into
 * the line or into own[]; s NULL when absent).  Nothing is checked
 * beyond the types (and "paired", which must be "order"): the caller checks
 * what a request must be (reqset.c).
 */
#define REQUEST_NSTR	4	/* pid, tid, id, route */

struct request_in {
	struct req	 r;
	struct record_str	 id[REQUEST_NSTR];
	struct jsonin_bytes	 own[REQUEST_NSTR];
};

/*
 * The hand-written path, for exactly the layout request_write() writes (no
 * spaces, no escapes, pid/tid/id/route/status/paired in that order).  A cJSON
 * tree per record (a malloc per key, a strcmp per lookup, a strtod per
 * number) was most of skew-fit's reading time.  Returns 1 with *in
 * filled (nothing to free), or 0: not that layout, or a time that is not
 * one, for request_from_cjson() to read and name.  tests/reqset.c
 * checks that the two agree on generated records.  memo: ts_parse()'s
 * minute memo.
 */
int	request_read(const char *line, size_t n, struct ts_memo *memo,
	    struct request_in *in, struct diag *d);

/* The same from the line's cJSON object o (line is its text, for
 * identities with a NUL).  Returns 0 (free *in with request_in_free()), or
 * -1 with *d saying which key is wrong. */
int	request_from_cjson(const cJSON *o, const char *line, size_t n,
	    struct ts_memo *memo, struct request_in *in, struct diag *d);
void	request_in_free(struct request_in *in);

#endif
