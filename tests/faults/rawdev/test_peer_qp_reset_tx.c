/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * A peer resets its queue pair while the RC only transmits. The EP plays
 * a kernel peer whose interface goes down and up (ntb_netdev close/open,
 * an MTU change): kernel ntb_transport_link_down clears its bit in the
 * RC's QP_LINKS, sends a LINK_DOWN frame and resets its queue
 * (ntb_qp_link_down_reset: its ring starts again at frame 0, and it
 * writes the RC's consumed index only once it consumed a frame of the new
 * session); then ntb_transport_link_up announces the queue again. The
 * transport read LINK_DOWN on its Rx path only, so an RC application
 * that never polls Rx went on writing frames the EP no longer looked at
 * and read "ring full" for good. The RC must see the LINK_DOWN without
 * an Rx burst, take the queue down and up, and deliver byte-exact again.
 *
 * An EP and an RC in one process on the virtual link; the RC's queue is
 * never polled for Rx, the EP's is polled by this thread only. Frames
 * the RC writes between the reset and its noticing it are lost (as with
 * the kernel); after that every packet arrives, in order and byte for
 * byte, up to the last one.
 */

#include <stdio.h>
#include <string.h>
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
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the EP's queue pair is reset by hand, as a kernel peer resets its own */
#include "ntb_dwedma_dev.h"
#include "ntb_transport_priv.h"
#include "peer_qp_reset.h"

#define NB_DESC		64
#define WAIT_S		10	/* bound of the link wait (never asserted) */
#define XFER_S		20	/* bound of a transfer (never a measurement) */

static int ep_id = -1, rc_id = -1;
static struct rte_mempool *mp;
static struct ntb_test_link_events rc_ev;

/*
 * The RC sends packets first..nb - 1 of round, only transmitting; the
 * EP receives. Every packet the EP gets must be the one after the
 * previous one, byte for byte, and the last one must arrive. lossy: the
 * first packets may be lost (the first one received sets the start).
 * Returns the number received, or -1.
 */
static int
rc_sends(uint32_t round, uint32_t nb, bool lossy, uint64_t *ring_full)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * XFER_S;
	uint32_t tx = 0, next = 0, got = 0, bad = 0;
	struct rte_mbuf *pkts[32];
	bool first = true;

	*ring_full = 0;
	while (!(got > 0 && next == nb) && bad == 0 &&
	       rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < nb) {
			struct rte_mbuf *m = ntb_test_pkt_make(mp, round, tx);

			if (m != NULL &&
			    rte_pmd_ntb_dwedma_tx_burst(rc_id, 0, &m, 1) == 1)
				tx++;
			else if (m != NULL) {
				rte_pktmbuf_free(m);
				(*ring_full)++;
			}
		}
		n = rte_pmd_ntb_dwedma_rx_burst(ep_id, 0, pkts, RTE_DIM(pkts));
		for (i = 0; i < n; i++) {
			if (first && lossy && pkts[i]->pkt_len >= 4)
				next = *rte_pktmbuf_mtod(pkts[i], uint32_t *);
			first = false;
			if (!ntb_test_pkt_ok(pkts[i], round, next))
				bad++;
			next++;
			got++;
		}
		rte_pktmbuf_free_bulk(pkts, n);
	}
	printf("# round %u: RC sent %u of %u (Tx refused %lu times), EP got %u, up to packet %u, %u not the next one byte for byte\n",
	       round, tx, nb, (unsigned long)*ring_full, got,
	       got > 0 ? next - 1 : 0, bad);
	return bad == 0 && got > 0 && next == nb ? (int)got : -1;
}

static int
test_rc_tx_only_after_peer_qp_reset(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	struct ntbt_qp *eq = ntbt_qp(ep->t, 0);
	struct ntbt_qp *rq = ntbt_qp(rc->t, 0);
	uint32_t entries = rq->tx_max_entry, down0;
	uint64_t full;
	int got;

	/* more than a ring: the old session's frame numbers have wrapped */
	NTB_TEST_ASSERT(rc_sends(1, 2 * entries + 7, false, &full) > 0,
			"RC to EP before the reset");
	down0 = __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED);
	peer_qp_reset(eq, ep->nd);
	/*
	 * Three rings' worth: before the fix the RC fills its ring once
	 * with frames the EP never reads, then Tx is refused to the end.
	 */
	got = rc_sends(2, 3 * entries, true, &full);
	printf("# RC: %u link down, %u link up events; EP queue up %d\n",
	       __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED),
	       __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED),
	       ntbt_qp_link_up(eq));
	NTB_TEST_ASSERT(__atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED) > down0,
			"the RC saw its queue go down without polling Rx");
	NTB_TEST_ASSERT(got > 0, "RC's Tx recovered and delivered in order, byte for byte");
	/* every packet of a new round once the queue is back */
	NTB_TEST_ASSERT(rc_sends(3, 3 * entries, false, &full) ==
			(int)(3 * entries), "no loss after the recovery");
	return 0;
}

int
main(int argc, char **argv)
{
	const struct ntb_test_pair_conf conf = {
		.tag = "qp_reset_tx", .ep_args = "", .rc_args = "",
		.nb_mbufs = 4095, .nb_desc = NB_DESC, .nb_q = 1,
		.bound_s = WAIT_S, .rc_ev = &rc_ev,
	};
	struct ntb_test_pair pair;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (ntb_test_pair_up(&pair, &conf) < 0)
		return 1;
	ep_id = pair.ep_id;
	rc_id = pair.rc_id;
	mp = pair.mp;
	NTB_TEST_RUN(test_rc_tx_only_after_peer_qp_reset);
	ntb_test_pair_down(&pair);
	return ntb_test_done();
}
