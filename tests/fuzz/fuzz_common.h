/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/*
 * What every libFuzzer harness of tests/fuzz sets up once, from
 * LLVMFuzzerInitialize: the EAL (--no-huge, mem_mb MB, no PCI, a file
 * prefix of tag and the PID) with the logs quiet unless FUZZ_DEBUG is
 * set, and, for the vsim harnesses, the socket path and the memory file
 * and eventfd that a fake peer hands over. Any failure aborts: a harness
 * that cannot start must not report a clean run.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_log.h>

static inline void
fuzz_eal_init(const char *argv0, const char *tag, const char *mem_mb)
{
	char prefix[64];
	char *eal[] = { (char *)(uintptr_t)argv0, "--no-huge", "-m",
		(char *)(uintptr_t)mem_mb, "--no-pci", prefix,
		"--log-level=lib.eal:error", NULL };

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", tag,
		 (int)getpid());
	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		abort();
	if (getenv("FUZZ_DEBUG") == NULL)
		rte_log_set_global_level(RTE_LOG_EMERG);
}

/* /tmp/<tag>_<pid>.sock into path, removed if it is left from before. */
static inline void
fuzz_sock_path(char *path, size_t len, const char *tag)
{
	snprintf(path, len, "/tmp/%s_%d.sock", tag, (int)getpid());
	unlink(path);
}

/* A memory file of mem_len bytes and an eventfd, as a peer sends them. */
static inline void
fuzz_peer_fds(const char *name, size_t mem_len, int *mem_fd, int *ev_fd)
{
	*mem_fd = memfd_create(name, MFD_CLOEXEC);
	*ev_fd = eventfd(0, EFD_CLOEXEC);
	if (*mem_fd < 0 || *ev_fd < 0 || ftruncate(*mem_fd, mem_len) < 0)
		abort();
}

/*
 * poll() of one fd for up to timeout_ms, resumed after a signal. libFuzzer
 * arms a repeating SIGALRM (every -timeout / 2 + 1 s) whose handler
 * interrupts a poll of the main thread: taken for "no answer", it
 * aborted runs of fuzz_vsim_hello under load (the longer the EP takes,
 * the likelier the alarm falls in the wait). >0 ready, 0 timed out,
 * <0 another error.
 */
static inline int
fuzz_poll(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	struct timespec now, end;
	int rc, left = timeout_ms;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	for (;;) {
		rc = poll(&pfd, 1, left);
		if (rc >= 0 || errno != EINTR)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (int)((end.tv_sec - now.tv_sec) * 1000 +
			     (end.tv_nsec - now.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
	}
}

#endif /* FUZZ_COMMON_H */
