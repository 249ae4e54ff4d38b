/*
 * batchq: items made by a thread of their own (the producer), taken in the
 * order they were made by the thread that started it (the consumer), a
 * batch at a time: a reader that parses lines in one thread while the
 * caller keeps what they hold in its own, so that on two cores the two
 * halves of the work overlap.
 *
 * An item is a fixed-size struct the caller defines (itemsz bytes) plus any
 * bytes it points to (its strings), put beside it in its batch; both stay
 * where they are until the consumer has gone past the item, so the item's
 * pointers into its bytes stay good while the consumer reads it.  Memory is
 * bounded: BATCHQ_NBATCH batches of BATCHQ_NITEM items and BATCHQ_BYTES of
 * their bytes, whatever the input, the producer waiting while all of them
 * are full; an item with more bytes waits until every batch is taken and
 * goes alone in one grown for it (the next to reuse it shrinks it back).
 *
 *	q = batchq_start(sizeof(struct item), produce, ctx);
 *	if (q == NULL) ... no thread: do the work in this one
 *	while ((it = batchq_get(q)) != NULL)
 *		if (keep(it) == -1)
 *			break;
 *	rc = batchq_finish(q);		// produce()'s result
 *
 * and in produce(ctx, q), for each item made:
 *
 *	if ((it = batchq_put(q, nbytes, &bytes)) == NULL)
 *		return -1;	// the consumer stopped, or no memory
 *	... fill *it, copy its strings into bytes[0..nbytes) ...
 */
#ifndef SKEW_BATCHQ_H
#define SKEW_BATCHQ_H

#include <stddef.h>

#define BATCHQ_NBATCH	4
#define BATCHQ_NITEM	4096
/* Room for the items' bytes in a batch; an item needing more than one
 * batch holds gets a batch grown for it alone. */
#define BATCHQ_BYTES	((size_t)256 * 1024)

struct batchq;

/* The producer: makes the items with batchq_put() and returns its result
 * (0, or -1 having said why in its own context). */
typedef int	batchq_fn(void *ctx, struct batchq *q);

/*
 * Start fn(ctx, q) in a thread of its own.  NULL when there is no memory
 * or no thread to be had: the caller then does the work itself.
 */
struct batchq	*batchq_start(size_t itemsz, batchq_fn *fn, void *ctx);

/*
 * Producer: room for one more item and nbytes bytes beside it (at *bytes,
 * never NULL, even when nbytes is 0), in the item's order.  NULL when the consumer
 * has stopped (batchq_finish() before the end) or there was no memory for
 * nbytes (batchq_nomem() then says so): produce() should return.
 */
void	*batchq_put(struct batchq *q, size_t nbytes, char **bytes);

/* Producer: hand over the items put so far now, not when their batch is
 * full (before waiting for more input that may be long in coming). */
void	 batchq_flush(struct batchq *q);

/* Whether batchq_put() returned NULL for want of memory. */
int	 batchq_nomem(const struct batchq *q);

/*
 * Consumer: the next item, in the order they were put; NULL when the
 * producer has returned and every item has been taken.  The item and its
 * bytes stay valid until the next call.
 */
void	*batchq_get(struct batchq *q);

/* Consumer: tell the producer to stop at its next batchq_put(), and go on
 * taking what it put before (batchq_get() returns NULL once it has
 * returned): for items that own memory, to free them. */
void	 batchq_stop(struct batchq *q);

/*
 * Consumer: tell the producer to stop, if it has not returned yet (at its
 * next batchq_put(): the items not taken are dropped), wait for it to
 * return, and free q.  Returns the producer's result.
 */
int	 batchq_finish(struct batchq *q);

#endif
