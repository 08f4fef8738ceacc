/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * ntb-floor-eventfd [CPU_A CPU_B [MS]]: the round trip of two processes
 * that sleep in read() on eventfds and wake each other with write() -
 * the floor of any interrupt-mode transport between two processes.
 * Prints round-trip percentiles in microseconds. The child ends when
 * the parent closes its eventfd end or exits (read fails / timeout).
 */

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "floor_common.h"

#define SAMPLES_MAX 2000000

static int
child(int ping, int pong, int cpu)
{
	uint64_t v;

	if (floor_pin(cpu) != 0)
		perror("ntb-floor-eventfd: pin B");
	for (;;) {
		struct pollfd p = { .fd = ping, .events = POLLIN };

		/* bounded: a parent that died leaves us within 5 s */
		if (poll(&p, 1, 5000) <= 0)
			return 0;
		if (read(ping, &v, sizeof(v)) != sizeof(v))
			return 1;
		if (v == UINT64_MAX - 1)
			return 0;
		v = 1;
		if (write(pong, &v, sizeof(v)) != sizeof(v))
			return 1;
	}
}

static double
pct(const uint64_t *s, int n, double p)
{
	int i = (int)(p / 100.0 * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return (double)s[i] / 1e3;
}

int
main(int argc, char **argv)
{
	int cpu_a = 0, cpu_b = 1, ms = 1000, n = 0, status, ping, pong;
	uint64_t *samples, end, v, sum = 0;
	pid_t pid;

	if (argc != 1 && argc != 3 && argc != 4) {
		fprintf(stderr, "usage: ntb-floor-eventfd [CPU_A CPU_B [MS]]\n");
		return 2;
	}
	if (argc >= 3) {
		cpu_a = (int)floor_arg(argv[0], "CPU_A", argv[1], 0, CPU_SETSIZE - 1);
		cpu_b = (int)floor_arg(argv[0], "CPU_B", argv[2], 0, CPU_SETSIZE - 1);
	}
	if (argc == 4)
		ms = (int)floor_arg(argv[0], "MS", argv[3], 1, 600000);
	samples = malloc(sizeof(*samples) * SAMPLES_MAX);
	ping = eventfd(0, 0);
	pong = eventfd(0, 0);
	if (samples == NULL || ping < 0 || pong < 0) {
		perror("ntb-floor-eventfd: setup");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("ntb-floor-eventfd: fork");
		return 1;
	}
	if (pid == 0)
		_exit(child(ping, pong, cpu_b));
	if (floor_pin(cpu_a) != 0)
		perror("ntb-floor-eventfd: pin A");
	end = floor_ns() + (uint64_t)ms * 1000000;
	while (n < SAMPLES_MAX) {
		uint64_t t0 = floor_ns(), t1;
		struct pollfd p = { .fd = pong, .events = POLLIN };

		v = 1;
		if (write(ping, &v, sizeof(v)) != sizeof(v))
			break;
		if (poll(&p, 1, 1000) <= 0 ||
		    read(pong, &v, sizeof(v)) != sizeof(v)) {
			fprintf(stderr, "ntb-floor-eventfd: no answer\n");
			break;
		}
		t1 = floor_ns();
		samples[n++] = t1 - t0;
		sum += t1 - t0;
		if (t1 > end)
			break;
	}
	v = UINT64_MAX - 1;
	if (write(ping, &v, sizeof(v)) != sizeof(v))
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (n == 0)
		return 1;
	qsort(samples, (size_t)n, sizeof(*samples), floor_cmp_u64);
	printf("{\"tool\": \"ntb-floor-eventfd\", \"round_trips\": %d, \"rtt_avg_us\": %.3f, "
	       "\"rtt_p50_us\": %.3f, \"rtt_p90_us\": %.3f, \"rtt_p99_us\": %.3f, "
	       "\"rtt_p999_us\": %.3f, \"rtt_max_us\": %.3f}\n",
	       n, (double)sum / n / 1e3, pct(samples, n, 50), pct(samples, n, 90),
	       pct(samples, n, 99), pct(samples, n, 99.9),
	       (double)samples[n - 1] / 1e3);
	free(samples);
	return 0;
}
