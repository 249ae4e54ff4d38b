#include <pthread.h>
#include <stdlib.h>

#include "batchq.h"

/* The producer's stack: the parsers' frames are a few kilobytes, PCRE2's
 * JIT takes 32 KiB of it; the default (8 MiB of address space) would count
 * against a ulimit -v for nothing. */
#define STACK	((size_t)1024 * 1024)

struct batch {
	char		*items;		/* BATCHQ_NITEM items of itemsz */
	size_t		 n;		/* items put */
	char		*bytes;		/* their bytes */
	size_t		 used, cap;
};

struct batchq {
	size_t		 itemsz;
	batchq_fn	*fn;
	void		*ctx;
	pthread_t	 th;
	pthread_mutex_t	 mu;		/* guards ready, head, tail, done,
					 * result, stop */
	pthread_cond_t	 full;		/* a batch is ready, or done */
	pthread_cond_t	 space;		/* a batch is free, or stop */
	struct batch	 b[BATCHQ_NBATCH];
	size_t		 ready;		/* batches handed over, not given back */
	size_t		 head;		/* the consumer's batch */
	size_t		 tail;		/* the producer's */
	int		 done, result, stop;
	/* The producer's own. */
	int		 have;		/* b[tail] is being filled */
	int		 nomem;
	/* The consumer's own. */
	int		 holding;	/* b[head] is being read */
	size_t		 at;		/* its next item */
};

static void
freeall(struct batchq *q)
{
	for (size_t i = 0; i < BATCHQ_NBATCH; i++) {
		free(q->b[i].items);
		free(q->b[i].bytes);
	}
	free(q);
}

/* Hand b[tail] over (it holds items). */
static void
publish(struct batchq *q)
{
	pthread_mutex_lock(&q->mu);
	q->ready++;
	q->tail = (q->tail + 1) % BATCHQ_NBATCH;
	pthread_cond_signal(&q->full);
	pthread_mutex_unlock(&q->mu);
	q->have = 0;
}

static void *
producer(void *arg)
{
	struct batchq *q = arg;
	int rc = q->fn(q->ctx, q);

	batchq_flush(q);
	pthread_mutex_lock(&q->mu);
	q->result = rc;
	q->done = 1;
	pthread_cond_signal(&q->full);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct batchq *
batchq_start(size_t itemsz, batchq_fn *fn, void *ctx)
{
	struct batchq *q;
	pthread_attr_t at;
	int rc;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->itemsz = itemsz;
	q->fn = fn;
	q->ctx = ctx;
	for (size_t i = 0; i < BATCHQ_NBATCH; i++) {
		if ((q->b[i].items = malloc(BATCHQ_NITEM * itemsz)) == NULL ||
		    (q->b[i].bytes = malloc(BATCHQ_BYTES)) == NULL) {
			freeall(q);
			return NULL;
		}
		q->b[i].cap = BATCHQ_BYTES;
	}
	if (pthread_mutex_init(&q->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&q->full, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&q->space, NULL) != 0)
		goto fail_full;
	if (pthread_attr_init(&at) != 0)
		goto fail_space;
	rc = pthread_attr_setstacksize(&at, STACK);
	if (rc == 0)
		rc = pthread_create(&q->th, &at, producer, q);
	pthread_attr_destroy(&at);
	if (rc == 0)
		return q;
fail_space:
	pthread_cond_destroy(&q->space);
fail_full:
	pthread_cond_destroy(&q->full);
fail_mu:
	pthread_mutex_destroy(&q->mu);
fail:
	freeall(q);
	return NULL;
}

void *
batchq_put(struct batchq *q, size_t nbytes, char **bytes)
{
	struct batch *b;
	char *p;

	if (q->have) {
		b = &q->b[q->tail];
		/* Full, or without room for the bytes: handed over, and
		 * the item goes into the next (never an empty batch). */
		if (b->n > 0 && (b->n == BATCHQ_NITEM ||
		    b->cap - b->used < nbytes))
			publish(q);
	}
	if (!q->have) {
		/* An item larger than a batch holds waits until every
		 * batch is taken, then goes alone: one batch at a time is
		 * grown, not all of them. */
		size_t busy = nbytes > BATCHQ_BYTES ? 1 : BATCHQ_NBATCH;

		pthread_mutex_lock(&q->mu);
		while (q->ready >= busy && !q->stop)
			pthread_cond_wait(&q->space, &q->mu);
		if (q->stop) {
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		pthread_mutex_unlock(&q->mu);
		/* b[tail] is free: the consumer gave it back. */
		b = &q->b[q->tail];
		b->n = 0;
		b->used = 0;
		q->have = 1;
		/* Grown for such an item before: back to its size.  With
		 * every batch taken (a large item's wait) none is the
		 * consumer's: the others shrink too, so that one at most
		 * stays grown. */
		for (size_t i = 0; i < BATCHQ_NBATCH; i++) {
			struct batch *o = &q->b[i];

			if (o->cap <= BATCHQ_BYTES || (o == b ?
			    nbytes > BATCHQ_BYTES : busy != 1) ||
			    (p = realloc(o->bytes, BATCHQ_BYTES)) == NULL)
				continue;
			o->bytes = p;
			o->cap = BATCHQ_BYTES;
		}
	}
	b = &q->b[q->tail];
	if (b->cap - b->used < nbytes) {
		/* An item alone in its batch, larger than a batch holds. */
		if ((p = realloc(b->bytes, nbytes)) == NULL) {
			q->nomem = 1;
			return NULL;
		}
		b->bytes = p;
		b->cap = nbytes;
	}
	/* Never NULL, even for no bytes: an item's empty string is not an
	 * absent one. */
	*bytes = b->bytes + b->used;
	b->used += nbytes;
	return b->items + b->n++ * q->itemsz;
}

void
batchq_flush(struct batchq *q)
{
	if (q->have && q->b[q->tail].n > 0)
		publish(q);
}

int
batchq_nomem(const struct batchq *q)
{
	return q->nomem;
}

void *
batchq_get(struct batchq *q)
{
	struct batch *b;

	if (q->holding) {
		b = &q->b[q->head];
		if (q->at < b->n)
			return b->items + q->at++ * q->itemsz;
		/* Every item of it taken: give it back. */
		pthread_mutex_lock(&q->mu);
		q->ready--;
		q->head = (q->head + 1) % BATCHQ_NBATCH;
		pthread_cond_signal(&q->space);
		pthread_mutex_unlock(&q->mu);
		q->holding = 0;
	}
	pthread_mutex_lock(&q->mu);
	while (q->ready == 0 && !q->done)
		pthread_cond_wait(&q->full, &q->mu);
	if (q->ready == 0) {
		pthread_mutex_unlock(&q->mu);
		return NULL;
	}
	pthread_mutex_unlock(&q->mu);
	/* A batch handed over holds one item at least. */
	q->holding = 1;
	q->at = 1;
	return q->b[q->head].items;
}

void
batchq_stop(struct batchq *q)
{
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_signal(&q->space);
	pthread_mutex_unlock(&q->mu);
}

int
batchq_finish(struct batchq *q)
{
	int rc;

	batchq_stop(q);
	pthread_join(q->th, NULL);
	rc = q->result;
	pthread_cond_destroy(&q->space);
	pthread_cond_destroy(&q->full);
	pthread_mutex_destroy(&q->mu);
	freeall(q);
	return rc;
}
