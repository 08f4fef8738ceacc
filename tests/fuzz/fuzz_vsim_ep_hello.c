/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * libFuzzer harness: the virtual link's socket messages as the RC
 * receives them. A waiting RC (no EP at start) connects, for each input,
 * to a fake EP that answers its hello with the fuzzed EP hello and fds,
 * then (if the RC took it) sends a second fuzzed message (MW_MAP...) and
 * hangs up. Input:
 *   data[0]      bit 4: patch mode, see below;
 *                bits 0-1: copies of a 64 KiB memory file sent first;
 *                bit 5: send instead the fds the hello asks for (its
 *                mem.nb_files copies of the file, then db_count + 1 +
 *                nb_msi + 1 eventfds, capped as below);
 *                bit 6: send the second message; bit 7: make each
 *                header's len and nb_fds match what is sent, and the
 *                first message exactly an EP hello long (the input's
 *                bytes, zero-padded)
 *   data[1]      eventfds sent after the memory files (at most 100)
 *   data[2..3]   length of the first message (little endian); with
 *                bit 7, where the second message starts in the input
 *   then the first message (header + payload), then the second.
 * Patch mode (data[0] bit 4; bit 6 still sends the second message): the
 * two messages are a valid rcar-s4 EP hello and MW_MAP (make_template,
 * with the values the vsim EP sends) with the input's patches applied,
 * data[1..] in threes: offset (little endian, modulo the two messages'
 * length) and the byte to put there; the fds are those the hello asks
 * for. Every field the patches leave alone is valid, so each check (and
 * what lies behind the hello check: BAR reservation, window mapping,
 * MW_MAP) is tried a few fields at a time.
 * The RC must take or refuse the EP, never fault, and keep no fd but
 * those of the last EP it took (and that EP's dead connection).
 *
 * Bit 7 keeps the length right when the hello grows: the seeds were all
 * refused at the size check once VSIM_PROTO_MAX_WINS went from 8 to 12,
 * and no run noticed. A run of MIN_INPUTS inputs or more in which the RC
 * took no EP now fails.
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
#define MAX_MEM		VSIM_PROTO_MAX_FILES
#define FD_MARGIN	8
#define MIN_INPUTS	100	/* a run this long must take some EP */
#define MSG2_LEN	(sizeof(struct vsim_msg_hdr) + \
			 sizeof(struct vsim_msg_mw_map))
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
	if (nb_inputs >= MIN_INPUTS && nb_taken == 0) {
		printf("fuzz_vsim_ep_hello: no input got past the RC's hello check: the seeds (tests/fuzz/corpus/vsim_ep_hello) do not match the EP hello\n");
		fflush(stdout);
		_exit(1);
	}
}

/* Patch mode's base: what the vsim EP of profile rcar-s4 sends. */
static uint8_t tmpl[MAX_MSG + MSG2_LEN];

static void
make_template(void)
{
	struct vsim_msg_hdr h = { .type = VSIM_MSG_EP_HELLO,
		.len = sizeof(struct vsim_msg_ep_hello), .nb_fds = 19 };
	static const int8_t barno[8] = { 0, 0, 4, 2, 2, -1, -1, -1 };
	struct vsim_msg_ep_hello e = {
		.magic = VSIM_PROTO_MAGIC, .version = VSIM_PROTO_VERSION,
		.db_count = 16, .nb_msi = 0, .nb_wins = 4,
		.vendor_id = 0x1912, .device_id = 0x0030,
		.bar_len = { 0x1000, 0, 0x100000, 0, 0x100, 0 },
		.db_entry_size = 4, .edma_iova = 0x10000000,
		.edma_size = 0x1200, .msi_iova = 0x10007000,
		.state_iova = 0x10002000,
		.wins = {
			{ .kind = VSIM_WIN_CTRL, .bar = 0, .size = 0x1000,
			  .target = 0x10004000, .target_size = 0x1000 },
			{ .kind = VSIM_WIN_DB, .bar = 4, .size = 0x100,
			  .target = 0x10006000, .target_size = 0x100 },
			{ .kind = VSIM_WIN_MW, .bar = 2, .idx = 0,
			  .size = 0xf0000 },
			{ .kind = VSIM_WIN_MW, .bar = 2, .idx = 1,
			  .offset = 0xf0000, .size = 0x8000,
			  .target = 0x10000000, .target_size = 0x2000 },
		},
		.mem = { .nb_files = 1, .nb_regions = 1, .regions = {
			{ .iova = 0x10000000, .len = MEM_LEN } } },
	};
	struct vsim_msg_hdr h2 = { .type = VSIM_MSG_MW_MAP,
		.len = sizeof(struct vsim_msg_mw_map) };
	struct vsim_msg_mw_map m = { .idx = 0, .target = 0x10008000,
		.size = 0x8000 };

	memcpy(e.barno, barno, sizeof(barno));
	memcpy(tmpl, &h, sizeof(h));
	memcpy(tmpl + sizeof(h), &e, sizeof(e));
	memcpy(tmpl + MAX_MSG, &h2, sizeof(h2));
	memcpy(tmpl + MAX_MSG + sizeof(h2), &m, sizeof(m));
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
	make_template();
	fds_at_start = ntb_test_count_fds();
	atexit(report);
	return 0;
}

static int
send_with_fds(int s, uint8_t *msg, size_t len, unsigned int nb_mem,
	      unsigned int nb_ev, bool fix)
{
	char cbuf[CMSG_SPACE(sizeof(int) * (MAX_MEM + MAX_EV))];
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fds[MAX_MEM + MAX_EV];
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
	size_t len;	/* bytes sent */
	size_t avail;	/* of them from the input (the rest: zeros) */
	unsigned int nb_mem, nb_ev;
	bool fix, as_asked;
	int conn;
	int sent;	/* fds sent with the hello, -1: not sent */
};

/* The fake EP: take the RC's hello (closing its fds), answer. */
static void *
fake_ep_thread(void *arg)
{
	struct fake_ep *f = arg;
	char cbuf[CMSG_SPACE(sizeof(int) * 64)];
	static uint8_t buf[MAX_MSG];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	f->conn = -1;
	f->sent = -1;
	if (fuzz_poll(listen_fd, POLLIN, 10000) <= 0)
		return NULL;
	f->conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (f->conn < 0)
		return NULL;
	if (fuzz_poll(f->conn, POLLIN, 10000) <= 0 ||
	    recvmsg(f->conn, &mh, 0) < 0)
		return NULL;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		unsigned int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;
		int *fd = (int *)CMSG_DATA(c);

		for (i = 0; c->cmsg_type == SCM_RIGHTS && i < k; i++)
			close(fd[i]);
	}
	memset(buf, 0, sizeof(buf));
	memcpy(buf, f->msg, RTE_MIN(f->len, f->avail));
	if (f->as_asked && f->len >= MAX_MSG) {
		struct vsim_msg_ep_hello h;

		memcpy(&h, buf + sizeof(struct vsim_msg_hdr), sizeof(h));
		f->nb_mem = RTE_MIN(h.mem.nb_files, MAX_MEM);
		f->nb_ev = (unsigned int)RTE_MIN((uint64_t)h.db_count + 1 +
						 h.nb_msi + 1, MAX_EV);
	}
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
	static uint8_t patched[sizeof(tmpl)];
	const uint8_t *p2;
	struct fake_ep f;
	size_t len1, len2, i;
	pthread_t t;
	int ret;

	if (size < 4)
		return 0;
	memset(&f, 0, sizeof(f));
	if (data[0] & 0x10) {
		memcpy(patched, tmpl, sizeof(tmpl));
		for (i = 1; i + 3 <= size; i += 3)
			patched[((size_t)data[i] | (size_t)data[i + 1] << 8) %
				sizeof(patched)] = data[i + 2];
		f.msg = patched;
		f.len = f.avail = len1 = MAX_MSG;
		f.as_asked = true;
		p2 = patched + MAX_MSG;
		len2 = MSG2_LEN;
	} else {
		len1 = (size_t)data[2] | (size_t)data[3] << 8;
		len1 = RTE_MIN(len1, size - 4);
		len1 = RTE_MIN(len1, MAX_MSG);
		len2 = RTE_MIN(size - 4 - len1, sizeof(msg2));
		p2 = data + 4 + len1;
		f.msg = data + 4;
		f.fix = (data[0] & 0x80) != 0;
		f.as_asked = (data[0] & 0x20) != 0;
		f.len = f.fix ? MAX_MSG : len1;
		f.avail = len1;
		f.nb_mem = data[0] & 0x3;
		f.nb_ev = RTE_MIN(data[1], MAX_EV);
	}
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
			uint8_t ack[64];

			memcpy(msg2, p2, len2);
			if (send_with_fds(f.conn, msg2, len2, 0, 0, f.fix) >= 0 &&
			    fuzz_poll(f.conn, POLLIN, 200) > 0)
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
