/*
 * fuzz/ts.c: ts_parse() over every form, and dur_parse().  The first
 * byte picks the form (its low three bits: 0-5 a ts_form, 6 dur_parse()
 * with bit 7 allowing a sign, 7 dur_parse_list()), a zone for naive times (bits 3-4: UTC,
 * +05:30, Europe/Berlin, none) and a syslog year (bit 7: 2024, else 0);
 * the rest is the text.  On success the result must be in range, survive
 * a round trip through ts_iso() and ts_epoch(), and ts_double() must be
 * the double strtod() reads from ts_epoch()'s digits; on failure the diag
 * must say what and where.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/dur.h"
#include "base/ts.h"

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

/* A duration: in range, and its ts_epoch() text reads back the same. */
static void
check_dur(const struct ts *t, int neg)
{
	struct ts u;
	struct diag d;
	char eb[TS_EPOCH_MAX];

	if (t->nsec < 0 || t->nsec >= 1000000000 || t->digits > 9 ||
	    (!neg && t->sec < 0))
		abort();
	ts_epoch(t, eb);
	if (dur_parse(eb, 1, &u, &d) == -1 || ts_cmp(t, &u) != 0)
		abort();
}

static int
fuzz_dur(const uint8_t *data, size_t size)
{
	char s[300];
	struct ts t, v[8];
	struct diag d;
	size_t n;
	int neg = (data[0] & 0x80) != 0;

	/* dur_parse() takes a C string: cut at the first NUL, and short. */
	n = size - 1 < sizeof(s) - 1 ? size - 1 : sizeof(s) - 1;
	memcpy(s, data + 1, n);
	s[n] = '\0';
	diag_clear(&d);
	if ((data[0] & 7) == 6) {
		if (dur_parse(s, neg, &t, &d) == 0)
			check_dur(&t, neg);
		else if (d.code != DIAG_USAGE || d.msg[0] == '\0' ||
		    d.col > strlen(s) + 1)
			abort();
		return 0;
	}
	if (dur_parse_list(s, v, 8, &n, &d) == 0) {
		if (n > 8 || n == 0)
			abort();
		for (size_t k = 0; k < n; k++)
			check_dur(&v[k], 0);
	} else if (d.code != DIAG_USAGE || d.msg[0] == '\0')
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_opt o = { .form = TS_AUTO };
	struct ts_opt oi = { .form = TS_ISO };
	struct ts_opt oe = { .form = TS_EPOCH };
	struct ts t, u;
	struct diag d;
	char buf[TS_ISO_MAX], eb[TS_EPOCH_MAX];
	static struct ts_memo memo;
	const char *s;
	size_t n, len;
	int rc;

	if (size < 1)
		return 0;
	if ((data[0] & 7) >= 6)
		return fuzz_dur(data, size);
	setup();
	o.form = (enum ts_form)(data[0] & 7);
	o.zone = (data[0] >> 3) % 4 == 3 ? NULL : zones[(data[0] >> 3) % 4];
	o.year = data[0] & 0x80 ? 2024 : 0;
	s = (const char *)data + 1;
	n = size - 1;
	diag_clear(&d);
	rc = ts_parse(s, n, &o, &t, &d);
	/* With a memo, cold then warm, the parse is the same. */
	o.memo = &memo;
	for (int k = 0; k < 2; k++) {
		struct diag dm;
		struct ts tm;
		int rm;

		diag_clear(&dm);
		rm = ts_parse(s, n, &o, &tm, &dm);
		if (rm != rc || (rc == 0 && (ts_cmp(&t, &tm) != 0 ||
		    t.digits != tm.digits || t.flags != tm.flags)) ||
		    (rc == -1 && (dm.code != d.code || dm.col != d.col ||
		    strcmp(dm.msg, d.msg) != 0)))
			abort();
	}
	if (rc == -1) {
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
	/* Nine digits so that the text is the exact value, whatever t had. */
	u = t;
	u.digits = 9;
	ts_epoch(&u, eb);
	if (ts_double(&t) != strtod(eb, NULL))
		abort();
	return 0;
}
