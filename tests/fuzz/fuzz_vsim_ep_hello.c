/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the virtual link's socket messages as the RC
 * receives them. A waiting RC (no EP at start) connects, for each input,
 * to a fake EP that answers its hello with the fuzzed EP hello and fds,
 * then (if the RC took it) sends a second fuzzed message (MW_MAP...) and
 * hangs up. Input:
 *   data[0]      bits 0-1: copies of a 64 KiB memory file sent first;
 *                bit 6: send the second message; bit 7: make each
 *                header's len and nb_fds match what is sent
 *   data[1]      eventfds sent after the memory files (at most 100)
 *   data[2..3]   length of the first message (little endian)
 *   then the first message (header + payload), then the second.
 * The RC must take or refuse the EP, never fault, and keep no fd but
 * those of the last EP it took (and that EP's dead connection).
 */

#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_log.h>

#include "fuzz_common.h"
#include "ntb_test_usage.h"
#include "ntb_test_vsim.h"
#include "vsim.h"
#include "vsim_proto.h"

#define MEM_LEN		0x10000
#define MAX_EV		100
#define FD_MARGIN	8
#define MAX_MSG		(sizeof(struct vsim_msg_hdr) + \
			 sizeof(struct vsim_msg_ep_hello))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct vsim *rc;
static char sock_path[64];
static int listen_fd = -1, mem_fd = -1, ev_fd = -1;
static unsigned int fds_at_start, held;
static uint64_t nb_inputs, nb_taken;

static void
report(void)
{
	unsigned int now = ntb_test_count_fds();

	unlink(sock_path);	/* nothing else removes it at exit */

	printf("fuzz_vsim_ep_hello: %" PRIu64 " inputs, %" PRIu64 " EP hellos taken by the RC; open fds %u at start, %u at the end (the RC holds at most %u of the last EP)\n",
	       nb_inputs, nb_taken, fds_at_start, now, held);
	fflush(stdout);
	if (now > fds_at_start + held + 2)
		_exit(1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	RTE_SET_USED(argc);
	fuzz_eal_init((*argv)[0], "fuzz_ephello", "64");
	fuzz_sock_path(sock_path, sizeof(sock_path), "fuzz_ephello");
	/* no EP yet: the RC waits with the rcar-s4 BARs */
	rc = ntb_test_vsim_make("rc", sock_path, "profile", "rcar-s4",
				"connect_timeout_ms", "0", NULL);
	fuzz_peer_fds("fuzz_ep_mem", MEM_LEN, &mem_fd, &ev_fd);
	listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (rc == NULL || listen_fd < 0 ||
	    bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(listen_fd, 1) < 0)
		abort();
	fds_at_start = ntb_test_count_fds();
	atexit(report);
	return 0;
}

static int
send_with_fds(int s, uint8_t *msg, size_t len, unsigned int nb_mem,
	      unsigned int nb_ev, bool fix)
{
	char cbuf[CMSG_SPACE(sizeof(int) * (3 + MAX_EV))];
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fds[3 + MAX_EV];
	unsigned int n = 0, i;

	for (i = 0; i < nb_mem; i++)
		fds[n++] = mem_fd;
	for (i = 0; i < nb_ev; i++)
		fds[n++] = ev_fd;
	if (fix && len >= sizeof(struct vsim_msg_hdr)) {
		struct vsim_msg_hdr h;

		memcpy(&h, msg, sizeof(h));
		h.len = len - sizeof(h);
		h.nb_fds = n;
		memcpy(msg, &h, sizeof(h));
	}
	if (n > 0) {
		struct cmsghdr *c;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(s, &mh, MSG_NOSIGNAL) < 0 ? -1 : (int)n;
}

struct fake_ep {
	const uint8_t *msg;
	size_t len;
	unsigned int nb_mem, nb_ev;
	bool fix;
	int conn;
	int sent;	/* fds sent with the hello, -1: not sent */
};

/* The fake EP: take the RC's hello (closing its fds), answer. */
static void *
fake_ep_thread(void *arg)
{
	struct fake_ep *f = arg;
	struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
	char cbuf[CMSG_SPACE(sizeof(int) * 64)];
	static uint8_t buf[MAX_MSG];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	f->conn = -1;
	f->sent = -1;
	if (poll(&pfd, 1, 10000) <= 0)
		return NULL;
	f->conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (f->conn < 0)
		return NULL;
	pfd.fd = f->conn;
	if (poll(&pfd, 1, 10000) <= 0 || recvmsg(f->conn, &mh, 0) < 0)
		return NULL;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		unsigned int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;
		int *fd = (int *)CMSG_DATA(c);

		for (i = 0; c->cmsg_type == SCM_RIGHTS && i < k; i++)
			close(fd[i]);
	}
	memcpy(buf, f->msg, f->len);
	f->sent = send_with_fds(f->conn, buf, f->len, f->nb_mem, f->nb_ev,
				f->fix);
	return NULL;
}

static void
wait_dead(void)
{
	unsigned int i;

	for (i = 0; i < 100000 && vsim_state(rc) == VSIM_LINK_CONNECTED; i++)
		usleep(100);
	if (vsim_state(rc) == VSIM_LINK_CONNECTED)
		abort();	/* the RC did not see the EP go */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg2[MAX_MSG];
	struct fake_ep f;
	size_t len1, len2;
	pthread_t t;
	int ret;

	if (size < 4)
		return 0;
	len1 = (size_t)data[2] | (size_t)data[3] << 8;
	len1 = RTE_MIN(len1, size - 4);
	len1 = RTE_MIN(len1, MAX_MSG);
	len2 = RTE_MIN(size - 4 - len1, sizeof(msg2));
	memset(&f, 0, sizeof(f));
	f.msg = data + 4;
	f.len = len1;
	f.nb_mem = data[0] & 0x3;
	f.nb_ev = RTE_MIN(data[1], MAX_EV);
	f.fix = (data[0] & 0x80) != 0;
	if (pthread_create(&t, NULL, fake_ep_thread, &f) != 0)
		abort();
	ret = vsim_rc_reconnect_try(rc);
	pthread_join(t, NULL);
	nb_inputs++;
	if (ret == 0) {
		nb_taken++;
		/* its fds, and the dead connection until the next connect */
		held = (f.sent > 0 ? (unsigned int)f.sent : 0) + 1;
		if ((data[0] & 0x40) && len2 > 0 && f.conn >= 0) {
			struct pollfd pfd = { .fd = f.conn, .events = POLLIN };
			uint8_t ack[64];

			memcpy(msg2, data + 4 + len1, len2);
			if (send_with_fds(f.conn, msg2, len2, 0, 0, f.fix) >= 0 &&
			    poll(&pfd, 1, 200) > 0)
				(void)recv(f.conn, ack, sizeof(ack), MSG_DONTWAIT);
		}
	}
	if (f.conn >= 0)
		close(f.conn);
	if (ret == 0)
		wait_dead();
	/*
	 * A leak grows with the inputs: caught here on the input that makes
	 * it pass a small margin (a single transient fd of a connection
	 * being torn down is not one), and strictly at the end of the run.
	 */
	if (ntb_test_count_fds() > fds_at_start + held + FD_MARGIN) {
		fprintf(stderr, "fuzz_vsim_ep_hello: %u fds open (%u at start, %u held, ret %d)\n",
			ntb_test_count_fds(), fds_at_start, held, ret);
		if (getenv("FUZZ_DEBUG") != NULL &&
		    system("ls -l /proc/$PPID/fd >&2") != 0)
			fprintf(stderr, "ls failed\n");
		abort();
	}
	return 0;
}
