/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Control socket of the virtual link (AF_UNIX SOCK_SEQPACKET, fds by
 * SCM_RIGHTS; format in vsim_proto.h) and the eventfds it carries.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

void
vsim_eventfd_signal(int fd)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		NTB_LOG(DEBUG, "eventfd %d: %s", fd, strerror(errno));
}

void
vsim_close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

static int
fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int
vsim_link_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd, rc;

	rc = fill_addr(&sa, path);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);	/* a stale socket of an earlier EP */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 1) < 0) {
		rc = -errno;
		NTB_LOG(ERR, "link: cannot listen on %s: %s", path,
			strerror(-rc));
		close(fd);
		return rc;
	}
	return fd;
}

/* Retry with backoff until the EP listens or timeout_ms passed. */
int
vsim_link_connect(const char *path, unsigned int timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * timeout_ms / 1000;
	unsigned int backoff_ms = 10;
	struct sockaddr_un sa;
	int fd, rc;

	rc = fill_addr(&sa, path);
	if (rc < 0)
		return rc;
	for (;;) {
		fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		rc = -errno;
		close(fd);
		if (rc != -ENOENT && rc != -ECONNREFUSED && rc != -EAGAIN)
			break;
		if (rte_get_timer_cycles() >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		rte_delay_us_sleep(backoff_ms * 1000);
		backoff_ms = RTE_MIN(backoff_ms * 2, 200u);
	}
	/* timeout 0 is a probe of a retrying caller: not an error yet */
	if (timeout_ms != 0)
		NTB_LOG(ERR, "link: cannot connect to %s: %s", path,
			strerror(-rc));
	return rc;
}

int
vsim_link_send(int sock, uint32_t type, uint32_t seq, const void *msg,
	       size_t len, const int *fds, unsigned int nb_fds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * VSIM_PROTO_MAX_FDS)];
	struct vsim_msg_hdr hdr = {
		.type = type, .len = len, .seq = seq, .nb_fds = nb_fds,
	};
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)(uintptr_t)msg, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	struct cmsghdr *c;

	if (nb_fds > VSIM_PROTO_MAX_FDS)
		return -E2BIG;
	if (nb_fds > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nb_fds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nb_fds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nb_fds);
	}
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/*
 * poll() for up to timeout_ms, resumed when a signal interrupts it: a
 * signal of the application (or of a timer, a profiler, libFuzzer's
 * alarm) in the thread that waits for a hello must not fail the
 * handshake as "timed out". >0 ready, 0 timed out, <0 -errno.
 */
static int
vsim_link_poll(struct pollfd *pfd, int timeout_ms)
{
	uint64_t hz = rte_get_timer_hz(), end = 0, now;
	int rc, left = timeout_ms;

	if (timeout_ms > 0)
		end = rte_get_timer_cycles() + hz * (uint64_t)timeout_ms / 1000;
	for (;;) {
		rc = poll(pfd, 1, left);
		if (rc >= 0)
			return rc;
		if (errno != EINTR)
			return -errno;
		if (timeout_ms < 0)
			continue;	/* no bound */
		now = rte_get_timer_cycles();
		if (now >= end)
			return 0;
		left = (int)RTE_MIN((end - now) * 1000 / hz + 1,
				    (uint64_t)timeout_ms);
	}
}

/*
 * Receive one message with its fds. 0 ok, -ETIMEDOUT, -EPIPE on EOF/HUP,
 * -EPROTO on a malformed message (its fds are closed).
 */
int
vsim_link_recv(int sock, struct vsim_msg_hdr *hdr, void *msg, size_t max,
	       int *fds, unsigned int *nb_fds, int timeout_ms)
{
	char cbuf[CMSG_SPACE(sizeof(int) * VSIM_PROTO_MAX_FDS)];
	struct iovec iov[2] = {
		{ .iov_base = hdr, .iov_len = sizeof(*hdr) },
		{ .iov_base = msg, .iov_len = max },
	};
	struct msghdr mh = {
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	unsigned int n = 0;
	struct cmsghdr *c;
	ssize_t r;
	int rc;

	*nb_fds = 0;
	rc = vsim_link_poll(&pfd, timeout_ms);
	if (rc == 0)
		return -ETIMEDOUT;
	if (rc < 0)
		return rc;
	if (!(pfd.revents & POLLIN))
		return -EPIPE;
	r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? -ETIMEDOUT : -EPIPE;
	/* fds arrive even with an empty message (r == 0): taken, then closed */
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_RIGHTS) {
			unsigned int k = (c->cmsg_len - CMSG_LEN(0)) /
				sizeof(int);

			k = RTE_MIN(k, VSIM_PROTO_MAX_FDS - n);
			memcpy(fds + n, CMSG_DATA(c), k * sizeof(int));
			n += k;
		}
	}
	*nb_fds = n;
	if (r == 0) {	/* EOF, or an empty message: no message */
		vsim_close_fds(fds, n);
		*nb_fds = 0;
		return -EPIPE;
	}
	if ((size_t)r < sizeof(*hdr) || (mh.msg_flags & (MSG_TRUNC |
							 MSG_CTRUNC)) ||
	    hdr->len != (size_t)r - sizeof(*hdr) || hdr->nb_fds != n) {
		NTB_LOG(ERR, "link: malformed message (%zd bytes, %u fds)",
			r, n);
		vsim_close_fds(fds, n);
		*nb_fds = 0;
		return -EPROTO;
	}
	return 0;
}
