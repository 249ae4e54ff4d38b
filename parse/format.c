#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "format.h"
#include "jsonline.h"

/* The contract's ISO shape: date, T or space, time, optional fraction with
 * . or , and optional Z or offset.  ts_parse() checks the ranges. */
#define ISO_RE	"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}" \
		"(?:[.,][0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"

/*
 * An access log's request and status, where the line has them: the quoted
 * request line ("GET /a/b?q=1 HTTP/1.1") and the three-digit status after
 * it.  route is the request's path without its query string (every query
 * would be a route of its own otherwise); a request without a method and
 * path ("-", or garbage) gives no route, a status that is not three digits
 * no status.  Optional as a whole: it never makes a line stop matching.
 */
#define REQ_RE	"(?:\"(?:[A-Z]+ (?<route>[^ ?\"]+)[^\"]*|[^\"]*)\" " \
		"(?<status>[0-9]{3})(?: |$))?"

/* What a hand-written scanner expects before and after the timestamp. */
enum pre { PRE_NONE, PRE_PIDTID };
enum tail { TAIL_EOL, TAIL_SEP };

struct preset {
	struct format_info	 info;
	int		 scan;	/* 0: PCRE2 only */
	enum pre	 pre;
	enum tail	 tail;
};

static const struct preset presets[] = {
	{ { "pid-tid-ts",
	    "^(?<pid>[0-9]+): (?<tid>[0-9]+): (?<ts>" ISO_RE ")[ \\t]*$",
	    TS_ISO, RECORD_END, "end (printed when the request finished)",
	    1, 0 },
	  1, PRE_PIDTID, TAIL_EOL },
	{ { "ts",
	    "^(?<ts>" ISO_RE ")[ \\t]*$",
	    TS_ISO, RECORD_END, "end by default (--kind start for arrivals)",
	    1, 0 },
	  1, PRE_NONE, TAIL_EOL },
	{ { "iso",
	    "^(?<ts>" ISO_RE ")(?:[ \\t]|$)",
	    TS_ISO, RECORD_END, "end by default (--kind start for arrivals)",
	    1, 0 },
	  1, PRE_NONE, TAIL_SEP },
	{ { "python-logging",
	    "^(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
	    ",[0-9]{3})(?: |$)",
	    TS_ISO, RECORD_END, "end by default (the logging call)", 0, 0 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "clf",
	    "^\\S+ \\S+ \\S+ \\[(?<ts>[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:"
	    "[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4})\\](?: |$)" REQ_RE,
	    TS_CLF, RECORD_START, "start (Apache %t: the request arrived; "
	    "nginx $time_local is the end: --kind end)", 0, 0 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "nginx-timed",
	    "^(?<ts>[0-9]+\\.[0-9]+) (?<dur>[0-9]+(?:\\.[0-9]+)?)(?: |$)"
	    "(?:[^\"]*" REQ_RE ")?",
	    TS_EPOCH, RECORD_END, "end ($msec: the request finished; "
	    "dur $request_time)", 0, 0 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "epoch",
	    "^(?<ts>[0-9]+(?:\\.[0-9]+)?)(?:[ \\t]|$)",
	    TS_EPOCH, RECORD_END, "end by default (--kind start for arrivals)",
	    0, 0 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "epoch-ms",
	    "^(?<ts>[0-9]{13})(?:[ \\t]|$)",
	    TS_EPOCH_MS, RECORD_END, "end by default (--kind start for arrivals)",
	    0, 0 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "json", JSONLINE_ABOUT, TS_AUTO, RECORD_END,
	    "end by default (--kind start for arrivals)", 0, 1 },
	  0, PRE_NONE, TAIL_EOL },
	{ { "syslog",
	    "^(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}) "
	    "\\S+ [^\\[: ]+(?:\\[(?<pid>[0-9]+)\\])?:(?: |$)",
	    TS_SYSLOG, RECORD_END, "end by default (the message was logged)",
	    0, 0 },
	  0, PRE_NONE, TAIL_EOL },
};
#define NPRESETS	(sizeof(presets) / sizeof(presets[0]))

enum grp {
	G_TS = FORMAT_TS, G_PID = FORMAT_PID, G_TID = FORMAT_TID,
	G_ID = FORMAT_ID, G_KIND = FORMAT_KIND, G_DUR = FORMAT_DUR,
	G_ROUTE = FORMAT_ROUTE, G_STATUS = FORMAT_STATUS, G_N = FORMAT_NGROUPS
};
static const char *const grpname[G_N] = {
	"ts", "pid", "tid", "id", "kind", "dur", "route", "status"
};

const char *
format_group_name(int g)
{
	return g >= 0 && g < G_N ? grpname[g] : NULL;
}

struct record_str *
format_cap_group(struct format_cap *c, int g)
{
	switch (g) {
	case G_TS: return &c->ts;
	case G_PID: return &c->pid;
	case G_TID: return &c->tid;
	case G_ID: return &c->id;
	case G_KIND: return &c->kind;
	case G_DUR: return &c->dur;
	case G_ROUTE: return &c->route;
	default: return &c->status;
	}
}

struct format {
	const struct preset *p;		/* NULL for a custom pattern */
	struct jsonline	*json;		/* -f json: no pattern */
	int		 scan;		/* use the scanner */
	pcre2_code	*re;
	pcre2_match_data *md;
	pcre2_jit_stack	*jstack;	/* the JIT's stack, FORMAT_JIT_STACK at most */
	pcre2_match_context *mctx;	/* hands jstack to the matcher */
	int		 jit;
	int		 grp[G_N];	/* group numbers, 0 when absent */
	const struct ts_opt *tso;	/* the scanner reads times with it */
};

const struct format_info *
format_preset_info(size_t i)
{
	return i < NPRESETS ? &presets[i].info : NULL;
}

/* Compile pattern into f: every group number looked up here, once. */
static int
compile(struct format *f, const char *pattern, uint32_t opts, struct diag *d)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	PCRE2_SPTR table;
	uint32_t count = 0, esize = 0;
	int code, rc;

	uint32_t all = 0;

	f->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	    &code, &off, NULL);
	/* A pattern that turns UTF mode on ((*UTF)) is compiled again to
	 * match lines that are not valid UTF-8 too: the JIT's matcher does
	 * not check its subject, and crashed on such a line. */
	if (f->re != NULL && pcre2_pattern_info(f->re, PCRE2_INFO_ALLOPTIONS,
	    &all) == 0 && (all & PCRE2_UTF) &&
	    !(opts & PCRE2_MATCH_INVALID_UTF)) {
		pcre2_code_free(f->re);
		f->re = pcre2_compile((PCRE2_SPTR)pattern,
		    PCRE2_ZERO_TERMINATED, opts | PCRE2_MATCH_INVALID_UTF,
		    &code, &off, NULL);
	}
	if (f->re == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		if (d != NULL)
			d->col = off + 1;
		return diag_set(d, DIAG_PATTERN, "invalid pattern at offset "
		    "%zu: %s", (size_t)off, (char *)msg);
	}
	/* Every name must be one skew knows: a typo such as (?<pdi>...)
	 * would otherwise drop a field in silence. */
	if (pcre2_pattern_info(f->re, PCRE2_INFO_NAMECOUNT, &count) != 0 ||
	    pcre2_pattern_info(f->re, PCRE2_INFO_NAMEENTRYSIZE, &esize) != 0 ||
	    pcre2_pattern_info(f->re, PCRE2_INFO_NAMETABLE, &table) != 0)
		return diag_set(d, DIAG_PATTERN, "cannot read the group names");
	for (uint32_t i = 0; i < count; i++) {
		const char *name = (const char *)(table + i * esize + 2);
		int known = 0;

		for (int g = 0; g < G_N; g++)
			known |= strcmp(name, grpname[g]) == 0;
		if (!known)
			return diag_set(d, DIAG_PATTERN, "unknown group name "
			    "\"%s\": expected ts, pid, tid, id, kind, dur, "
			    "route or status",
			    name);
	}
	for (int g = 0; g < G_N; g++) {
		rc = pcre2_substring_number_from_name(f->re,
		    (PCRE2_SPTR)grpname[g]);
		if (rc == PCRE2_ERROR_NOUNIQUESUBSTRING)
			return diag_set(d, DIAG_PATTERN, "group \"%s\" is "
			    "named twice", grpname[g]);
		f->grp[g] = rc > 0 ? rc : 0;
	}
	if (f->grp[G_TS] == 0)
		return diag_set(d, DIAG_PATTERN, "the pattern has no (?<ts>...) "
		    "group: name the timestamp's group ts");
	/* JIT where the system allows it.  Hardened kernels (SELinux
	 * execmem, PaX) forbid executable memory and JIT compilation then
	 * fails with PCRE2_ERROR_NOMEMORY: the interpreter matches the same
	 * lines, only slower, so fall back to it.  Any other failure is a
	 * real error. */
	rc = pcre2_jit_compile(f->re, PCRE2_JIT_COMPLETE);
	if (rc == 0) {
		f->jit = 1;
		/* The JIT's default stack (32 KiB) gives up on lines of a few
		 * thousand repetitions of a group (a key=value list); a stack
		 * that grows to FORMAT_JIT_STACK matches those, and a line
		 * past even that is skipped with the reason (FORMAT_LIMIT). */
		if ((f->jstack = pcre2_jit_stack_create(32 * 1024,
		    FORMAT_JIT_STACK, NULL)) == NULL ||
		    (f->mctx = pcre2_match_context_create(NULL)) == NULL)
			return diag_set(d, DIAG_NOMEM, "cannot allocate the "
			    "pattern's JIT stack");
		pcre2_jit_stack_assign(f->mctx, NULL, f->jstack);
	} else if (rc != PCRE2_ERROR_NOMEMORY && rc != PCRE2_ERROR_JIT_BADOPTION) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		return diag_set(d, DIAG_PATTERN, "JIT compilation failed: %s",
		    (char *)msg);
	}
	if ((f->md = pcre2_match_data_create_from_pattern(f->re, NULL)) == NULL)
		return diag_set(d, DIAG_NOMEM, "cannot allocate match data");
	return 0;
}

struct format *
format_preset(const char *name, int flags, struct diag *d)
{
	struct format *f;
	size_t i;

	for (i = 0; i < NPRESETS; i++)
		if (strcmp(presets[i].info.name, name) == 0)
			break;
	if (i == NPRESETS) {
		diag_set(d, DIAG_USAGE, "unknown format \"%s\": see "
		    "--list-formats", name);
		return NULL;
	}
	if (presets[i].info.json)
		return format_json(NULL, 0, d);
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a format");
		return NULL;
	}
	f->p = &presets[i];
	f->scan = presets[i].scan && !(flags & FORMAT_PCRE);
	/* $ only at the very end, as the scanner does, even for a line
	 * that holds a newline (the reader never hands out such a line). */
	if (compile(f, presets[i].info.pattern, PCRE2_DOLLAR_ENDONLY,
	    d) == -1) {
		format_free(f);
		return NULL;
	}
	return f;
}

struct format *
format_compile(const char *pattern, struct diag *d)
{
	struct format *f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a format");
		return NULL;
	}
	if (compile(f, pattern, 0, d) == -1) {
		format_free(f);
		return NULL;
	}
	return f;
}

struct format *
format_json(const char *const *maps, size_t n, struct diag *d)
{
	struct format *f;
	size_t i;

	for (i = 0; !presets[i].info.json; i++)
		;
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		diag_set(d, DIAG_NOMEM, "cannot allocate a format");
		return NULL;
	}
	f->p = &presets[i];
	if ((f->json = jsonline_new(maps, n, d)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

void
format_free(struct format *f)
{
	if (f == NULL)
		return;
	jsonline_free(f->json);
	pcre2_match_data_free(f->md);
	pcre2_match_context_free(f->mctx);
	pcre2_jit_stack_free(f->jstack);
	pcre2_code_free(f->re);
	free(f);
}

/*
 * The scanner.  Each step returns the position after what it accepted, or
 * SIZE_MAX with *what saying what was expected there.  It takes each
 * optional part greedily and never backtracks, which accepts exactly the
 * pattern's lines: where an optional part is not taken, the next byte is
 * one that nothing after it can accept (see tests/format.c, which compares
 * the two on many lines).
 */
#define FAIL	SIZE_MAX

static inline int
dig(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

static inline size_t
digits(const char *s, size_t n, size_t i, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (!dig(s, n, i + j))
			return FAIL;
	return i + k;
}

static size_t
scan_iso(const char *s, size_t n, size_t i)
{
	size_t j;

	/* The date and time, "YYYY-MM-DD HH:MM:SS" (T or a space), as the
	 * pattern's first 19 parts take them. */
	if (i > n || !ts_iso_shape(s + i, n - i))
		return FAIL;
	i += 19;
	if (i < n && (s[i] == '.' || s[i] == ',') && dig(s, n, i + 1))
		i = ts_skip_digits(s, i + 2, n);
	if (i < n && s[i] == 'Z')
		return i + 1;
	if (i < n && (s[i] == '+' || s[i] == '-') &&
	    (j = digits(s, n, i + 1, 2)) != FAIL) {
		if (j < n && s[j] == ':' && digits(s, n, j + 1, 2) != FAIL)
			return j + 3;
		if (digits(s, n, j, 2) != FAIL)
			return j + 2;
	}
	return i;
}

/*
 * Returns 1 on a match; else 0 with *at and *what saying where and why.
 * With o, the time is read too where it reads as ts_parse() reads its
 * span with o (c->has_t, c->t): in one pass when its minute is the memo's,
 * else after the scan (which leaves the memo warm for the lines after).
 * Inlined where it is called, so that a call without o costs nothing
 * for it.
 */
static inline __attribute__((always_inline)) int
scan(const struct preset *p, const struct ts_opt *o, const char *s, size_t n,
    struct format_cap *c, size_t *at, const char **what)
{
	size_t i = 0, j;

	if (p->pre == PRE_PIDTID) {
		i = ts_skip_digits(s, 0, n);
		if (i == 0) {
			*at = 0;
			*what = "a process id";
			return 0;
		}
		c->pid.s = s;
		c->pid.n = i;
		if (i + 1 >= n || s[i] != ':' || s[i + 1] != ' ') {
			*at = i;
			*what = "\": \" after the process id";
			return 0;
		}
		j = i += 2;
		i = ts_skip_digits(s, i, n);
		if (i == j) {
			*at = i;
			*what = "a thread id";
			return 0;
		}
		c->tid.s = s + j;
		c->tid.n = i - j;
		if (i + 1 >= n || s[i] != ':' || s[i + 1] != ' ') {
			*at = i;
			*what = "\": \" after the thread id";
			return 0;
		}
		i += 2;
	}
	if (o != NULL && (j = ts_iso_memo(s + i, n - i, o, &c->t)) > 0) {
		c->has_t = 1;
		j += i;
	} else if ((j = scan_iso(s, n, i)) == FAIL) {
		*at = i;
		*what = "a timestamp (YYYY-MM-DD HH:MM:SS[.fraction])";
		return 0;
	} else if (o != NULL)
		/* A time ts_parse() refuses is left to the caller, who reads
		 * it again to say why. */
		c->has_t = ts_parse(s + i, j - i, o, &c->t, NULL) == 0;
	c->ts.s = s + i;
	c->ts.n = j - i;
	/* The identities, when any, were taken as digits. */
	c->plain = 1;
	i = j;
	if (p->tail == TAIL_SEP) {
		if (i < n && s[i] != ' ' && s[i] != '\t') {
			*at = i;
			*what = "a space or the end of the line after the "
			    "timestamp";
			return 0;
		}
		return 1;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n) {
		*at = i;
		*what = "the end of the line after the timestamp";
		return 0;
	}
	return 1;
}

/*
 * Every group absent, copied from a constant: a chained assignment
 * (c->ts = c->pid = ... = none) was compiled as two 8-byte stores read
 * back as one 16-byte load, a store-forwarding stall that cost more than
 * the rest of the scan, and a memset as a slow-starting rep stos.
 */
static void
nocap(struct format_cap *c)
{
	static const struct format_cap none;

	*c = none;
}

/*
 * Whether a PCRE2 error is a limit one line ran into (backtracking, the
 * JIT stack, the heap), rather than a fault of the pattern or the call:
 * a line too long or too intricate for the pattern, not a reason to stop.
 */
static int
limit(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
	    rc == PCRE2_ERROR_NOMEMORY;
}

int
format_match(struct format *f, const char *s, size_t n, struct format_cap *c,
    struct diag *d)
{
	struct record_str *slot[G_N];
	PCRE2_SIZE *ov;
	size_t at;
	const char *what;
	int rc;

	nocap(c);
	if (f->scan && f->tso != NULL)
		return scan(f->p, f->tso, s, n, c, &at, &what);
	if (f->scan)
		return scan(f->p, NULL, s, n, c, &at, &what);
	if (f->json != NULL)
		return jsonline_match(f->json, s, n, c, d);
	for (int g = 0; g < G_N; g++)
		slot[g] = format_cap_group(c, g);
	/* An empty line has no valid pointer to give PCRE2 as subject. */
	if (f->jit)
		rc = pcre2_jit_match(f->re, (PCRE2_SPTR)(n ? s : ""), n, 0, 0,
		    f->md, f->mctx);
	else
		rc = pcre2_match(f->re, (PCRE2_SPTR)(n ? s : ""), n, 0, 0,
		    f->md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		if (limit(rc)) {
			if (d != NULL)
				d->col = 0;
			diag_set(d, DIAG_NOMATCH, "the pattern could not be "
			    "matched within PCRE2's limits: %s", (char *)msg);
			return FORMAT_LIMIT;
		}
		return diag_set(d, DIAG_PATTERN, "matching failed: %s",
		    (char *)msg);
	}
	ov = pcre2_get_ovector_pointer(f->md);
	for (int g = 0; g < G_N; g++) {
		int k = f->grp[g];

		if (k == 0 || k >= rc || ov[2 * k] == PCRE2_UNSET)
			continue;
		slot[g]->s = s + ov[2 * k];
		slot[g]->n = ov[2 * k + 1] - ov[2 * k];
	}
	return 1;
}

void
format_why(const struct format *f, const char *s, size_t n, struct diag *d)
{
	struct format_cap c;
	char q[64];
	size_t at = 0;
	const char *what;

	if (d == NULL)
		return;
	if (f->p != NULL && f->p->scan) {
		/* The scanner knows where it stopped, even when the PCRE2
		 * pattern was used to match. */
		if (scan(f->p, NULL, s, n, &c, &at, &what) == 1) {
			diag_set(d, DIAG_NOMATCH, "line does not match");
			return;
		}
		d->col = at + 1;
		/* The commonest mistake: arrivals logged as bare timestamps
		 * read with the default format.  Say so rather than that
		 * "2023" is a process id missing its colon. */
		if (f->p->pre == PRE_PIDTID && scan_iso(s, n, 0) != FAIL) {
			d->col = 1;
			diag_set(d, DIAG_NOMATCH, "expected \"PID: TID: \" "
			    "before the timestamp, got \"%s\" (a bare "
			    "timestamp: -f ts or -f iso)",
			    diag_quote(q, sizeof(q), s, n, 32));
			return;
		}
		if (at >= n)
			diag_set(d, DIAG_NOMATCH, "expected %s, got the end "
			    "of the line", what);
		else
			diag_set(d, DIAG_NOMATCH, "expected %s, got \"%s\"",
			    what, diag_quote(q, sizeof(q), s + at, n - at, 32));
		return;
	}
	d->col = 1;
	if (f->p != NULL)
		diag_set(d, DIAG_NOMATCH, "expected a line of the format %s, "
		    "got \"%s\"", f->p->info.name,
		    diag_quote(q, sizeof(q), s, n, 32));
	else
		diag_set(d, DIAG_NOMATCH, "expected a line matching the "
		    "pattern, got \"%s\"", diag_quote(q, sizeof(q), s, n, 32));
}

void
format_set_time(struct format *f, const struct ts_opt *o)
{
	f->tso = o;
}

const char *
format_name(const struct format *f)
{
	return f->p != NULL ? f->p->info.name : "custom";
}

enum ts_form
format_form(const struct format *f)
{
	return f->p != NULL ? f->p->info.form : TS_AUTO;
}

enum record_kind
format_kind(const struct format *f)
{
	return f->p != NULL ? f->p->info.kind : RECORD_END;
}

int
format_jit(const struct format *f)
{
	return f->jit;
}

int
format_scanner(const struct format *f)
{
	return f->scan;
}
