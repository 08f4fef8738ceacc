/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Control socket of the virtual link (AF_UNIX SOCK_SEQPACKET, fds by
 * SCM_RIGHTS; format in vsim_proto.h), link state, and the role-neutral
 * entry points of vsim.h.
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
	rc = poll(&pfd, 1, timeout_ms);
	if (rc == 0)
		return -ETIMEDOUT;
	if (rc < 0)
		return errno == EINTR ? -ETIMEDOUT : -errno;
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

void
vsim_set_state(struct vsim *vs, enum vsim_link_state st)
{
	__atomic_store_n(&vs->state, st, __ATOMIC_RELEASE);
	vsim_eventfd_signal(vs->event_fd);
	if (vs->cb != NULL)
		vs->cb(vs, st, vs->cb_arg);
}

struct vsim *
vsim_create(const struct vsim_params *p)
{
	static uint32_t instance;
	struct vsim *vs;
	int rc;

	vs = calloc(1, sizeof(*vs));
	if (vs == NULL)
		return NULL;
	vs->p = *p;
	if (vsim_params_validate(&vs->p) < 0) {
		NTB_LOG(ERR, "%s: %s", p->name[0] != '\0' ? p->name : "vsim",
			vsim_params_error(&vs->p));
		free(vs);
		return NULL;
	}
	if (p->name[0] != '\0')	/* the device's name in every log */
		snprintf(vs->name, sizeof(vs->name), "%s", p->name);
	else
		snprintf(vs->name, sizeof(vs->name), "vsim%d_%u",
			 (int)getpid(),
			 __atomic_fetch_add(&instance, 1, __ATOMIC_RELAXED));
	vs->sock = -1;
	vs->listen_fd = -1;
	vs->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&vs->lock, NULL);
	pthread_cond_init(&vs->cond, NULL);
	rte_rwlock_init(&vs->peer_lock);
	if (vs->event_fd < 0) {
		free(vs);
		return NULL;
	}
	rc = vs->p.role == VSIM_ROLE_EP ? vsim_ep_create(vs) :
		vsim_rc_create(vs);
	if (rc < 0) {
		close(vs->event_fd);
		free(vs);
		return NULL;
	}
	return vs;
}

void
vsim_destroy(struct vsim *vs)
{
	if (vs == NULL)
		return;
	if (vs->p.role == VSIM_ROLE_EP)
		vsim_ep_destroy(vs);
	else
		vsim_rc_destroy(vs);
	close(vs->event_fd);
	pthread_mutex_destroy(&vs->lock);
	pthread_cond_destroy(&vs->cond);
	free(vs);
}

enum vsim_role
vsim_role(const struct vsim *vs)
{
	return vs->p.role;
}

enum vsim_link_state
vsim_state(const struct vsim *vs)
{
	return __atomic_load_n(&vs->state, __ATOMIC_ACQUIRE);
}

int
vsim_event_fd(const struct vsim *vs)
{
	return vs->event_fd;
}

void
vsim_set_event_cb(struct vsim *vs, vsim_event_cb_t cb, void *arg)
{
	vs->cb_arg = arg;
	vs->cb = cb;
}

int
vsim_link_drop(struct vsim *vs)
{
	int rc = -ENOTCONN;

	pthread_mutex_lock(&vs->lock);
	/* both ends see EOF; each side's link thread then cleans up */
	if (vs->sock >= 0)
		rc = shutdown(vs->sock, SHUT_RDWR) == 0 ? 0 : -errno;
	pthread_mutex_unlock(&vs->lock);
	return rc;
}

uint64_t
vsim_edma_lock_timeouts(const struct vsim *vs)
{
	return dw_edma_model_lock_timeouts(&vs->edma);
}

int
vsim_wait_connected(struct vsim *vs, unsigned int timeout_ms)
{
	unsigned int waited = 0;

	while (vsim_state(vs) != VSIM_LINK_CONNECTED) {
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		rte_delay_us_sleep(1000);
		waited++;
	}
	return 0;
}
