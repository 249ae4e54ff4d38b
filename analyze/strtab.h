/*
 * strtab: interned strings (pid, tid, id values), so that an event or a
 * request holds a pointer, not a copy: memory is a small constant per event
 * however long the identities are, and equal identities compare by pointer.
 *
 * The table owns every string it returns; they stay valid until
 * strtab_free().  strtab_free(NULL) does nothing.
 */
#ifndef SKEW_STRTAB_H
#define SKEW_STRTAB_H

#include <stddef.h>

struct strtab;

struct strtab	*strtab_new(void);
void		 strtab_free(struct strtab *t);

/* The interned copy of s[0..n) (NUL-terminated), or NULL when out of
 * memory.  The same bytes always give the same pointer. */
const char	*strtab_intern(struct strtab *t, const char *s, size_t n);

/* How many distinct strings the table holds. */
size_t		 strtab_count(const struct strtab *t);

#endif
