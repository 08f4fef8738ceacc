/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The result line: one flat JSON object, keys and string values from
 * the tool itself (no escaping beyond quotes and backslashes needed, but
 * done anyway), printed last so scripts take the last line starting
 * with '{'.
 */

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "ntb_perf.h"

static void
json_add(struct perf_json *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, sizeof(j->buf) - j->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(j->buf) - j->len) {
		j->overflow = true;
		return;
	}
	j->len += (size_t)n;
}

static void
json_key(struct perf_json *j, const char *key)
{
	json_add(j, "%s\"%s\": ", j->len > 1 ? ", " : "", key);
}

void
perf_json_begin(struct perf_json *j)
{
	j->len = 0;
	j->overflow = false;
	json_add(j, "{");
}

void
perf_json_str(struct perf_json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_add(j, "\"");
	for (; *val != '\0'; val++) {
		if (*val == '"' || *val == '\\')
			json_add(j, "\\%c", *val);
		else if ((unsigned char)*val < 0x20)
			json_add(j, "\\u%04x", (unsigned char)*val);
		else
			json_add(j, "%c", *val);
	}
	json_add(j, "\"");
}

void
perf_json_u64(struct perf_json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	json_add(j, "%" PRIu64, val);
}

void
perf_json_f64(struct perf_json *j, const char *key, double val)
{
	json_key(j, key);
	/* JSON has no NaN or infinity */
	if (isfinite(val))
		json_add(j, "%.4f", val);
	else
		json_add(j, "null");
}

void
perf_json_end(struct perf_json *j, FILE *out)
{
	json_add(j, "}");
	if (j->overflow) {
		fprintf(out, "{\"error\": \"result line too long\"}\n");
		return;
	}
	fprintf(out, "%s\n", j->buf);
	fflush(out);
}
