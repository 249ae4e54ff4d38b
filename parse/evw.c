#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evw.h"
#include "ts.h"

/* A src prefix this long or shorter is copied at this fixed width. */
#define PRE_PAD		64

void
evw_init(struct evw *e, FILE *fp, int tsv)
{
	memset(e, 0, sizeof(*e));
	jw_init(&e->w, fp);
	e->tsv = tsv;
}

int
evw_async(struct evw *e)
{
	return jw_async(&e->w);
}

void
evw_free(struct evw *e)
{
	if (e == NULL)
		return;
	jw_free(&e->w);
	free(e->pre);
	e->pre = NULL;
}


/*
 * The record's start, which only changes with the input: `{"src":"NAME"`,
 * or `NAME\t` in TSV, escaped once per input rather than once per event.
 * A name that is not UTF-8 is not counted in bad_utf8: that counts the
 * log's bytes, not its name's.
 */
static int
render(struct evw *e, const char *src)
{
	struct jw t;
	char *pad;

	jw_init(&t, NULL);
	if (e->tsv) {
		jw_tsv(&t, src, strlen(src));
		jw_char(&t, '\t');
	} else {
		jw_raw(&t, "{\"src\":", 7);
		jw_str(&t, src, strlen(src));
	}
	/* Zeros past the end, so that head() may copy PRE_PAD bytes. */
	if ((pad = jw_reserve(&t, PRE_PAD)) != NULL)
		memset(pad, 0, PRE_PAD);
	if (t.err) {
		jw_free(&t);
		e->w.err = ENOMEM;
		return -1;
	}
	free(e->pre);
	e->pre = t.buf;
	e->pren = t.len;
	e->src = src;
	return 0;
}

/* Within an input the name's pointer is stable; evw_begin() renders it
 * afresh for each input, so a freed name's address reused is harmless. */
static int
prefix(struct evw *e, const char *src)
{
	if (e->pre != NULL && e->src == src)
		return 0;
	return render(e, src);
}

int
evw_begin(struct evw *e, const char *src)
{
	e->bad_mark = e->w.bad;
	return render(e, src);
}

static void
ts_epoch_w(struct jw *w, const struct ts *t)
{
	char *p;

	if ((p = jw_reserve(w, TS_EPOCH_MAX)) != NULL)
		w->len += ts_epoch(t, p);
}

/* The seconds' text of t, from the cache when t is in the last second. */
static void
whole(struct evw *e, const struct ts *t)
{
	struct ts s;

	if (e->have_sec && e->sec == t->sec)
		return;
	s = *t;
	s.nsec = 0;
	s.digits = 0;
	/* Without a fraction ts_iso ends in "Z": keep what comes before. */
	e->ison = ts_iso(&s, e->iso) - 1;
	e->epochn = ts_epoch(&s, e->epoch);
	e->sec = t->sec;
	e->have_sec = 1;
}

/* "00" to "99": two digits per step. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* "." and the first t->digits of the nanoseconds, as ts_iso writes them,
 * in buf[0..10): all nine digits by divisions by constants, two a step;
 * the length says how many count (0 when the log had no fraction). */
static size_t
frac(const struct ts *t, char buf[10])
{
	uint32_t v = (uint32_t)t->nsec % 1000000000, r;

	buf[0] = '.';
	buf[1] = (char)('0' + v / 100000000);
	r = v % 100000000;
	memcpy(buf + 2, pairs + 2 * (r / 1000000), 2);
	memcpy(buf + 4, pairs + 2 * (r / 10000 % 100), 2);
	memcpy(buf + 6, pairs + 2 * (r / 100 % 100), 2);
	memcpy(buf + 8, pairs + 2 * (r % 100), 2);
	return t->digits == 0 ? 0 : (size_t)(t->digits > 9 ? 9 : t->digits) + 1;
}

/* The decimal digits of v at p; returns how many. */
static size_t
u64(char *p, uint64_t v)
{
	char t[20];
	size_t n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

/* The line number's digits at p, from the last one's when it is one
 * less (lines come in order); returns how many. */
static size_t
line_no(struct evw *e, char *p, uint64_t v)
{
	size_t i;

	if (e->lnumn > 0 && v == e->lval + 1) {
		for (i = e->lnumn; i > 0 && e->lnum[i - 1] == '9'; i--)
			e->lnum[i - 1] = '0';
		if (i > 0)
			e->lnum[i - 1]++;
		else {
			/* 99..9 + 1: a new leading 1, the rest zeros. */
			memmove(e->lnum + 1, e->lnum, e->lnumn);
			e->lnum[0] = '1';
			e->lnumn++;
		}
	} else
		e->lnumn = u64(e->lnum, v);
	e->lval = v;
	memcpy(p, e->lnum, sizeof(e->lnum));	/* see head() */
	return e->lnumn;
}

/* Bytes that neither JSON nor TSV escapes: printable ASCII but '"' and
 * '\\'.  Identities are mostly digits, so they are copied as they are. */
static int
plain(const char *s, size_t n)
{
	size_t i = 0;

	/* Digits first, one comparison a byte: most identities are. */
	while (i < n && (unsigned char)(s[i] - '0') < 10)
		i++;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

/*
 * What every event has, up to and including its kind, in one reservation:
 * `{"src":...,"line":N,"ts":"...","t":...,"kind":"..."`, or the TSV fields
 * src to kind with their tabs.
 *
 * The parts whose length varies are copied at their buffer's whole width
 * (a fixed size, a few moves, where a copy of the exact length is a call)
 * and the cursor moves on by their length: the reservation has room for
 * the widest, and what lies past the cursor is written over or never
 * counted.
 */
static void
head(struct evw *e, const struct rec *r)
{
	struct jw *w = &e->w;
	int start = r->kind == REC_START;
	char f[16] = { 0 }, *p, *p0;
	size_t fn;

	whole(e, &r->t);
	fn = frac(&r->t, f);
	if ((p0 = p = jw_reserve(w, e->pren + PRE_PAD + 48 + sizeof(e->lnum) +
	    sizeof(e->iso) + sizeof(e->epoch) + 2 * sizeof(f))) == NULL)
		return;
	if (e->pren <= PRE_PAD)
		memcpy(p, e->pre, PRE_PAD);
	else
		memcpy(p, e->pre, e->pren);
	p += e->pren;
	if (e->tsv) {
		p += line_no(e, p, r->line);
		*p++ = '\t';
	} else {
		memcpy(p, ",\"line\":", 8);
		p += 8;
		p += line_no(e, p, r->line);
		memcpy(p, ",\"ts\":\"", 7);
		p += 7;
	}
	memcpy(p, e->iso, sizeof(e->iso));
	p += e->ison;
	memcpy(p, f, sizeof(f));
	p += fn;
	*p++ = 'Z';
	if (e->tsv)
		*p++ = '\t';
	else {
		memcpy(p, "\",\"t\":", 6);
		p += 6;
	}
	memcpy(p, e->epoch, sizeof(e->epoch));
	p += e->epochn;
	memcpy(p, f, sizeof(f));
	p += fn;
	if (e->tsv) {
		memcpy(p, start ? "\tstart\t" : "\tend\t\0\0", 8);
		p += start ? 7 : 5;
	} else {
		memcpy(p, start ? ",\"kind\":\"start\"" :
		    ",\"kind\":\"end\"\0\0", 16);
		p += start ? 15 : 13;
	}
	w->len += (size_t)(p - p0);
}

static void
opt_str(struct jw *w, const char *key, size_t keyn, const struct rec_str *v)
{
	char *p;

	if (v->s == NULL)
		return;
	if (!plain(v->s, v->n)) {
		jw_raw(w, key, keyn);
		jw_str(w, v->s, v->n);
		return;
	}
	if ((p = jw_reserve(w, keyn + v->n + 2)) == NULL)
		return;
	memcpy(p, key, keyn);
	p[keyn] = '"';
	memcpy(p + keyn + 1, v->s, v->n);
	p[keyn + 1 + v->n] = '"';
	w->len += keyn + v->n + 2;
}

/* p: the key and v's quoted text, v known to need no escapes. */
static char *
put_str(char *p, const char *key, size_t keyn, const struct rec_str *v)
{
	if (v->s == NULL)
		return p;
	memcpy(p, key, keyn);
	p += keyn;
	*p++ = '"';
	memcpy(p, v->s, v->n);
	p += v->n;
	*p++ = '"';
	return p;
}

/*
 * The JSON event's rest, pid to "}\n", in one reservation when no identity
 * needs escaping (nearly always).  Returns -1, having written nothing, when
 * one does: opt_str() then writes them one by one.
 */
static int
tail_plain(struct jw *w, const struct rec *r)
{
	char *p, *p0;
	size_t need = 2 + 7 + TS_EPOCH_MAX;

	if (!r->plain &&
	    ((r->pid.s != NULL && !plain(r->pid.s, r->pid.n)) ||
	    (r->tid.s != NULL && !plain(r->tid.s, r->tid.n)) ||
	    (r->id.s != NULL && !plain(r->id.s, r->id.n))))
		return -1;
	need += r->pid.s != NULL ? 9 + r->pid.n : 0;
	need += r->tid.s != NULL ? 9 + r->tid.n : 0;
	need += r->id.s != NULL ? 8 + r->id.n : 0;
	if ((p0 = p = jw_reserve(w, need)) == NULL)
		return 0;
	p = put_str(p, ",\"pid\":", 7, &r->pid);
	p = put_str(p, ",\"tid\":", 7, &r->tid);
	p = put_str(p, ",\"id\":", 6, &r->id);
	if (r->has_dur) {
		memcpy(p, ",\"dur\":", 7);
		p += 7;
		p += ts_epoch(&r->dur, p);
	}
	*p++ = '}';
	*p++ = '\n';
	w->len += (size_t)(p - p0);
	return 0;
}

static void
tsv_str(struct jw *w, const struct rec_str *v, int known_plain)
{
	if (v->s != NULL) {
		if (known_plain || plain(v->s, v->n))
			jw_raw(w, v->s, v->n);
		else
			jw_tsv(w, v->s, v->n);
	}
	jw_char(w, '\t');
}

int
evw_event(struct evw *e, const struct rec *r)
{
	struct jw *w = &e->w;

	if (w->err)
		return -1;
	if (e->tsv && !e->header) {
		jw_cstr(w, "src\tline\tts\tt\tkind\tpid\ttid\tid\tdur\n");
		e->header = 1;
	}
	if (prefix(e, r->src) == -1)
		return -1;
	head(e, r);
	if (e->tsv) {
		tsv_str(w, &r->pid, r->plain);
		tsv_str(w, &r->tid, r->plain);
		tsv_str(w, &r->id, r->plain);
		if (r->has_dur)
			ts_epoch_w(w, &r->dur);
		jw_char(w, '\n');
	} else if (tail_plain(w, r) == 0) {
		/* Written in one reservation. */
	} else {
		opt_str(w, ",\"pid\":", 7, &r->pid);
		opt_str(w, ",\"tid\":", 7, &r->tid);
		opt_str(w, ",\"id\":", 6, &r->id);
		if (r->has_dur) {
			jw_raw(w, ",\"dur\":", 7);
			ts_epoch_w(w, &r->dur);
		}
		jw_raw(w, "}\n", 2);
	}
	return jw_maybe_flush(w);
}

int
evw_trailer(struct evw *e, struct rec_input *in)
{
	struct jw *w = &e->w;

	if (e->tsv) {
		in->bad_utf8 = e->w.bad - e->bad_mark;
		return w->err ? -1 : 0;
	}
	/* The count is part of the record, so it is taken before the record
	 * is written, and it includes the U+FFFD that the record's own
	 * first_skipped text is about to get. */
	in->bad_utf8 = e->w.bad - e->bad_mark;
	if (in->first_skipped != NULL)
		in->bad_utf8 += jw_bad_utf8(in->first_skipped,
		    strlen(in->first_skipped));
	rec_input_write(w, in);
	return jw_maybe_flush(w);
}

int
evw_finish(struct evw *e)
{
	return jw_flush(&e->w);
}
