#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/jsonin.h"
#include "jsonline.h"

/* The keys a time is looked for under, in this order, without --field. */
static const char *const tskeys[] = {
	"timestamp", "time", "ts", "@timestamp", "t", "date"
};
#define NTSKEYS	(sizeof(tskeys) / sizeof(tskeys[0]))

/* Room for a number's plain decimal text (see plain()). */
#define NUMTEXT	80

/* A key: as given, and split at its dots for the nested reading. */
struct key {
	char	*flat;		/* NULL: none */
	char	**path;		/* the parts at the dots; path[0] is flat
				 * when it has no dot */
	size_t	 np;
};

struct jsonline {
	struct key	 keys[FORMAT_NGROUPS];	/* --field's, or pid's own */
	int		 mapped[FORMAT_NGROUPS];	/* by --field */
	struct key	 tsdef[NTSKEYS];	/* ts without --field ts */
	cJSON		*root;			/* the last line's tree */
	char		*own[FORMAT_NGROUPS];	/* decoded strings with a NUL */
	char		 num[FORMAT_NGROUPS][NUMTEXT];	/* plain numbers */
};

static void
key_free(struct key *k)
{
	if (k->path != NULL && k->np > 0 && k->path[0] != k->flat)
		free(k->path[0]);
	free(k->path);
	free(k->flat);
	memset(k, 0, sizeof(*k));
}

/* k from text[0..n): the flat key, and its parts at the dots in one
 * copy (path[0] points at it). */
static int
key_set(struct key *k, const char *text, size_t n)
{
	size_t parts = 1;
	char *cut;

	for (size_t i = 0; i < n; i++)
		parts += text[i] == '.';
	if ((k->flat = strndup(text, n)) == NULL ||
	    (k->path = calloc(parts, sizeof(*k->path))) == NULL)
		return -1;
	if (parts == 1) {
		k->path[0] = k->flat;
		k->np = 1;
		return 0;
	}
	if ((cut = strndup(text, n)) == NULL)
		return -1;
	k->path[k->np++] = cut;
	for (char *p = cut; (p = strchr(p, '.')) != NULL; )
		*p++ = '\0', k->path[k->np++] = p;
	return 0;
}

void
jsonline_free(struct jsonline *j)
{
	if (j == NULL)
		return;
	for (int g = 0; g < FORMAT_NGROUPS; g++) {
		key_free(&j->keys[g]);
		free(j->own[g]);
	}
	for (size_t i = 0; i < NTSKEYS; i++)
		key_free(&j->tsdef[i]);
	cJSON_Delete(j->root);
	free(j);
}

struct jsonline *
jsonline_new(const char *const *maps, size_t n, struct diag *d)
{
	struct jsonline *j;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(maps[i], '=');
		int g;

		for (g = 0; eq != NULL && g < FORMAT_NGROUPS; g++)
			if (strlen(format_group_name(g)) ==
			    (size_t)(eq - maps[i]) && strncmp(maps[i],
			    format_group_name(g), (size_t)(eq - maps[i])) == 0)
				break;
		if (eq == NULL || eq[1] == '\0' || g == FORMAT_NGROUPS) {
			diag_set(d, DIAG_USAGE, "--field %s: expected NAME=KEY "
			    "with NAME one of ts, pid, tid, id, kind, dur, "
			    "route, status", maps[i]);
			goto fail;
		}
		if (j->keys[g].flat != NULL) {
			diag_set(d, DIAG_USAGE, "--field %s: %s is mapped "
			    "twice", maps[i], format_group_name(g));
			goto fail;
		}
		if (key_set(&j->keys[g], eq + 1, strlen(eq + 1)) == -1)
			goto nomem;
		j->mapped[g] = 1;
	}
	if (j->keys[FORMAT_PID].flat == NULL &&
	    key_set(&j->keys[FORMAT_PID], "pid", 3) == -1)
		goto nomem;
	for (size_t i = 0; i < NTSKEYS; i++)
		if (key_set(&j->tsdef[i], tskeys[i], strlen(tskeys[i])) == -1)
			goto nomem;
	return j;
nomem:
	diag_set(d, DIAG_NOMEM, "out of memory");
fail:
	jsonline_free(j);
	return NULL;
}

/*
 * The value of k in root (null counts as absent), and the path that found
 * it: the flat key first, then the nested one.
 */
static const cJSON *
lookup(const cJSON *root, const struct key *k, const char *const **path,
    size_t *np)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, k->flat);

	*path = (const char *const *)&k->flat;
	*np = 1;
	if (it == NULL && k->np > 1) {
		it = root;
		for (size_t i = 0; i < k->np && it != NULL; i++)
			it = cJSON_IsObject(it) ?
			    cJSON_GetObjectItemCaseSensitive(it, k->path[i]) :
			    NULL;
		*path = (const char *const *)k->path;
		*np = k->np;
	}
	return it == NULL || cJSON_IsNull(it) ? NULL : it;
}

/*
 * A JSON number's text (RFC 8259) as plain decimal text in out: its
 * exponent applied by moving the point, the digits as written ("1.5e9"
 * is "1500000000", "2.50e-1" is "0.250", "1700000000.000" keeps its
 * point).  A sign is kept.  Returns the length, or -1 when it is not a
 * number or needs more than NUMTEXT bytes.
 */
static int
plain(const char *s, size_t n, char out[NUMTEXT])
{
	struct jsonin_cur cur = { s, s + n };
	const char *num, *ip, *fp = NULL;
	size_t numn, in = 0, fn = 0, i = 0, o = 0, nd;
	long e = 0, pt;
	int neg = 0;
	char dig[NUMTEXT];

	if (!jsonin_number(&cur, &num, &numn) || numn != n)
		return -1;
	if (s[i] == '-')
		neg = 1, i++;
	ip = s + i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, in++;
	if (i < n && s[i] == '.') {
		fp = s + ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, fn++;
	}
	if (i < n) {
		int eneg = 0;

		i++;
		if (s[i] == '+' || s[i] == '-')
			eneg = s[i++] == '-';
		for (; i < n; i++) {
			e = e * 10 + (s[i] - '0');
			if (e > NUMTEXT)
				return -1;
		}
		e = eneg ? -e : e;
	}
	if (in + fn >= NUMTEXT)
		return -1;
	memcpy(dig, ip, in);
	if (fn > 0)
		memcpy(dig + in, fp, fn);
	nd = in + fn;
	pt = (long)in + e;
	/* Written with a point (or an exponent that leaves digits after
	 * it): the plain text keeps one. */
	if ((long)nd + (pt < 0 ? -pt : 0) + 4 >= NUMTEXT || pt >= NUMTEXT - 2)
		return -1;
	if (neg)
		out[o++] = '-';
	if (pt <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (long k = pt; k < 0; k++)
			out[o++] = '0';
		memcpy(out + o, dig, nd);
		o += nd;
	} else if ((size_t)pt >= nd) {
		memcpy(out + o, dig, nd);
		o += nd;
		for (size_t k = nd; k < (size_t)pt; k++)
			out[o++] = '0';
	} else {
		memcpy(out + o, dig, (size_t)pt);
		o += (size_t)pt;
		out[o++] = '.';
		memcpy(out + o, dig + pt, nd - (size_t)pt);
		o += nd - (size_t)pt;
	}
	out[o] = '\0';
	return (int)o;
}

/*
 * An epoch in plain decimal text s[0..n): read as TS_AUTO reads one
 * (base/ts.h), seconds when a fraction was written, else by its count of
 * digits after leading zeros.  Returns 0 with *t set, or -1 with *d
 * saying why.
 */
static int
epoch(const char *s, size_t n, struct ts *t, struct diag *d)
{
	/* --time-format does not apply to -f json. */
	static const struct ts_opt auto_form = { .form = TS_AUTO,
	    .shape_hint = "-f json reads epochs of these units only; if "
	    "another key holds the time, name it with --field ts=KEY" };

	return ts_parse(s, n, &auto_form, t, d);
}

/* Whether s[0..n) is digits with at most one point among them. */
static int
epoch_text(const char *s, size_t n)
{
	int pts = 0, digs = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && pts++ == 0 && digs > 0)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		digs++;
	}
	return digs > 0 && s[n - 1] != '.';
}

/* Whether a string's text holds "\u0000", which cJSON's decoding ends at. */
static int
has_nul(const char *s, size_t n)
{
	if (memchr(s, '\0', n) != NULL)
		return 1;
	for (size_t i = 0; i + 6 <= n; i++)
		if (s[i] == '\\' && memcmp(s + i, "\\u0000", 6) == 0)
			return 1;
		else if (s[i] == '\\')
			i++;
	return 0;
}

/* Skip the line: code and why. */
static int
skipped(struct format_cap *c, enum skip_code code, struct diag *d)
{
	c->skip = code;
	if (d != NULL)
		d->col = 0;
	return FORMAT_SKIP;
}

/*
 * Group g's value it (found by path[0..np)) into *out: a string's bytes,
 * a number's text (plain decimal for dur and status, as written for the
 * identities).  Returns 0, FORMAT_SKIP, or -1 (out of memory).
 */
static int
value(struct jsonline *j, int g, const cJSON *it, const char *s, size_t n,
    const char *const *path, size_t np, struct record_str *out,
    struct format_cap *c, struct diag *d)
{
	const char *v;
	size_t vn;
	int k;

	if ((!cJSON_IsString(it) && !cJSON_IsNumber(it)) ||
	    jsonin_find(s, n, path, np, &v, &vn) == -1) {
		diag_set(d, DIAG_NOMATCH, "expected \"%s\" (%s) as a string "
		    "or a number, got %s", j->keys[g].flat, format_group_name(g),
		    jsonin_type(it));
		return skipped(c, SKIP_BAD_FIELD, d);
	}
	if (cJSON_IsString(it)) {
		if (vn < 2) {
			diag_set(d, DIAG_NOMATCH, "cannot read \"%s\"",
			    j->keys[g].flat);
			return skipped(c, SKIP_BAD_FIELD, d);
		}
		out->s = v + 1;
		out->n = vn - 2;
		if (memchr(out->s, '\\', out->n) == NULL)
			return 0;
		/* Escaped: cJSON's decoding, unless it may have cut the
		 * string at a NUL (then decoded here from the text). */
		out->s = it->valuestring;
		out->n = strlen(it->valuestring);
		if (!has_nul(v, vn))
			return 0;
		free(j->own[g]);
		if ((j->own[g] = malloc(vn)) == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		if ((k = (int)jsonin_unescape(v + 1, vn - 2, j->own[g])) < 0) {
			diag_set(d, DIAG_NOMATCH, "cannot read \"%s\"",
			    j->keys[g].flat);
			return skipped(c, SKIP_BAD_FIELD, d);
		}
		out->s = j->own[g];
		out->n = (size_t)k;
		return 0;
	}
	out->s = v;
	out->n = vn;
	if (g != FORMAT_DUR && g != FORMAT_STATUS)
		return 0;
	if ((k = plain(v, vn, j->num[g])) < 0) {
		char q[48];

		diag_set(d, DIAG_NOMATCH, "expected \"%s\" (%s) as a number "
		    "of at most %d digits, got %s", j->keys[g].flat,
		    format_group_name(g), NUMTEXT - 8,
		    diag_quote(q, sizeof(q), v, vn, 24));
		return skipped(c, g == FORMAT_DUR ? SKIP_BAD_DUR :
		    SKIP_BAD_STATUS, d);
	}
	out->s = j->num[g];
	out->n = (size_t)k;
	return 0;
}

/* The time: from the first of its keys present. */
static int
timeval(struct jsonline *j, const char *s, size_t n, struct format_cap *c,
    struct diag *d)
{
	const struct key *k = NULL;
	const cJSON *it = NULL;
	const char *const *path = NULL;
	const char *v;
	size_t np = 0, vn;
	char num[NUMTEXT];
	int len;

	if (j->keys[FORMAT_TS].flat != NULL) {
		k = &j->keys[FORMAT_TS];
		it = lookup(j->root, k, &path, &np);
	} else
		for (size_t i = 0; i < NTSKEYS && it == NULL; i++) {
			k = &j->tsdef[i];
			it = lookup(j->root, k, &path, &np);
		}
	if (it == NULL) {
		if (j->keys[FORMAT_TS].flat != NULL)
			diag_set(d, DIAG_NOMATCH, "expected the time under "
			    "\"%s\" (--field ts), found no such key", k->flat);
		else
			diag_set(d, DIAG_NOMATCH, "expected the time under "
			    "one of \"timestamp\", \"time\", \"ts\", "
			    "\"@timestamp\", \"t\", \"date\" (or name it: "
			    "--field ts=KEY)");
		return skipped(c, SKIP_NO_TS_KEY, d);
	}
	if (cJSON_IsString(it)) {
		c->ts.s = it->valuestring;
		c->ts.n = strlen(it->valuestring);
		if (jsonin_find(s, n, path, np, &v, &vn) == 0 && vn >= 2) {
			/* cJSON's string ends at a NUL: what follows it
			 * would go unread. */
			if (has_nul(v, vn)) {
				diag_set(d, DIAG_NOMATCH, "invalid time \"%s\": "
				    "it holds a NUL", k->flat);
				return skipped(c, SKIP_BAD_TIMESTAMP, d);
			}
			/* The line's own text, so that a message's column
			 * points into it. */
			if (memchr(v, '\\', vn) == NULL) {
				c->ts.s = v + 1;
				c->ts.n = vn - 2;
			}
		}
		if (!epoch_text(c->ts.s, c->ts.n))
			return 1;
		/* Digits as they are: a string's leading zeros are no
		 * fault of JSON's. */
		v = c->ts.s;
		vn = c->ts.n;
		len = vn < NUMTEXT ? (int)vn : -1;
		if (len > 0)
			memcpy(num, v, vn);
	} else if (!cJSON_IsNumber(it) ||
	    jsonin_find(s, n, path, np, &v, &vn) == -1) {
		diag_set(d, DIAG_NOMATCH, "expected the time \"%s\" as a string "
		    "or a number, got %s", k->flat, jsonin_type(it));
		return skipped(c, SKIP_BAD_TIMESTAMP, d);
	} else
		len = plain(v, vn, num);
	if (len < 0 || epoch(num, (size_t)len, &c->t, d) == -1) {
		char q[48], why[sizeof(d->msg)];

		snprintf(why, sizeof(why), "%s", len < 0 || d == NULL ?
		    "not a JSON number" : d->msg);
		diag_set(d, DIAG_NOMATCH, "invalid time \"%s\" %s: %s", k->flat,
		    diag_quote(q, sizeof(q), v, vn, 24), why);
		return skipped(c, SKIP_BAD_TIMESTAMP, d);
	}
	c->has_t = 1;
	c->ts.s = v;
	c->ts.n = vn;
	return 1;
}

int
jsonline_match(struct jsonline *j, const char *s, size_t n,
    struct format_cap *c, struct diag *d)
{
	int rc;

	cJSON_Delete(j->root);
	j->root = NULL;
	for (int g = 0; g < FORMAT_NGROUPS; g++) {
		free(j->own[g]);
		j->own[g] = NULL;
	}
	/* cJSON says NULL for a line it cannot read and when out of
	 * memory alike: a skipped line either way. */
	if ((j->root = jsonin_parse(s, n, "one a line, -f json", d)) == NULL) {
		if (d != NULL)
			d->code = DIAG_NOMATCH;
		return skipped(c, SKIP_NOT_JSON, d);
	}
	if ((rc = timeval(j, s, n, c, d)) != 1)
		return rc;
	for (int g = FORMAT_PID; g < FORMAT_NGROUPS; g++) {
		const char *const *path;
		const cJSON *it;
		size_t np;

		if (j->keys[g].flat == NULL ||
		    (it = lookup(j->root, &j->keys[g], &path, &np)) == NULL)
			continue;
		/* pid read by default: a value that is not one is not
		 * a reason to skip a line nobody asked pid of. */
		if (!j->mapped[g] && !cJSON_IsString(it) &&
		    !cJSON_IsNumber(it))
			continue;
		if ((rc = value(j, g, it, s, n, path, np,
		    format_cap_group(c, g), c, d)) != 0)
			return rc;
	}
	return 1;
}
