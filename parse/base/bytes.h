/*
 * bytes: whether two byte strings of the same length are equal, memcmp()
 * without its call for the short strings the readers compare on every
 * line (a JSON key, an identity, a file name): the one compare that
 * jsonin.h's literals and strtab's interned strings both use.
 */
#ifndef SKEW_BYTES_H
#define SKEW_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Whether a[0..n) and b[0..n) are the same bytes, never reading past
 * either's n: two loads from each that may overlap (2, 4, 8 bytes; 16
 * from 17 to 32 with SSE2, else four of 8), 16 bytes a step from 33 to 64
 * (with SSE2, else 8), memcmp() past that.  Always inline: with n a constant (a literal) the
 * tests fold away and the literal's loads become constants.
 */
static inline __attribute__((always_inline)) int
bytes_same(const char *a, const char *b, size_t n)
{
	uint64_t a0, b0, a1, b1;
	uint32_t c0, d0, c1, d1;
	uint16_t e0, f0, e1, f1;

	if (n > 32) {
		if (n > 64)
			return memcmp(a, b, n) == 0;
#if defined(__SSE2__)
		/* 16 bytes a step, the last overlapping the one before. */
		for (size_t i = 0;; i += 16) {
			if (i + 16 > n)
				i = n - 16;
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(const void *)
			    (a + i)), _mm_loadu_si128((const __m128i *)
			    (const void *)(b + i)))) != 0xffff)
				return 0;
			if (i + 16 == n)
				return 1;
		}
#else
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&a0, a + i, 8);
			memcpy(&b0, b + i, 8);
			if (a0 != b0)
				return 0;
		}
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b1, b + n - 8, 8);
		return a1 == b1;
#endif
	}
	if (n > 16) {
#if defined(__SSE2__)
		__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)a),
		    y0 = _mm_loadu_si128((const __m128i *)(const void *)b),
		    x1 = _mm_loadu_si128((const __m128i *)(const void *)
		    (a + n - 16)),
		    y1 = _mm_loadu_si128((const __m128i *)(const void *)
		    (b + n - 16));

		return _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x0, y0),
		    _mm_cmpeq_epi8(x1, y1))) == 0xffff;
#else
		uint64_t a2, b2, a3, b3;

		memcpy(&a0, a, 8);
		memcpy(&b0, b, 8);
		memcpy(&a1, a + 8, 8);
		memcpy(&b1, b + 8, 8);
		memcpy(&a2, a + n - 16, 8);
		memcpy(&b2, b + n - 16, 8);
		memcpy(&a3, a + n - 8, 8);
		memcpy(&b3, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0;
#endif
	}
	if (n >= 8) {
		memcpy(&a0, a, 8);
		memcpy(&b0, b, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b1, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n >= 4) {
		memcpy(&c0, a, 4);
		memcpy(&d0, b, 4);
		memcpy(&c1, a + n - 4, 4);
		memcpy(&d1, b + n - 4, 4);
		return ((c0 ^ d0) | (c1 ^ d1)) == 0;
	}
	if (n >= 2) {
		memcpy(&e0, a, 2);
		memcpy(&f0, b, 2);
		memcpy(&e1, a + n - 2, 2);
		memcpy(&f1, b + n - 2, 2);
		return ((e0 ^ f0) | (e1 ^ f1)) == 0;
	}
	return n == 0 || *a == *b;
}

#endif
