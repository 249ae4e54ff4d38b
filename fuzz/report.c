/*
 * libFuzzer target: any bytes that cJSON parses go through the fit
 * document's reader (fitdoc_read) and, when it accepts them, through
 * report_render() in every format and every plot.  Whatever the document,
 * the reader must either fill an analysis or return -1 with a diag, and the
 * renderer must write a report or return -1: no crash, no leak, no
 * undefined behaviour (run under ASan and UBSan by make fuzz).
 */
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "fitdoc.h"
#include "report.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plots[] = { "rank", "spread", "inflight",
	    "usl" };
	cJSON *fit = cJSON_ParseWithLength((const char *)data, size);
	struct report_opt o = { .to = REPORT_TEXT };
	struct analysis a;
	struct diag d;
	struct jw w;

	if (fit == NULL)
		return 0;
	diag_clear(&d);
	if (fitdoc_read(fit, &a, &d) == -1) {
		cJSON_Delete(fit);
		return 0;
	}
	for (int k = 0; k < 3 + 4 * 2; k++) {
		o.to = k < 3 ? (enum report_to)k : REPORT_SVG;
		o.plot = k < 3 ? NULL : plots[(k - 3) % 4];
		o.run = k < 7 ? 0 : 1;
		o.color = k == 0;
		diag_clear(&d);
		jw_init(&w, NULL);
		(void)report_render(&a, &o, &w, &d);
		jw_free(&w);
	}
	analysis_free(&a);
	cJSON_Delete(fit);
	return 0;
}
