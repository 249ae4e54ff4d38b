/*
 * radix: every sort checked against qsort() with the index as the last
 * key (the stable order), on seeded random inputs of many shapes: in order,
 * reversed, nearly in order, few distinct keys, wide and narrow ranges,
 * times spanning more than 2^34 s (the two-key path), negative seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "tap.h"

struct ref {
	struct ts	t;
	uint32_t	i;
};

static int
refcmp(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	int c = ts_cmp(&a->t, &b->t);

	if (c != 0)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

struct u64ref {
	uint64_t	k;
	uint32_t	i;
};

static int
u64cmp(const void *pa, const void *pb)
{
	const struct u64ref *a = pa, *b = pb;

	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int
f64cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

struct f64ref {
	double		v;
	uint32_t	i;
};

static int
f64idxcmp(const void *pa, const void *pb)
{
	const struct f64ref *a = pa, *b = pb;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int
i64cmp(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* The shapes: how the k-th of n times is made. */
enum shape { RANDOM, SORTED, REVERSED, NEARLY, FEW, WIDE, NEGATIVE, NSHAPES };
static const char *shape_name[] = {
	"random", "in order", "reversed", "nearly in order (windows of 8)",
	"few distinct", "wide (> 2^34 s)", "negative seconds"
};

static struct ts
make(enum shape sh, size_t k, size_t n, uint64_t *rs)
{
	struct ts t = { 0, 0, 6, 0 };
	uint64_t r = tap_rnd(rs);

	switch (sh) {
	case RANDOM:
		t.sec = 1698879600 + (int64_t)(r % 100000);
		t.nsec = (int32_t)((r >> 20) % 1000000000);
		break;
	case SORTED:
	case REVERSED:
		t.sec = 1698879600 + (int64_t)((sh == SORTED ? k : n - k) / 7);
		t.nsec = (int32_t)(((sh == SORTED ? k : n - k) % 7) * 1000);
		break;
	case NEARLY:
		t.sec = 1698879600 + (int64_t)(k / 1000);
		t.nsec = (int32_t)(((k % 1000) + (r % 8)) * 500000);
		break;
	case FEW:
		t.sec = 1698879600 + (int64_t)(r % 3);
		t.nsec = (int32_t)((r >> 8) % 2) * 500000000;
		break;
	case WIDE:
		t.sec = (int64_t)(r % (TS_SEC_MAX + 1));
		t.nsec = (int32_t)((r >> 24) % 1000000000);
		if (k % 5 == 0)
			t.sec = 253402300799 - (int64_t)(r % 3);
		break;
	default:
		t.sec = -50 + (int64_t)(r % 100);
		t.nsec = (int32_t)((r >> 30) % 1000000000);
		break;
	}
	return t;
}

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 47, 48, 49, 1000, 70001 };
	uint64_t rs = 0x9e3779b97f4a7c15ULL;

	for (int sh = 0; sh < NSHAPES; sh++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++) {
			size_t n = sizes[z], k;
			struct ts *t = calloc(n + 1, sizeof(*t));
			struct ts *v = calloc(n + 1, sizeof(*v));
			struct ref *r = calloc(n + 1, sizeof(*r));
			uint32_t *perm = calloc(n + 1, sizeof(*perm));
			int same = 1, vsame = 1;

			if (!t || !v || !r || !perm)
				return 2;
			for (k = 0; k < n; k++) {
				t[k] = v[k] = make(sh, k, n, &rs);
				r[k].t = t[k];
				r[k].i = (uint32_t)k;
			}
			qsort(r, n, sizeof(*r), refcmp);
			ok(radix_ts_order(t, 0, n, perm) == 0 &&
			    radix_ts_sort(v, n) == 0, "%s, %zu times: sorted",
			    shape_name[sh], n);
			for (k = 0; k < n; k++) {
				same &= perm[k] == r[k].i;
				vsame &= ts_cmp(&v[k], &r[k].t) == 0 &&
				    v[k].digits == r[k].t.digits;
			}
			ok(same, "%s, %zu times: the order is qsort's with the "
			    "index as the last key", shape_name[sh], n);
			ok(vsame, "%s, %zu times: sorted in place the same",
			    shape_name[sh], n);
			free(t);
			free(v);
			free(r);
			free(perm);
		}
	}

	/* A stride: times inside larger records. */
	{
		struct rec { char pad[5]; struct ts t; int x; } rec[300];
		struct ref r[300];
		uint32_t perm[300];
		int same = 1;

		for (uint32_t k = 0; k < 300; k++) {
			rec[k].t = make(FEW, k, 300, &rs);
			r[k].t = rec[k].t;
			r[k].i = k;
		}
		qsort(r, 300, sizeof(*r), refcmp);
		ok(radix_ts_order(&rec[0].t, sizeof(rec[0]), 300, perm) == 0,
		    "stride: sorted");
		for (size_t k = 0; k < 300; k++)
			same &= perm[k] == r[k].i;
		ok(same, "stride: the order is qsort's");
	}

	/* A subset: perm names items of a larger array, the others (here the
	 * first ones, far earlier or far later) never read. */
	for (int late = 0; late < 2; late++) {
		struct ts t[400];
		struct ref r[200];
		uint32_t perm[200];
		int same = 1;

		for (uint32_t k = 0; k < 400; k++) {
			t[k] = make(RANDOM, k, 400, &rs);
			if (k < 200)	/* the others: after half the subset,
					 * or before all of it */
				t[k].sec = late ? 1698929600 : 1698000000;
		}
		for (uint32_t k = 0; k < 200; k++) {
			perm[k] = 399 - k;
			r[k].t = t[399 - k];
			r[k].i = k;
		}
		qsort(r, 200, sizeof(*r), refcmp);
		ok(radix_ts_refine(t, 0, 200, perm) == 0, "subset %d: sorted",
		    late);
		for (size_t k = 0; k < 200; k++)
			same &= perm[k] == 399 - r[k].i;
		ok(same, "subset of a larger array (the others %s): the "
		    "order is qsort's", late ? "amid it" : "earlier");
	}

	/* Keys of every width, with values, against qsort. */
	for (int bits = 1; bits <= 64; bits += 7) {
		size_t n = 5000;
		uint64_t *key = malloc(n * sizeof(*key));
		uint32_t *val = malloc(n * sizeof(*val));
		struct u64ref *r = malloc(n * sizeof(*r));
		int same = 1;

		if (!key || !val || !r)
			return 2;
		for (size_t k = 0; k < n; k++) {
			key[k] = bits == 64 ? tap_rnd(&rs) :
			    tap_rnd(&rs) & ((UINT64_C(1) << bits) - 1);
			val[k] = (uint32_t)k;
			r[k].k = key[k];
			r[k].i = (uint32_t)k;
		}
		qsort(r, n, sizeof(*r), u64cmp);
		ok(radix_pairs(key, val, n) == 0, "%d-bit keys: sorted", bits);
		for (size_t k = 0; k < n; k++)
			same &= key[k] == r[k].k && val[k] == r[k].i;
		ok(same, "%d-bit keys: keys and values in qsort's stable order",
		    bits);
		free(key);
		free(val);
		free(r);
	}

	/* Signed integers, across zero and at the extremes. */
	{
		size_t n = 3000;
		int64_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
		int same = 1;

		if (!a || !b)
			return 2;
		for (size_t k = 0; k < n; k++)
			a[k] = b[k] = (int64_t)tap_rnd(&rs) >> (k % 60);
		a[0] = b[0] = INT64_MIN;
		a[1] = b[1] = INT64_MAX;
		qsort(b, n, sizeof(*b), i64cmp);
		ok(radix_i64_sort(a, n) == 0, "int64: sorted");
		same = memcmp(a, b, n * sizeof(*a)) == 0;
		ok(same, "int64: the same as qsort, negatives first");
		free(a);
		free(b);
	}

	/* Doubles: of both signs, every magnitude, infinities, many ties; the
	 * same bits as qsort's array (no -0 or NaN, whose places a comparison
	 * leaves open), then -0 before 0. */
	for (int round = 0; round < 4; round++) {
		size_t n = round == 0 ? 40 : 4000;
		double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));

		if (!a || !b)
			return 2;
		for (size_t k = 0; k < n; k++) {
			uint64_t r = tap_rnd(&rs);

			switch (round) {
			case 2:		/* latencies: few distinct */
				a[k] = (double)(r % 7) / 1e3;
				break;
			case 3:		/* in order already */
				a[k] = (double)k / 3;
				break;
			default:
				a[k] = ldexp((double)(r >> 11) / 9007199254740992.0,
				    (int)(r % 200) - 100) * (r & 1 ? -1 : 1);
			}
			b[k] = a[k];
		}
		if (round == 1) {
			a[3] = b[3] = HUGE_VAL;
			a[4] = b[4] = -HUGE_VAL;
			a[5] = b[5] = a[6] = b[6] = 0;
		}
		qsort(b, n, sizeof(*b), f64cmp);
		ok(radix_f64_sort(a, n) == 0, "doubles (%d): sorted", round);
		ok(memcmp(a, b, n * sizeof(*a)) == 0, "doubles (%d): the same "
		    "bits as qsort", round);
		free(a);
		free(b);
	}
	/* The order of doubles, ties in index order, against qsort with the
	 * index as the last key. */
	{
		size_t n = 3000;
		double *v = malloc(n * sizeof(*v));
		uint32_t *perm = malloc(n * sizeof(*perm));
		struct f64ref *r = malloc(n * sizeof(*r));
		int same = 1;

		if (!v || !perm || !r)
			return 2;
		for (size_t k = 0; k < n; k++) {
			uint64_t x = tap_rnd(&rs);

			/* few distinct, both signs (no -0: see radix.h) */
			v[k] = (double)(x % 23 + 1) / 1e3 * (x & 64 ? 1 : -1);
			if (k % 97 == 0)
				v[k] = ldexp((double)(x >> 11), -40);
			r[k].v = v[k];
			r[k].i = (uint32_t)k;
		}
		qsort(r, n, sizeof(*r), f64idxcmp);
		ok(radix_f64_order(v, n, perm) == 0, "doubles' order: sorted");
		for (size_t k = 0; k < n; k++)
			same &= perm[k] == r[k].i;
		ok(same, "doubles' order: qsort's with the index as the last "
		    "key");
		free(v);
		free(perm);
		free(r);
	}
	{
		double z[4] = { 0.0, -0.0, 1.0, -0.0 };

		ok(radix_f64_sort(z, 4) == 0 && signbit(z[0]) && signbit(z[1]) &&
		    !signbit(z[2]) && z[2] == 0 && z[3] == 1, "doubles: -0 "
		    "before 0");
	}
	return done_testing();
}
