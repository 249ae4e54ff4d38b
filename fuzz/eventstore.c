/*
 * libFuzzer target over the event-line reader: eventstore_line() (the fast
 * path, falling back to cJSON) must never crash, leak or disagree with
 * eventstore_line_cjson() on whether a line is valid or on what it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eventstore.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eventstore *f = eventstore_new(), *c = eventstore_new();
	struct diag df, dc;
	int rf, rc;

	if (f == NULL || c == NULL)
		abort();
	diag_clear(&df);
	diag_clear(&dc);
	rf = eventstore_line(f, (const char *)data, size, &df);
	rc = eventstore_line_cjson(c, (const char *)data, size, &dc);
	if (rf != rc || f->n != c->n || f->ninputs != c->ninputs)
		abort();
	if (rf == -1 && strcmp(df.msg, dc.msg) != 0)
		abort();
	if (f->n == 1) {
		struct evx xa, xb;
		const struct evx *a = &xa, *b = &xb;

		eventstore_get(f, &f->ev[0], &xa);
		eventstore_get(c, &c->ev[0], &xb);

		if (ts_cmp(&a->t, &b->t) != 0 || a->t.digits != b->t.digits ||
		    a->flags != b->flags || a->line != b->line ||
		    !eq(a->src, b->src) || !eq(a->pid, b->pid) ||
		    !eq(a->tid, b->tid) || !eq(a->id, b->id) ||
		    ((a->flags & EV_DUR) && ts_cmp(&a->dur, &b->dur) != 0))
			abort();
		if (a->t.nsec < 0 || a->t.nsec > 999999999)
			abort();
	}
	eventstore_free(f);
	eventstore_free(c);
	return 0;
}
