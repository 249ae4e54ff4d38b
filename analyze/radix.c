#include <stdlib.h>
#include <string.h>

#include "radix.h"

/* 11-bit digits: 2048 counters a digit, six digits for 64 bits. */
#define DIGIT_BITS	11
#define DIGITS		6
#define BUCKETS		(1u << DIGIT_BITS)

/* Below this many items, insertion sort beats the counting passes. */
#define SMALL		48

static void
insertion(uint64_t *key, uint32_t *val, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t k = key[i];
		uint32_t v = val != NULL ? val[i] : 0;
		size_t j = i;

		for (; j > 0 && key[j - 1] > k; j--) {
			key[j] = key[j - 1];
			if (val != NULL)
				val[j] = val[j - 1];
		}
		key[j] = k;
		if (val != NULL)
			val[j] = v;
	}
}

int
radix_pairs(uint64_t *key, uint32_t *val, size_t n)
{
	uint32_t (*count)[BUCKETS];
	uint64_t *k2, *ks = key, *kd, diff = 0;
	uint32_t *v2 = NULL, *vs = val, *vd;
	size_t i;
	int bits, d, npass;

	if (n > UINT32_MAX)
		return -1;
	for (i = 1; i < n && key[i - 1] <= key[i]; i++)
		;
	if (i >= n)
		return 0;		/* in order already */
	if (n <= SMALL) {
		insertion(key, val, n);
		return 0;
	}
	for (i = 1; i < n; i++)
		diff |= key[i] ^ key[0];
	bits = 64 - __builtin_clzll(diff);	/* diff != 0: not in order */
	npass = (bits + DIGIT_BITS - 1) / DIGIT_BITS;
	count = calloc((size_t)npass, sizeof(*count));
	k2 = malloc(n * sizeof(*k2));
	if (val != NULL)
		v2 = malloc(n * sizeof(*v2));
	if (count == NULL || k2 == NULL || (val != NULL && v2 == NULL)) {
		free(count);
		free(k2);
		free(v2);
		return -1;
	}
	for (i = 0; i < n; i++)
		for (d = 0; d < npass; d++)
			count[d][(key[i] >> (d * DIGIT_BITS)) & (BUCKETS - 1)]++;
	kd = k2;
	vd = v2;
	for (d = 0; d < npass; d++) {
		uint32_t *c = count[d], sum = 0, t;
		int sh = d * DIGIT_BITS;

		/* A digit every key shares moves nothing. */
		if (c[(ks[0] >> sh) & (BUCKETS - 1)] == n)
			continue;
		for (unsigned b = 0; b < BUCKETS; b++) {
			t = c[b];
			c[b] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++) {
			uint32_t at = c[(ks[i] >> sh) & (BUCKETS - 1)]++;

			kd[at] = ks[i];
			if (vs != NULL)
				vd[at] = vs[i];
		}
		/* The sorted copy is the source of the next pass. */
		uint64_t *kt = ks;
		uint32_t *vt = vs;

		ks = kd;
		kd = kt;
		vs = vd;
		vd = vt;
	}
	if (ks != key) {
		memcpy(key, ks, n * sizeof(*key));
		if (val != NULL)
			memcpy(val, vs, n * sizeof(*val));
	}
	free(count);
	free(k2);
	free(v2);
	return 0;
}

static const struct ts *
nth(const struct ts *first, size_t stride, size_t k)
{
	return (const struct ts *)(const void *)((const char *)first +
	    k * stride);
}

int
radix_ts_order(const struct ts *first, size_t stride, size_t n,
    uint32_t *perm)
{
	if (n > UINT32_MAX)
		return -1;
	for (size_t k = 0; k < n; k++)
		perm[k] = (uint32_t)k;
	return radix_ts_refine(first, stride, n, perm);
}

int
radix_ts_refine(const struct ts *first, size_t stride, size_t n,
    uint32_t *perm)
{
	uint64_t *key, lo;
	int64_t min, max;
	size_t k;
	int rc;

	if (n > UINT32_MAX)
		return -1;
	if (stride == 0)
		stride = sizeof(*first);
	if (n < 2)
		return 0;
	if ((key = malloc(n * sizeof(*key))) == NULL)
		return -1;
	/* The items perm names, which need not be 0 .. n-1 (a subset). */
	min = max = nth(first, stride, perm[0])->sec;
	for (k = 1; k < n; k++) {
		int64_t s = nth(first, stride, perm[k])->sec;

		min = s < min ? s : min;
		max = s > max ? s : max;
	}
	lo = (uint64_t)min;
	if ((uint64_t)max - lo < (UINT64_C(1) << 34)) {
		/* One key: the seconds above 30 bits of nanoseconds. */
		for (k = 0; k < n; k++) {
			const struct ts *t = nth(first, stride, perm[k]);

			key[k] = ((uint64_t)t->sec - lo) << 30 |
			    (uint64_t)t->nsec;
		}
		rc = radix_pairs(key, perm, n);
	} else {
		/* Two: the nanoseconds first, then the seconds, stably. */
		for (k = 0; k < n; k++)
			key[k] = (uint64_t)nth(first, stride, perm[k])->nsec;
		rc = radix_pairs(key, perm, n);
		for (k = 0; rc == 0 && k < n; k++)
			key[k] = (uint64_t)nth(first, stride, perm[k])->sec - lo;
		if (rc == 0)
			rc = radix_pairs(key, perm, n);
	}
	free(key);
	return rc;
}

int
radix_apply(void *base, size_t size, uint32_t *perm, size_t n)
{
	unsigned char tmp[RADIX_ITEM_MAX], *a = base;

	if (size > sizeof(tmp))
		return -1;
	/* Each cycle of the permutation: the first item set aside, the
	 * others moved one step along it, the first put in the last hole. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i, k;

		if (perm[i] == i)
			continue;
		memcpy(tmp, a + i * size, size);
		for (;;) {
			k = perm[j];
			perm[j] = (uint32_t)j;
			if (k == i) {
				memcpy(a + j * size, tmp, size);
				break;
			}
			memcpy(a + j * size, a + k * size, size);
			j = k;
		}
	}
	return 0;
}

int
radix_ts_sort(struct ts *t, size_t n)
{
	uint32_t *perm;
	int rc;

	if (n < 2)
		return 0;
	if ((perm = malloc(n * sizeof(*perm))) == NULL)
		return -1;
	rc = radix_ts_order(t, 0, n, perm);
	if (rc == 0)
		rc = radix_apply(t, sizeof(*t), perm, n);
	free(perm);
	return rc;
}

int
radix_i64_sort(int64_t *v, size_t n)
{
	uint64_t *key = (uint64_t *)(void *)v;
	size_t k;
	int rc;

	/* Flipping the sign bit orders two's complement as unsigned. */
	for (k = 0; k < n; k++)
		key[k] ^= UINT64_C(1) << 63;
	rc = radix_pairs(key, NULL, n);
	for (k = 0; k < n; k++)
		key[k] ^= UINT64_C(1) << 63;
	return rc;
}

/* IEEE doubles order as unsigned integers once the negatives have every
 * bit flipped and the others their sign bit set. */
#define F64_SIGN	(UINT64_C(1) << 63)

static uint64_t
f64_key(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u & F64_SIGN ? ~u : u | F64_SIGN;
}

int
radix_f64_sort(double *v, size_t n)
{
	uint64_t *key;
	size_t k;
	int rc;

	if (n < 2)
		return 0;
	if ((key = malloc(n * sizeof(*key))) == NULL)
		return -1;
	for (k = 0; k < n; k++)
		key[k] = f64_key(v[k]);
	rc = radix_pairs(key, NULL, n);
	for (k = 0; rc == 0 && k < n; k++) {
		key[k] = key[k] & F64_SIGN ? key[k] & ~F64_SIGN : ~key[k];
		memcpy(&v[k], &key[k], sizeof(v[k]));
	}
	free(key);
	return rc;
}

int
radix_f64_order(const double *v, size_t n, uint32_t *perm)
{
	uint64_t *key;
	int rc;

	if (n > UINT32_MAX)
		return -1;
	for (size_t k = 0; k < n; k++)
		perm[k] = (uint32_t)k;
	if (n < 2)
		return 0;
	if ((key = malloc(n * sizeof(*key))) == NULL)
		return -1;
	for (size_t k = 0; k < n; k++)
		key[k] = f64_key(v[k]);
	rc = radix_pairs(key, perm, n);
	free(key);
	return rc;
}
