/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The ivshmem server protocol, client side (see ivshm_client.h). Only
 * the socket and the fds it carries: what the fds mean to the RC is the
 * platform's business (ivshm.c).
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "ivshm_client.h"
#include "ntb_dwedma_log.h"

/* more than one fd in a message is garbage; room to receive and close */
#define IVSHM_MSG_MAX_FDS	4
/* once a message started, the rest must follow within this time */
#define IVSHM_MSG_REST_MS	1000

static uint64_t
ivshm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
ivshm_close_fds(const int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * One 8-byte message and the fds that came with it. timeout_ms bounds
 * the wait for its first byte (0: do not wait). 1: got one (*fd = -1 if
 * none), 0: nothing, <0: error (socket closed, several fds, ...).
 */
static int
ivshm_recv_msg(struct ivshm_client *c, int64_t *val, int *fd, int timeout_ms)
{
	uint8_t buf[8];
	size_t got = 0;
	int fds[IVSHM_MSG_MAX_FDS];
	unsigned int nfds = 0;
	int ret = 0;

	*fd = -1;
	while (got < sizeof(buf)) {
		char cbuf[CMSG_SPACE(sizeof(int) * IVSHM_MSG_MAX_FDS)];
		struct iovec iov = { buf + got, sizeof(buf) - got };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct pollfd pfd = { .fd = c->sock, .events = POLLIN };
		struct cmsghdr *cm;
		ssize_t n;

		ret = poll(&pfd, 1, got == 0 ? timeout_ms : IVSHM_MSG_REST_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			ret = -errno;
			goto fail;
		}
		if (ret == 0) {
			if (got == 0)
				return 0;
			NTB_LOG(ERR, "ivshmem server sent %zu of 8 bytes of a message, then nothing",
				got);
			ret = -EPROTO;
			goto fail;
		}
		n = recvmsg(c->sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {
			ret = -errno;
			goto fail;
		}
		for (cm = CMSG_FIRSTHDR(&mh); cm != NULL;
		     cm = CMSG_NXTHDR(&mh, cm)) {
			size_t i, k;

			if (cm->cmsg_level != SOL_SOCKET ||
			    cm->cmsg_type != SCM_RIGHTS)
				continue;
			k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < k; i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + i * sizeof(int),
				       sizeof(int));
				if (nfds < IVSHM_MSG_MAX_FDS)
					fds[nfds++] = f;
				else
					close(f);
			}
		}
		if (mh.msg_flags & MSG_CTRUNC) {
			NTB_LOG(ERR, "ivshmem server sent more fds in one message than the protocol allows");
			ret = -EPROTO;
			goto fail;
		}
		if (n == 0) {
			ret = -ECONNRESET;
			goto fail;
		}
		got += (size_t)n;
	}
	if (nfds > 1) {
		NTB_LOG(ERR, "ivshmem server sent %u fds with one message (at most 1)",
			nfds);
		ret = -EPROTO;
		goto fail;
	}
	memcpy(val, buf, sizeof(*val));
	*val = (int64_t)rte_le_to_cpu_64((uint64_t)*val);
	*fd = nfds == 1 ? fds[0] : -1;
	return 1;
fail:
	ivshm_close_fds(fds, nfds);
	return ret;
}

/* Index of peer id in c->peer_id, or -1. */
static int
ivshm_client_peer_index(const struct ivshm_client *c, int64_t id)
{
	unsigned int i;

	for (i = 0; i < c->nb_peers; i++)
		if (c->peer_id[i] == id)
			return (int)i;
	return -1;
}

static void
ivshm_peer_forget(struct ivshm_client *c, unsigned int i)
{
	c->nb_peers--;
	c->peer_id[i] = c->peer_id[c->nb_peers];
	c->peer_vectors[i] = c->peer_vectors[c->nb_peers];
}

/* A peer or own-vector message after the shm fd; takes fd. */
static int
ivshm_handle(struct ivshm_client *c, int64_t id, int fd, bool connecting)
{
	int i;

	if (id < 0 || id > IVSHM_MAX_PEER_ID) {
		NTB_LOG(ERR, "ivshmem server sent peer id %" PRId64 " (0..%d)",
			id, IVSHM_MAX_PEER_ID);
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	if (id == c->own_id) {
		if (fd < 0) {
			NTB_LOG(ERR, "ivshmem server says we (peer %" PRId64 ") are gone",
				id);
			return -EPROTO;
		}
		if (!connecting) {
			/* the protocol sends our vectors once, at connect */
			NTB_LOG(ERR, "ivshmem server sent an own vector after the connect sequence");
			close(fd);
			return -EPROTO;
		}
		if (c->nb_vectors < IVSHM_MAX_VECTORS) {
			c->vec_fd[c->nb_vectors++] = fd;
		} else {
			c->extra_vectors++;
			close(fd);
		}
		return IVSHM_EV_OWN_VECTOR;
	}
	i = ivshm_client_peer_index(c, id);
	if (fd < 0) {
		if (i >= 0)
			ivshm_peer_forget(c, (unsigned int)i);
		else
			NTB_LOG(INFO, "ivshmem server: unknown peer %" PRId64 " gone",
				id);
		return IVSHM_EV_PEER_GONE;
	}
	close(fd);	/* see ivshm_client.h: the RC does not interrupt peers */
	if (i < 0) {
		if (c->nb_peers == IVSHM_MAX_PEERS) {
			NTB_LOG(ERR, "ivshmem server announces more than %u peers",
				IVSHM_MAX_PEERS);
			return -EPROTO;
		}
		i = (int)c->nb_peers++;
		c->peer_id[i] = id;
		c->peer_vectors[i] = 0;
	}
	if (c->peer_vectors[i] >= IVSHM_MAX_VECTORS * 64) {
		NTB_LOG(ERR, "ivshmem server sent too many vectors for peer %" PRId64,
			id);
		return -EPROTO;
	}
	c->peer_vectors[i]++;
	return IVSHM_EV_PEER_VECTOR;
}

static int
ivshm_expect(struct ivshm_client *c, const char *what, int64_t *val, int *fd,
	     unsigned int wait_ms)
{
	int ret = ivshm_recv_msg(c, val, fd, (int)wait_ms);

	if (ret == 0) {
		NTB_LOG(ERR, "ivshmem server sent no %s within %u ms", what,
			wait_ms);
		return -ETIMEDOUT;
	}
	if (ret < 0)
		NTB_LOG(ERR, "ivshmem server: reading the %s: %s", what,
			strerror(-ret));
	return ret < 0 ? ret : 0;
}

static int
ivshm_connect_socket(struct ivshm_client *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		NTB_LOG(ERR, "ivshmem server socket path is longer than %zu bytes: %s",
			sizeof(sa.sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->sock < 0)
		return -errno;
	if (connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		NTB_LOG(ERR, "cannot connect to the ivshmem server at %s: %s",
			path, strerror(err));
		return -err;
	}
	return 0;
}

int
ivshm_client_connect(struct ivshm_client *c, const char *path,
		     unsigned int settle_ms, unsigned int wait_ms)
{
	uint64_t deadline;
	int64_t val;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	c->sock = -1;
	c->shm_fd = -1;
	c->own_id = -1;
	ret = ivshm_connect_socket(c, path);
	if (ret < 0)
		goto fail;
	deadline = ivshm_now_ms() + wait_ms;

	ret = ivshm_expect(c, "protocol version", &val, &fd, wait_ms);
	if (ret < 0)
		goto fail;
	if (val != 0 || fd >= 0) {
		NTB_LOG(ERR, "ivshmem server speaks protocol version %" PRId64 "%s, we know version 0",
			val, fd >= 0 ? " (with an fd)" : "");
		if (fd >= 0)
			close(fd);
		ret = -EPROTO;
		goto fail;
	}
	ret = ivshm_expect(c, "peer id", &val, &fd, wait_ms);
	if (ret < 0)
		goto fail;
	if (val < 0 || val > IVSHM_MAX_PEER_ID || fd >= 0) {
		NTB_LOG(ERR, "ivshmem server gave us peer id %" PRId64 "%s (0..%d, no fd)",
			val, fd >= 0 ? " with an fd" : "", IVSHM_MAX_PEER_ID);
		if (fd >= 0)
			close(fd);
		ret = -EPROTO;
		goto fail;
	}
	c->own_id = val;
	ret = ivshm_expect(c, "shared memory fd", &val, &fd, wait_ms);
	if (ret < 0)
		goto fail;
	if (val != -1 || fd < 0) {
		NTB_LOG(ERR, "ivshmem server sent %" PRId64 "%s where the shared memory message (-1 with an fd) belongs",
			val, fd < 0 ? " without an fd" : "");
		if (fd >= 0)
			close(fd);
		ret = -EPROTO;
		goto fail;
	}
	c->shm_fd = fd;

	/* peers, then our vectors; then the server has nothing to say */
	for (;;) {
		uint64_t now = ivshm_now_ms();
		unsigned int left = now >= deadline ? 0 :
			(unsigned int)(deadline - now);

		ret = ivshm_recv_msg(c, &val, &fd,
				     (int)RTE_MIN(left, settle_ms));
		if (ret == 0)
			break;
		if (ret < 0) {
			NTB_LOG(ERR, "ivshmem server: connect sequence: %s",
				strerror(-ret));
			goto fail;
		}
		ret = ivshm_handle(c, val, fd, true);
		if (ret < 0)
			goto fail;
		if (left == 0)
			break;
	}
	if (c->extra_vectors != 0)
		NTB_LOG(WARNING, "ivshmem server offers %u + %" PRIu64 " vectors; %u used",
			c->nb_vectors, c->extra_vectors, c->nb_vectors);
	return 0;
fail:
	ivshm_client_close(c);
	return ret;
}

int
ivshm_client_poll(struct ivshm_client *c, int64_t *peer)
{
	int64_t val;
	int fd, ret;

	ret = ivshm_recv_msg(c, &val, &fd, 0);
	if (ret <= 0)
		return ret == 0 ? IVSHM_EV_NONE : ret;
	*peer = val;
	return ivshm_handle(c, val, fd, false);
}

void
ivshm_client_close(struct ivshm_client *c)
{
	ivshm_close_fds(c->vec_fd, c->nb_vectors);
	c->nb_vectors = 0;
	if (c->shm_fd >= 0)
		close(c->shm_fd);
	c->shm_fd = -1;
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
	c->nb_peers = 0;
}
