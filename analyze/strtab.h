/*
 * strtab: interned strings (pid, tid, id values), so that an event or a
 * request holds a pointer or a number, not a copy: memory is a small constant per event
 * however long the identities are, and equal identities compare by pointer.
 *
 * Identities are byte strings with a length: a NUL inside one is a byte
 * like any other ("a\0b" and "a\0c" are two strings), so whoever writes an
 * interned string out takes its length from strtab_len(), never strlen().
 *
 * The table owns every string it returns; they stay valid until
 * strtab_free().  strtab_free(NULL) does nothing.
 */
#ifndef SKEW_STRTAB_H
#define SKEW_STRTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/bytes.h"

struct strtab;

/* A string is stored as its number and its length, then its bytes and a
 * NUL: the length, not the NUL, says where it ends, since identities may
 * hold NUL bytes.  Read here, inline: every record reads them. */
#define STRTAB_LEN	sizeof(size_t)
#define STRTAB_ID	sizeof(uint32_t)

struct strtab	*strtab_new(void);
void		 strtab_free(struct strtab *t);

/* The interned copy of s[0..n) (NUL-terminated), or NULL when out of
 * memory.  The same bytes always give the same pointer. */
const char	*strtab_intern(struct strtab *t, const char *s, size_t n);

/* The length of a string strtab_intern() returned (its bytes up to the
 * NUL the table added, NULs inside included). */
static inline size_t
strtab_len(const char *s)
{
	size_t n;

	memcpy(&n, s - STRTAB_LEN, STRTAB_LEN);
	return n;
}

/* How many distinct strings the table holds. */
size_t		 strtab_count(const struct strtab *t);

/*
 * Each string also has a number, 1, 2, ... in the order first interned,
 * so that a record may hold 4 bytes instead of a pointer: strtab_id() is
 * that of a string strtab_intern() returned (read beside its bytes: no
 * lookup), strtab_str() the string of a number from its table (0: NULL).
 * A table holds fewer than UINT32_MAX strings (strtab_intern() returns
 * NULL past that, as when out of memory).
 */
static inline uint32_t
strtab_id(const char *s)
{
	uint32_t id;

	memcpy(&id, s - STRTAB_LEN - STRTAB_ID, STRTAB_ID);
	return id;
}

const char	*strtab_str(const struct strtab *t, uint32_t id);

/*
 * strtab_intern() for a caller that interns one field of record after
 * record (a pid, a src): *last is the string it got the time before (NULL
 * at first), compared first, so a field that repeats is not looked up.
 * *last is updated; NULL when out of memory.
 */
static inline __attribute__((always_inline)) const char *
strtab_intern_last(struct strtab *t, const char *s, size_t n,
    const char **last)
{
	const char *q = *last;

	if (q != NULL && strtab_len(q) == n && bytes_same(q, s, n))
		return q;
	if ((q = strtab_intern(t, s, n)) != NULL)
		*last = q;
	return q;
}

#endif
