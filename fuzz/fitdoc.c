/*
 * fuzz/fitdoc.c: the fit document reader (analyze/fitdoc.c fitdoc_read,
 * skew-report's input) over any bytes that cJSON parses, then
 * report_render() in every format and every plot.
 *
 * What must hold: a document the reader refuses is refused with a diag
 * (DIAG_JSON naming the key path, or DIAG_NOMEM); one it accepts has every
 * run found by its number (analysis_run), renders as text (the other
 * formats and plots may refuse, with -1), and the codec writes and reads
 * it back to the same document: print(write(read(print(write(a))))) is
 * print(write(a)).  No crash, no leak, no undefined behaviour (ASan and
 * UBSan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "fitdoc.h"
#include "report.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The document of a, printed (cJSON_free it), or NULL. */
static char *
printed(const struct analysis *a)
{
	struct diag d;
	cJSON *j;
	char *t;

	if (fitdoc_write(a, &j, &d) == -1)
		return NULL;
	t = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return t;
}

/* The codec's fixed point: a's document read back prints the same. */
static void
round_trip(const struct analysis *a)
{
	struct analysis b;
	struct diag d;
	char *t1 = printed(a), *t2 = NULL;
	cJSON *j = t1 != NULL ? cJSON_Parse(t1) : NULL;

	if (t1 == NULL)
		return;
	if (j == NULL || fitdoc_read(j, &b, &d) == -1)
		abort();	/* the codec refuses its own document */
	t2 = printed(&b);
	if (t2 != NULL && strcmp(t1, t2) != 0)
		abort();	/* not a fixed point: reading it back changed it */
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_Delete(j);
	analysis_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plots[] = { "rank", "spread", "inflight",
	    "usl" };
	cJSON *fit = cJSON_ParseWithLength((const char *)data, size);
	struct report_opt o = { .to = REPORT_TEXT };
	struct analysis a;
	struct diag d;
	struct jsonout w;

	if (fit == NULL)
		return 0;
	diag_clear(&d);
	if (fitdoc_read(fit, &a, &d) == -1) {
		if (d.msg[0] == '\0' || (d.code != DIAG_JSON &&
		    d.code != DIAG_NOMEM))
			abort();
		cJSON_Delete(fit);
		return 0;
	}
	for (size_t k = 0; k < a.nruns; k++) {
		const struct stats *r = analysis_run(&a, a.runs[k].run);

		if (r == NULL || r->run != a.runs[k].run)
			abort();
	}
	round_trip(&a);
	for (int k = 0; k < 3 + 4 * 2; k++) {
		o.to = k < 3 ? (enum report_to)k : REPORT_SVG;
		o.plot = k < 3 ? NULL : plots[(k - 3) % 4];
		o.run = k < 7 ? 0 : 1;
		o.color = k == 0;
		diag_clear(&d);
		jsonout_init(&w, NULL);
		if (report_render(&a, &o, &w, &d) == -1 &&
		    o.to == REPORT_TEXT) {
			fprintf(stderr, "fitdoc: accepted, then not rendered "
			    "as text: %s\n", d.msg);
			abort();
		}
		jsonout_free(&w);
	}
	analysis_free(&a);
	cJSON_Delete(fit);
	return 0;
}
