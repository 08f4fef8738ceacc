/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the virtual link's socket messages, as the EP
 * receives them. One EP (in this process, with its link and command
 * threads) listens; each input is one connection from a fake RC that
 * sends one message with file descriptors attached:
 *   data[0]  bits 0-1: copies of a 64 KiB memory file sent first,
 *            bits 2-4: eventfds sent after them,
 *            bit 7: make the header's len and nb_fds match what is sent;
 *   data[1..] the message: struct vsim_msg_hdr, then the payload.
 * The EP must answer (EP hello) or hang up, never fault, and close what
 * it received (fds are counted at the end of the run).
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
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
#define MAX_MSG		(sizeof(struct vsim_msg_hdr) + \
			 sizeof(struct vsim_msg_ep_hello))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct vsim *ep;
static char sock_path[64];
static int mem_fd = -1, ev_fd = -1;
static unsigned int fds_at_start;
static unsigned int held;	/* fds sent with the last hello the EP took */
static uint64_t nb_inputs, nb_accepted;

/* End of the run: what the EP took, and no fd it received left open. */
static void
report(void)
{
	unsigned int now = ntb_test_count_fds();

	unlink(sock_path);	/* nothing else removes it at exit */

	printf("fuzz_vsim_hello: %" PRIu64 " inputs, %" PRIu64 " accepted as an RC hello; open fds %u at start, %u at the end (the EP holds at most %u of the last RC)\n",
	       nb_inputs, nb_accepted, fds_at_start, now, held);
	fflush(stdout);
	if (now > fds_at_start + held)
		_exit(1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	fuzz_eal_init((*argv)[0], "fuzz_hello", "64");
	fuzz_sock_path(sock_path, sizeof(sock_path), "fuzz_hello");
	ep = ntb_test_vsim_make("ep", sock_path, "profile", "rcar-s4", NULL);
	if (ep == NULL)
		abort();
	fuzz_peer_fds("fuzz_rc_mem", MEM_LEN, &mem_fd, &ev_fd);
	fds_at_start = ntb_test_count_fds();
	atexit(report);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t msg[MAX_MSG], reply[MAX_MSG];
	char cbuf[CMSG_SPACE(sizeof(int) * 16)];
	struct iovec iov = { .iov_base = msg };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	unsigned int nb_mem, nb_ev, n = 0, i;
	uint64_t events = 0, v;
	bool accepted = false;
	int fds[16], s;

	if (size < 1)
		return 0;
	nb_mem = data[0] & 0x3;
	nb_ev = (data[0] >> 2) & 0x7;
	size = RTE_MIN(size - 1, sizeof(msg));
	memcpy(msg, data + 1, size);
	for (i = 0; i < nb_mem; i++)
		fds[n++] = mem_fd;
	for (i = 0; i < nb_ev; i++)
		fds[n++] = ev_fd;
	if ((data[0] & 0x80) && size >= sizeof(struct vsim_msg_hdr)) {
		struct vsim_msg_hdr h;

		memcpy(&h, msg, sizeof(h));
		h.len = size - sizeof(h);
		h.nb_fds = n;
		memcpy(msg, &h, sizeof(h));
	}
	iov.iov_len = size;
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
	while (read(vsim_event_fd(ep), &v, sizeof(v)) == sizeof(v))
		;	/* state changes of earlier inputs */
	s = ntb_test_vsim_connect(sock_path);
	if (s < 0)
		abort();	/* the EP stopped listening */
	if (sendmsg(s, &mh, MSG_NOSIGNAL) >= 0) {
		/* the EP answers with its hello or hangs up (bounded) */
		if (fuzz_poll(s, POLLIN, 10000) <= 0)
			abort();	/* the EP hung on this input */
		if (recv(s, reply, sizeof(reply), MSG_DONTWAIT) >=
		    (ssize_t)sizeof(struct vsim_msg_hdr) &&
		    ((struct vsim_msg_hdr *)reply)->type == VSIM_MSG_EP_HELLO) {
			nb_accepted++;
			held = n;
			accepted = true;
		}
	}
	nb_inputs++;
	close(s);
	/*
	 * An RC the EP took (it answers before it marks the link connected)
	 * is dropped: wait for both state changes, connected then dead, so
	 * that the EP has closed that connection before fds are counted.
	 */
	for (i = 0; accepted && events < 2 && i < 100000; i++) {
		if (read(vsim_event_fd(ep), &v, sizeof(v)) == sizeof(v))
			events += v;
		else
			usleep(100);
	}
	if (accepted && events < 2)
		abort();	/* the EP did not drop the RC */
	/*
	 * The EP keeps the fds of the last RC it took (at most what that
	 * input sent) until the next one: more open is a leak, reported on
	 * the input that made it.
	 */
	if (getenv("FUZZ_FD_TRACE") != NULL)
		fprintf(stderr, "input %" PRIu64 ": d0 %#x size %zu, %u fds sent, held %u, open %u (start %u), EP state %d\n",
			nb_inputs, data[0], size, n, held, ntb_test_count_fds(),
			fds_at_start, (int)vsim_state(ep));
	if (ntb_test_count_fds() > fds_at_start + held) {
		printf("fuzz_vsim_hello: %u fds open (%u at start)\n",
		       ntb_test_count_fds(), fds_at_start);
		abort();
	}
	return 0;
}
