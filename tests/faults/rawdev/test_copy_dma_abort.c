/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * copy=dma with copies that fail: the EP (raw_ntb_vsim, dma_num_chans=2)
 * has its eDMA model ABORT three data elements after the first SKIP
 * (test-only fault hook), the RC (copy=dma) sends numbered packets and the
 * EP echoes every one it receives. The three frames whose copy aborted
 * are dropped and counted in the RC's tx_dma_errors, nothing corrupt is
 * delivered (every echo byte-exact, in order, exactly three numbers
 * missing), and traffic goes on: a second round comes back whole, and
 * a third of chained mbufs (one copy per segment, 3 to 12 segments of
 * 128 B) comes back whole and byte-exact too.
 *
 * Two DPDK processes forked before rte_eal_init (ntb_test_proc.h); every
 * wait is bounded; children still alive at the end are killed by PID.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_pkt.h"
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the EP's eDMA model aborts on request (test-only fault hook) */
#include "ntb_dwedma_dev.h"
#include "vsim_fault.h"

#define NB_PKTS		600
#define NB_DESC		256
#define SKIP		100	/* elements copied before the aborts */
#define NB_ABORT	3
#define STEP_S		30

static char sock_path[108];

static int
ep_main(void *arg, int fd)
{
	struct rte_mempool *mp;
	struct vsim *vs;
	int id;

	RTE_SET_USED(arg);
	RTE_SET_USED(fd);
	if (ntb_test_rawdev_vsim_eal("ep", "0", true, sock_path,
				     ",dma_num_chans=2,intr=poll") < 0)
		return 2;
	id = rte_rawdev_get_dev_id(NTB_TEST_VSIM_EP);
	if (id < 0)
		return 3;
	vs = *(struct vsim **)((struct ntb_dwedma_dev *)
			       rte_rawdevs[id].dev_private)->hw;
	if (vsim_fault_edma_abort(vs, SKIP, NB_ABORT) != 0)
		return 3;
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_EP, "ep_mp", NB_DESC, &mp);
	if (id < 0)
		return 3;
	return ntb_test_rawdev_echo_child(id, 4 * STEP_S, NULL, NULL);
}

/*
 * NB_PKTS numbered packets out, one at a time; echoes must be byte-exact
 * and in order, numbers may be missing (the aborted ones). Returns the
 * count of missing numbers, -1 on a bad echo or when stuck.
 */
static int
lossy_round(int id, struct rte_mempool *mp, uint32_t round)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	uint32_t tx = 0, rx = 0, next = 0, bad = 0;
	uint64_t quiet = 0;
	struct rte_mbuf *pkts[32];

	while (rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < NB_PKTS && tx - next < 16) {
			if (ntb_test_rawdev_send_pkt(id, mp, round, tx))
				tx++;
		} else if (tx == NB_PKTS && quiet == 0) {
			/* all sent: echoes still due come within 2 s */
			quiet = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
		}
		/* a burst without packets publishes what is still copying */
		rte_pmd_ntb_dwedma_tx_burst(id, 0, NULL, 0);
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, RTE_DIM(pkts));
		for (i = 0; i < n; i++) {
			uint32_t s;

			/* the first number at or after next that matches */
			for (s = next; s < tx; s++)
				if (ntb_test_pkt_ok(pkts[i], round, s))
					break;
			if (s == tx)
				bad++;
			else
				next = s + 1;
			rx++;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		if (quiet != 0 && (rx + NB_ABORT >= NB_PKTS ||
				   rte_get_timer_cycles() > quiet))
			break;
	}
	printf("# RC round %u: sent %u, echoed %u, bad %u\n", round, tx, rx,
	       bad);
	fflush(stdout);
	return bad != 0 || tx != NB_PKTS ? -1 : (int)(tx - rx);
}

static uint64_t
xstat(int id, const char *name)
{
	unsigned int xid;

	return rte_rawdev_xstats_by_name_get(id, name, &xid);
}

/*
 * Round 3: the packets of ntb_test_pkt_make as chains of 128-byte
 * segments; the EP echoes each as one segment. 0, or -1.
 */
static int
chained_round(int id, struct rte_mempool *mp, struct rte_mempool *small)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * STEP_S;
	uint32_t tx = 0, rx = 0, bad = 0, segs = 0;
	struct rte_mbuf *pkts[32];

	while (rx < 200 && rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < 200 && tx - rx < 16) {
			struct rte_mbuf *m = ntb_test_pkt_make(mp, 3, tx);
			struct rte_mbuf *c = m == NULL ? NULL :
				rte_pktmbuf_copy(m, small, 0, UINT32_MAX);

			rte_pktmbuf_free(m);
			if (c != NULL) {
				uint16_t nseg = c->nb_segs;

				if (rte_pmd_ntb_dwedma_tx_burst(id, 0, &c, 1)) {
					tx++;
					segs += nseg;
				} else {
					rte_pktmbuf_free(c);
				}
			}
		}
		rte_pmd_ntb_dwedma_tx_burst(id, 0, NULL, 0);
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, RTE_DIM(pkts));
		for (i = 0; i < n; i++)
			bad += !ntb_test_pkt_ok(pkts[i], 3, rx++);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	printf("# RC round 3: sent %u chains of %u segments in all, echoed %u, bad %u\n",
	       tx, segs, rx, bad);
	fflush(stdout);
	return rx == 200 && bad == 0 && segs > 3 * tx ? 0 : -1;
}

static const struct ntb_test_round rc_round = {
	.who = "RC", .nb_pkts = NB_PKTS, .window = NB_DESC / 2,
	.bound_s = STEP_S,
};

static int
rc_main(void *arg, int out)
{
	struct rte_mempool *mp, *small;
	int id, missing;

	RTE_SET_USED(arg);
	if (ntb_test_rawdev_vsim_eal("rc", "1", false, sock_path,
				     ",copy=dma,intr=poll") < 0)
		return 2;
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_RC, "rc_mp", NB_DESC, &mp);
	if (id < 0) {
		ntb_test_proc_say(out, "F configure/start\n");
		return 3;
	}
	if (!ntb_test_rawdev_wait_link(id, true, STEP_S)) {
		ntb_test_proc_say(out, "F link never up\n");
		return 4;
	}
	missing = lossy_round(id, mp, 1);
	ntb_test_proc_say(out, "A %d %" PRIu64 " %" PRIu64 "\n", missing,
			  xstat(id, "tx_dma_errors_q0"),
			  xstat(id, "tx_packets_q0"));
	ntb_test_proc_say(out, "B %d\n",
			  ntb_test_rawdev_round_trip(id, mp, 2, &rc_round));
	small = rte_pktmbuf_pool_create("rc_small", 4095, 0, 0,
					128 + RTE_PKTMBUF_HEADROOM,
					SOCKET_ID_ANY);
	ntb_test_proc_say(out, "C %d\n", small == NULL ? -2 :
			  chained_round(id, mp, small));
	ntb_test_rawdev_child_end(id, NULL);
	return 0;
}

static struct ntb_test_proc kids[2];

int
main(void)
{
	struct ntb_test_proc *ep = &kids[0], *rc = &kids[1];
	uint64_t errs = 0, sent = 0;
	int ret, missing = -1, b = -1;

	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "dmaab");
	ntb_test_proc_cleanup_at_exit(kids, RTE_DIM(kids), sock_path);

	ntb_test_proc_start(ep, "ep", ep_main, NULL);
	ntb_test_proc_start(rc, "rc", rc_main, NULL);
	ret = ntb_test_proc_expect_scan(rc->fd, 'A', 2 * STEP_S,
					"A %d %" SCNu64 " %" SCNu64, &missing,
					&errs, &sent) == 3 ? 0 : -1;
	if (ret == 0)
		printf("# %d packets missing, tx_dma_errors %" PRIu64
		       ", tx_packets %" PRIu64 "\n", missing, errs, sent);
	NTB_TEST_RUN_RESULT("copy=dma: every echo byte-exact and in order",
			    ret == 0 && missing >= 0 ? 0 : -1);
	NTB_TEST_RUN_RESULT("the 3 aborted copies: 3 frames dropped",
			    missing == NB_ABORT ? 0 : -1);
	NTB_TEST_RUN_RESULT("tx_dma_errors counts them, tx_packets the rest",
			    errs == NB_ABORT && sent == NB_PKTS - NB_ABORT ?
			    0 : -1);
	ret = ntb_test_proc_expect_scan(rc->fd, 'B', STEP_S, "B %d", &b);
	NTB_TEST_RUN_RESULT("traffic goes on: the next round comes back whole",
			    ret == 1 && b == 0 ? 0 : -1);
	b = -1;
	ret = ntb_test_proc_expect_scan(rc->fd, 'C', STEP_S, "C %d", &b);
	NTB_TEST_RUN_RESULT("chained mbufs, one copy per segment: echoed whole and byte-exact",
			    ret == 1 && b == 0 ? 0 : -1);
	ret = ntb_test_proc_wait(rc, STEP_S);
	NTB_TEST_RUN_RESULT("RC exits cleanly", ret);
	ret = ntb_test_proc_wait(ep, STEP_S);
	NTB_TEST_RUN_RESULT("EP exits cleanly", ret);
	return ntb_test_done();
}
