/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * ntb-floor-cacheline [CPU_A CPU_B [MS]]: two threads pinned to two CPUs
 * bounce one cache line (each waits for the other's value, then writes
 * its own). Prints the median round trip in ns over 1 ms slices: the
 * floor of any cross-core handshake, and the probe devtools/bench.sh uses
 * to tell "near" from "far" vCPU placement.
 */

#include <stdatomic.h>
#include <string.h>

#include "floor_common.h"

#define SLICES_MAX 10000

static struct {
	_Alignas(64) _Atomic uint64_t ball;
	_Alignas(64) _Atomic int stop;
	int cpu_b;
} shared;

static void *
bouncer(void *arg)
{
	uint64_t v = 1;

	(void)arg;
	if (floor_pin(shared.cpu_b) != 0)
		perror("ntb-floor-cacheline: pin B");
	/* odd values are ours to answer */
	while (!atomic_load_explicit(&shared.stop, memory_order_relaxed)) {
		if (atomic_load_explicit(&shared.ball, memory_order_acquire) == v) {
			atomic_store_explicit(&shared.ball, v + 1,
					      memory_order_release);
			v += 2;
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	static uint64_t slices[SLICES_MAX];
	int cpu_a = 0, ms = 20, n = 0;
	uint64_t v = 0, end;
	pthread_t t;

	shared.cpu_b = 1;
	if (argc != 1 && argc != 3 && argc != 4) {
		fprintf(stderr, "usage: ntb-floor-cacheline [CPU_A CPU_B [MS]]\n");
		return 2;
	}
	if (argc >= 3) {
		cpu_a = (int)floor_arg(argv[0], "CPU_A", argv[1], 0, CPU_SETSIZE - 1);
		shared.cpu_b = (int)floor_arg(argv[0], "CPU_B", argv[2], 0,
					      CPU_SETSIZE - 1);
	}
	if (argc == 4)
		ms = (int)floor_arg(argv[0], "MS", argv[3], 1, SLICES_MAX);
	if (floor_pin(cpu_a) != 0) {
		perror("ntb-floor-cacheline: pin A");
		return 1;
	}
	if (pthread_create(&t, NULL, bouncer, NULL) != 0) {
		fprintf(stderr, "ntb-floor-cacheline: thread: failed\n");
		return 1;
	}
	/* let B start and reach its CPU */
	for (end = floor_ns() + 2000000; floor_ns() < end;)
		;
	end = floor_ns() + (uint64_t)ms * 1000000;
	while (n < ms) {
		uint64_t t0 = floor_ns(), rounds = 0, t1;

		do {
			atomic_store_explicit(&shared.ball, v + 1,
					      memory_order_release);
			while (atomic_load_explicit(&shared.ball,
					memory_order_acquire) != v + 2)
				;
			v += 2;
			rounds++;
			t1 = floor_ns();
		} while (t1 - t0 < 1000000);
		slices[n++] = (t1 - t0) / rounds;
		if (t1 > end + 100000000)	/* descheduled: stop anyway */
			break;
	}
	atomic_store(&shared.stop, 1);
	pthread_join(t, NULL);
	qsort(slices, (size_t)n, sizeof(slices[0]), floor_cmp_u64);
	printf("{\"tool\": \"ntb-floor-cacheline\", \"cpu_a\": %d, \"cpu_b\": %d, \"slices\": %d, "
	       "\"rtt_ns_p50\": %llu, \"rtt_ns_min\": %llu, \"rtt_ns_max\": %llu}\n",
	       cpu_a, shared.cpu_b, n, (unsigned long long)slices[n / 2],
	       (unsigned long long)slices[0], (unsigned long long)slices[n - 1]);
	return 0;
}
