/*
 * Tests for parse/base/batchq.c: every item taken in the order it was put,
 * with its bytes intact (small items, none, and items larger than a batch
 * holds), the producer's result returned, and a consumer that stops early
 * stopping the producer.
 */
#include <stdint.h>
#include <string.h>

#include "base/batchq.h"
#include "tap.h"

struct item {
	uint64_t	 k;		/* its number, from 0 */
	size_t		 n;		/* its bytes */
	const char	*b;
};

struct plan {
	uint64_t	 count;		/* items to put */
	int		 result;	/* to return */
	uint64_t	 put;		/* put before batchq_put() said stop */
	int		 stopped;	/* batchq_put() returned NULL */
};

/* The bytes of item k: k's own pattern, every few thousand items larger
 * than a batch holds. */
static size_t
size_of(uint64_t k)
{
	if (k % 5000 == 4999)
		return BATCHQ_BYTES + 1 + k % 7;
	return k % 3 == 0 ? 0 : (size_t)(k * 2654435761u % 200);
}

static char
byte_of(uint64_t k, size_t i)
{
	return (char)('a' + (k + i) % 26);
}

static int
produce(void *ctx, struct batchq *q)
{
	struct plan *pl = ctx;

	for (uint64_t k = 0; k < pl->count; k++) {
		size_t n = size_of(k);
		struct item *it;
		char *b;

		if ((it = batchq_put(q, n, &b)) == NULL) {
			pl->stopped = 1;
			return -1;
		}
		it->k = k;
		it->n = n;
		it->b = b;
		for (size_t i = 0; i < n; i++)
			b[i] = byte_of(k, i);
		pl->put++;
	}
	return pl->result;
}

/* Take every item (or the first stop_at) and check them; returns the
 * producer's result. */
static int
consume(struct plan *pl, uint64_t stop_at, uint64_t *taken, int *good)
{
	struct batchq *q = batchq_start(sizeof(struct item), produce, pl);
	const struct item *it;

	*taken = 0;
	*good = 1;
	if (q == NULL)
		return -99;
	while (*taken < stop_at && (it = batchq_get(q)) != NULL) {
		/* No bytes still point somewhere: an empty string is not an
		 * absent one to the items' users. */
		int same = it->k == *taken && it->n == size_of(it->k) &&
		    it->b != NULL;

		for (size_t i = 0; same && i < it->n; i++)
			same = it->b[i] == byte_of(it->k, i);
		if (!same && *good)
			tap_diag("item %llu: got number %llu, %zu bytes",
			    (unsigned long long)*taken,
			    (unsigned long long)it->k, it->n);
		*good &= same;
		(*taken)++;
	}
	return batchq_finish(q);
}

int
main(void)
{
	struct plan pl;
	uint64_t taken;
	int good, rc;

	memset(&pl, 0, sizeof(pl));
	pl.count = 50000;
	rc = consume(&pl, UINT64_MAX, &taken, &good);
	is_int(rc, 0, "50000 items: the producer's result");
	is_int((long long)taken, 50000, "50000 items: every one taken");
	ok(good, "50000 items: in order, bytes intact (10 of them larger "
	    "than a batch; those with none given a place all the same)");
	ok(!pl.stopped, "50000 items: the producer never told to stop");

	memset(&pl, 0, sizeof(pl));
	pl.count = 0;
	pl.result = -1;
	rc = consume(&pl, UINT64_MAX, &taken, &good);
	is_int(rc, -1, "no items: the producer's -1 returned");
	is_int((long long)taken, 0, "no items: none taken");

	memset(&pl, 0, sizeof(pl));
	pl.count = 3;
	pl.result = 7;
	rc = consume(&pl, UINT64_MAX, &taken, &good);
	ok(rc == 7 && taken == 3 && good, "3 items, one partial batch: "
	    "taken, result 7");

	/* The consumer stops after 10: the producer, with far more to put,
	 * is told to stop and returns; what it put is bounded by the
	 * batches in flight. */
	memset(&pl, 0, sizeof(pl));
	pl.count = 10000000;
	rc = consume(&pl, 10, &taken, &good);
	ok(taken == 10 && good, "stopped after 10: those 10 in order");
	ok(rc == -1 && pl.stopped, "stopped: the producer was told to and "
	    "returned its -1");
	ok(pl.put <= (uint64_t)(BATCHQ_NBATCH + 1) * BATCHQ_NITEM,
	    "stopped: the producer put no more than the batches hold "
	    "(%llu)", (unsigned long long)pl.put);
	return done_testing();
}
