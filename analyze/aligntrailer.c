#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aligntrailer.h"
#include "base/jsonin.h"

#define KEY(w, s)	jsonout_raw((w), (s), sizeof(s) - 1)

static void
secs(struct jsonout *w, const struct ts *t)
{
	char buf[TS_EPOCH_MAX];

	jsonout_raw(w, buf, ts_epoch(t, buf));
}

void
aligntrailer_write(struct jsonout *w, const struct align_info *info)
{
	KEY(w, "{\"kind\":\"align\",\"runs\":");
	jsonout_u64(w, info->runs);
	KEY(w, ",\"gap\":");
	secs(w, &info->gap);
	KEY(w, ",\"offset\":");
	secs(w, &info->offset);
	KEY(w, ",\"unmatched_starts\":");
	jsonout_u64(w, info->unmatched_starts);
	KEY(w, ",\"unmatched_ends\":");
	jsonout_u64(w, info->unmatched_ends);
	KEY(w, ",\"gap_source\":");
	if (info->gap_given)
		KEY(w, "\"given\"");
	else if (info->gap_timeout)
		KEY(w, "\"timeout\"");
	else
		KEY(w, "\"data\"");
	KEY(w, ",\"events\":");
	jsonout_u64(w, info->events);
	/* Extensions, present only when used (so the record of a plain
	 * alignment is as it always was). */
	if (info->offset_auto && info->auto_service_given) {
		KEY(w, ",\"auto_service_time\":");
		secs(w, &info->auto_service);
	}
	if (info->nsrcoff > 0) {
		KEY(w, ",\"offsets\":{");
		for (size_t k = 0; k < info->nsrcoff; k++) {
			if (k > 0)
				jsonout_char(w, ',');
			jsonout_str(w, info->srcoff[k].src,
			    strlen(info->srcoff[k].src));
			jsonout_char(w, ':');
			secs(w, &info->srcoff[k].off);
		}
		jsonout_char(w, '}');
	}
	/* Last: --timeout, when given or when it did something. */
	if (info->has_timeout && (info->timeout_given || info->timed_out > 0 ||
	    info->gap_timeout)) {
		KEY(w, ",\"timeout\":");
		secs(w, &info->timeout);
		KEY(w, ",\"timeout_source\":");
		if (info->timeout_given)
			KEY(w, "\"given\"");
		else
			KEY(w, "\"latency\"");
		KEY(w, ",\"timed_out\":");
		jsonout_u64(w, info->timed_out);
	}
	KEY(w, "}\n");
}

/* Seconds as a JSON number to a struct ts, rounded to the nanosecond:
 * the align record is provenance, not a time of record. */
static int
get_secs(const cJSON *o, const char *key, struct ts *t, struct diag *d)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	double v, s;

	memset(t, 0, sizeof(*t));
	if (it == NULL || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) ||
	    fabs(it->valuedouble) > 1e15)
		return diag_set(d, DIAG_JSON, "expected \"%s\" in seconds, "
		    "got %s", key, jsonin_type(it));
	v = it->valuedouble;
	s = floor(v);
	t->sec = (int64_t)s;
	t->nsec = (int32_t)llround((v - s) * 1e9);
	if (t->nsec >= 1000000000) {
		t->sec++;
		t->nsec -= 1000000000;
	}
	t->digits = ts_min_digits(t->nsec);
	return 0;
}

/* "offsets": {"SRC": seconds, ...}, in the record's order. */
static int
read_offsets(const cJSON *o, struct align_info *info, struct diag *d)
{
	const cJSON *offs = cJSON_GetObjectItemCaseSensitive(o, "offsets");
	const cJSON *it;
	size_t n = 0;

	if (offs == NULL || cJSON_IsNull(offs))
		return 0;
	if (!cJSON_IsObject(offs))
		return diag_set(d, DIAG_JSON, "expected \"offsets\" to be an "
		    "object of seconds by source, got %s", jsonin_type(offs));
	cJSON_ArrayForEach(it, offs)
		n++;
	if (n == 0)
		return 0;
	if ((info->srcoff_owned = calloc(n, sizeof(*info->srcoff_owned))) ==
	    NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	info->srcoff = info->srcoff_owned;
	cJSON_ArrayForEach(it, offs) {
		struct src_offset *so = &info->srcoff_owned[info->nsrcoff];

		if (get_secs(offs, it->string, &so->off, d) == -1 ||
		    (so->src = strdup(it->string)) == NULL) {
			if (d->code == DIAG_OK)
				diag_set(d, DIAG_NOMEM, "out of memory");
			aligntrailer_free(info);
			return -1;
		}
		info->nsrcoff++;
	}
	return 0;
}

/* "timeout", "timeout_source" and "timed_out": all three or none. */
static int
read_timeout(const cJSON *o, struct align_info *info, struct diag *d)
{
	const char *src;

	if (cJSON_GetObjectItemCaseSensitive(o, "timeout") == NULL)
		return 0;
	if (get_secs(o, "timeout", &info->timeout, d) == -1 ||
	    jsonin_count(o, "timed_out", 0, JSONIN_MAX, 1, &info->timed_out,
	    d) == -1 || jsonin_str(o, "timeout_source", 1, &src, d) == -1)
		return -1;
	info->has_timeout = 1;
	info->timeout_given = strcmp(src, "given") == 0;
	return 0;
}

int
aligntrailer_read(const cJSON *o, struct align_info *info, struct diag *d)
{
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(o, "offset");
	const char *src;
	uint64_t v;

	memset(info, 0, sizeof(*info));
	if (jsonin_count(o, "runs", 0, UINT32_MAX, 1, &v, d) == -1)
		return -1;
	info->runs = (size_t)v;
	if (get_secs(o, "gap", &info->gap, d) == -1)
		return -1;
	if (cJSON_IsString(off) && strcmp(off->valuestring, "auto") == 0)
		info->offset_auto = info->offset_unresolved = 1;
	else if (get_secs(o, "offset", &info->offset, d) == -1)
		return -1;
	if (jsonin_count(o, "unmatched_starts", 0, JSONIN_MAX, 1,
	    &info->unmatched_starts, d) == -1 ||
	    jsonin_count(o, "unmatched_ends", 0, JSONIN_MAX, 1,
	    &info->unmatched_ends, d) == -1 ||
	    jsonin_count(o, "events", 0, JSONIN_MAX, 0, &info->events, d) == -1 ||
	    jsonin_str(o, "gap_source", 0, &src, d) == -1)
		return -1;
	info->gap_given = src != NULL && strcmp(src, "given") == 0;
	info->gap_timeout = src != NULL && strcmp(src, "timeout") == 0;
	if (cJSON_GetObjectItemCaseSensitive(o, "auto_service_time") != NULL) {
		if (get_secs(o, "auto_service_time", &info->auto_service, d) ==
		    -1)
			return -1;
		/* It is written only with --offset auto. */
		info->auto_service_given = info->offset_auto = 1;
	}
	if (read_timeout(o, info, d) == -1)
		return -1;
	return read_offsets(o, info, d);
}

void
aligntrailer_free(struct align_info *info)
{
	for (size_t k = 0; info->srcoff_owned != NULL && k < info->nsrcoff;
	    k++)
		free((char *)info->srcoff_owned[k].src);
	free(info->srcoff_owned);
	info->srcoff_owned = NULL;
	info->srcoff = NULL;
	info->nsrcoff = 0;
}
