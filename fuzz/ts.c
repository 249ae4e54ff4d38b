/*
 * fuzz/ts.c: ts_parse() over every form.  The first byte picks the form
 * (and a zone for naive times, and a syslog year); the rest is the text.
 * On success the result must be in range and survive a round trip through
 * ts_iso() and ts_epoch(); on failure the diag must say what and where.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ts.h"

static struct ts_zone *zones[3];

static void
setup(void)
{
	struct diag d;

	if (zones[0] != NULL)
		return;
	zones[0] = ts_zone_new("UTC", &d);
	zones[1] = ts_zone_new("+05:30", &d);
	zones[2] = ts_zone_new("Europe/Berlin", &d);
	for (int k = 0; k < 3; k++)
		if (zones[k] == NULL)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_opt o = { TS_AUTO, NULL, 0 };
	struct ts_opt oi = { TS_ISO, NULL, 0 };
	struct ts_opt oe = { TS_EPOCH, NULL, 0 };
	struct ts t, u;
	struct diag d;
	char buf[TS_ISO_MAX], eb[TS_EPOCH_MAX];
	const char *s;
	size_t n, len;

	if (size < 1)
		return 0;
	setup();
	o.form = (enum ts_form)((data[0] & 7) % 6);
	o.zone = (data[0] >> 3) % 4 == 3 ? NULL : zones[(data[0] >> 3) % 4];
	o.year = data[0] & 0x80 ? 2024 : 0;
	s = (const char *)data + 1;
	n = size - 1;
	diag_clear(&d);
	if (ts_parse(s, n, &o, &t, &d) == -1) {
		if (d.code != DIAG_TS || d.msg[0] == '\0' || d.col > n + 1)
			abort();
		return 0;
	}
	if (t.nsec < 0 || t.nsec >= 1000000000 || t.digits > 9 ||
	    t.sec < 0 || t.sec > INT64_C(253402300799) ||
	    (t.flags & ~(TS_FFOLD | TS_FGAP)) != 0)
		abort();
	len = ts_iso(&t, buf);
	if (len != strlen(buf) || len >= TS_ISO_MAX)
		abort();
	if (ts_parse(buf, len, &oi, &u, &d) == -1 || ts_cmp(&t, &u) != 0 ||
	    u.digits != t.digits)
		abort();
	len = ts_epoch(&t, eb);
	if (len != strlen(eb) || len >= TS_EPOCH_MAX)
		abort();
	if (ts_parse(eb, len, &oe, &u, &d) == -1 || ts_cmp(&t, &u) != 0 ||
	    u.digits != t.digits)
		abort();
	return 0;
}
