#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/jsonin.h"
#include "base/jsonout.h"
#include "trailer.h"

void
rec_input_free(struct rec_input *in)
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
rec_input_set_opts(struct rec_input *in, const char *const *opts, size_t n,
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
rec_input_copy(struct rec_input *dst, const struct rec_input *src,
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
	    rec_input_set_opts(dst, (const char *const *)src->opts,
	    src->nopts, d) == -1) {
		rec_input_free(dst);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	return 0;
}

static void
key_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_cstr(w, key);
	jw_u64(w, v);
}

void
rec_input_write(struct jw *w, const struct rec_input *in)
{
	const char *src = in->src != NULL ? in->src : "-";

	jw_cstr(w, "{\"src\":");
	jw_str(w, src, strlen(src));
	jw_cstr(w, ",\"kind\":\"input\"");
	key_u64(w, ",\"bytes\":", in->bytes);
	key_u64(w, ",\"lines\":", in->lines);
	key_u64(w, ",\"events\":", in->events);
	key_u64(w, ",\"skipped\":", in->skipped);
	key_u64(w, ",\"blank\":", in->blank);
	jw_cstr(w, ",\"first_skipped\":");
	if (in->first_skipped != NULL)
		jw_str(w, in->first_skipped, in->first_skipped_n);
	else
		jw_cstr(w, "null");
	jw_cstr(w, ",\"first_skipped_line\":");
	if (in->first_skipped != NULL && in->first_skipped_line > 0)
		jw_u64(w, in->first_skipped_line);
	else
		jw_cstr(w, "null");
	jw_cstr(w, ",\"sha256\":");
	if (in->incomplete && in->sha256[0] == '\0')
		jw_cstr(w, "null");
	else
		jw_str(w, in->sha256, strnlen(in->sha256,
		    sizeof(in->sha256)));
	key_u64(w, ",\"bad_utf8\":", in->bad_utf8);
	key_u64(w, ",\"fold\":", in->fold);
	if (in->opts != NULL) {
		jw_cstr(w, ",\"options\":[");
		for (size_t i = 0; i < in->nopts; i++) {
			if (i > 0)
				jw_char(w, ',');
			jw_str(w, in->opts[i], strlen(in->opts[i]));
		}
		jw_char(w, ']');
	}
	if (in->incomplete)
		jw_cstr(w, ",\"complete\":false");
	jw_raw(w, "}\n", 2);
}

static int
get_opts(const cJSON *o, struct rec_input *in, struct diag *d)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "options"), *j;
	const char **v;
	size_t n = 0;
	int rc;

	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return diag_set(d, DIAG_JSON, "expected \"options\" as an "
		    "array of strings, got %s", jr_type(a));
	if ((v = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v))) ==
	    NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	cJSON_ArrayForEach(j, a) {
		if (!cJSON_IsString(j)) {
			free(v);
			return diag_set(d, DIAG_JSON, "expected \"options\" as "
			    "an array of strings, got %s in it",
			    jr_type(j));
		}
		v[n++] = j->valuestring;
	}
	rc = rec_input_set_opts(in, v, n, d);
	free(v);
	return rc;
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

int
rec_input_read(const struct cJSON *o, const char *line, size_t n,
    struct rec_input *in, uint64_t *unknown, struct diag *d)
{
	static const char *const known[] = { "src", "kind", "bytes", "lines",
	    "events", "skipped", "blank", "first_skipped",
	    "first_skipped_line", "sha256", "bad_utf8", "fold", "options",
	    "complete", NULL };
	const cJSON *cp = cJSON_GetObjectItemCaseSensitive(o, "complete");
	const cJSON *fl = cJSON_GetObjectItemCaseSensitive(o,
	    "first_skipped_line");
	const char *src, *sha;
	struct jr_bytes fs;

	memset(in, 0, sizeof(*in));
	memset(&fs, 0, sizeof(fs));
	if (jr_str(o, "src", 1, &src, d) == -1 ||
	    jr_count(o, "bytes", 0, JR_MAX, 1, &in->bytes, d) == -1 ||
	    jr_count(o, "lines", 0, JR_MAX, 1, &in->lines, d) == -1 ||
	    jr_count(o, "events", 0, JR_MAX, 1, &in->events, d) == -1 ||
	    jr_count(o, "skipped", 0, JR_MAX, 1, &in->skipped, d) == -1 ||
	    jr_count(o, "blank", 0, JR_MAX, 0, &in->blank, d) == -1 ||
	    (fl != NULL && !cJSON_IsNull(fl) && jr_count(o,
	    "first_skipped_line", 1, JR_MAX, 1, &in->first_skipped_line,
	    d) == -1) ||
	    jr_str(o, "sha256", 0, &sha, d) == -1 ||
	    jr_count(o, "bad_utf8", 0, JR_MAX, 0, &in->bad_utf8, d) == -1 ||
	    jr_count(o, "fold", 0, JR_MAX, 0, &in->fold, d) == -1 ||
	    jr_bytes(o, line, n, "first_skipped", 0, &fs, d) == -1)
		return -1;
	if (sha != NULL && strlen(sha) >= sizeof(in->sha256)) {
		jr_bytes_free(&fs);
		return diag_set(d, DIAG_JSON, "expected \"sha256\" as 64 hex "
		    "digits, got %zu characters", strlen(sha));
	}
	if (sha != NULL)
		memcpy(in->sha256, sha, strlen(sha) + 1);
	if ((in->src = strdup(src)) == NULL || (fs.s != NULL &&
	    (in->first_skipped = memdup(fs.s, fs.n)) == NULL)) {
		jr_bytes_free(&fs);
		rec_input_free(in);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	in->first_skipped_n = fs.n;
	jr_bytes_free(&fs);
	if (in->first_skipped == NULL)
		in->first_skipped_line = 0;
	else if (fl == NULL)
		in->first_skipped_line = text_line(in->first_skipped,
		    in->first_skipped_n);
	if (cp != NULL && !cJSON_IsBool(cp)) {
		rec_input_free(in);
		return diag_set(d, DIAG_JSON, "expected \"complete\" as true "
		    "or false, got %s", jr_type(cp));
	}
	in->incomplete = cJSON_IsFalse(cp);
	if (get_opts(o, in, d) == -1) {
		rec_input_free(in);
		return -1;
	}
	if (unknown != NULL)
		*unknown += jr_unknown(o, known);
	return 0;
}
