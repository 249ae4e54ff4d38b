#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

/* Strings live in chunks that never move, so returned pointers stay valid
 * while the hash index grows. */
#define CHUNK	(64 * 1024)

struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	char		 data[];
};

/* The index: a string's number (0: an empty slot) and its hash, 8 bytes;
 * the string itself is byid[id - 1]. */
struct slot {
	uint32_t	 id;
	uint32_t	 h;
};

/* The strings found or added lately, one a slot by their last bytes
 * (recent()): a thread's id seen again is found without the hash.  4096
 * slots (32 KiB a table): in 256, a log's 201 threads missed half the
 * time, in 1024 one time in five (the slots are shared with the pids and
 * srcs, and skew-align's events intern through here too). */
#define RECENT_BITS	12

struct strtab {
	const char	*recent[1 << RECENT_BITS];
	struct slot	*slots;
	size_t		 cap;	/* a power of two */
	size_t		 count;
	struct chunk	*chunks;
	const char	**byid;	/* byid[k - 1]: the string numbered k */
	size_t		 capid;
};

/*
 * Eight bytes at a time, each word mixed in with a multiply and a shift (as
 * in MurmurHash's finaliser): identity strings are short, and there is no
 * adversary worth a keyed hash.  Only the table's probes depend on it.
 */
static uint32_t
hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n, w = 0;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (i < n) {
		/* The last 8 bytes again when there are 8 (overlapping the
		 * word before), else the few there are. */
		if (n >= 8)
			memcpy(&w, s + n - 8, 8);
		else
			for (w = 0; i < n; i++)
				w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 32;
	}
	h *= 0xff51afd7ed558ccdULL;
	return (uint32_t)(h ^ h >> 33);
}

struct strtab *
strtab_new(void)
{
	struct strtab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->cap = 64;
	if ((t->slots = calloc(t->cap, sizeof(*t->slots))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
strtab_free(struct strtab *t)
{
	struct chunk *c, *next;

	if (t == NULL)
		return;
	for (c = t->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(t->slots);
	free(t->byid);
	free(t);
}

size_t
strtab_count(const struct strtab *t)
{
	return t->count;
}

static int
grow(struct strtab *t)
{
	size_t cap = t->cap * 2;
	struct slot *s;

	if ((s = calloc(cap, sizeof(*s))) == NULL)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (t->slots[i].id == 0)
			continue;
		for (j = t->slots[i].h & (cap - 1); s[j].id != 0;
		    j = (j + 1) & (cap - 1))
			;
		s[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

/* The layout strtab.h reads. */
#define LEN	STRTAB_LEN
#define ID	STRTAB_ID

static char *
store(struct strtab *t, const char *s, size_t n)
{
	struct chunk *c = t->chunks;
	char *p;

	uint32_t id = (uint32_t)t->count + 1;

	if (n > SIZE_MAX - ID - LEN - 1)
		return NULL;
	if (c == NULL || c->cap - c->used < ID + LEN + n + 1) {
		size_t cap = ID + LEN + n + 1 > CHUNK ? ID + LEN + n + 1 : CHUNK;

		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = t->chunks;
		t->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, &id, ID);
	p += ID;
	memcpy(p, &n, LEN);
	p += LEN;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += ID + LEN + n + 1;
	return p;
}

const char *
strtab_str(const struct strtab *t, uint32_t id)
{
	return id == 0 || id > t->count ? NULL : t->byid[id - 1];
}

/* The recent[] slot of s[0..n): its last eight bytes (or the four and
 * four, or the few there are) and its length, multiplied. */
static size_t
recent(const char *s, size_t n)
{
	uint64_t w = 0;
	uint32_t a, b;

	if (n >= 8)
		memcpy(&w, s + n - 8, 8);
	else if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else
		for (size_t i = 0; i < n; i++)
			w = w << 8 | (unsigned char)s[i];
	return (size_t)(((w ^ n) * 0x9e3779b97f4a7c15ULL) >>
	    (64 - RECENT_BITS));
}

/* strtab_intern() past recent[]: out of line, so that the common case
 * saves no registers. */
static const char	*lookup(struct strtab *, const char *, size_t, size_t)
			    __attribute__((noinline));

const char *
strtab_intern(struct strtab *t, const char *s, size_t n)
{
	size_t r = recent(s, n);
	const char *q = t->recent[r];

	if (q != NULL && strtab_len(q) == n && bytes_same(q, s, n))
		return q;
	return lookup(t, s, n, r);
}

static const char *
lookup(struct strtab *t, const char *s, size_t n, size_t r)
{
	uint32_t h = hash(s, n);
	const char *q;
	size_t j;
	char *p;

	/* Keep the load under one half: probes stay short. */
	if (2 * (t->count + 1) > t->cap && grow(t) == -1)
		return NULL;
	for (j = h & (t->cap - 1); t->slots[j].id != 0;
	    j = (j + 1) & (t->cap - 1)) {
		if (t->slots[j].h != h)
			continue;
		q = t->byid[t->slots[j].id - 1];
		if (strtab_len(q) == n && bytes_same(q, s, n))
			return t->recent[r] = q;
	}
	/* Numbers are 32 bits and 0 is none: the table is full. */
	if (t->count >= UINT32_MAX - 1)
		return NULL;
	if (t->count == t->capid) {
		size_t cap = t->capid ? 2 * t->capid : 64;
		const char **v;

		if ((v = realloc(t->byid, cap * sizeof(*v))) == NULL)
			return NULL;
		t->byid = v;
		t->capid = cap;
	}
	if ((p = store(t, s, n)) == NULL)
		return NULL;
	t->byid[t->count++] = p;
	t->slots[j].id = (uint32_t)t->count;
	t->slots[j].h = h;
	return t->recent[r] = p;
}
