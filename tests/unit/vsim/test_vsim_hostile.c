/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EP side of the virtual link against a hostile or dying RC: a fake
 * RC speaks the socket protocol with crafted hellos (counts that wrap,
 * memory files shorter than their regions), and a real RC reconnects
 * while an EP eDMA transfer is using its memory. The EP must refuse, close
 * exactly what it received, never fault, and keep serving.
 */

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_memzone.h>

#include "dw_edma_v0_regs.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_usage.h"
#include "ntb_test_vsim.h"
#include "vsim.h"
#include "vsim_fault.h"
#include "vsim_priv.h"
#include "vsim_proto.h"

static struct vsim *ep;
static char sock_path[64];

static struct vsim *
make(const char *role)
{
	return ntb_test_vsim_make(role, sock_path, "profile", "rcar-s4",
				  "cmd_period_us", "1000",
				  "connect_timeout_ms", "5000", NULL);
}

/*
 * Send rh with fds; 1 if the EP answered EP_HELLO (accepted), 0 if it
 * closed the connection (refused), -1 on a local error. The socket is
 * returned in *sock when accepted.
 */
static int
fake_hello(const struct vsim_msg_rc_hello *rh, const int *fds,
	   unsigned int nb_fds, int *sock)
{
	static struct vsim_msg_ep_hello eh;
	struct vsim_msg_hdr hdr;
	int rfds[VSIM_PROTO_MAX_FDS];
	unsigned int nr = 0;
	int s = ntb_test_vsim_connect(sock_path), rc;

	if (s < 0)
		return -1;
	if (vsim_link_send(s, VSIM_MSG_RC_HELLO, 0, rh, sizeof(*rh), fds,
			   nb_fds) < 0) {
		close(s);
		return -1;
	}
	rc = vsim_link_recv(s, &hdr, &eh, sizeof(eh), rfds, &nr, 8000);
	vsim_close_fds(rfds, nr);
	if (rc == 0 && hdr.type == VSIM_MSG_EP_HELLO) {
		if (sock != NULL)
			*sock = s;
		else
			close(s);
		return 1;
	}
	close(s);
	return rc == -EPIPE ? 0 : -1;
}

static void
hello_init(struct vsim_msg_rc_hello *rh)
{
	memset(rh, 0, sizeof(*rh));
	rh->magic = VSIM_PROTO_MAGIC;
	rh->version = VSIM_PROTO_VERSION;
	rh->msi_addr = 0xFEE00000ull;
}

/* The EP is back to WAITING/DEAD and accepts a real RC afterwards. */
static int
ep_still_serves(void)
{
	struct vsim *rc = make("rc");
	int ok = rc != NULL && ntb_test_vsim_wait_state(ep, VSIM_LINK_CONNECTED, 5000) == 0;

	vsim_destroy(rc);
	if (ok)
		ok = ntb_test_vsim_wait_state(ep, VSIM_LINK_DEAD, 5000) == 0;
	return ok ? 0 : -1;
}

/*
 * H1: nb_files + nb_msi wraps to the number of fds sent; the EP must
 * bound each count first and close exactly the fds it received.
 */
static int
test_hello_counts_wrap(void)
{
	struct vsim_msg_rc_hello rh;
	int fds[16];
	unsigned int i, before;
	int r;

	fds[0] = eventfd(0, EFD_CLOEXEC);
	NTB_TEST_ASSERT(fds[0] >= 0, "eventfd");
	for (i = 1; i < RTE_DIM(fds); i++)
		fds[i] = fds[0];
	before = ntb_test_count_fds();
	hello_init(&rh);
	rh.nb_msi = 32;
	rh.mem.nb_files = 0u - 16;	/* + 32 wraps to 16 */
	r = fake_hello(&rh, fds, RTE_DIM(fds), NULL);
	NTB_TEST_ASSERT(r == 0, "wrapping counts refused (%d)", r);
	/* more fds than the counts say: refused, all of them closed */
	rh.nb_msi = 1;
	rh.mem.nb_files = 1;
	r = fake_hello(&rh, fds, 3, NULL);
	NTB_TEST_ASSERT(r == 0, "fd count mismatch refused (%d)", r);
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_WAITING, 5000) == 0, "EP waiting");
	NTB_TEST_ASSERT(ntb_test_count_fds() == before, "fds: %u before, %u after",
			before, ntb_test_count_fds());
	NTB_TEST_ASSERT(fcntl(fds[0], F_GETFD) >= 0, "our own fd untouched");
	close(fds[0]);
	NTB_TEST_ASSERT(ep_still_serves() == 0, "EP serves a real RC after");
	return 0;
}

/*
 * Found by fuzz_vsim_hello: a zero-length message still carries its fds;
 * the EP took them and returned "EOF" without closing them (8 fds leaked
 * per connection).
 */
static int
test_empty_message_with_fds(void)
{
	struct iovec iov = { .iov_base = NULL, .iov_len = 0 };
	char cbuf[CMSG_SPACE(sizeof(int) * 8)];
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	unsigned int before, i;
	int efd, s, fds[8];
	char b;

	efd = eventfd(0, EFD_CLOEXEC);
	NTB_TEST_ASSERT(efd >= 0, "eventfd");
	for (i = 0; i < RTE_DIM(fds); i++)
		fds[i] = efd;
	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	before = ntb_test_count_fds();
	for (i = 0; i < 4; i++) {
		s = ntb_test_vsim_connect(sock_path);
		NTB_TEST_ASSERT(s >= 0, "connect");
		NTB_TEST_ASSERT(sendmsg(s, &mh, MSG_NOSIGNAL) == 0, "sendmsg");
		/* the EP hangs up */
		NTB_TEST_ASSERT(recv(s, &b, 1, 0) == 0, "EP closed");
		close(s);
	}
	NTB_TEST_ASSERT(ntb_test_count_fds() == before, "fds: %u before, %u after",
			before, ntb_test_count_fds());
	close(efd);
	NTB_TEST_ASSERT(ep_still_serves() == 0, "EP serves a real RC after");
	return 0;
}

/*
 * H2: a memory file shorter than its region is refused (its mapping would
 * SIGBUS on first touch); a file that allows sealing is sealed against
 * shrinking, so the peer cannot truncate it under us afterwards.
 */
static int
test_hello_memory_file_size(void)
{
	struct vsim_msg_rc_hello rh;
	int mfd, sock = -1, seals, r;
	unsigned int before;

	mfd = memfd_create("hostile_rc", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	NTB_TEST_ASSERT(mfd >= 0 && ftruncate(mfd, 0x1000) == 0, "memfd");
	before = ntb_test_count_fds();
	hello_init(&rh);
	rh.mem.nb_files = 1;
	rh.mem.nb_regions = 1;
	rh.mem.regions[0].iova = 0x100000000ull;
	rh.mem.regions[0].len = 0x10000;	/* the file has 0x1000 */
	rh.mem.regions[0].fd_offset = 0;
	r = fake_hello(&rh, &mfd, 1, NULL);
	NTB_TEST_ASSERT(r == 0, "short file refused (%d)", r);
	rh.mem.regions[0].len = 0x1000;
	rh.mem.regions[0].fd_offset = 0x1000;	/* past the end */
	r = fake_hello(&rh, &mfd, 1, NULL);
	NTB_TEST_ASSERT(r == 0, "offset past the end refused (%d)", r);
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_WAITING, 5000) == 0 ||
			vsim_state(ep) == VSIM_LINK_DEAD, "EP not connected");
	NTB_TEST_ASSERT(ntb_test_count_fds() == before, "fds: %u before, %u after",
			before, ntb_test_count_fds());

	NTB_TEST_ASSERT(ftruncate(mfd, 0x10000) == 0, "grow");
	rh.mem.regions[0].len = 0x10000;
	rh.mem.regions[0].fd_offset = 0;
	r = fake_hello(&rh, &mfd, 1, &sock);
	NTB_TEST_ASSERT(r == 1, "a file that holds its region is taken (%d)",
			r);
	seals = fcntl(mfd, F_GET_SEALS);
	NTB_TEST_ASSERT(seals >= 0 && (seals & F_SEAL_SHRINK),
			"sealed against shrinking (seals %#x)", seals);
	NTB_TEST_ASSERT(ftruncate(mfd, 0x1000) < 0, "the peer cannot shrink it");
	close(sock);
	close(mfd);
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_DEAD, 5000) == 0, "EP: RC gone");
	NTB_TEST_ASSERT(ep_still_serves() == 0, "EP serves a real RC after");
	return 0;
}

struct run_arg {
	const struct ntb_bar *regs;
	struct vsim *rc;
	volatile bool done;
	int rc_ret;
};

static void *
doorbell_thread(void *arg)
{
	struct run_arg *a = arg;

	ntb_bar_write32(a->regs, DW_EDMA_V0_WR_DOORBELL, 0);
	a->done = true;
	return NULL;
}

static void *
reconnect_thread(void *arg)
{
	struct run_arg *a = arg;

	a->rc_ret = ntb_test_vsim_reconnect(a->rc, 10000);
	return NULL;
}

#define H5_LEN	0x100000	/* one copy: 1 MiB into RC memory */

/*
 * H5: an EP-local eDMA transfer into RC memory is running when the RC
 * dies and a new RC connects: the new handshake must not unmap the old
 * RC's memory under the engine (it waits for the transfer). The transfer
 * loops over one element until the test takes the element back, well
 * after the new RC has had the time to connect.
 */
static int
test_reconnect_during_edma(void)
{
	const struct ntb_intr_res *ir = vsim_ep_intr_res(ep);
	const struct rte_memzone *ebuf, *rbuf;
	struct run_arg a = { .regs = ir->edma_regs };
	size_t ch = DW_EDMA_V0_WR_CH_BASE(0);
	uint64_t ll_iova;
	struct dw_edma_v0_lli d;
	struct dw_edma_v0_llp l;
	pthread_t t, r;
	unsigned int i;
	uint8_t *ll;
	int ret = 0;

	a.rc = make("rc");
	NTB_TEST_ASSERT(a.rc != NULL &&
			ntb_test_vsim_wait_state(ep, VSIM_LINK_CONNECTED, 5000) == 0,
			"RC connected");
	ebuf = rte_memzone_reserve_aligned("h5_ep", H5_LEN + 0x1000,
					   SOCKET_ID_ANY,
					   RTE_MEMZONE_IOVA_CONTIG, 4096);
	rbuf = rte_memzone_reserve_aligned("h5_rc", H5_LEN, SOCKET_ID_ANY,
					   RTE_MEMZONE_IOVA_CONTIG, 4096);
	NTB_TEST_ASSERT(ebuf != NULL && rbuf != NULL, "buffers");
	memset(ebuf->addr, 0x5A, H5_LEN);
	memset(rbuf->addr, 0, H5_LEN);
	/* data element + link back to it: loops while the data element's
	 * CB matches the channel's CCS
	 */
	ll = (uint8_t *)ebuf->addr + H5_LEN;
	ll_iova = ebuf->iova + H5_LEN;
	d = (struct dw_edma_v0_lli){ DW_EDMA_V0_CB, H5_LEN, ebuf->iova,
				     rbuf->iova };
	l = (struct dw_edma_v0_llp){ DW_EDMA_V0_CB | DW_EDMA_V0_LLP, 0,
				     ll_iova, 0 };
	memcpy(ll, &d, sizeof(d));
	memcpy(ll + DW_EDMA_V0_LL_ELEM_SIZE, &l, sizeof(l));
	ntb_bar_write32(ir->edma_regs, DW_EDMA_V0_WR_ENGINE_EN, 1);
	ntb_bar_write32(ir->edma_regs, ch + DW_EDMA_V0_CH_CONTROL1,
			DW_EDMA_V0_CCS | DW_EDMA_V0_LLE);
	ntb_bar_write32(ir->edma_regs, ch + DW_EDMA_V0_CH_LLP_LO,
			(uint32_t)ll_iova);
	ntb_bar_write32(ir->edma_regs, ch + DW_EDMA_V0_CH_LLP_HI,
			ll_iova >> 32);
	NTB_TEST_ASSERT(pthread_create(&t, NULL, doorbell_thread, &a) == 0,
			"thread");
	/* the transfer has started: its first copy reached the RC */
	for (i = 0; i < 5000 && ((volatile uint8_t *)rbuf->addr)[0] == 0; i++)
		rte_delay_us_sleep(100);
	/* the RC dies; a new one connects while the transfer runs */
	vsim_fault_kill_link(a.rc);
	if (ntb_test_vsim_wait_state(a.rc, VSIM_LINK_DEAD, 5000) != 0 ||
	    pthread_create(&r, NULL, reconnect_thread, &a) != 0) {
		printf("# RC did not die\n");
		ret = -1;
	} else {
		/* leave the EP the time to take the new RC (not asserted) */
		rte_delay_us_sleep(300 * 1000);
		if (a.done) {
			printf("# the transfer ended before the test stopped it\n");
			ret = -1;
		}
		/* the producer takes the element back: the engine stops */
		((volatile uint32_t *)ll)[0] = 0;
		pthread_join(r, NULL);
		if (a.rc_ret != 0 ||
		    ntb_test_vsim_wait_state(ep, VSIM_LINK_CONNECTED, 5000) != 0) {
			printf("# reconnect failed (%d)\n", a.rc_ret);
			ret = -1;
		}
	}
	pthread_join(t, NULL);
	NTB_TEST_ASSERT(ret == 0, "reconnect during a transfer");
	NTB_TEST_ASSERT(((ntb_bar_read32(ir->edma_regs, ch +
					 DW_EDMA_V0_CH_CONTROL1) &
			  DW_EDMA_V0_CS_MASK) >> DW_EDMA_V0_CS_SHIFT) ==
			DW_EDMA_V0_CS_STOPPED, "the transfer stopped cleanly");
	vsim_destroy(a.rc);
	rte_memzone_free(ebuf);
	rte_memzone_free(rbuf);
	return 0;
}

/* An RC made while the EP shows the board row *pf: taken or refused. */
static bool
rc_takes_board(const struct vntb_platform *pf)
{
	const struct vntb_platform *real = ep->p.platform;
	struct vsim *rc;

	ep->p.platform = pf;	/* what the EP's next hello shows */
	rc = make("rc");
	ep->p.platform = real;
	vsim_destroy(rc);
	if (rc != NULL)
		ntb_test_vsim_wait_state(ep, VSIM_LINK_DEAD, 5000);
	return rc != NULL;
}

/*
 * H6: the RC finds its BAR map from the IDs the EP shows, with the
 * lookup a board's probe uses: an EP whose IDs are no board's, or whose
 * BAR map is not its IDs' row, is refused; the EP's own row is taken.
 */
static int
test_rc_refuses_unknown_board(void)
{
	struct vntb_platform fake = *ep->p.platform;

	fake.device_id = 0x0031;	/* R-Car vendor, no row */
	NTB_TEST_ASSERT(!rc_takes_board(&fake), "unknown IDs taken");
	fake = *ep->p.platform;
	fake.map.bar[VNTB_BAR_DB] = 2;	/* R-Car IDs, another map */
	NTB_TEST_ASSERT(!rc_takes_board(&fake), "foreign BAR map taken");
	fake = *ep->p.platform;		/* the row's copy: same IDs, map */
	NTB_TEST_ASSERT(rc_takes_board(&fake), "the real board refused");
	return ep_still_serves();
}

/*
 * A signal handled in the thread that waits for a hello (an application's
 * handler, a timer, libFuzzer's alarm) interrupts its poll: the wait goes
 * on to its bound instead of failing the handshake as timed out. The
 * signal goes to the waiting thread once it sleeps (in that poll: no
 * message is there yet), the message follows.
 */
static volatile int sig_seen;
static pid_t waiter_tid;
static int sig_peer = -1;

static void
on_usr1(int sig)
{
	RTE_SET_USED(sig);
	sig_seen = 1;
}

/* 'S' once the thread sleeps, from /proc/self/task/<tid>/stat. */
static char
task_state(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p[2] : '?';
}

static void *
signal_then_send(void *arg)
{
	pthread_t waiter = *(pthread_t *)arg;
	uint32_t v = 0x5ea1ed;
	unsigned int i;

	for (i = 0; i < 5000 && task_state(waiter_tid) != 'S'; i++)
		rte_delay_us_sleep(1000);
	pthread_kill(waiter, SIGUSR1);
	for (i = 0; i < 5000 && !sig_seen; i++)
		rte_delay_us_sleep(1000);
	vsim_link_send(sig_peer, VSIM_MSG_ACK, 7, &v, sizeof(v), NULL, 0);
	return NULL;
}

static int
test_recv_resumes_after_signal(void)
{
	struct sigaction sa, old;
	struct vsim_msg_hdr hdr;
	pthread_t self = pthread_self(), th;
	int sv[2], fds[VSIM_PROTO_MAX_FDS], rc;
	unsigned int nfds;
	uint32_t v = 0;

	NTB_TEST_ASSERT(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				   sv) == 0, "socketpair");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: poll returns EINTR */
	sigemptyset(&sa.sa_mask);
	NTB_TEST_ASSERT(sigaction(SIGUSR1, &sa, &old) == 0, "handler");
	sig_seen = 0;
	sig_peer = sv[1];
	waiter_tid = (pid_t)syscall(SYS_gettid);
	NTB_TEST_ASSERT(pthread_create(&th, NULL, signal_then_send,
				       &self) == 0, "thread");
	rc = vsim_link_recv(sv[0], &hdr, &v, sizeof(v), fds, &nfds, 10000);
	pthread_join(th, NULL);
	sigaction(SIGUSR1, &old, NULL);
	close(sv[0]);
	close(sv[1]);
	NTB_TEST_ASSERT(sig_seen, "the signal was handled during the wait");
	NTB_TEST_ASSERT(rc == 0 && hdr.type == VSIM_MSG_ACK && hdr.seq == 7 &&
			v == 0x5ea1ed,
			"the message after the signal was received (rc %d)", rc);
	return 0;
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	snprintf(sock_path, sizeof(sock_path), "/tmp/vsim_hostile_%d.sock",
		 (int)getpid());
	if (ntb_test_proc_eal_args("vsim_hostile",
				   "--log-level=pmd.raw.ntb_dwedma:info",
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	ep = make("ep");
	if (ep == NULL) {
		printf("Bail out! EP not created\n");
		return 1;
	}
	NTB_TEST_RUN(test_hello_counts_wrap);
	NTB_TEST_RUN(test_empty_message_with_fds);
	NTB_TEST_RUN(test_hello_memory_file_size);
	NTB_TEST_RUN(test_reconnect_during_edma);
	NTB_TEST_RUN(test_rc_refuses_unknown_board);
	NTB_TEST_RUN(test_recv_resumes_after_signal);
	vsim_destroy(ep);
	rte_eal_cleanup();
	return ntb_test_done();
}
