/*
 * reqw: skew-align's output, request records as NDJSON.
 *
 * Written straight through jw_* (no JSON tree): one record per request,
 * keys in the contract's order
 *   {"run":1,"i":0,"start":"...Z"|null,"end":"...Z"|null,
 *    "t_start":...|null,"t_end":...|null,"latency":...|null,
 *    "pid":"...","tid":"...","id":"..."}
 * where pid, tid and id are left out when the request has none; start and
 * end are exact ISO times (ts_iso), t_start and t_end their epoch seconds
 * with the same digits (ts_epoch), latency the exact difference end - start.
 * Then the input trailers passed through (parse/rec.c), then skew-align's
 * own trailer (analyze/alignrec.c).
 *
 * Trailers are written from struct rec_input: the contract's keys in its
 * order, then "bad_utf8" and "fold" (0 when the input had none), as
 * skew-parse writes them, so its trailers pass through byte for byte.
 * Other keys a trailer had are not kept (skew-align counts and reports
 * them).
 *
 * Nothing here allocates beyond the jw buffer; errors are jw's sticky
 * w->err.
 */
#ifndef SKEW_REQW_H
#define SKEW_REQW_H

#include "jw.h"
#include "rec.h"
#include "req.h"

void	reqw_req(struct jw *w, const struct req *r);
void	reqw_input(struct jw *w, const struct rec_input *in);

/* Every request, every trailer, the align trailer, then jw_flush().
 * Returns 0, or -1 with w->err set. */
int	reqw_write(const struct reqset *rs, struct jw *w);

#endif
