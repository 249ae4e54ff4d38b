#include <string.h>

#include "record.h"

/* The strings a record hands over, in their order (src last: NULL there
 * when it is not handed). */
static void
strs(const struct record *r, const struct record_str *v[4])
{
	v[0] = &r->pid;
	v[1] = &r->tid;
	v[2] = &r->id;
	v[3] = &r->route;
}

size_t
record_hand_size(const struct record *r, const char *src, size_t srcn)
{
	const struct record_str *v[4];
	size_t n = (r->has_dur ? sizeof(r->dur) : 0) + (src != NULL ? srcn : 0);

	strs(r, v);
	for (int k = 0; k < 4; k++)
		n += v[k]->s != NULL ? v[k]->n : 0;
	return n;
}

void
record_hand(const struct record *r, const char *src, size_t srcn, char *bytes,
    struct record_hand *x)
{
	const struct record_str *v[4];
	char *b = bytes;

	strs(r, v);
	x->sec = r->t.sec;
	x->nsec = r->t.nsec;
	x->digits = r->t.digits;
	x->flags = r->t.flags;
	x->line = r->line;
	x->status = (uint16_t)r->status;
	x->kind = (uint8_t)r->kind;
	x->plain = (uint8_t)r->plain;
	x->has_dur = (uint8_t)r->has_dur;
	x->bytes = bytes;
	if (r->has_dur) {
		memcpy(b, &r->dur, sizeof(r->dur));
		b += sizeof(r->dur);
	}
	x->have = 0;
	for (int k = 0; k < 5; k++) {
		const char *s = k < 4 ? v[k]->s : src;
		size_t n = k < 4 ? v[k]->n : srcn;

		x->n[k] = 0;
		if (s == NULL)
			continue;
		x->have |= (uint8_t)(1u << k);
		x->n[k] = (uint32_t)n;
		memcpy(b, s, n);
		b += n;
	}
}

void
record_take(const struct record_hand *x, const char *src, struct record *r)
{
	struct record_str *v[4] = { &r->pid, &r->tid, &r->id, &r->route };
	const char *b = x->bytes;

	r->line = x->line;
	r->t.sec = x->sec;
	r->t.nsec = x->nsec;
	r->t.digits = x->digits;
	r->t.flags = x->flags;
	r->kind = (enum record_kind)x->kind;
	r->plain = x->plain;
	r->has_dur = x->has_dur;
	r->status = x->status;
	if (x->has_dur) {
		memcpy(&r->dur, b, sizeof(r->dur));
		b += sizeof(r->dur);
	} else
		memset(&r->dur, 0, sizeof(r->dur));
	for (int k = 0; k < 4; k++) {
		v[k]->s = NULL;
		v[k]->n = 0;
		if (!(x->have & (1u << k)))
			continue;
		v[k]->s = b;
		v[k]->n = x->n[k];
		b += x->n[k];
	}
	r->src = src;
}

const char *
record_hand_src(const struct record_hand *x, size_t *n)
{
	size_t off = x->has_dur ? sizeof(struct ts) : 0;

	if (!(x->have & 0x10))
		return NULL;
	for (int k = 0; k < 4; k++)
		off += x->n[k];
	*n = x->n[4];
	return x->bytes + off;
}
