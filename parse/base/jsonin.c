#include <math.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>

#include "base/jsonin.h"

const char *
jsonin_type(const cJSON *j)
{
	if (j == NULL)
		return "nothing";
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsArray(j))
		return "an array";
	return "an object";
}

int
jsonin_count(const cJSON *o, const char *key, uint64_t min, uint64_t max,
    int required, uint64_t *out, struct diag *d)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
	double v;

	if (j == NULL && !required) {
		*out = 0;
		return 0;
	}
	if (!cJSON_IsNumber(j))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a number, "
		    "got %s", key, jsonin_type(j));
	v = j->valuedouble;
	if (!(v >= (double)min && v <= (double)max) || v != floor(v)) {
		if (max >= JSONIN_MAX)
			return diag_set(d, DIAG_JSON, "expected \"%s\" as a "
			    "whole number >= %llu, got %.17g", key,
			    (unsigned long long)min, v);
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a whole "
		    "number from %llu to %llu, got %.17g", key,
		    (unsigned long long)min, (unsigned long long)max, v);
	}
	*out = (uint64_t)v;
	return 0;
}

int
jsonin_str(const cJSON *o, const char *key, int required, const char **out,
    struct diag *d)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if ((j == NULL || cJSON_IsNull(j)) && !required)
		return 0;
	if (!cJSON_IsString(j))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a string, "
		    "got %s", key, jsonin_type(j));
	*out = j->valuestring;
	return 0;
}

uint64_t
jsonin_unknown(const cJSON *o, const char *const *known)
{
	const cJSON *j;
	uint64_t n = 0;

	cJSON_ArrayForEach(j, o) {
		size_t k;

		for (k = 0; known[k] != NULL; k++)
			if (j->string != NULL && strcmp(j->string, known[k]) == 0)
				break;
		if (known[k] == NULL)
			n++;
	}
	return n;
}

static int
isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* JSON's white space; strchr() would also match the NUL. */
static int
isws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int
hex4(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = s[i];

		*v <<= 4;
		if (isdig(ch))
			*v |= (uint32_t)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			*v |= (uint32_t)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			*v |= (uint32_t)(ch - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static size_t
utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * A string's body s[0..n) (without its quotes) decoded into out, which has
 * room for n bytes (an escape is never shorter than what it stands for).
 * Returns the length, or -1 on an escape cJSON would have refused.
 */
static ssize_t
unescape(const char *s, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t cp, lo;

		if (s[i] != '\\') {
			out[o++] = s[i++];
			continue;
		}
		if (++i == n)
			return -1;
		switch (s[i++]) {
		case '"': out[o++] = '"'; continue;
		case '\\': out[o++] = '\\'; continue;
		case '/': out[o++] = '/'; continue;
		case 'b': out[o++] = '\b'; continue;
		case 'f': out[o++] = '\f'; continue;
		case 'n': out[o++] = '\n'; continue;
		case 'r': out[o++] = '\r'; continue;
		case 't': out[o++] = '\t'; continue;
		case 'u': break;
		default: return -1;
		}
		if (n - i < 4 || hex4(s + i, &cp) == -1)
			return -1;
		i += 4;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return -1;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (n - i < 6 || s[i] != '\\' || s[i + 1] != 'u' ||
			    hex4(s + i + 2, &lo) == -1 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return -1;
			i += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		o += utf8(cp, out + o);
	}
	return (ssize_t)o;
}

cJSON *
jsonin_parse(const char *line, size_t n, const char *what, struct diag *d)
{
	const char *end = NULL;
	cJSON *o;
	char q[80];

	if ((o = cJSON_ParseWithLengthOpts(line, n, &end, 0)) == NULL) {
		diag_set(d, DIAG_JSON, "expected a JSON object (%s), got %s",
		    what, diag_quote(q, sizeof(q), line, n, 40));
		return NULL;
	}
	while (end < line + n && isws(*end))
		end++;
	if (end != line + n) {
		diag_set(d, DIAG_JSON, "expected one JSON object on the line, "
		    "got more after it: %s", diag_quote(q, sizeof(q), end,
		    (size_t)(line + n - end), 40));
		cJSON_Delete(o);
		return NULL;
	}
	if (!cJSON_IsObject(o)) {
		diag_set(d, DIAG_JSON, "expected a JSON object, got %s",
		    jsonin_type(o));
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The index after the JSON string whose opening quote is at s[i]. */
static size_t
skip_str(const char *s, size_t n, size_t i)
{
	for (i++; i < n && s[i] != '"'; )
		i += s[i] == '\\' ? 2 : 1;
	return i < n ? i + 1 : n;
}

/* The index after the value at s[i] (the line cJSON accepted): a string,
 * an object or array with everything in it, or a scalar. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	size_t depth = 0;

	if (i < n && s[i] == '"')
		return skip_str(s, n, i);
	if (i < n && (s[i] == '{' || s[i] == '[')) {
		while (i < n) {
			if (s[i] == '"') {
				i = skip_str(s, n, i);
				continue;
			}
			if (s[i] == '{' || s[i] == '[')
				depth++;
			else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
				return i + 1;
			i++;
		}
		return n;
	}
	while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
	    !isws(s[i]))
		i++;
	return i;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && isws(s[i]))
		i++;
	return i;
}

/* Whether the key text s[0..n) (without quotes, maybe escaped) is key,
 * compared as cJSON compares: decoded. */
static int
key_is(const char *s, size_t n, const char *key, size_t klen)
{
	char buf[256], *t = buf;
	ssize_t k;
	int eq;

	if (memchr(s, '\\', n) == NULL)
		return n == klen && memcmp(s, key, klen) == 0;
	/* An escape is never shorter than what it stands for. */
	if (n < klen)
		return 0;
	if (n > sizeof(buf) && (t = malloc(n)) == NULL)
		return 0;
	k = unescape(s, n, t);
	eq = k == (ssize_t)klen && memcmp(t, key, klen) == 0;
	if (t != buf)
		free(t);
	return eq;
}

int
jsonin_find(const char *s, size_t n, const char *const *path, size_t np,
    const char **v, size_t *vn)
{
	size_t i = skip_ws(s, n, 0);

	for (size_t lv = 0; lv < np; lv++) {
		size_t klen = strlen(path[lv]);

		if (i >= n || s[i] != '{')
			return -1;
		i = skip_ws(s, n, i + 1);
		for (;;) {
			size_t kb, ke, vb, ve;

			if (i >= n || s[i] != '"')
				return -1;
			kb = i + 1;
			i = skip_str(s, n, i);
			ke = i - 1;
			i = skip_ws(s, n, i);
			if (i >= n || s[i] != ':')
				return -1;
			vb = skip_ws(s, n, i + 1);
			ve = skip_value(s, n, vb);
			/* The first member of that name, as cJSON's
			 * cJSON_GetObjectItemCaseSensitive() finds it. */
			if (ke >= kb && key_is(s + kb, ke - kb, path[lv],
			    klen)) {
				if (lv + 1 == np) {
					*v = s + vb;
					*vn = ve - vb;
					return 0;
				}
				i = vb;
				break;
			}
			i = skip_ws(s, n, ve);
			if (i >= n || s[i] != ',')
				return -1;
			i = skip_ws(s, n, i + 1);
		}
	}
	return -1;
}

int
jsonin_raw(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	return jsonin_find(s, n, &key, 1, v, vn);
}

ssize_t
jsonin_unescape(const char *s, size_t n, char *out)
{
	return unescape(s, n, out);
}

/* Whether cJSON may have cut a string of this line at a NUL. */
static int
has_nul(const char *s, size_t n)
{
	static const char esc[] = "\\u0000";

	if (memchr(s, '\0', n) != NULL)
		return 1;
	for (const char *p = s; (size_t)(s + n - p) >= sizeof(esc) - 1; p++) {
		if ((p = memchr(p, '\\', (size_t)(s + n - p))) == NULL)
			return 0;
		if ((size_t)(s + n - p) >= sizeof(esc) - 1 &&
		    memcmp(p, esc, sizeof(esc) - 1) == 0)
			return 1;
	}
	return 0;
}

int
jsonin_bytes(const cJSON *o, const char *line, size_t n, const char *key,
    int required, struct jsonin_bytes *out, struct diag *d)
{
	const char *v;
	size_t vn;
	ssize_t k;

	memset(out, 0, sizeof(*out));
	if (jsonin_str(o, key, required, &out->s, d) == -1)
		return -1;
	if (out->s == NULL)
		return 0;
	out->n = strlen(out->s);
	if (!has_nul(line, n))
		return 0;
	/* The key's text need not be found as written ("\u0069d" is "id"):
	 * then the string had no NUL that this line's text can show. */
	if (jsonin_raw(line, n, key, &v, &vn) == -1 || vn < 2 || v[0] != '"')
		return 0;
	if ((out->own = malloc(vn)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	if ((k = unescape(v + 1, vn - 2, out->own)) == -1) {
		jsonin_bytes_free(out);
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a string",
		    key);
	}
	out->s = out->own;
	out->n = (size_t)k;
	return 0;
}

void
jsonin_bytes_free(struct jsonin_bytes *b)
{
	free(b->own);
	b->own = NULL;
	b->s = NULL;
	b->n = 0;
}
