#include <string.h>

#include "alignrec.h"
#include "reqw.h"
#include "strtab.h"
#include "ts.h"

#define KEY(w, s)	jw_raw((w), (s), sizeof(s) - 1)

static void
iso(struct jw *w, int has, const struct ts *t)
{
	char buf[TS_ISO_MAX];
	size_t n;

	if (!has) {
		KEY(w, "null");
		return;
	}
	n = ts_iso(t, buf);
	jw_char(w, '"');
	jw_raw(w, buf, n);
	jw_char(w, '"');
}

/* Epoch seconds from the integer parts: never through a double. */
static void
epoch(struct jw *w, int has, const struct ts *t)
{
	char buf[TS_EPOCH_MAX];

	if (!has) {
		KEY(w, "null");
		return;
	}
	jw_raw(w, buf, ts_epoch(t, buf));
}

/* An interned identity, written with its length: it may hold NULs. */
static void
str(struct jw *w, const char *key, size_t keyn, const char *s)
{
	if (s == NULL)
		return;
	jw_raw(w, key, keyn);
	jw_str(w, s, strtab_len(s));
}

void
reqw_req(struct jw *w, const struct req *r)
{
	struct ts lat = { 0, 0, 0, 0 };
	int both = r->has_start && r->has_end;

	KEY(w, "{\"run\":");
	jw_u64(w, r->run);
	KEY(w, ",\"i\":");
	jw_u64(w, r->i);
	KEY(w, ",\"start\":");
	iso(w, r->has_start, &r->start);
	KEY(w, ",\"end\":");
	iso(w, r->has_end, &r->end);
	KEY(w, ",\"t_start\":");
	epoch(w, r->has_start, &r->start);
	KEY(w, ",\"t_end\":");
	epoch(w, r->has_end, &r->end);
	KEY(w, ",\"latency\":");
	if (both)
		ts_sub(&r->end, &r->start, &lat);
	epoch(w, both, &lat);
	str(w, ",\"pid\":", 7, r->pid);
	str(w, ",\"tid\":", 7, r->tid);
	str(w, ",\"id\":", 6, r->id);
	KEY(w, "}\n");
}

void
reqw_input(struct jw *w, const struct rec_input *in)
{
	rec_input_write(w, in);
}

int
reqw_write(const struct reqset *rs, struct jw *w)
{
	for (size_t i = 0; i < rs->nreqs; i++) {
		reqw_req(w, &rs->reqs[i]);
		if (jw_maybe_flush(w) == -1)
			return -1;
	}
	for (size_t i = 0; i < rs->ninputs; i++)
		reqw_input(w, &rs->inputs[i]);
	alignrec_write(w, &rs->info);
	return jw_flush(w);
}
