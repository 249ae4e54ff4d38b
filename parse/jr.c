#include <math.h>
#include <string.h>

#include "jr.h"

const char *
jr_type(const cJSON *j)
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
jr_count(const cJSON *o, const char *key, double min, int required,
    uint64_t *out, struct diag *d)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
	double v;

	if (j == NULL && !required) {
		*out = 0;
		return 0;
	}
	if (!cJSON_IsNumber(j))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a number, "
		    "got %s", key, jr_type(j));
	v = j->valuedouble;
	if (!(v >= min && v <= 9007199254740992.0) || v != floor(v))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a whole "
		    "number >= %.0f, got %.17g", key, min, v);
	*out = (uint64_t)v;
	return 0;
}

int
jr_str(const cJSON *o, const char *key, int required, const char **out,
    struct diag *d)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if ((j == NULL || cJSON_IsNull(j)) && !required)
		return 0;
	if (!cJSON_IsString(j))
		return diag_set(d, DIAG_JSON, "expected \"%s\" as a string, "
		    "got %s", key, jr_type(j));
	*out = j->valuestring;
	return 0;
}

uint64_t
jr_unknown(const cJSON *o, const char *const *known)
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
