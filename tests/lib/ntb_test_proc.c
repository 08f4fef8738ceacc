/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "ntb_test_proc.h"

#define EAL_MAX_ARGS	32

int
ntb_test_proc_start(struct ntb_test_proc *p, const char *name,
		    ntb_test_proc_fn fn, void *arg)
{
	int sv[2];

	p->pid = -1;
	p->fd = -1;
	p->signo = 0;
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		printf("# %s: socketpair: %s\n", name, strerror(errno));
		return -1;
	}
	/* nothing buffered may be printed twice */
	fflush(stdout);
	fflush(stderr);
	p->pid = fork();
	if (p->pid < 0) {
		printf("# %s: fork: %s\n", name, strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (p->pid == 0) {
		int st;

		close(sv[0]);
		st = fn(arg, sv[1]);
		fflush(stdout);
		_exit(st);
	}
	close(sv[1]);
	p->fd = sv[0];
	return 0;
}

int
ntb_test_proc_wait(struct ntb_test_proc *p, unsigned int seconds)
{
	unsigned int i;
	int st, ret = NTB_TEST_PROC_TIMEOUT;

	if (p->pid <= 0)
		return NTB_TEST_PROC_FORK_FAIL;
	for (i = 0; i < seconds * 20; i++) {
		if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
			ret = WIFEXITED(st) ? WEXITSTATUS(st) :
				NTB_TEST_PROC_SIGNALED;
			p->signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
			goto out;
		}
		usleep(50000);
	}
	printf("# %s (pid %d) still running after %u s: killed\n", p->name,
	       (int)p->pid, seconds);
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &st, 0);
out:
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->pid = -1;
	return ret;
}

void
ntb_test_proc_kill_all(struct ntb_test_proc *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i].pid > 0)
			ntb_test_proc_wait(&p[i], 0);
}

static struct ntb_test_proc *cleanup_kids;
static unsigned int cleanup_nb_kids;
static const char *cleanup_sock;

static void
cleanup_at_exit(void)
{
	ntb_test_proc_kill_all(cleanup_kids, cleanup_nb_kids);
	if (cleanup_sock != NULL)
		unlink(cleanup_sock);
}

void
ntb_test_proc_cleanup_at_exit(struct ntb_test_proc *p, unsigned int n,
			      const char *sock_path)
{
	cleanup_kids = p;
	cleanup_nb_kids = n;
	cleanup_sock = sock_path;
	atexit(cleanup_at_exit);
}

void
ntb_test_proc_sock_path(char *path, size_t len, const char *tag)
{
	snprintf(path, len, "%s/ntb_%s_%d.sock",
		 access("/run", W_OK) == 0 ? "/run" : "/tmp", tag,
		 (int)getpid());
	unlink(path);
}

int
ntb_test_proc_eal_init(const char *tag, const char *const *extra,
		       unsigned int nb_extra)
{
	char prefix[64];
	char *argv[EAL_MAX_ARGS];
	int argc = 0;
	unsigned int i;

	if (nb_extra > EAL_MAX_ARGS - 9)
		return -1;
	/* the PID makes the prefix unique across concurrent test runs */
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", tag,
		 (int)getpid());
	argv[argc++] = (char *)(uintptr_t)tag;
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	/* one -m only: DPDK 25.11's EAL refuses an option given twice */
	for (i = 0; i < nb_extra; i++)
		if (strcmp(extra[i], "-m") == 0)
			break;
	if (i == nb_extra) {
		argv[argc++] = (char *)(uintptr_t)"-m";
		argv[argc++] = (char *)(uintptr_t)"256";
	}
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = prefix;
	argv[argc++] = (char *)(uintptr_t)"--log-level=pmd.raw.ntb_dwedma:notice";
	/* NTB_TEST_LOG=--log-level=pmd.raw.ntb_dwedma:debug to debug */
	if (getenv("NTB_TEST_LOG") != NULL)
		argv[argc++] = getenv("NTB_TEST_LOG");
	for (i = 0; i < nb_extra; i++)
		argv[argc++] = (char *)(uintptr_t)extra[i];
	argv[argc] = NULL;
	return rte_eal_init(argc, argv);
}

int
ntb_test_proc_eal_args(const char *tag, ...)
{
	const char *extra[EAL_MAX_ARGS];
	unsigned int n = 0;
	const char *a;
	va_list ap;

	va_start(ap, tag);
	while ((a = va_arg(ap, const char *)) != NULL && n < EAL_MAX_ARGS)
		extra[n++] = a;
	va_end(ap);
	return ntb_test_proc_eal_init(tag, extra, n);
}

int
ntb_test_proc_send(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len > 0) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ntb_test_proc_recv(int fd, void *buf, size_t len, unsigned int timeout_ms)
{
	char *b = buf;
	unsigned int waited = 0;

	/* bounded in 100 ms steps: no clock arithmetic needed */
	while (len > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		if (waited >= timeout_ms)
			return -1;
		r = poll(&pfd, 1, 100);
		waited += 100;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		n = recv(fd, b, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ntb_test_proc_say(int fd, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return -1;
	return ntb_test_proc_send(fd, buf, RTE_MIN((size_t)n, sizeof(buf) - 1));
}

int
ntb_test_proc_expect(int fd, char phase, char *line, size_t max,
		     unsigned int timeout_s)
{
	size_t n = 0;
	char c;

	line[0] = '\0';
	while (n + 1 < max &&
	       ntb_test_proc_recv(fd, &c, 1, timeout_s * 1000) == 0 &&
	       c != '\n') {
		line[n++] = c;
		line[n] = '\0';
	}
	if (line[0] != phase) {
		printf("# expected phase %c from the child, got \"%s\"\n",
		       phase, line);
		return -1;
	}
	return 0;
}

int
ntb_test_proc_expect_scan(int fd, char phase, unsigned int timeout_s,
			  const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (ntb_test_proc_expect(fd, phase, line, sizeof(line), timeout_s) < 0)
		return -1;
	va_start(ap, fmt);
	n = vsscanf(line, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : n;	/* the line came: never -1 (EOF) */
}
