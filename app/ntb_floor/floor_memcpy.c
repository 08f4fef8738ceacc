/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * ntb-floor-memcpy [MS]: memcpy bandwidth of one core, GB/s, for the
 * copies a shared-memory transport does: 64-byte and 1500-byte frames
 * through a 2 MiB ring (cache-resident) and 1 MiB blocks of a 64 MiB
 * buffer (memory).
 */

#include <string.h>

#include "floor_common.h"

static volatile uint8_t sink;

static double
run(uint8_t *dst, const uint8_t *src, size_t ring, size_t len, int ms)
{
	uint64_t t0 = floor_ns(), t1, bytes = 0;
	size_t off = 0;

	do {
		int k;

		for (k = 0; k < 64; k++) {
			memcpy(dst + off, src + off, len);
			off += len;
			if (off + len > ring)
				off = 0;
		}
		bytes += 64 * len;
		t1 = floor_ns();
	} while (t1 - t0 < (uint64_t)ms * 1000000);
	sink = dst[off];
	return (double)bytes / (double)(t1 - t0);
}

int
main(int argc, char **argv)
{
	const size_t big = 64u << 20;
	uint8_t *src, *dst;
	int ms = 200;

	if (argc > 2) {
		fprintf(stderr, "usage: ntb-floor-memcpy [MS]\n");
		return 2;
	}
	if (argc == 2)
		ms = (int)floor_arg(argv[0], "MS", argv[1], 1, 100000);
	src = aligned_alloc(4096, big);
	dst = aligned_alloc(4096, big);
	if (src == NULL || dst == NULL) {
		fprintf(stderr, "ntb-floor-memcpy: out of memory\n");
		return 1;
	}
	memset(src, 0x5a, big);
	memset(dst, 0, big);
	printf("{\"tool\": \"ntb-floor-memcpy\", \"gbs_64B_hot\": %.2f, \"gbs_1500B_hot\": %.2f, "
	       "\"gbs_1MiB_mem\": %.2f}\n",
	       run(dst, src, 2u << 20, 64, ms), run(dst, src, 2u << 20, 1500, ms),
	       run(dst, src, big, 1u << 20, ms));
	free(src);
	free(dst);
	return 0;
}
