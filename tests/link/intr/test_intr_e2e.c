/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Every interrupt backend end to end: an EP and an RC process (forked
 * before rte_eal_init) joined by the virtual link, raw_ntb_vsim with
 * intr=<mode> on both sides. In each direction the receiver arms Rx
 * interrupts on queue 0 and sleeps in epoll on the queue's eventfd; the
 * sender sends one packet. The receiver must wake through that fd, read
 * an eventfd count > 0, receive the packet byte for byte, and the other
 * paths' xstats must have stayed still. Which fd it woke on says which
 * path carried the kick:
 *   direct   the queue's own backend fd (doorbell vector/slot, MSI
 *            vector, the EP's eDMA IRQ: one queue here) is the
 *            application's fd: it must be exactly the
 *            expected backend fd, and the driver, which never read it,
 *            counted nothing for it (intr_rx, the path's counter), only
 *            the armed period ended by rx_intr_disable (rx_intr_wakeups);
 *   fan-out  (a fall-back doorbell, written by the control thread into
 *            the queue's fd): the control thread acked the backend, so
 *            the path's counter and intr_rx grew.
 *   rekick   dw_edma EP, step by step: two kicks while the queue is
 *            disarmed (polling) give one event (the line stays up);
 *            rx_intr_enable de-asserts, and a third kick still wakes it.
 *
 * Paths on the virtual link:
 *   RC -> EP  doorbell: EP doorbell slot (intr_doorbell)
 *             dw_edma:  RC writes rd_int_status through MW2; EP eDMA IRQ
 *                       (intr_dw_edma)
 *             msi:      RC writes the vector into the EP's MSI page through
 *                       MW2 (intr_msi)
 *   EP -> RC  every mode: the EP rings doorbell bit 0, the RC gets MSI
 *             vector 2 (intr_doorbell); dw_edma and msi only kick the EP.
 *   poll      control case: no fd, no interrupt counted, packet polled.
 *   refused   dw_edma/msi with the EP's descriptor of queue 0 refused by
 *             the RC (an out-of-window addr_offset injected into the
 *             EP's scratchpads, "descriptors changed" rung): the RC
 *             falls back to the doorbell and the EP, waiting on its
 *             doorbell slots too, still wakes (intr_doorbell).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include <rte_rawdev_pmd.h>

#include "ntb_test.h"
#include "ntb_test_pkt.h"
#include "ntb_test_proc.h"
#include "rte_pmd_ntb_dwedma.h"
/* the refusal case reaches into the driver to inject the fault */
#include "ntb_dwedma_dev.h"
#include "ntb_intr_test.h"
#include "ntb_transport_priv.h"
#include "ntb_transport_wire.h"

#define DEV_NAME	"raw_ntb_vsim0"
#define PKT_LEN		333
#define WAIT_MS		10000	/* bound of every wait (never asserted) */
#define MSG_ARMED	0x41524d44u
#define MSG_SENT	0x53454e54u
#define MSG_BYE		0x00425945u
#define MSG_KICK	0x4b494300u	/* + count in the low byte */
#define MSG_KICKED	0x4b44u

struct intr_case {
	const char *profile;
	const char *intr;		/**< devarg on both sides */
	const char *ep_mode;		/**< what the EP must resolve to */
	const char *rc_mode;		/**< what the RC must resolve to */
	const char *ep_rx_stat;		/**< RC -> EP path, NULL: poll */
	const char *rc_rx_stat;		/**< EP -> RC path, NULL: poll */
	const char *todo;		/**< known issue outside intr: TAP TODO */
	bool rc_refuses;		/**< RC refuses the EP's descriptor */
	const char *ep_intr;		/**< EP devarg when not intr */
};

static const struct intr_case cases[] = {
	{ "rcar-s4", "doorbell", "doorbell", "doorbell",
	  "intr_doorbell", "intr_doorbell" },
	{ "rcar-s4", "dw_edma", "dw_edma", "dw_edma",
	  "intr_dw_edma", "intr_doorbell" },
	{ "rcar-s4", "msi", "msi", "msi", "intr_msi", "intr_doorbell" },
	{ "rcar-s4", "auto", "dw_edma", "dw_edma",
	  "intr_dw_edma", "intr_doorbell" },
	{ "mx8", "auto", "doorbell", "doorbell",
	  "intr_doorbell", "intr_doorbell" },
	{ "j721e", "auto", "doorbell", "doorbell",
	  "intr_doorbell", "intr_doorbell" },
	{ "rcar-s4", "poll", "poll", "poll", NULL, NULL },
	{ "rcar-s4", "dw_edma", "dw_edma", "dw_edma",
	  "intr_doorbell", "intr_doorbell", NULL, true },
	{ "rcar-s4", "msi", "msi", "msi",
	  "intr_doorbell", "intr_doorbell", NULL, true },
	/*
	 * An EP that uses every MW for data, as a stock kernel
	 * ntb_transport (no use_msi) does: the RC's auto backend (dw_edma,
	 * an interrupt window exists) takes the peer's layout and kicks
	 * with doorbells. Both sides with default queue pair counts.
	 */
	{ "rcar-s4", "auto", "doorbell", "dw_edma",
	  "intr_doorbell", "intr_doorbell", NULL, false, "doorbell" },
};

/* Interrupt counters compared before and after each packet. */
static const char *const watched[] = {
	"intr_doorbell", "intr_msi", "intr_dw_edma", "intr_dw_edma_done",
	"intr_dw_edma_abort", "intr_spurious", "rx_intr_wakeups_q0",
	"intr_rx_q0",
};
#define NB_WATCHED	RTE_DIM(watched)

/* What the receiving child reports to the parent, per direction. */
struct rx_report {
	int32_t err;			/**< 0, or the failed step (below) */
	char mode[16];			/**< backend the receiver resolved */
	int32_t fd;			/**< rte_pmd_ntb_dwedma_rx_intr_fd */
	int32_t direct;			/**< fd is the backend's own fd */
	char fd_path[16];		/**< backend fd it is: path stat name */
	int32_t woke;			/**< epoll returned the fd */
	uint64_t evcount;		/**< eventfd count read after waking */
	int32_t got;			/**< packets received */
	int32_t bytes_ok;		/**< the packet compared equal */
	uint64_t delta[NB_WATCHED];
	char why[96];
};

struct child {
	const struct intr_case *c;
	bool is_ep;
	int sync;			/**< to the peer child */
	char sock[108];
};

static void
report_fail(struct rx_report *r, int step, const char *fmt, ...)
{
	va_list ap;

	r->err = step;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static int
dev_open(int *dev_id, struct rte_mempool *mp)
{
	struct ntb_dev_config conf = { .num_queues = 1, .queue_size = 64 };
	struct ntb_queue_conf qc = { .nb_desc = 64, .rx_mp = mp };
	struct rte_rawdev_info info = { .dev_private = &conf };
	uint64_t up = 0;
	unsigned int i;

	*dev_id = rte_rawdev_get_dev_id(DEV_NAME);
	if (*dev_id < 0)
		return -1;
	if (rte_rawdev_set_attr(*dev_id, NTB_QUEUE_SZ_NAME, 64) < 0 ||
	    rte_rawdev_set_attr(*dev_id, NTB_QUEUE_NUM_NAME, 1) < 0 ||
	    rte_rawdev_configure(*dev_id, &info, sizeof(conf)) < 0 ||
	    rte_rawdev_queue_setup(*dev_id, 0, &qc, sizeof(qc)) < 0 ||
	    rte_rawdev_start(*dev_id) < 0)
		return -2;
	for (i = 0; i < WAIT_MS && !up; i++) {
		rte_rawdev_get_attr(*dev_id, NTB_LINK_STATUS_NAME, &up);
		if (!up)
			rte_delay_us_sleep(1000);
	}
	return up ? 0 : -3;
}

static void
stats_get(int dev_id, uint64_t *v)
{
	unsigned int i, id;

	for (i = 0; i < NB_WATCHED; i++)
		v[i] = rte_rawdev_xstats_by_name_get(dev_id, watched[i], &id);
}

/* Which backend fd the queue's Rx interrupt fd is (reaches into the driver). */
static void
fd_identify(int dev_id, struct rx_report *r)
{
	struct ntb_dwedma_dev *d = rte_rawdevs[dev_id].dev_private;
	const struct ntb_intr_res *res = &d->intr_res;

	snprintf(r->fd_path, sizeof(r->fd_path), "fanout");
	if (r->fd < 0 || !d->intr_ready)
		return;
	r->direct = ntb_intr_deliver_direct(&d->intr_dl, 0);
	if (d->intr.mode == NTB_INTR_DW_EDMA && d->is_ep &&
	    r->fd == res->edma_irq_fd)
		snprintf(r->fd_path, sizeof(r->fd_path), "intr_dw_edma");
	else if (r->fd == d->nd->db_fd[0])
		snprintf(r->fd_path, sizeof(r->fd_path), "intr_doorbell");
	else if (d->intr.mode == NTB_INTR_MSI && d->is_ep &&
		 res->msi_fds != NULL && r->fd == res->msi_fds[1])
		snprintf(r->fd_path, sizeof(r->fd_path), "intr_msi");
}

/* Receive one packet on queue 0, through the Rx interrupt if there is one. */
static void
receive_one(int dev_id, int sync, uint8_t seed, struct rx_report *r)
{
	uint64_t before[NB_WATCHED], after[NB_WATCHED];
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct rte_mbuf *m = NULL;
	uint32_t msg = MSG_ARMED;
	unsigned int i;
	int epfd = -1;

	stats_get(dev_id, before);
	r->fd = rte_pmd_ntb_dwedma_rx_intr_fd(dev_id, 0);
	fd_identify(dev_id, r);
	if (r->fd >= 0) {
		if (rte_pmd_ntb_dwedma_rx_intr_enable(dev_id, 0) != 0)
			return report_fail(r, 10, "rx_intr_enable failed");
		epfd = epoll_create1(EPOLL_CLOEXEC);
		ev.data.fd = r->fd;
		if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, r->fd, &ev) < 0)
			return report_fail(r, 11, "epoll: %s", strerror(errno));
		/* the API's rule: poll once after enable, before sleeping */
		if (rte_pmd_ntb_dwedma_rx_burst(dev_id, 0, &m, 1) != 0) {
			rte_pktmbuf_free(m);
			return report_fail(r, 12, "packet before the send");
		}
	}
	if (ntb_test_proc_send(sync, &msg, sizeof(msg)) < 0)
		return report_fail(r, 13, "peer gone");
	if (r->fd >= 0) {
		int n = epoll_wait(epfd, &out, 1, WAIT_MS);

		r->woke = n == 1 && out.data.fd == r->fd;
		if (r->woke && read(r->fd, &r->evcount, sizeof(r->evcount)) !=
		    sizeof(r->evcount))
			r->evcount = 0;
		rte_pmd_ntb_dwedma_rx_intr_disable(dev_id, 0);
		close(epfd);
	}
	/* the sender says when it has sent (poll mode waits for it) */
	if (ntb_test_proc_recv(sync, &msg, sizeof(msg), WAIT_MS) < 0 ||
	    msg != MSG_SENT)
		return report_fail(r, 14, "no word from the sender");
	for (i = 0; i < WAIT_MS && r->got == 0; i++) {
		r->got = rte_pmd_ntb_dwedma_rx_burst(dev_id, 0, &m, 1);
		if (r->got == 0)
			rte_delay_us_sleep(1000);
	}
	stats_get(dev_id, after);
	for (i = 0; i < NB_WATCHED; i++)
		r->delta[i] = after[i] - before[i];
	if (r->got == 0)
		return report_fail(r, 15, "no packet");
	r->bytes_ok = ntb_test_pkt_fill_ok(m, PKT_LEN, seed);
	rte_pktmbuf_free(m);
}

/*
 * RC: make the RC refuse the EP's interrupt descriptor of queue 0, as if
 * the EP had published an addr_offset outside the interrupt window:
 * overwrite it in the EP's scratchpads (our peer spads) and raise the
 * "descriptors changed" doorbell vector on our side, which the RC's link
 * work polls. 0 once the RC kicks queue 0 by doorbell (descriptor no
 * longer valid); bounded.
 */
static int
rc_refuse_ep_desc(int dev_id)
{
	struct ntb_dwedma_dev *d = rte_rawdevs[dev_id].dev_private;
	struct ntb_dev *nd = d->nd;
	uint64_t one = 1;
	unsigned int spad, k, i;

	if (d->t == NULL || !d->t->use_intr || d->t->intr_db_bit == 0 ||
	    !d->intr_ready)
		return -1;
	if (!ntb_intr_peer_desc_valid(&d->intr, 0))
		return -2;	/* nothing to refuse: the case tests nothing */
	spad = ntbt_intr_spad(d->t->mw_count, 0);
	k = (unsigned int)__builtin_ctzll(d->t->intr_db_bit);
	if (k >= nd->db_count || nd->db_fd[k] < 0)
		return -3;
	if (nd->ops->peer_spad_write(nd, spad, 0xFFFFFFF0u) != 0 ||
	    write(nd->db_fd[k], &one, sizeof(one)) != sizeof(one))
		return -4;
	for (i = 0; i < WAIT_MS && ntb_intr_peer_desc_valid(&d->intr, 0); i++)
		rte_delay_us_sleep(1000);
	return ntb_intr_peer_desc_valid(&d->intr, 0) ? -5 : 0;
}

static int
send_one(int dev_id, int sync, struct rte_mempool *mp, uint8_t seed)
{
	struct rte_mbuf *m;
	uint32_t msg;
	unsigned int i;

	if (ntb_test_proc_recv(sync, &msg, sizeof(msg), 3 * WAIT_MS) < 0 ||
	    msg != MSG_ARMED)
		return -1;
	m = ntb_test_pkt_fill(mp, PKT_LEN, seed);
	if (m == NULL)
		return -2;
	for (i = 0; i < WAIT_MS; i++) {
		if (rte_pmd_ntb_dwedma_tx_burst(dev_id, 0, &m, 1) == 1)
			break;
		rte_delay_us_sleep(1000);
	}
	if (i == WAIT_MS) {
		rte_pktmbuf_free(m);
		return -3;
	}
	msg = MSG_SENT;
	return ntb_test_proc_send(sync, &msg, sizeof(msg));
}

/*
 * One side: RC -> EP first (seed 0x11), then EP -> RC (seed 0x22). The
 * receiver reports to the parent; both say goodbye before closing so
 * that no one tears the link down under the other's packet.
 */
static int
child_main(void *arg, int fd)
{
	const struct child *ch = arg;
	struct rte_pmd_ntb_dwedma_info info;
	struct rx_report r;
	struct rte_mempool *mp;
	char vdev[256], tag[32];
	const char *extra[2] = { "--vdev", vdev };
	uint32_t msg = MSG_BYE;
	int dev_id = -1, ret = 0, phase;

	snprintf(vdev, sizeof(vdev), "%s,role=%s,link=%s,profile=%s,intr=%s",
		 DEV_NAME, ch->is_ep ? "ep" : "rc", ch->sock, ch->c->profile,
		 ch->is_ep && ch->c->ep_intr != NULL ? ch->c->ep_intr :
		 ch->c->intr);
	snprintf(tag, sizeof(tag), "intre2e_%s", ch->is_ep ? "ep" : "rc");
	if (ntb_test_proc_eal_init(tag, extra, 2) < 0)
		return 2;
	mp = rte_pktmbuf_pool_create("intr_e2e", 1024, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		return 3;
	for (phase = 0; phase < 2; phase++) {
		bool rx = (phase == 0) == ch->is_ep;
		uint8_t seed = phase == 0 ? 0x11 : 0x22;

		memset(&r, 0, sizeof(r));
		if (phase == 0) {
			ret = dev_open(&dev_id, mp);
			if (ret < 0)
				report_fail(&r, 1, "device set-up/link (%d)",
					    ret);
			if (ret == 0 && ch->c->rc_refuses && !ch->is_ep) {
				ret = rc_refuse_ep_desc(dev_id);
				if (ret < 0)
					report_fail(&r, 16, "descriptor refusal not injected (%d)",
						    ret);
			}
		}
		if (r.err == 0 && rte_pmd_ntb_dwedma_info_get(dev_id, &info) == 0)
			snprintf(r.mode, sizeof(r.mode), "%s", info.intr_mode);
		if (rx) {
			if (r.err == 0)
				receive_one(dev_id, ch->sync, seed, &r);
			ntb_test_proc_send(fd, &r, sizeof(r));
		} else if (r.err == 0) {
			ret = send_one(dev_id, ch->sync, mp, seed);
			if (ret < 0)
				printf("# %s: send failed (%d)\n",
				       ch->is_ep ? "EP" : "RC", ret);
		}
		if (r.err != 0)
			break;
	}
	/* goodbye both ways, bounded */
	ntb_test_proc_send(ch->sync, &msg, sizeof(msg));
	ntb_test_proc_recv(ch->sync, &msg, sizeof(msg), WAIT_MS);
	if (dev_id >= 0) {
		rte_rawdev_stop(dev_id);
		rte_rawdev_close(dev_id);
	}
	rte_vdev_uninit(DEV_NAME);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return r.err != 0 || ret < 0 ? 4 : 0;
}

static uint64_t
delta_of_arr(const uint64_t *delta, const char *name)
{
	unsigned int i;

	for (i = 0; i < NB_WATCHED; i++)
		if (strcmp(watched[i], name) == 0)
			return delta[i];
	return 0;
}

static uint64_t
delta_of(const struct rx_report *r, const char *name)
{
	return delta_of_arr(r->delta, name);
}

static bool
is_path_stat(const char *name)
{
	return strcmp(name, "intr_doorbell") == 0 ||
		strcmp(name, "intr_msi") == 0 ||
		strcmp(name, "intr_dw_edma") == 0 ||
		strcmp(name, "intr_dw_edma_done") == 0 ||
		strcmp(name, "intr_dw_edma_abort") == 0;
}

/* One TAP line; a known issue (todo) is reported but does not fail. */
static bool
tap(bool ok, const char *todo, const char *fmt, ...)
{
	va_list ap;

	ntb_test_count++;
	if (!ok && todo == NULL)
		ntb_test_failed++;
	printf("%s %d - ", ok ? "ok" : "not ok", ntb_test_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (todo != NULL)
		printf(" # TODO %s", todo);
	printf("\n");
	fflush(stdout);
	return ok;
}

/* Judge one direction from the receiver's report; one TAP line. */
static void
judge(const struct intr_case *c, const char *dir, const char *want_mode,
      const char *path, int recv_ret, const struct rx_report *r)
{
	bool ok = true;
	unsigned int i;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("# %s %s %s: ", c->profile, c->intr, dir);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		ok = false;						\
	}								\
} while (0)
	CHECK(recv_ret == 0, "no report from the receiver");
	if (recv_ret == 0) {
		CHECK(r->err == 0, "step %d: %s", r->err, r->why);
		CHECK(strcmp(r->mode, want_mode) == 0,
		      "receiver resolved intr=%s, expected %s", r->mode,
		      want_mode);
		if (path != NULL) {
			/*
			 * one queue: every backend fd is the queue's own
			 * (the EP's eDMA IRQ too, re-armed by enable)
			 */
			bool want_direct = true;
			/* the kick came straight through the app's fd */
			bool straight = strcmp(r->fd_path, path) == 0;

			CHECK(r->fd >= 0, "no Rx interrupt fd (%d)", r->fd);
			CHECK(r->direct == want_direct,
			      "Rx interrupt fd is %s, expected %s",
			      r->direct ? "direct" : "fanned out",
			      want_direct ? "direct" : "fanned out");
			CHECK(r->direct == (strcmp(r->fd_path, "fanout") != 0),
			      "direct fd is no backend fd of the queue (%s)",
			      r->fd_path);
			CHECK(r->woke, "epoll did not return the queue's fd");
			CHECK(r->evcount > 0, "eventfd count %lu",
			      (unsigned long)r->evcount);
			CHECK(delta_of(r, "rx_intr_wakeups_q0") > 0,
			      "rx_intr_wakeups_q0 did not grow");
			if (r->direct && straight) {
				CHECK(delta_of(r, path) == 0,
				      "%s grew by %lu: the driver read a direct fd",
				      path, (unsigned long)delta_of(r, path));
				CHECK(delta_of(r, "intr_rx_q0") == 0,
				      "intr_rx_q0 grew on a direct fd");
			} else {
				CHECK(delta_of(r, path) > 0,
				      "%s did not grow", path);
				CHECK(delta_of(r, "intr_rx_q0") > 0,
				      "intr_rx_q0 did not grow");
			}
		} else {
			CHECK(r->fd < 0, "poll mode gave an fd (%d)", r->fd);
			CHECK(delta_of(r, "rx_intr_wakeups_q0") == 0,
			      "rx_intr_wakeups_q0 grew in poll mode");
		}
		/* paths that did not carry the kick stay still */
		for (i = 0; i < NB_WATCHED; i++)
			if (is_path_stat(watched[i]) &&
			    (path == NULL || strcmp(watched[i], path) != 0))
				CHECK(r->delta[i] == 0, "%s grew by %lu",
				      watched[i], (unsigned long)r->delta[i]);
		CHECK(r->got == 1 && r->bytes_ok,
		      "packet %s", r->got ? "corrupted" : "missing");
		printf("# %s %s %s: receiver intr=%s woke=%d count=%lu via %s, fd %s (%s), spurious %lu\n",
		       c->profile, c->intr, dir, r->mode, r->woke,
		       (unsigned long)r->evcount, path ? path : "polling",
		       r->direct ? "direct" : "fan-out", r->fd_path,
		       (unsigned long)delta_of(r, "intr_spurious"));
	}
#undef CHECK
	tap(ok, c->todo, "%s intr=%s%s%s%s%s %s", c->profile, c->intr,
	    c->ep_intr != NULL ? " (EP intr=" : "",
	    c->ep_intr != NULL ? c->ep_intr : "",
	    c->ep_intr != NULL ? ")" : "",
	    c->rc_refuses ? " (descriptor refused)" : "", dir);
}

static void
run_case(const struct intr_case *c, const char *dir_path)
{
	struct child ep_ch = { .c = c, .is_ep = true };
	struct child rc_ch = { .c = c, .is_ep = false };
	struct ntb_test_proc ep, rc;
	struct rx_report r_ep, r_rc;
	int sv[2], rr_ep, rr_rc, s_ep, s_rc;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		tap(false, NULL, "%s intr=%s: socketpair", c->profile,
		    c->intr);
		return;
	}
	snprintf(ep_ch.sock, sizeof(ep_ch.sock), "%s/link.sock", dir_path);
	snprintf(rc_ch.sock, sizeof(rc_ch.sock), "%s/link.sock", dir_path);
	unlink(ep_ch.sock);
	ep_ch.sync = sv[0];
	rc_ch.sync = sv[1];
	if (strcmp(c->ep_mode, "dw_edma") == 0 ||
	    strcmp(c->ep_mode, "msi") == 0)
		printf("# %s intr=%s: %s kicks only the EP; EP->RC uses the doorbell (RC MSI vector 2)\n",
		       c->profile, c->intr, c->ep_mode);
	ntb_test_proc_start(&ep, "ep", child_main, &ep_ch);
	ntb_test_proc_start(&rc, "rc", child_main, &rc_ch);
	close(sv[0]);
	close(sv[1]);
	memset(&r_ep, 0, sizeof(r_ep));
	memset(&r_rc, 0, sizeof(r_rc));
	rr_ep = ntb_test_proc_recv(ep.fd, &r_ep, sizeof(r_ep), 6 * WAIT_MS);
	judge(c, "RC->EP", c->ep_mode, c->ep_rx_stat, rr_ep, &r_ep);
	rr_rc = ntb_test_proc_recv(rc.fd, &r_rc, sizeof(r_rc), 6 * WAIT_MS);
	judge(c, "EP->RC", c->rc_mode, c->rc_rx_stat, rr_rc, &r_rc);
	s_rc = ntb_test_proc_wait(&rc, 60);
	s_ep = ntb_test_proc_wait(&ep, 60);
	tap(s_ep == 0 && s_rc == 0, c->todo,
	    "%s intr=%s: both processes ended cleanly (EP %d, RC %d)",
	    c->profile, c->intr, s_ep, s_rc);
	unlink(ep_ch.sock);
}

/*
 * Rekick (dw_edma EP, one queue, direct): the application's side driven
 * one step at a time, the RC kicking on request through its backend
 * (ntb_intr_kick: the transport would skip kicks for a polling queue).
 * The eDMA line raises an event on a rising edge only.
 */
struct rekick_report {
	int32_t err;			/**< 0, or the failed step */
	char why[96];
	int32_t direct;			/**< qp 0 direct, fd == edma_irq_fd */
	uint64_t disarmed_count;	/**< fd count after kicks 1 and 2 */
	int32_t stale_after_rearm;	/**< fd readable right after enable */
	int32_t woke;			/**< kick 3 woke epoll on the fd */
	uint64_t woke_count;		/**< fd count after kick 3 */
	uint64_t delta[NB_WATCHED];
	/* then: line left up by kicks while polling, stop, start */
	uint64_t restart_count;		/**< fd count: kick after start */
	int32_t restart_woke;		/**< armed after start, kick woke */
};

#define REKICK_FAIL(step, ...) do {					\
	r->err = (step);						\
	snprintf(r->why, sizeof(r->why), __VA_ARGS__);			\
	goto out;							\
} while (0)

/* Ask the RC for n kicks of queue 0; 0 once they were written. */
static int
rekick_ask(int sync, uint32_t n)
{
	uint32_t msg = MSG_KICK + n;

	if (ntb_test_proc_send(sync, &msg, sizeof(msg)) < 0 ||
	    ntb_test_proc_recv(sync, &msg, sizeof(msg), WAIT_MS) < 0)
		return -1;
	return msg == MSG_KICKED ? 0 : -1;
}

static void
rekick_ep(int dev_id, int sync, struct rekick_report *r)
{
	struct ntb_dwedma_dev *d = rte_rawdevs[dev_id].dev_private;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	uint64_t before[NB_WATCHED], after[NB_WATCHED];
	struct rte_mbuf *m = NULL;
	uint64_t up;
	unsigned int i;
	int fd, epfd = -1;

	stats_get(dev_id, before);
	fd = rte_pmd_ntb_dwedma_rx_intr_fd(dev_id, 0);
	r->direct = fd >= 0 && d->intr_ready &&
		ntb_intr_deliver_direct(&d->intr_dl, 0) &&
		fd == d->intr_res.edma_irq_fd;
	if (!r->direct)
		REKICK_FAIL(20, "queue 0 is not direct on the eDMA IRQ");
	epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.data.fd = fd;
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		REKICK_FAIL(21, "epoll: %s", strerror(errno));
	/* armed once, then woken: the application now polls, disarmed */
	if (rte_pmd_ntb_dwedma_rx_intr_enable(dev_id, 0) != 0 ||
	    rte_pmd_ntb_dwedma_rx_intr_disable(dev_id, 0) != 0)
		REKICK_FAIL(22, "rx_intr_enable/disable failed");
	/* kicks 1 and 2 while polling: one edge, the line stays up */
	if (rekick_ask(sync, 2) < 0)
		REKICK_FAIL(23, "RC did not kick twice");
	if (read(fd, &r->disarmed_count, sizeof(r->disarmed_count)) !=
	    sizeof(r->disarmed_count))
		r->disarmed_count = 0;
	if (rte_pmd_ntb_dwedma_rx_burst(dev_id, 0, &m, 1) != 0) {
		rte_pktmbuf_free(m);
		REKICK_FAIL(24, "a packet nobody sent");
	}
	/* re-arm: de-assert; nothing stale may be left readable */
	if (rte_pmd_ntb_dwedma_rx_intr_enable(dev_id, 0) != 0)
		REKICK_FAIL(25, "rx_intr_enable (re-arm) failed");
	r->stale_after_rearm = epoll_wait(epfd, &out, 1, 0) != 0;
	/* the API's rule: poll once after enable, before sleeping */
	if (rte_pmd_ntb_dwedma_rx_burst(dev_id, 0, &m, 1) != 0) {
		rte_pktmbuf_free(m);
		REKICK_FAIL(26, "a packet nobody sent");
	}
	/* kick 3 must raise a new edge and wake the sleeper */
	if (rekick_ask(sync, 1) < 0)
		REKICK_FAIL(27, "RC did not kick");
	r->woke = epoll_wait(epfd, &out, 1, WAIT_MS) == 1 &&
		out.data.fd == fd;
	if (r->woke && read(fd, &r->woke_count, sizeof(r->woke_count)) !=
	    sizeof(r->woke_count))
		r->woke_count = 0;
	rte_pmd_ntb_dwedma_rx_intr_disable(dev_id, 0);
	stats_get(dev_id, after);
	for (i = 0; i < NB_WATCHED; i++)
		r->delta[i] = after[i] - before[i];
	/*
	 * Stop while polling with the line up (two kicks, event read as an
	 * epoll would), then start: start must de-assert, so that the next
	 * kick raises an edge even before anyone arms (with the line left
	 * up, no kick would ever raise one again for a fan-out queue).
	 * Kick 3 left the line up: a re-arm and a wake-up first.
	 */
	if (rte_pmd_ntb_dwedma_rx_intr_enable(dev_id, 0) != 0 ||
	    rte_pmd_ntb_dwedma_rx_intr_disable(dev_id, 0) != 0)
		REKICK_FAIL(29, "rx_intr_enable/disable failed");
	if (rekick_ask(sync, 2) < 0)
		REKICK_FAIL(30, "RC did not kick twice");
	if (read(fd, &r->restart_count, sizeof(r->restart_count)) !=
	    sizeof(r->restart_count))
		REKICK_FAIL(31, "the kicks before stop raised no event");
	r->restart_count = 0;
	close(epfd);
	epfd = -1;
	rte_rawdev_stop(dev_id);
	if (rte_rawdev_start(dev_id) < 0)
		REKICK_FAIL(32, "rte_rawdev_start failed");
	for (i = 0, up = 0; i < WAIT_MS && !up; i++) {
		rte_rawdev_get_attr(dev_id, NTB_LINK_STATUS_NAME, &up);
		if (!up)
			rte_delay_us_sleep(1000);
	}
	if (rte_pmd_ntb_dwedma_rx_intr_fd(dev_id, 0) != fd)
		REKICK_FAIL(33, "queue 0 fd changed over stop/start");
	if (rekick_ask(sync, 1) < 0)
		REKICK_FAIL(34, "RC did not kick after start");
	if (read(fd, &r->restart_count, sizeof(r->restart_count)) !=
	    sizeof(r->restart_count))
		r->restart_count = 0;
	/* and the usual cycle still works: arm, poll, kick, wake */
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		REKICK_FAIL(35, "epoll: %s", strerror(errno));
	if (rte_pmd_ntb_dwedma_rx_intr_enable(dev_id, 0) != 0)
		REKICK_FAIL(36, "rx_intr_enable after start failed");
	if (rte_pmd_ntb_dwedma_rx_burst(dev_id, 0, &m, 1) != 0) {
		rte_pktmbuf_free(m);
		REKICK_FAIL(37, "a packet nobody sent");
	}
	if (rekick_ask(sync, 1) < 0)
		REKICK_FAIL(38, "RC did not kick");
	r->restart_woke = epoll_wait(epfd, &out, 1, WAIT_MS) == 1 &&
		out.data.fd == fd;
	rte_pmd_ntb_dwedma_rx_intr_disable(dev_id, 0);
out:
	if (epfd >= 0)
		close(epfd);
}

/* RC: kick queue 0 through the backend as often as the EP asks. */
static int
rekick_rc(int dev_id, int sync)
{
	struct ntb_dwedma_dev *d = rte_rawdevs[dev_id].dev_private;
	bool ready = d->intr_ready;
	uint32_t msg, n;

	for (;;) {
		if (ntb_test_proc_recv(sync, &msg, sizeof(msg),
				       3 * WAIT_MS) < 0)
			return -1;
		if (msg == MSG_BYE)
			return 0;
		if ((msg & ~0xFFu) != MSG_KICK)
			return -2;
		/*
		 * through the eDMA register page, not a doorbell (after
		 * the EP restarted, its descriptor comes back with the
		 * link: bounded wait)
		 */
		for (n = 0; n < WAIT_MS && ready &&
		     !ntb_intr_peer_desc_valid(&d->intr, 0); n++)
			rte_delay_us_sleep(1000);
		if (!ready || !ntb_intr_peer_desc_valid(&d->intr, 0))
			return -3;
		for (n = 0; n < (msg & 0xFFu); n++)
			ntb_intr_kick(&d->intr, 0);
		msg = MSG_KICKED;
		if (ntb_test_proc_send(sync, &msg, sizeof(msg)) < 0)
			return -4;
	}
}

static int
rekick_child(void *arg, int fd)
{
	const struct child *ch = arg;
	struct rekick_report r;
	struct rte_mempool *mp;
	char vdev[256], tag[32];
	const char *extra[2] = { "--vdev", vdev };
	uint32_t msg = MSG_BYE;
	int dev_id = -1, ret;

	memset(&r, 0, sizeof(r));
	snprintf(vdev, sizeof(vdev), "%s,role=%s,link=%s,profile=rcar-s4,intr=dw_edma",
		 DEV_NAME, ch->is_ep ? "ep" : "rc", ch->sock);
	snprintf(tag, sizeof(tag), "intrrekick_%s", ch->is_ep ? "ep" : "rc");
	if (ntb_test_proc_eal_init(tag, extra, 2) < 0)
		return 2;
	mp = rte_pktmbuf_pool_create("intr_rekick", 1024, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		return 3;
	ret = dev_open(&dev_id, mp);
	if (ch->is_ep) {
		if (ret < 0) {
			r.err = 1;
			snprintf(r.why, sizeof(r.why),
				 "device set-up/link (%d)", ret);
		} else {
			rekick_ep(dev_id, ch->sync, &r);
		}
		ntb_test_proc_send(fd, &r, sizeof(r));
		ntb_test_proc_send(ch->sync, &msg, sizeof(msg));
		ntb_test_proc_recv(ch->sync, &msg, sizeof(msg), WAIT_MS);
	} else {
		if (ret == 0)
			ret = rekick_rc(dev_id, ch->sync);
		if (ret < 0)
			printf("# RC: rekick failed (%d)\n", ret);
		msg = MSG_BYE;
		ntb_test_proc_send(ch->sync, &msg, sizeof(msg));
	}
	if (dev_id >= 0) {
		rte_rawdev_stop(dev_id);
		rte_rawdev_close(dev_id);
	}
	rte_vdev_uninit(DEV_NAME);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return r.err != 0 || ret < 0 ? 4 : 0;
}

static void
run_rekick(const char *dir_path)
{
	static const struct intr_case rc_case = { "rcar-s4", "dw_edma",
		"dw_edma", "dw_edma", NULL, NULL, NULL, false };
	struct child ep_ch = { .c = &rc_case, .is_ep = true };
	struct child rc_ch = { .c = &rc_case, .is_ep = false };
	struct ntb_test_proc ep, rc;
	struct rekick_report r;
	int sv[2], rr, s_ep, s_rc;
	bool ok;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		tap(false, NULL, "rekick: socketpair");
		return;
	}
	snprintf(ep_ch.sock, sizeof(ep_ch.sock), "%s/link.sock", dir_path);
	snprintf(rc_ch.sock, sizeof(rc_ch.sock), "%s/link.sock", dir_path);
	unlink(ep_ch.sock);
	ep_ch.sync = sv[0];
	rc_ch.sync = sv[1];
	ntb_test_proc_start(&ep, "ep", rekick_child, &ep_ch);
	ntb_test_proc_start(&rc, "rc", rekick_child, &rc_ch);
	close(sv[0]);
	close(sv[1]);
	memset(&r, 0, sizeof(r));
	rr = ntb_test_proc_recv(ep.fd, &r, sizeof(r), 6 * WAIT_MS);
	if (rr != 0)
		printf("# rekick: no report from the EP\n");
	else if (r.err != 0)
		printf("# rekick: step %d: %s\n", r.err, r.why);
	printf("# rekick: direct %d, count after 2 kicks disarmed %lu, stale after re-arm %d, woke %d (count %lu)\n",
	       r.direct, (unsigned long)r.disarmed_count, r.stale_after_rearm,
	       r.woke, (unsigned long)r.woke_count);
	ok = rr == 0 && r.err == 0;
	tap(ok && r.direct, NULL,
	    "rekick: dw_edma EP queue 0 waits on the eDMA IRQ fd itself");
	/* edge-triggered: the second kick found the line still up */
	tap(ok && r.disarmed_count == 1, NULL,
	    "rekick: two kicks while polling raised one event (%lu)",
	    (unsigned long)r.disarmed_count);
	tap(ok && !r.stale_after_rearm, NULL,
	    "rekick: nothing readable right after the re-arm");
	tap(ok && r.woke && r.woke_count == 1, NULL,
	    "rekick: a kick after the re-arm woke the sleeper");
	/* direct: the driver never acked the fd (see the path counters) */
	tap(ok && delta_of_arr(r.delta, "intr_dw_edma") == 0 &&
	    delta_of_arr(r.delta, "intr_rx_q0") == 0 &&
	    delta_of_arr(r.delta, "intr_doorbell") == 0 &&
	    delta_of_arr(r.delta, "rx_intr_wakeups_q0") == 2, NULL,
	    "rekick: counters: dw_edma %lu, intr_rx %lu, doorbell %lu, wakeups %lu (0, 0, 0, 2)",
	    (unsigned long)delta_of_arr(r.delta, "intr_dw_edma"),
	    (unsigned long)delta_of_arr(r.delta, "intr_rx_q0"),
	    (unsigned long)delta_of_arr(r.delta, "intr_doorbell"),
	    (unsigned long)delta_of_arr(r.delta, "rx_intr_wakeups_q0"));
	printf("# rekick: after stop/start with the line left up: kick gave count %lu, armed kick woke %d\n",
	       (unsigned long)r.restart_count, r.restart_woke);
	tap(ok && r.restart_count == 1, NULL,
	    "rekick: start de-asserted a line left up (a kick raised an event)");
	tap(ok && r.restart_woke, NULL,
	    "rekick: after stop/start an armed queue still wakes");
	s_rc = ntb_test_proc_wait(&rc, 60);
	s_ep = ntb_test_proc_wait(&ep, 60);
	tap(s_ep == 0 && s_rc == 0, NULL,
	    "rekick: both processes ended cleanly (EP %d, RC %d)", s_ep,
	    s_rc);
	unlink(ep_ch.sock);
}

int
main(int argc, char **argv)
{
	char dir_path[64];
	unsigned int i;

	/* sockets in a private directory under /run (or /tmp) */
	snprintf(dir_path, sizeof(dir_path), "/run/ntb_intr_e2e_%d",
		 (int)getpid());
	if (mkdir(dir_path, 0700) < 0) {
		snprintf(dir_path, sizeof(dir_path), "/tmp/ntb_intr_e2e_%d",
			 (int)getpid());
		if (mkdir(dir_path, 0700) < 0) {
			printf("# mkdir %s: %s\n", dir_path, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < RTE_DIM(cases); i++) {
		/* optional filter: test_intr_e2e <intr> [<profile>] */
		if (argc > 1 && strcmp(argv[1], cases[i].intr) != 0)
			continue;
		if (argc > 2 && strcmp(argv[2], cases[i].profile) != 0)
			continue;
		run_case(&cases[i], dir_path);
	}
	/* test_intr_e2e rekick: the step-by-step re-arm case only */
	if (argc == 1 || strcmp(argv[1], "rekick") == 0 ||
	    strcmp(argv[1], "dw_edma") == 0)
		run_rekick(dir_path);
	rmdir(dir_path);
	return ntb_test_done();
}
