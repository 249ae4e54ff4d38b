#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/dur.h"
#include "event.h"
#include "base/jsonin.h"
#include "base/ts.h"

/* A src prefix this long or shorter is copied at this fixed width. */
#define PRE_PAD		64

void
event_init(struct event_writer *e, FILE *fp, int tsv)
{
	memset(e, 0, sizeof(*e));
	jsonout_init(&e->w, fp);
	e->tsv = tsv;
}

int
event_async(struct event_writer *e)
{
	return jsonout_async(&e->w);
}

void
event_free(struct event_writer *e)
{
	if (e == NULL)
		return;
	jsonout_free(&e->w);
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
render(struct event_writer *e, const char *src)
{
	struct jsonout t;
	char *pad;

	jsonout_init(&t, NULL);
	if (e->tsv) {
		jsonout_tsv(&t, src, strlen(src));
		jsonout_char(&t, '\t');
	} else {
		jsonout_raw(&t, "{\"src\":", 7);
		jsonout_str(&t, src, strlen(src));
	}
	/* Zeros past the end, so that head() may copy PRE_PAD bytes. */
	if ((pad = jsonout_reserve(&t, PRE_PAD)) != NULL)
		memset(pad, 0, PRE_PAD);
	if (t.err) {
		jsonout_free(&t);
		e->w.err = ENOMEM;
		return -1;
	}
	free(e->pre);
	e->pre = t.buf;
	e->pren = t.len;
	e->src = src;
	return 0;
}

/* Within an input the name's pointer is stable; event_begin() renders it
 * afresh for each input, so a freed name's address reused is harmless. */
static int
prefix(struct event_writer *e, const char *src)
{
	if (e->pre != NULL && e->src == src)
		return 0;
	return render(e, src);
}

int
event_begin(struct event_writer *e, const char *src)
{
	e->bad_mark = e->w.bad;
	return render(e, src);
}

static void
ts_epoch_w(struct jsonout *w, const struct ts *t)
{
	char *p;

	if ((p = jsonout_reserve(w, TS_EPOCH_MAX)) != NULL)
		w->len += ts_epoch(t, p);
}

/* The seconds' text of t, from the cache when t is in the last second. */
static void
whole(struct event_writer *e, const struct ts *t)
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

/*
 * The event's text is written with stores only: a part built in a buffer
 * with narrow stores and then copied with a wide load stalls the CPU (the
 * load cannot be forwarded from the stores), which cost more than the
 * formatting itself.  So the digits are made in registers.
 */

/* "00" to "99": two digits per step. */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Two decimal digits of v < 100 as two bytes in memory order. */
static inline uint64_t
pair(uint32_t v)
{
	return (uint64_t)(unsigned char)pairs[2 * v] |
	    (uint64_t)(unsigned char)pairs[2 * v + 1] << 8;
}

/* Eight bytes from a number whose lowest byte goes first. */
static inline void
st8(char *p, uint64_t v)
{
#if !defined(__BYTE_ORDER__)
#error "st8 needs __BYTE_ORDER__ (GCC or Clang) to know the byte order"
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, sizeof(v));
}

/*
 * The fraction of t as ts_iso writes it, "." and t->digits digits, in
 * f->hi and f->lo (its first two bytes and the eight after): all nine
 * digits by divisions by constants; f->n says how many bytes count (0
 * when the log had no fraction).
 */
struct frac {
	uint64_t	 lo;
	char		 hi[2];
	size_t		 n;
};

static void
frac(const struct ts *t, struct frac *f)
{
	uint32_t v = (uint32_t)t->nsec % 1000000000, r, a, b;

	f->hi[0] = '.';
	f->hi[1] = (char)('0' + v / 100000000);
	r = v % 100000000;
	a = r / 10000;
	b = r % 10000;
	f->lo = pair(a / 100) | pair(a % 100) << 16 | pair(b / 100) << 32 |
	    pair(b % 100) << 48;
	f->n = t->digits == 0 ? 0 :
	    (size_t)(t->digits > 9 ? 9 : t->digits) + 1;
}

/* The fraction at p (ten bytes written); returns how many count. */
static inline size_t
put_frac(char *p, const struct frac *f)
{
	p[0] = f->hi[0];
	p[1] = f->hi[1];
	st8(p + 2, f->lo);
	return f->n;
}

/* The decimal digits of v at p, written from the right; returns how
 * many. */
static size_t
put_u64(char *p, uint64_t v)
{
	static const uint64_t p10[20] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
		100000000, 1000000000, 10000000000, 100000000000,
		1000000000000, 10000000000000, 100000000000000,
		1000000000000000, 10000000000000000, 100000000000000000,
		1000000000000000000, 10000000000000000000U
	};
	size_t n = 1, i;

	while (n < 20 && v >= p10[n])
		n++;
	for (i = n; v >= 100; v /= 100) {
		uint64_t d = pair((uint32_t)(v % 100));

		i -= 2;
		p[i] = (char)d;
		p[i + 1] = (char)(d >> 8);
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
	} else
		p[0] = (char)('0' + v);
	return n;
}

/*
 * The line number's digits at p; returns how many.  Lines come in order,
 * so the number is mostly the last one plus one: its digits are copied
 * from the last (stored long before) and the carry is made in both, byte
 * by byte, where a fresh conversion would divide per digit.
 */
static size_t
line_no(struct event_writer *e, char *p, uint64_t v)
{
	size_t i;

	if (e->lnumn > 0 && v == e->lval + 1) {
		memcpy(p, e->lnum, sizeof(e->lnum));
		for (i = e->lnumn; i > 0 && p[i - 1] == '9'; i--)
			p[i - 1] = e->lnum[i - 1] = '0';
		if (i > 0) {
			p[i - 1]++;
			e->lnum[i - 1]++;
			e->lval = v;
			return e->lnumn;
		}
	}
	/* The first, one out of order, or 99..9 + 1. */
	e->lnumn = put_u64(p, v);
	memcpy(e->lnum, p, e->lnumn);
	e->lval = v;
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
head(struct event_writer *e, const struct record *r)
{
	struct jsonout *w = &e->w;
	int start = r->kind == RECORD_START;
	struct frac f;
	char *p, *p0;

	whole(e, &r->t);
	frac(&r->t, &f);
	if ((p0 = p = jsonout_reserve(w, e->pren + PRE_PAD + 48 + 20 +
	    sizeof(e->iso) + sizeof(e->epoch) + 2 * 10)) == NULL)
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
	p += put_frac(p, &f);
	*p++ = 'Z';
	if (e->tsv)
		*p++ = '\t';
	else {
		memcpy(p, "\",\"t\":", 6);
		p += 6;
	}
	memcpy(p, e->epoch, sizeof(e->epoch));
	p += e->epochn;
	p += put_frac(p, &f);
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
opt_str(struct jsonout *w, const char *key, size_t keyn, const struct record_str *v)
{
	char *p;

	if (v->s == NULL)
		return;
	if (!plain(v->s, v->n)) {
		jsonout_raw(w, key, keyn);
		jsonout_str(w, v->s, v->n);
		return;
	}
	if ((p = jsonout_reserve(w, keyn + v->n + 2)) == NULL)
		return;
	memcpy(p, key, keyn);
	p[keyn] = '"';
	memcpy(p + keyn + 1, v->s, v->n);
	p[keyn + 1 + v->n] = '"';
	w->len += keyn + v->n + 2;
}

/* p: the key and v's quoted text, v known to need no escapes. */
static char *
put_str(char *p, const char *key, size_t keyn, const struct record_str *v)
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
tail_plain(struct jsonout *w, const struct record *r)
{
	char *p, *p0;
	size_t need = 2 + 7 + TS_EPOCH_MAX;

	/* A route or status (access logs, read by PCRE2 or -f json):
	 * the general path. */
	if (r->route.s != NULL || r->status != 0)
		return -1;
	if (!r->plain &&
	    ((r->pid.s != NULL && !plain(r->pid.s, r->pid.n)) ||
	    (r->tid.s != NULL && !plain(r->tid.s, r->tid.n)) ||
	    (r->id.s != NULL && !plain(r->id.s, r->id.n))))
		return -1;
	need += r->pid.s != NULL ? 9 + r->pid.n : 0;
	need += r->tid.s != NULL ? 9 + r->tid.n : 0;
	need += r->id.s != NULL ? 8 + r->id.n : 0;
	if ((p0 = p = jsonout_reserve(w, need)) == NULL)
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

/* The TSV event's rest, pid to the newline, in one reservation when the
 * scanner has said the identities are digits. */
static void
tsv_tail_plain(struct jsonout *w, const struct record *r)
{
	const struct record_str *v[3] = { &r->pid, &r->tid, &r->id };
	char *p, *p0;

	if ((p0 = p = jsonout_reserve(w, r->pid.n + r->tid.n + r->id.n + 6 +
	    TS_EPOCH_MAX)) == NULL)
		return;
	for (int k = 0; k < 3; k++) {
		if (v[k]->s != NULL) {
			memcpy(p, v[k]->s, v[k]->n);
			p += v[k]->n;
		}
		*p++ = '\t';
	}
	if (r->has_dur)
		p += ts_epoch(&r->dur, p);
	/* No route or status: the scanners capture neither. */
	*p++ = '\t';
	*p++ = '\t';
	*p++ = '\n';
	w->len += (size_t)(p - p0);
}

static void
tsv_str(struct jsonout *w, const struct record_str *v)
{
	if (v->s != NULL) {
		if (plain(v->s, v->n))
			jsonout_raw(w, v->s, v->n);
		else
			jsonout_tsv(w, v->s, v->n);
	}
	jsonout_char(w, '\t');
}

int
event_write(struct event_writer *e, const struct record *r)
{
	struct jsonout *w = &e->w;

	if (w->err)
		return -1;
	if (e->tsv && !e->header) {
		jsonout_cstr(w, "src\tline\tts\tt\tkind\tpid\ttid\tid\tdur"
		    "\troute\tstatus\n");
		e->header = 1;
	}
	if (prefix(e, r->src) == -1)
		return -1;
	head(e, r);
	if (e->tsv && r->plain && r->route.s == NULL && r->status == 0)
		tsv_tail_plain(w, r);
	else if (e->tsv) {
		tsv_str(w, &r->pid);
		tsv_str(w, &r->tid);
		tsv_str(w, &r->id);
		if (r->has_dur)
			ts_epoch_w(w, &r->dur);
		jsonout_char(w, '\t');
		tsv_str(w, &r->route);
		if (r->status != 0)
			jsonout_u64(w, (uint64_t)r->status);
		jsonout_char(w, '\n');
	} else if (tail_plain(w, r) == 0) {
		/* Written in one reservation. */
	} else {
		opt_str(w, ",\"pid\":", 7, &r->pid);
		opt_str(w, ",\"tid\":", 7, &r->tid);
		opt_str(w, ",\"id\":", 6, &r->id);
		if (r->has_dur) {
			jsonout_raw(w, ",\"dur\":", 7);
			ts_epoch_w(w, &r->dur);
		}
		opt_str(w, ",\"route\":", 9, &r->route);
		if (r->status != 0) {
			jsonout_raw(w, ",\"status\":", 10);
			jsonout_u64(w, (uint64_t)r->status);
		}
		jsonout_raw(w, "}\n", 2);
	}
	return jsonout_maybe_flush(w);
}

int
event_trailer(struct event_writer *e, struct trailer *in)
{
	struct jsonout *w = &e->w;

	if (e->tsv) {
		in->bad_utf8 = e->w.bad - e->bad_mark;
		return w->err ? -1 : 0;
	}
	/* The count is part of the record, so it is taken before the record
	 * is written, and it includes the U+FFFD that the record's own
	 * first_skipped text is about to get. */
	in->bad_utf8 = e->w.bad - e->bad_mark;
	if (in->first_skipped != NULL)
		in->bad_utf8 += jsonout_bad_utf8(in->first_skipped,
		    in->first_skipped_n);
	trailer_write(w, in);
	return jsonout_maybe_flush(w);
}

int
event_finish(struct event_writer *e)
{
	return jsonout_flush(&e->w);
}

/* ---- Reading an event line back (skew-align's input). ---- */

static int
isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

/*
 * Seconds as skew-parse writes them: (0|[1-9]d{0,11})(.d{1,9})?.  cJSON
 * also takes leading zeros, exponents and more digits than a nanosecond;
 * none of these is an exact duration, and dur_parse() need not see them.
 */
static int
plain_decimal(const char *v, size_t vn)
{
	size_t i = 0, k;

	for (k = 0; i < vn && isdig(v[i]); i++)
		k++;
	if (k == 0 || k > 12 || (k > 1 && v[0] == '0'))
		return 0;
	if (i == vn)
		return 1;
	if (v[i++] != '.')
		return 0;
	for (k = 0; i < vn && isdig(v[i]); i++)
		k++;
	return k >= 1 && k <= 9 && i == vn;
}

/* "dur" from its decimal text: seconds, not negative. */
static int
dur_text(const char *v, size_t vn, struct ts *out, struct diag *d)
{
	char buf[64], q[80];
	struct diag dd;

	diag_clear(&dd);
	if (!plain_decimal(v, vn))
		goto bad;
	memcpy(buf, v, vn);
	buf[vn] = '\0';
	if (dur_parse(buf, 0, out, &dd) == 0)
		return 0;
bad:
	return diag_set(d, DIAG_JSON,
	    "expected \"dur\" as decimal seconds (e.g. 0.25), got %s",
	    diag_quote(q, sizeof(q), v, vn, 40));
}

/*
 * The fast path's times through a memo of the last minute (ts_parse's:
 * keyed by the text, so any line may use it), one per thread as
 * event_read() keeps no state between lines.
 */
static _Thread_local struct ts_memo memo;

static int
ts_text(const char *v, size_t vn, struct ts *t, struct diag *d)
{
	struct ts_opt o = { .form = TS_ISO, .memo = &memo };
	struct diag dd;
	char q[80];

	diag_clear(&dd);
	if (ts_parse(v, vn, &o, t, &dd) == 0)
		return 0;
	return diag_set(d, DIAG_TS, "expected \"ts\" as an ISO time, got %s: %s",
	    diag_quote(q, sizeof(q), v, vn, 40), dd.msg);
}

void
event_line_free(struct event_line *l)
{
	/* The fast path allocates nothing and leaves the rest unset. */
	if (l->fast)
		return;
	trailer_free(&l->in);
	for (int k = 0; k < EVENT_NOWN; k++)
		jsonin_bytes_free(&l->own[k]);
	cJSON_Delete(l->tree);
	l->tree = NULL;
}

static int
event(struct event_line *l, const cJSON *o, int start, const char *line,
    size_t n, struct diag *d)
{
	static const char *const known[] = { "src", "line", "ts", "t", "kind",
	    "pid", "tid", "id", "dur", "route", "status", NULL };
	static const char *const keys[EVENT_NOWN] = { "pid", "tid", "id",
	    "route" };
	struct record_str *ids[EVENT_NOWN] = { &l->rec.pid, &l->rec.tid,
	    &l->rec.id, &l->rec.route };
	uint64_t status = 0;
	const cJSON *ts, *dur;
	const char *v;
	size_t vn;

	if (jsonin_str(o, "src", 1, &l->src, d) == -1 ||
	    jsonin_count(o, "line", 1, JSONIN_MAX, 1, &l->rec.line, d) == -1)
		return -1;
	l->srcn = strlen(l->src);
	for (int k = 0; k < EVENT_NOWN; k++) {
		if (jsonin_bytes(o, line, n, keys[k], 0, &l->own[k], d) == -1)
			return -1;
		*ids[k] = (struct record_str){ l->own[k].s, l->own[k].n };
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "status") != NULL &&
	    jsonin_count(o, "status", 100, 599, 1, &status, d) == -1)
		return -1;
	l->rec.status = (int)status;
	ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
	if (!cJSON_IsString(ts))
		return diag_set(d, DIAG_JSON,
		    "expected \"ts\" as a string with an ISO time, got %s",
		    jsonin_type(ts));
	if (ts_text(ts->valuestring, strlen(ts->valuestring), &l->rec.t,
	    d) == -1)
		return -1;
	dur = cJSON_GetObjectItemCaseSensitive(o, "dur");
	if (dur != NULL && !cJSON_IsNull(dur)) {
		if (!cJSON_IsNumber(dur) ||
		    jsonin_raw(line, n, "dur", &v, &vn) == -1)
			return diag_set(d, DIAG_JSON,
			    "expected \"dur\" as a number of seconds, got %s",
			    jsonin_type(dur));
		if (dur_text(v, vn, &l->rec.dur, d) == -1)
			return -1;
		l->rec.has_dur = 1;
	}
	l->rec.kind = start ? RECORD_START : RECORD_END;
	l->unknown += jsonin_unknown(o, known);
	return EVENT_READ_EVENT;
}

int
event_read_cjson(const char *line, size_t n, struct event_line *l,
    struct diag *d)
{
	cJSON *o;
	const cJSON *k;
	const char *kind;
	char q[80];
	int r;

	memset(l, 0, sizeof(*l));
	if ((o = jsonin_parse(line, n, "an event or an input trailer", d)) == NULL)
		return -1;
	k = cJSON_GetObjectItemCaseSensitive(o, "kind");
	kind = cJSON_IsString(k) ? k->valuestring : NULL;
	if (kind != NULL && strcmp(kind, "end") == 0)
		r = event(l, o, 0, line, n, d);
	else if (kind != NULL && strcmp(kind, "start") == 0)
		r = event(l, o, 1, line, n, d);
	else if (kind != NULL && strcmp(kind, "input") == 0)
		r = trailer_read(o, line, n, &l->in, &l->unknown, d) == -1 ?
		    -1 : EVENT_READ_TRAILER;
	else if (kind != NULL && strcmp(kind, "align") == 0) {
		l->align = 1;
		r = diag_set(d, DIAG_JSON, "an \"align\" record: this is "
		    "skew-align's output; skew-align reads skew-parse's events");
	} else if (kind == NULL && cJSON_GetObjectItemCaseSensitive(o,
	    "run") != NULL)
		r = diag_set(d, DIAG_JSON, "a request record: this is "
		    "skew-align's output; skew-align reads skew-parse's events");
	else
		r = diag_set(d, DIAG_JSON, "expected \"kind\" as \"start\", "
		    "\"end\" or \"input\", got %s",
		    kind ? diag_quote(q, sizeof(q), kind, strlen(kind), 20) :
		    jsonin_type(k));
	/* An event's src points into the tree: it lives as long as *l. */
	l->tree = o;
	if (r == -1)
		event_line_free(l);
	return r;
}

/* ---- The fast path's own steps (event_read()'s only). ---- */

/* Whether the next byte is ch (nothing consumed). */
static inline __attribute__((always_inline)) int
next_is(const struct jsonin_cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

/*
 * The line's start up to its line number, `{"src":"NAME","line":`, as the
 * last line the fast path read it (one per thread, as memo): the lines of
 * an input share it, and compared whole it costs less than reading the
 * name (jsonin_plain()) and the keys about it again.  n: 0 when none; a
 * longer start is read each time.
 */
#define HEAD_MAX	80
static _Thread_local struct {
	size_t	 n;
	char	 s[HEAD_MAX];
} lhead;

/* `{"src":"` and `","line":` about the name. */
#define HEAD_KEYS	17

/* Whether line[0..n) starts with lhead.s[0..lhead.n). */
static inline __attribute__((always_inline)) int
same_head(const char *line, size_t n)
{
	size_t k = lhead.n;

	return k >= 16 && n >= k && bytes_same(line, lhead.s, k);
}

/*
 * The second of the last time jsonin_iso_quoted() read (skew's own shape,
 * no leap second), one per thread as memo: its text to the seconds
 * ("2023-11-01T23:10:04": three words, read at 0, 8 and 11) and the second
 * it is; and the text "t" had before its fraction when "t" was that
 * second's epoch and the time's own fraction ("1698880204": two words and
 * their masks; 0 bytes: none), as skew-parse writes every event.  The
 * events of a second then read only their fractions, and their "t" is
 * compared with what it must be rather than scanned.
 * Sound because every hit is an exact compare of bytes read and checked
 * before, and the second of a UTC "Z" text is a function of its 19 bytes
 * alone (no zone, no leap second: jsonin_iso_memo() takes no other).  The
 * digits kept for "t" are not its value checked against "ts": "t" is
 * never read, only required to be a JSON number, as cJSON's path does.
 */
static _Thread_local struct {
	int		 ok;
	uint64_t	 key[3];
	int64_t		 sec;
	size_t		 epochn;
	uint64_t	 epoch[2], mask[2];
} second;

/* Keep the second of the time just read at s (jsonin_iso_quoted()'s). */
static void
keep_second(const char *s, const struct ts *t)
{
	if (second.ok && second.sec == t->sec)
		return;
	second.key[0] = ts_ld8(s);
	second.key[1] = ts_ld8(s + 8);
	second.key[2] = ts_ld8(s + 11);
	second.sec = t->sec;
	second.epochn = 0;
	second.ok = 1;
}

/*
 * A time in quotes, its opening quote read, of the second kept (its 19
 * bytes the same), then "Z" or "." with 1 to 9 digits and "Z", up to and
 * past its closing quote: what jsonin_iso_quoted() gives for it, its
 * minute's memo holding the second's minute (the second was read by it).
 * *frac is its fraction's text ("." and the digits: *fracn bytes, 0
 * without).  Returns 1 with *t set, or 0 having consumed nothing.
 */
static inline __attribute__((always_inline)) int
same_second(struct jsonin_cur *c, struct ts *t, const char **frac,
    size_t *fracn)
{
	const char *s = c->p;
	uint64_t w, m, ns = 0;
	size_t nd = 0, z = 19;

	if (!second.ok || c->end - s < 32 || ts_ld8(s) != second.key[0] ||
	    ts_ld8(s + 8) != second.key[1] || ts_ld8(s + 11) != second.key[2])
		return 0;
	if (s[19] == '.') {
		/* The digits: up to eight in a word, '0's after them, and a
		 * ninth. */
		w = ts_ld8(s + 20);
		m = jsonin_nondig8(w);
		nd = m != 0 ? (size_t)__builtin_ctzll(m) / 8 : 8;
		if (nd == 0)
			return 0;
		if (nd < 8)
			w = (w & jsonin_mask(nd)) |
			    (UINT64_C(0x3030303030303030) & ~jsonin_mask(nd));
		ns = jsonin_eight(w) * 10;
		if (nd == 8 && jsonin_isdig(s[28]))
			ns += (uint64_t)(s[28] - '0'), nd = 9;
		z = 20 + nd;
	}
	if (s[z] != 'Z' || s[z + 1] != '"')
		return 0;
	t->sec = second.sec;
	t->nsec = (int32_t)ns;
	t->digits = (uint8_t)nd;
	t->flags = 0;
	*frac = s + 19;
	*fracn = z - 19;
	c->p = s + z + 2;
	return 1;
}

/*
 * "t" as the second kept and the time's fraction frac[0..fracn) make it:
 * the epoch's digits kept, then the same fraction (nothing is read past
 * it: the key after it decides where the number ends).  Returns 1 having
 * consumed it, or 0 having consumed nothing.
 */
static inline __attribute__((always_inline)) int
same_t(struct jsonin_cur *c, const char *frac, size_t fracn)
{
	const char *p = c->p, *f;
	size_t k = second.epochn;

	if (k == 0 || c->end - p < 32 ||
	    ((ts_ld8(p) ^ second.epoch[0]) & second.mask[0]) != 0 ||
	    ((ts_ld8(p + 8) ^ second.epoch[1]) & second.mask[1]) != 0)
		return 0;
	/* The fraction, at most 10 bytes: a word masked to it, and its last
	 * two bytes. */
	f = p + k;
	if (fracn > 0 &&
	    (((ts_ld8(f) ^ ts_ld8(frac)) & jsonin_mask(fracn)) != 0 ||
	    (fracn > 8 && (f[8] != frac[8] || f[fracn - 1] != frac[fracn - 1]))))
		return 0;
	c->p = f + fracn;
	return 1;
}

/*
 * After "t" num[0..numn) was read the long way, the time's fraction
 * frac[0..fracn) known: when "t" is whole digits (at most 16, no leading
 * zero) and then that fraction, its digits are kept for the second's
 * other events (same_t()).
 */
static void
keep_t(const char *num, size_t numn, const char *frac, size_t fracn)
{
	size_t k = numn - fracn;

	if (numn <= fracn || k > 16 || (num[0] == '0' && k > 1) ||
	    memcmp(num + k, frac, fracn) != 0)
		return;
	for (size_t i = 0; i < k; i++)
		if (!jsonin_isdig(num[i]))
			return;
	second.epoch[0] = second.epoch[1] = 0;
	memcpy(second.epoch, num, k);
	second.epoch[0] = ts_ld8((const char *)&second.epoch[0]);
	second.epoch[1] = ts_ld8((const char *)&second.epoch[1]);
	second.mask[0] = jsonin_mask(k);
	second.mask[1] = k > 8 ? jsonin_mask(k - 8) : 0;
	second.epochn = k;
}

/*
 * The hand-written fast path, for exactly the layout event_write() writes:
 * {"src":"..","line":N,"ts":"..","t":NUM,"kind":"end"|"start"} with
 * optional ,"pid":"..",  ,"tid":"..",  ,"id":"..",  ,"dur":NUM,
 * ,"route":"..",  ,"status":NUM  in that order, no spaces, no escapes.
 * cJSON builds a tree of allocated nodes per line, which dominated
 * skew-align's time on two million events; this reads the same lines in
 * place.  Anything else returns 0 and is left to
 * cJSON, so the fast path never decides what is valid on its own:
 * tests/eventstore.c checks it gives what cJSON gives on many lines.
 */
static int
fast(const char *line, size_t n, struct event_line *l, struct diag *d)
{
	struct jsonin_cur c = { line, line + n };
	const char *ts = NULL, *num, *dur = NULL, *tp, *frac = NULL;
	size_t tsn = 0, numn, durn = 0, fracn = 0;

	/* Only what this path sets: a line of two million is read here,
	 * and the rest of *l is the cJSON path's.  The record's fields one
	 * by one (its line, time and kind are set below when the line is
	 * taken): a memset of it all cost more. */
	l->rec.src = NULL;
	l->rec.pid = l->rec.tid = l->rec.id = l->rec.route =
	    (struct record_str){ NULL, 0 };
	l->rec.plain = 0;
	l->rec.has_dur = 0;
	l->rec.dur = (struct ts){ 0, 0, 0, 0 };
	l->rec.status = 0;
	l->unknown = 0;
	l->align = 0;
	l->fast = 0;
	if (same_head(line, n)) {
		/* The line before's source, its bytes checked then. */
		l->src = line + 8;
		l->srcn = lhead.n - HEAD_KEYS;
		c.p += lhead.n;
	} else {
		if (!JSONIN_LIT(&c, "{\"src\":\"") ||
		    !jsonin_plain(&c, &l->src, &l->srcn) ||
		    !JSONIN_LIT(&c, ",\"line\":"))
			return 0;
		if ((size_t)(c.p - line) <= HEAD_MAX) {
			lhead.n = (size_t)(c.p - line);
			memcpy(lhead.s, line, lhead.n);
		}
	}
	if (!jsonin_whole(&c, &l->rec.line) || l->rec.line == 0 ||
	    !JSONIN_LIT(&c, ",\"ts\":\""))
		return 0;
	/* The second of the line before, mostly: only its fraction read;
	 * else of its minute: only its seconds read (nothing can be wrong
	 * with the rest); else the text, read below. */
	tp = c.p;
	if (same_second(&c, &l->rec.t, &frac, &fracn))
		ts = NULL;
	else if (jsonin_iso_quoted(&c, &memo, &l->rec.t)) {
		ts = NULL;
		keep_second(tp, &l->rec.t);
		frac = tp + 19;
		fracn = (size_t)(c.p - 2 - frac);
	} else if (!jsonin_plain(&c, &ts, &tsn))
		return 0;
	if (!JSONIN_LIT(&c, ",\"t\":"))
		return 0;
	/* "t" as that second and fraction make it, mostly; else read. */
	if (frac == NULL || !same_t(&c, frac, fracn)) {
		if (!jsonin_number(&c, &num, &numn))
			return 0;
		if (frac != NULL)
			keep_t(num, numn, frac, fracn);
	}
	if (JSONIN_LIT(&c, ",\"kind\":\"end\""))
		l->rec.kind = RECORD_END;
	else if (JSONIN_LIT(&c, ",\"kind\":\"start\""))
		l->rec.kind = RECORD_START;
	else
		return 0;
	/* Each optional key tried while the object goes on: an event
	 * mostly ends after its pid and tid. */
	if (next_is(&c, '}'))
		goto close;
	if (JSONIN_LIT(&c, ",\"pid\":\"") &&
	    !jsonin_plain(&c, &l->rec.pid.s, &l->rec.pid.n))
		return 0;
	if (next_is(&c, '}'))
		goto close;
	if (JSONIN_LIT(&c, ",\"tid\":\"") &&
	    !jsonin_plain(&c, &l->rec.tid.s, &l->rec.tid.n))
		return 0;
	if (next_is(&c, '}'))
		goto close;
	if (JSONIN_LIT(&c, ",\"id\":\"") &&
	    !jsonin_plain(&c, &l->rec.id.s, &l->rec.id.n))
		return 0;
	if (JSONIN_LIT(&c, ",\"dur\":") && !jsonin_number(&c, &dur, &durn))
		return 0;
	if (JSONIN_LIT(&c, ",\"route\":\"") &&
	    !jsonin_plain(&c, &l->rec.route.s, &l->rec.route.n))
		return 0;
	if (JSONIN_LIT(&c, ",\"status\":")) {
		uint64_t v;

		/* Out of range: cJSON's path says so. */
		if (!jsonin_whole(&c, &v) || v < 100 || v > 599)
			return 0;
		l->rec.status = (int)v;
	}
close:
	if (c.end - c.p != 1 || *c.p != '}')
		return 0;
	/* From here on the line is valid JSON of the known layout: a fault is
	 * the same error cJSON's path would give. */
	l->fast = 1;
	if (ts != NULL && ts_text(ts, tsn, &l->rec.t, d) == -1)
		return -1;
	if (dur != NULL) {
		if (dur_text(dur, durn, &l->rec.dur, d) == -1)
			return -1;
		l->rec.has_dur = 1;
	}
	return EVENT_READ_EVENT;
}

int
event_read(const char *line, size_t n, struct event_line *l, struct diag *d)
{
	int r;

	if ((r = fast(line, n, l, d)) != 0)
		return r;
	return event_read_cjson(line, n, l, d);
}
