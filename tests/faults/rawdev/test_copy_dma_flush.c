/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * copy=dma, copies that outlast the Tx burst: the EP's eDMA engine is
 * held (test-only fault hook) while the RC sends, so every frame is
 * still copying when the burst's bounded wait ends.
 *
 * 1. A sender that stops: the RC sends, then never calls Tx again (as
 *    net_ntb_vnet, which never calls Tx with no packets). Once the engine
 *    runs, every frame must reach the EP, byte for byte: the RC's control
 *    thread publishes them.
 *
 * An EP and an RC in one process on the virtual link; only this thread
 * polls (the EP's Rx, and the RC's Tx where a test says so). Every wait
 * is bounded; no bound is asserted.
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
/* the EP's engine held (test-only fault hook) */
#include "ntb_dwedma_dev.h"
#include "vsim_fault.h"

#define NB_DESC		256
#define BURST		16
#define NB_STOP		48	/* test 1: frames held when the sender stops */
#define WAIT_S		10	/* bound of a link wait (never asserted) */
#define XFER_S		20	/* bound of a transfer (never a measurement) */

static int ep_id = -1, rc_id = -1;
static struct vsim *ep_vs;
static struct rte_mempool *mp;
static struct ntb_test_link_events rc_ev;

static uint64_t
xstat(int id, const char *name)
{
	unsigned int xid;

	return rte_rawdev_xstats_by_name_get(id, name, &xid);
}

/* What the EP received of one round: in order and byte for byte? */
struct rx_state {
	uint32_t round;
	uint32_t got;
	uint32_t bad;		/* not the next packet of the round */
};

static void
ep_poll(struct rx_state *r)
{
	struct rte_mbuf *pkts[32];
	uint16_t n, i;

	n = rte_pmd_ntb_dwedma_rx_burst(ep_id, 0, pkts, RTE_DIM(pkts));
	for (i = 0; i < n; i++) {
		if (!ntb_test_pkt_ok(pkts[i], r->round, r->got))
			r->bad++;
		r->got++;
	}
	rte_pktmbuf_free_bulk(pkts, n);
}

/*
 * The RC sends packets 0..nb - 1 of round r->round in bursts of BURST;
 * when poll, the EP's Rx is polled after each burst. Packets sent.
 */
static uint32_t
rc_send(struct rx_state *r, uint32_t nb, bool poll)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * XFER_S;
	struct rte_mbuf *pkts[BURST];
	uint32_t tx = 0;

	while (tx < nb && rte_get_timer_cycles() < end) {
		uint16_t n = 0, k;

		while (n < BURST && tx + n < nb) {
			pkts[n] = ntb_test_pkt_make(mp, r->round, tx + n);
			if (pkts[n] == NULL)
				break;
			n++;
		}
		k = rte_pmd_ntb_dwedma_tx_burst(rc_id, 0, pkts, n);
		rte_pktmbuf_free_bulk(pkts + k, n - k);
		tx += k;
		if (poll)
			ep_poll(r);
	}
	return tx;
}

/*
 * Poll the EP until nb packets of the round came (or the bound). With
 * publish, the RC's Tx is called without packets meanwhile (which
 * publishes what finished copying); without, the RC sends nothing.
 */
static void
ep_wait(struct rx_state *r, uint32_t nb, bool publish)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * XFER_S;

	while (r->got < nb && rte_get_timer_cycles() < end) {
		if (publish)
			rte_pmd_ntb_dwedma_tx_burst(rc_id, 0, NULL, 0);
		ep_poll(r);
		rte_delay_us_sleep(100);
	}
	printf("# round %u: EP got %u of %u, %u not the next one byte for byte\n",
	       r->round, r->got, nb, r->bad);
}

static int
test_stopped_sender_delivers(void)
{
	struct rx_state r = { .round = 1 };
	uint64_t pkts0 = xstat(rc_id, "tx_packets_q0");
	uint64_t held;
	uint32_t sent;

	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	sent = rc_send(&r, NB_STOP, false);
	held = xstat(rc_id, "tx_packets_q0") - pkts0;
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, false) == 0,
			"release");
	NTB_TEST_ASSERT(sent == NB_STOP, "RC sent %u of %u", sent, NB_STOP);
	/* what the test is about: the sender stopped with them in flight */
	NTB_TEST_ASSERT(held == 0, "%" PRIu64 " frames published while the engine was held",
			held);
	/* from here on the RC's Tx is never called */
	ep_wait(&r, NB_STOP, false);
	NTB_TEST_ASSERT(r.got == NB_STOP && r.bad == 0,
			"every frame of the stopped sender arrives, in order and byte for byte");
	NTB_TEST_ASSERT(xstat(rc_id, "tx_packets_q0") - pkts0 == NB_STOP,
			"tx_packets counts them once");
	return 0;
}

int
main(int argc, char **argv)
{
	char sock[96], ep_vdev[192], rc_vdev[192];

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	ntb_test_proc_sock_path(sock, sizeof(sock), "dmaflush");
	snprintf(ep_vdev, sizeof(ep_vdev),
		 "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4,dma_num_chans=2,intr=poll,transport_mtu=2048",
		 sock);
	snprintf(rc_vdev, sizeof(rc_vdev),
		 "raw_ntb_vsim1,role=rc,link=%s,profile=rcar-s4,copy=dma,intr=poll,transport_mtu=2048",
		 sock);
	if (ntb_test_proc_eal_args("dmaflush", "--log-level=lib.eal:warning",
				   "--vdev", ep_vdev, "--vdev", rc_vdev,
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("dmaflush", 4095, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	ep_id = mp != NULL ? ntb_test_rawdev_up("raw_ntb_vsim0", mp, NB_DESC) :
		-1;
	rc_id = ep_id >= 0 ? ntb_test_rawdev_up("raw_ntb_vsim1", mp, NB_DESC) :
		-1;
	if (ep_id >= 0)
		ep_vs = *(struct vsim **)((struct ntb_dwedma_dev *)
					  rte_rawdevs[ep_id].dev_private)->hw;
	if (rc_id >= 0)
		rte_pmd_ntb_dwedma_callback_register(rc_id,
				ntb_test_rawdev_count, &rc_ev);
	if (rc_id < 0 || !ntb_test_rawdev_wait_link(ep_id, true, WAIT_S) ||
	    !ntb_test_rawdev_wait_link(rc_id, true, WAIT_S)) {
		printf("not ok 1 - EP and RC up (ep %d, rc %d)\n", ep_id, rc_id);
		printf("1..1\n");
		return 1;
	}
	NTB_TEST_RUN(test_stopped_sender_delivers);
	ntb_test_rawdev_down(rc_id);
	ntb_test_rawdev_down(ep_id);
	rte_vdev_uninit("raw_ntb_vsim1");
	rte_vdev_uninit("raw_ntb_vsim0");
	rte_mempool_free(mp);
	unlink(sock);
	rte_eal_cleanup();
	return ntb_test_done();
}
