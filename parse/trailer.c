#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/jsonin.h"
#include "base/jsonout.h"
#include "trailer.h"

/* The codes' names, in enum skip_code's order: written and read here. */
static const char *const skipnames[SKIP_NCODES] = {
	"too_long", "no_match", "limit", "no_timestamp", "bad_timestamp",
	"bad_kind", "bad_dur", "bad_status", "not_json", "no_ts_key",
	"bad_field"
};

const char *
skip_name(enum skip_code c)
{
	return (unsigned)c < SKIP_NCODES ? skipnames[c] : NULL;
}

void
trailer_free(struct trailer *in)
{
	if (in == NULL)
		return;
	free(in->src);
	free(in->first_skipped);
	for (size_t i = 0; i < in->nopts; i++)
		free(in->opts[i]);
	free(in->opts);
	in->src = NULL;
	in->first_skipped = NULL;
	in->first_skipped_n = 0;
	in->opts = NULL;
	in->nopts = 0;
}

/* s[0..n) copied with a NUL after it (the bytes may hold more). */
static char *
memdup(const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
trailer_set_opts(struct trailer *in, const char *const *opts, size_t n,
    struct diag *d)
{
	char **o;

	if (n == 0)
		return 0;
	if ((o = calloc(n, sizeof(*o))) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if ((o[i] = strdup(opts[i])) == NULL) {
			while (i-- > 0)
				free(o[i]);
			free(o);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
	in->opts = o;
	in->nopts = n;
	return 0;
}

int
trailer_copy(struct trailer *dst, const struct trailer *src,
    struct diag *d)
{
	*dst = *src;
	dst->src = NULL;
	dst->first_skipped = NULL;
	dst->opts = NULL;
	dst->nopts = 0;
	if ((src->src != NULL && (dst->src = strdup(src->src)) == NULL) ||
	    (src->first_skipped != NULL &&
	    (dst->first_skipped = memdup(src->first_skipped,
	    src->first_skipped_n)) == NULL) ||
	    trailer_set_opts(dst, (const char *const *)src->opts,
	    src->nopts, d) == -1) {
		trailer_free(dst);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	return 0;
}

static void
key_u64(struct jsonout *w, const char *key, uint64_t v)
{
	jsonout_cstr(w, key);
	jsonout_u64(w, v);
}

/*
 * "skip_reasons", only when a line was counted under a code: a trailer
 * with none (nothing skipped, or read from before the codes) is written
 * as before.
 */
static void
reasons_w(struct jsonout *w, const struct trailer *in)
{
	int n = 0;

	for (int c = 0; c < SKIP_NCODES; c++) {
		if (in->reasons[c].count == 0)
			continue;
		jsonout_cstr(w, n++ == 0 ? ",\"skip_reasons\":{\"" : ",\"");
		jsonout_cstr(w, skipnames[c]);
		key_u64(w, "\":{\"count\":", in->reasons[c].count);
		key_u64(w, ",\"first_line\":", in->reasons[c].first_line);
		jsonout_char(w, '}');
	}
	if (n > 0)
		jsonout_char(w, '}');
}

void
trailer_write(struct jsonout *w, const struct trailer *in)
{
	const char *src = in->src != NULL ? in->src : "-";

	jsonout_cstr(w, "{\"src\":");
	jsonout_str(w, src, strlen(src));
	jsonout_cstr(w, ",\"kind\":\"input\"");
	key_u64(w, ",\"bytes\":", in->bytes);
	key_u64(w, ",\"lines\":", in->lines);
	key_u64(w, ",\"events\":", in->events);
	key_u64(w, ",\"skipped\":", in->skipped);
	key_u64(w, ",\"blank\":", in->blank);
	jsonout_cstr(w, ",\"first_skipped\":");
	if (in->first_skipped != NULL)
		jsonout_str(w, in->first_skipped, in->first_skipped_n);
	else
		jsonout_cstr(w, "null");
	jsonout_cstr(w, ",\"first_skipped_line\":");
	if (in->first_skipped != NULL && in->first_skipped_line > 0)
		jsonout_u64(w, in->first_skipped_line);
	else
		jsonout_cstr(w, "null");
	reasons_w(w, in);
	jsonout_cstr(w, ",\"sha256\":");
	/* Unknown (a made-up trailer, or one read without the key): null,
	 * never "" (which no reader takes for a SHA-256). */
	if (in->sha256[0] == '\0')
		jsonout_cstr(w, "null");
	else
		jsonout_str(w, in->sha256, strnlen(in->sha256,
		    sizeof(in->sha256)));
	key_u64(w, ",\"bad_utf8\":", in->bad_utf8);
	key_u64(w, ",\"fold\":", in->fold);
	if (in->opts != NULL) {
		jsonout_cstr(w, ",\"options\":[");
		for (size_t i = 0; i < in->nopts; i++) {
			if (i > 0)
				jsonout_char(w, ',');
			jsonout_str(w, in->opts[i], strlen(in->opts[i]));
		}
		jsonout_char(w, ']');
	}
	if (in->incomplete)
		jsonout_cstr(w, ",\"complete\":false");
	jsonout_raw(w, "}\n", 2);
}

static int
get_opts(const cJSON *o, struct trailer *in, struct diag *d)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "options"), *j;
	const char **v;
	size_t n = 0;
	int rc;

	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return diag_set(d, DIAG_JSON, "expected \"options\" as an "
		    "array of strings, got %s", jsonin_type(a));
	if ((v = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v))) ==
	    NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(j, a) {
		if (!cJSON_IsString(j)) {
			free(v);
			return diag_set(d, DIAG_JSON, "expected \"options\" as "
			    "an array of strings, got %s in it",
			    jsonin_type(j));
		}
		v[n++] = j->valuestring;
	}
	rc = trailer_set_opts(in, v, n, d);
	free(v);
	return rc;
}

/* "skip_reasons" into in->reasons: known codes only, each with a count
 * and a first line, the counts adding up to "skipped". */
static int
reasons_r(const cJSON *o, struct trailer *in, struct diag *d)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "skip_reasons"), *j;
	uint64_t sum = 0;

	if (r == NULL || cJSON_IsNull(r))
		return 0;
	if (!cJSON_IsObject(r))
		return diag_set(d, DIAG_JSON, "expected \"skip_reasons\" as an "
		    "object, got %s", jsonin_type(r));
	cJSON_ArrayForEach(j, r) {
		char q[64];
		int c;

		for (c = 0; c < SKIP_NCODES; c++)
			if (j->string != NULL && strcmp(j->string,
			    skipnames[c]) == 0)
				break;
		if (c == SKIP_NCODES)
			return diag_set(d, DIAG_JSON, "unknown skip reason %s in "
			    "\"skip_reasons\" (see skew-parse(1))",
			    j->string ? diag_quote(q, sizeof(q), j->string,
			    strlen(j->string), 24) : "(none)");
		if (!cJSON_IsObject(j))
			return diag_set(d, DIAG_JSON, "expected \"skip_reasons\" "
			    "%s as an object, got %s", skipnames[c],
			    jsonin_type(j));
		if (in->reasons[c].count > 0)
			return diag_set(d, DIAG_JSON, "\"skip_reasons\" has %s "
			    "twice", skipnames[c]);
		if (jsonin_count(j, "count", 1, JSONIN_MAX, 1,
		    &in->reasons[c].count, d) == -1 ||
		    jsonin_count(j, "first_line", 1, JSONIN_MAX, 1,
		    &in->reasons[c].first_line, d) == -1)
			return -1;
		sum += in->reasons[c].count;
	}
	if (sum != in->skipped)
		return diag_set(d, DIAG_JSON, "\"skip_reasons\" count %llu "
		    "lines, \"skipped\" %llu", (unsigned long long)sum,
		    (unsigned long long)in->skipped);
	return 0;
}

/* The number a first_skipped text begins with ("17: ..."), or 0. */
static uint64_t
text_line(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && i < 19 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return i < n && s[i] == ':' ? v : 0;
}

/* 64 lowercase hex digits, as skew-parse writes a SHA-256; anything else
 * (a byte that is not UTF-8 would come back longer) is refused here, not
 * written on for the next stage to refuse. */
static int
is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i == 64 || !((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

int
trailer_read(const struct cJSON *o, const char *line, size_t n,
    struct trailer *in, uint64_t *unknown, struct diag *d)
{
	static const char *const known[] = { "src", "kind", "bytes", "lines",
	    "events", "skipped", "blank", "first_skipped",
	    "first_skipped_line", "skip_reasons", "sha256", "bad_utf8", "fold",
	    "options", "complete", NULL };
	const cJSON *cp = cJSON_GetObjectItemCaseSensitive(o, "complete");
	const cJSON *fl = cJSON_GetObjectItemCaseSensitive(o,
	    "first_skipped_line");
	const char *src, *sha;
	struct jsonin_bytes fs;

	memset(in, 0, sizeof(*in));
	memset(&fs, 0, sizeof(fs));
	if (jsonin_str(o, "src", 1, &src, d) == -1 ||
	    jsonin_count(o, "bytes", 0, JSONIN_MAX, 1, &in->bytes, d) == -1 ||
	    jsonin_count(o, "lines", 0, JSONIN_MAX, 1, &in->lines, d) == -1 ||
	    jsonin_count(o, "events", 0, JSONIN_MAX, 1, &in->events, d) == -1 ||
	    jsonin_count(o, "skipped", 0, JSONIN_MAX, 1, &in->skipped, d) == -1 ||
	    jsonin_count(o, "blank", 0, JSONIN_MAX, 0, &in->blank, d) == -1 ||
	    (fl != NULL && !cJSON_IsNull(fl) && jsonin_count(o,
	    "first_skipped_line", 1, JSONIN_MAX, 1, &in->first_skipped_line,
	    d) == -1) ||
	    jsonin_str(o, "sha256", 0, &sha, d) == -1 ||
	    jsonin_count(o, "bad_utf8", 0, JSONIN_MAX, 0, &in->bad_utf8, d) == -1 ||
	    jsonin_count(o, "fold", 0, JSONIN_MAX, 0, &in->fold, d) == -1 ||
	    jsonin_bytes(o, line, n, "first_skipped", 0, &fs, d) == -1)
		return -1;
	if (sha != NULL && !is_sha256(sha)) {
		char q[64];

		jsonin_bytes_free(&fs);
		return diag_set(d, DIAG_JSON, "expected \"sha256\" as 64 hex "
		    "digits, got %s", diag_quote(q, sizeof(q), sha, strlen(sha),
		    20));
	}
	if (sha != NULL)
		memcpy(in->sha256, sha, strlen(sha) + 1);
	if ((in->src = strdup(src)) == NULL || (fs.s != NULL &&
	    (in->first_skipped = memdup(fs.s, fs.n)) == NULL)) {
		jsonin_bytes_free(&fs);
		trailer_free(in);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	in->first_skipped_n = fs.n;
	jsonin_bytes_free(&fs);
	if (in->first_skipped == NULL)
		in->first_skipped_line = 0;
	else if (fl == NULL)
		in->first_skipped_line = text_line(in->first_skipped,
		    in->first_skipped_n);
	if (cp != NULL && !cJSON_IsBool(cp)) {
		trailer_free(in);
		return diag_set(d, DIAG_JSON, "expected \"complete\" as true "
		    "or false, got %s", jsonin_type(cp));
	}
	in->incomplete = cJSON_IsFalse(cp);
	if (get_opts(o, in, d) == -1 || reasons_r(o, in, d) == -1) {
		trailer_free(in);
		return -1;
	}
	if (unknown != NULL)
		*unknown += jsonin_unknown(o, known);
	return 0;
}
