/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Latency histogram: exact below 1024 ns, then 512 buckets per power of
 * two (relative error under 0.2%). Fixed size, so recording a sample in
 * the measurement loop is a few instructions and never allocates.
 */

#include <stdlib.h>
#include <string.h>

#include "ntb_perf.h"

#define HIST_SUB_BITS	9			/* 512 buckets per octave */
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_LINEAR	(2 * HIST_SUB)		/* 0..1023 ns exact */
#define HIST_OCTAVES	40			/* up to ~2^50 ns */
#define HIST_BUCKETS	(HIST_LINEAR + HIST_OCTAVES * HIST_SUB)

struct perf_hist {
	uint64_t count;
	uint64_t min;
	uint64_t max;
	double sum;
	uint64_t bucket[HIST_BUCKETS];
};

static unsigned int
hist_index(uint64_t v)
{
	unsigned int msb, shift;

	if (v < HIST_LINEAR)
		return (unsigned int)v;
	msb = 63 - (unsigned int)__builtin_clzll(v);	/* >= 10 */
	shift = msb - HIST_SUB_BITS;			/* >= 1 */
	if (shift > HIST_OCTAVES)
		return HIST_BUCKETS - 1;
	/* v >> shift is in [HIST_SUB, 2 * HIST_SUB) */
	return HIST_LINEAR + (shift - 1) * HIST_SUB +
		(unsigned int)((v >> shift) - HIST_SUB);
}

/* Upper bound of bucket i, so percentiles never understate. */
static uint64_t
hist_value(unsigned int i)
{
	unsigned int shift;
	uint64_t base;

	if (i < HIST_LINEAR)
		return i;
	shift = (i - HIST_LINEAR) / HIST_SUB + 1;
	base = HIST_SUB + (i - HIST_LINEAR) % HIST_SUB;
	return ((base + 1) << shift) - 1;
}

struct perf_hist *
perf_hist_create(void)
{
	struct perf_hist *h = calloc(1, sizeof(*h));

	if (h != NULL)
		h->min = UINT64_MAX;
	return h;
}

void
perf_hist_free(struct perf_hist *h)
{
	free(h);
}

void
perf_hist_add(struct perf_hist *h, uint64_t ns)
{
	h->bucket[hist_index(ns)]++;
	h->count++;
	h->sum += (double)ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

uint64_t
perf_hist_count(const struct perf_hist *h)
{
	return h->count;
}

double
perf_hist_mean(const struct perf_hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}

uint64_t
perf_hist_min(const struct perf_hist *h)
{
	return h->count ? h->min : 0;
}

uint64_t
perf_hist_max(const struct perf_hist *h)
{
	return h->max;
}

/* Smallest recorded value v such that pct percent of samples are <= v. */
uint64_t
perf_hist_percentile(const struct perf_hist *h, double pct)
{
	uint64_t rank, seen = 0, v;
	unsigned int i;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)((pct / 100.0) * (double)h->count + 0.999999);
	if (rank == 0)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			v = hist_value(i);
			return v > h->max ? h->max : (v < h->min ? h->min : v);
		}
	}
	return h->max;
}
