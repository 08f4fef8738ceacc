/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_PROC_H
#define NTB_TEST_PROC_H

/**
 * Several DPDK processes from one test binary. The parent never calls
 * rte_eal_init: it forks each child first, and each child initialises
 * its own EAL with a file prefix of its own. Every child ends by itself
 * (its function returns) or is killed by its PID when the parent's
 * bound passes. A socketpair joins parent and child so that a child can
 * report more than an exit status.
 *
 *	struct ntb_test_proc ep;
 *	ntb_test_proc_start(&ep, "ep", ep_main, &args);	// child: ep_main(&args, fd)
 *	st = ntb_test_proc_wait(&ep, 60);		// 0 ok, child's code, or
 *							// NTB_TEST_PROC_SIGNALED/TIMEOUT
 */

#include <stddef.h>
#include <sys/types.h>

#define NTB_TEST_PROC_SIGNALED	100	/**< child died by a signal */
#define NTB_TEST_PROC_TIMEOUT	101	/**< killed after the bound */
#define NTB_TEST_PROC_FORK_FAIL	102

struct ntb_test_proc {
	pid_t pid;		/**< child, or -1 */
	int fd;			/**< parent's end of the socketpair, or -1 */
	int signo;		/**< after wait: the signal it died of, or 0 */
	char name[16];
};

/** Child body: returns its exit status; fd is its end of the pair. */
typedef int (*ntb_test_proc_fn)(void *arg, int fd);

/**
 * Fork a child that runs fn(arg, fd) and _exit()s with its return.
 * Returns 0, or -1 (fork or socketpair failed; p->pid is -1).
 */
int ntb_test_proc_start(struct ntb_test_proc *p, const char *name,
			ntb_test_proc_fn fn, void *arg);

/**
 * Wait at most seconds for the child; past that, SIGKILL it by PID and
 * reap it. Returns its exit status, NTB_TEST_PROC_SIGNALED or
 * NTB_TEST_PROC_TIMEOUT. Closes the parent's end of the pair.
 */
int ntb_test_proc_wait(struct ntb_test_proc *p, unsigned int seconds);

/**
 * At exit of the parent: SIGKILL and reap every child of p[0..n-1] still
 * running (atexit handlers take no argument: call it from one).
 */
void ntb_test_proc_kill_all(struct ntb_test_proc *p, unsigned int n);

/**
 * At the parent's exit: kill every child of p[0..n-1] still running (by
 * PID, ntb_test_proc_kill_all) and remove the link socket sock_path
 * (NULL: none). Once per process; p and sock_path are kept, not copied.
 */
void ntb_test_proc_cleanup_at_exit(struct ntb_test_proc *p, unsigned int n,
				   const char *sock_path);

/**
 * A UNIX socket path for the virtual link of this test run:
 * /run/ntb_<tag>_<pid>.sock (/tmp when /run is not writable), removed
 * if it is left from before.
 */
void ntb_test_proc_sock_path(char *path, size_t len, const char *tag);

/**
 * In a child, or in a test of one process: rte_eal_init with the project's test arguments (--no-huge
 * -m 256 --no-pci, --file-prefix=<tag>_<pid>, notice logs for our
 * drivers, then $NTB_TEST_LOG if set, e.g.
 * --log-level=pmd.raw.ntb_dwedma:debug) followed by the nb_extra strings
 * of extra (--vdev ...).
 * Returns rte_eal_init's result.
 */
int ntb_test_proc_eal_init(const char *tag, const char *const *extra,
			   unsigned int nb_extra);

/**
 * The same with the extra arguments given one by one, NULL last, e.g.
 * ntb_test_proc_eal_args("rc", "-l", "1", "--vdev", vdev, NULL).
 */
int ntb_test_proc_eal_args(const char *tag, ...);

/** Send len bytes on fd (one message). Returns 0 or -1. */
int ntb_test_proc_send(int fd, const void *buf, size_t len);

/**
 * Receive exactly len bytes within timeout_ms. Returns 0, or -1 on
 * timeout, EOF (the other end died) or error.
 */
int ntb_test_proc_recv(int fd, void *buf, size_t len,
		       unsigned int timeout_ms);

/**
 * Line protocol between a child and the parent: the child says one line
 * ("<phase letter> values...\n"), the parent expects it.
 */
int ntb_test_proc_say(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Read one line (without its newline) within timeout_s into line; 0 if
 * it starts with phase, else -1 with a diagnostic (a silent or dead
 * child gives "").
 */
int ntb_test_proc_expect(int fd, char phase, char *line, size_t max,
			 unsigned int timeout_s);

/**
 * ntb_test_proc_expect, then sscanf(line, fmt, ...) (fmt starts with the
 * phase letter): the count of values converted, or -1 when no line of
 * that phase came.
 */
int ntb_test_proc_expect_scan(int fd, char phase, unsigned int timeout_s,
			      const char *fmt, ...)
	__attribute__((format(scanf, 4, 5)));

#endif /* NTB_TEST_PROC_H */
