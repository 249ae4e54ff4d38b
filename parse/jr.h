/*
 * jr: reading values out of a cJSON object with one set of messages, for
 * every reader of skew's own records (trailers, events, requests).  Nothing
 * is allocated: strings returned point into the cJSON tree.
 */
#ifndef SKEW_JR_H
#define SKEW_JR_H

#include <stdint.h>

#include <cJSON.h>

#include "diag.h"

/* "a string", "a number", "null", ..., or "nothing" for NULL. */
const char	*jr_type(const cJSON *j);

/*
 * The whole number at key, in [min, 2^53] (beyond 2^53 a double is not
 * exact).  Absent and not required: *out is 0.  Returns 0, or -1 with *d
 * saying what was expected (DIAG_JSON).
 */
int	jr_count(const cJSON *o, const char *key, double min, int required,
	    uint64_t *out, struct diag *d);

/* The string at key; absent or null and not required: *out is NULL. */
int	jr_str(const cJSON *o, const char *key, int required,
	    const char **out, struct diag *d);

/* How many keys of o are not in known (NULL-terminated). */
uint64_t	jr_unknown(const cJSON *o, const char *const *known);

#endif
