/*
 * aligntrailer: skew-align's own trailer record, written after the requests
 * and the input trailers it passes through, and read back by skew-fit:
 *   {"kind":"align","runs":5,"gap":60,"offset":0,"unmatched_starts":0,
 *    "unmatched_ends":0,"gap_source":"data"|"given","events":410}
 * gap and offset as exact decimal seconds.  Two keys follow, only when
 * used: "auto_service_time" (seconds: --offset auto with --service-time,
 * the T it subtracted) and "offsets" ({"SRC": seconds, ...}: each
 * --offset SRC=DURATION, in the order given).  offset is the shift of the
 * starts (--offset DURATION, or what --offset auto found), on top of
 * their source's entry in offsets.  Last, when skew-align's --timeout
 * was given or did something: "timeout" (seconds), "timeout_source"
 * ("given" | "latency": 10 times the p99 latency, at least 1 s) and
 * "timed_out" (the starts it stopped counting as in flight); then
 * gap_source is "timeout" where the timeout capped a gap read from the
 * data (no break).  Records without them still read (no timeout).  The
 * one place this record is
 * coded; struct align_info is in reqset.h.
 */
#ifndef SKEW_ALIGNTRAILER_H
#define SKEW_ALIGNTRAILER_H

#include <cJSON.h>

#include "base/diag.h"
#include "base/jsonout.h"
#include "reqset.h"

/* The record as one NDJSON line, newline included; errors are jsonout's. */
void	aligntrailer_write(struct jsonout *w, const struct align_info *info);

/*
 * The record (a cJSON object whose "kind" is "align") into *info, which
 * holds nothing owned or was freed with aligntrailer_free().  runs,
 * unmatched_starts and unmatched_ends are required; gap and offset
 * default to 0 ("offset": "auto" is taken too), gap_source to "data",
 * events to 0; "auto_service_time" and "offsets" are read when present
 * (the offsets' names allocated: info->srcoff_owned).  Returns 0, or -1
 * with *d saying which key is wrong (nothing left allocated).
 */
int	aligntrailer_read(const cJSON *o, struct align_info *info,
	    struct diag *d);
/* What aligntrailer_read() allocated; the rest of *info is left alone. */
void	aligntrailer_free(struct align_info *info);

#endif
