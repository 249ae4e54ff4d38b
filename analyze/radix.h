/*
 * radix: stable sorts by integer keys, for the analysis's orders (events by
 * time, requests by end, latencies, starts), in time linear in the number
 * of items instead of the n log n comparisons of qsort().
 *
 * Times are exact integers, seconds and nanoseconds: two keys (the seconds
 * as offsets from the least of them, then the nanoseconds) or, when the
 * times span less than 2^34 s (544 years, every real log), one 64-bit key
 * (seconds << 30 | nanoseconds), which orders as ts_cmp() does.  Equal keys
 * keep the order they came in (the sorts are stable), so a tie-break that is
 * the items' present order costs nothing: see eventstore_sort().
 *
 * Items are numbered with uint32_t: the functions refuse more than
 * UINT32_MAX items (-1, as when out of memory).  An input already in order
 * is found so in one pass and left as it is.
 */
#ifndef SKEW_RADIX_H
#define SKEW_RADIX_H

#include <stddef.h>
#include <stdint.h>

#include "base/ts.h"

/*
 * Sort key[0..n) ascending, stably, moving val[] (NULL: none) with its
 * key.  Returns 0, or -1 when out of memory or n > UINT32_MAX (nothing
 * moved then).
 */
int	radix_pairs(uint64_t *key, uint32_t *val, size_t n);

/*
 * perm[0..n): the indexes of n times in time order, ties in index order.
 * The k-th time is at (const char *)first + k * stride (stride 0: packed
 * struct ts).  Returns 0, or -1 as radix_pairs().
 */
int	radix_ts_order(const struct ts *first, size_t stride, size_t n,
	    uint32_t *perm);

/* The same, perm[0..n) given: stably reordered by the time of the item
 * each names, so equal times keep the order perm had.  perm may name any
 * n items, not only 0 .. n-1 (a subset of a larger array). */
int	radix_ts_refine(const struct ts *first, size_t stride, size_t n,
	    uint32_t *perm);

/*
 * Put base[0..n) (items of size bytes, at most RADIX_ITEM_MAX) in the order
 * perm gives, in place: the k-th item becomes the one perm[k] named.  perm
 * is left as 0, 1, ..., n-1.  Returns 0, or -1 when size is too large.
 */
#define RADIX_ITEM_MAX	256
int	radix_apply(void *base, size_t size, uint32_t *perm, size_t n);

/* Sort n times in place (ts_cmp's order; equal times keep their order). */
int	radix_ts_sort(struct ts *t, size_t n);

/* Sort n signed integers in place, ascending. */
int	radix_i64_sort(int64_t *v, size_t n);

/*
 * Sort n doubles in place, ascending: the same array as any comparison
 * sort (gsl_sort(), qsort() with < and >) makes of numbers, since equal
 * numbers are the same bits, except that -0 goes before 0 (a comparison
 * leaves the two in either order) and NaNs go to the ends (negative ones
 * first), where a comparison sort's order is undefined.
 */
int	radix_f64_sort(double *v, size_t n);

/* perm[0..n): the indexes of n doubles in radix_f64_sort()'s order, ties
 * in index order.  Returns 0, or -1 as radix_pairs(). */
int	radix_f64_order(const double *v, size_t n, uint32_t *perm);

#endif
