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
 * 2. Copies in flight at queue pair down: the EP resets its queue pair
 *    (as a kernel peer on ifdown/ifup) while the RC's copies are held.
 *    The RC drops and counts those frames; the old copies complete
 *    during the next session, and their completions must not be taken
 *    for the next session's copies: every frame of the next session
 *    arrives byte-exact (none published before its own copy ran, none
 *    left unpublished), counted once.
 * 3. A hung engine (held, never released while it matters): the RC
 *    resets the channel once no status came for its bound (counted in
 *    tx_dma_resets), drops the frames (tx_dma_errors) and copies with
 *    the CPU: the next frames arrive byte-exact although the engine
 *    never ran. The next session copies with the reset channel again.
 * 4. The RC closes with copies held: the EP's receiver, which reads in
 *    ring order, gets past their slots (sent as empty frames) to the
 *    LINK_DOWN after them, and every mbuf comes back.
 * Argument "noreset" (poll mode) runs 5. alone: a hung channel that
 * cannot be reset (the RC's transport without dma_vchan_reset, as a
 * dmadev without one): one reset counted, the CPU copies from then on,
 * also in the next session, and the hang is not counted again.
 *
 * An EP and an RC in one process on the virtual link; only this thread
 * polls (the EP's Rx, and the RC's Tx where a test says so). Every wait
 * is bounded; no bound is asserted. Argument "poll" (intr=poll) or
 * "intr" (the profile's interrupt backend; in 1. the EP's queue is armed
 * and must be woken, not polled, once the frames are published).
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>
#include <rte_rawdev_pmd.h>

#include "ntb_test.h"
#include "ntb_test_pkt.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the EP's engine held (test-only fault hook), its queue pair reset */
#include "ntb_dwedma_dev.h"
#include "ntb_transport_priv.h"
#include "peer_qp_reset.h"
#include "vsim_fault.h"
#include "vsim_priv.h"

#define NB_DESC		256
#define BURST		16
#define NB_STOP		48	/* test 1: frames held when the sender stops */
#define NB_STALE	8	/* test 2: frames held at queue pair down */
#define NB_NEXT		24	/* test 2: frames per round of the next session */
#define WAIT_S		10	/* bound of a link wait (never asserted) */
#define XFER_S		20	/* bound of a transfer (never a measurement) */

static int ep_id = -1, rc_id = -1;
static bool intr_mode;		/* argv[1] "intr": the EP sleeps on its Rx fd */
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

/*
 * Between tests: let the RC publish what a failed test left and the EP
 * take it, until the EP gets nothing for 100 ms (within WAIT_S).
 */
static void
settle(void)
{
	uint64_t hz = rte_get_timer_hz();
	uint64_t end = rte_get_timer_cycles() + hz * WAIT_S;
	uint64_t quiet = rte_get_timer_cycles() + hz / 10;
	struct rx_state r = { .round = UINT32_MAX };

	while (rte_get_timer_cycles() < RTE_MIN(end, quiet)) {
		uint32_t got = r.got;

		rte_pmd_ntb_dwedma_tx_burst(rc_id, 0, NULL, 0);
		ep_poll(&r);
		if (r.got != got)
			quiet = rte_get_timer_cycles() + hz / 10;
		rte_delay_us_sleep(1000);
	}
	if (r.got != 0)
		printf("# %u frames left by the test before\n", r.got);
}

/* intr mode: the EP's Rx fd readable within ms? */
static bool
fd_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

static int
test_stopped_sender_delivers(void)
{
	struct rx_state r = { .round = 1 };
	uint64_t pkts0 = xstat(rc_id, "tx_packets_q0");
	int fd = intr_mode ? rte_pmd_ntb_dwedma_rx_intr_fd(ep_id, 0) : -1;
	uint64_t held, v;
	uint32_t sent;

	if (intr_mode) {
		NTB_TEST_ASSERT(fd >= 0 &&
				rte_pmd_ntb_dwedma_rx_intr_enable(ep_id, 0) == 0,
				"EP queue 0 armed");
		/* the API's rule: poll once after enable, before sleeping */
		ep_poll(&r);
	}
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	sent = rc_send(&r, NB_STOP, false);
	held = xstat(rc_id, "tx_packets_q0") - pkts0;
	/* nothing was published: what the fd holds is older */
	if (intr_mode && fd_readable(fd, 0) && read(fd, &v, sizeof(v)) < 0)
		printf("# EP Rx fd: %s\n", strerror(errno));
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, false) == 0,
			"release");
	NTB_TEST_ASSERT(sent == NB_STOP, "RC sent %u of %u", sent, NB_STOP);
	/* what the test is about: the sender stopped with them in flight */
	NTB_TEST_ASSERT(held == 0, "%" PRIu64 " frames published while the engine was held",
			held);
	/* from here on the RC's Tx is never called */
	if (intr_mode) {
		bool woken = fd_readable(fd, WAIT_S * 1000);

		rte_pmd_ntb_dwedma_rx_intr_disable(ep_id, 0);
		NTB_TEST_ASSERT(woken, "the EP, asleep on its Rx fd, is woken");
	}
	ep_wait(&r, NB_STOP, false);
	NTB_TEST_ASSERT(r.got == NB_STOP && r.bad == 0,
			"every frame of the stopped sender arrives, in order and byte for byte");
	NTB_TEST_ASSERT(xstat(rc_id, "tx_packets_q0") - pkts0 == NB_STOP,
			"tx_packets counts them once");
	return 0;
}

/* RC queue pair down and up again, and the EP's back up, within WAIT_S? */
static bool
wait_qp_cycle(struct ntbt_qp *rq, struct ntbt_qp *eq, uint32_t down0,
	      uint32_t up0)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * WAIT_S;

	while (rte_get_timer_cycles() < end) {
		if (__atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED) > down0 &&
		    __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED) > up0 &&
		    ntbt_qp_link_up(rq) && ntbt_qp_link_up(eq))
			return true;
		rte_delay_us_sleep(5000);
	}
	return false;
}

/*
 * With the engine held, the RC sends NB_STALE packets of round and the
 * EP resets its queue pair; the RC's queue pair goes down with the
 * copies in flight and comes back up. 0 (engine still held), or -1
 * (released) with a diagnostic.
 */
static int
held_at_qp_down(uint32_t round)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	struct ntbt_qp *eq = ntbt_qp(ep->t, 0), *rq = ntbt_qp(rc->t, 0);
	struct rx_state old = { .round = round };
	uint64_t errs0 = xstat(rc_id, "tx_dma_errors_q0");
	uint32_t down0 = __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED);
	uint32_t up0 = __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED);
	uint64_t errs;
	uint32_t sent;
	bool cycled;

	if (vsim_fault_engine_hold(ep_vs, true) != 0)
		return -1;
	sent = rc_send(&old, NB_STALE, false);
	peer_qp_reset(eq, ep->nd);
	cycled = wait_qp_cycle(rq, eq, down0, up0);
	errs = xstat(rc_id, "tx_dma_errors_q0") - errs0;
	printf("# round %u: RC sent %u, then %u link down, %u link up events; tx_dma_errors +%" PRIu64 "\n",
	       round, sent, __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED) - down0,
	       __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED) - up0, errs);
	if (sent == NB_STALE && cycled && errs == NB_STALE)
		return 0;
	vsim_fault_engine_hold(ep_vs, false);
	return -1;
}

/* Data elements the EP's eDMA model completed so far. */
static uint64_t
edma_xfers(void)
{
	return __atomic_load_n(&ep_vs->edma.sh->nb_xfer, __ATOMIC_ACQUIRE);
}

static int
test_copies_at_qp_down(void)
{
	struct rx_state r3 = { .round = 3 }, r5 = { .round = 5 },
		r6 = { .round = 6 };
	uint64_t errs0, pkts0, x0, end;
	uint32_t sent;

	settle();
	errs0 = xstat(rc_id, "tx_dma_errors_q0");
	pkts0 = xstat(rc_id, "tx_packets_q0");
	x0 = edma_xfers();
	NTB_TEST_ASSERT(held_at_qp_down(2) == 0,
			"the frames still copying at queue pair down are dropped and counted");
	/*
	 * The old copies run between the sessions: their completions are
	 * late, the RC has nothing of that session left to match them to.
	 */
	vsim_fault_engine_hold(ep_vs, false);
	end = rte_get_timer_cycles() + rte_get_timer_hz() * WAIT_S;
	while (edma_xfers() < x0 + NB_STALE && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(1000);
	NTB_TEST_ASSERT(edma_xfers() >= x0 + NB_STALE, "the old copies ran");
	/*
	 * The next session with the engine held, the EP polled all along:
	 * a frame published before the engine runs again is one taken for
	 * done on a completion of the old session.
	 */
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	sent = rc_send(&r3, NB_NEXT, true);
	vsim_fault_engine_hold(ep_vs, false);
	ep_wait(&r3, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r3.got == NB_NEXT && r3.bad == 0,
			"next session: every frame arrives, in order and byte for byte");
	/* the old copies still queued when the next session sends */
	NTB_TEST_ASSERT(held_at_qp_down(4) == 0,
			"dropped and counted at the second queue pair down");
	sent = rc_send(&r5, NB_NEXT, true);
	vsim_fault_engine_hold(ep_vs, false);
	ep_wait(&r5, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r5.got == NB_NEXT && r5.bad == 0,
			"frames queued behind the old copies arrive, in order and byte for byte");
	/* and traffic goes on as before */
	sent = rc_send(&r6, NB_NEXT, true);
	ep_wait(&r6, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r6.got == NB_NEXT && r6.bad == 0,
			"the round after it, in order and byte for byte");
	NTB_TEST_ASSERT(xstat(rc_id, "tx_dma_errors_q0") - errs0 == 2 * NB_STALE &&
			xstat(rc_id, "tx_packets_q0") - pkts0 == 3 * NB_NEXT,
			"counted once: tx_dma_errors +%" PRIu64 ", tx_packets +%" PRIu64,
			xstat(rc_id, "tx_dma_errors_q0") - errs0,
			xstat(rc_id, "tx_packets_q0") - pkts0);
	return 0;
}

/* Wait (up to bound_s) until the RC's tx_dma_resets_q0 exceeds v0. */
static uint64_t
wait_reset(uint64_t v0, struct rx_state *r, unsigned int bound_s)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * bound_s;

	while (xstat(rc_id, "tx_dma_resets_q0") == v0 &&
	       rte_get_timer_cycles() < end) {
		ep_poll(r);
		rte_delay_us_sleep(1000);
	}
	return xstat(rc_id, "tx_dma_resets_q0") - v0;
}

static int
test_hung_engine_recovered(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	struct ntbt_qp *eq = ntbt_qp(ep->t, 0), *rq = ntbt_qp(rc->t, 0);
	struct rx_state r8 = { .round = 8 }, r9 = { .round = 9 },
		r10 = { .round = 10 };
	uint64_t resets0, errs0, pkts0, resets, x0;
	uint32_t sent, down0, up0;

	settle();
	resets0 = xstat(rc_id, "tx_dma_resets_q0");
	errs0 = xstat(rc_id, "tx_dma_errors_q0");
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	/* the engine never runs again in this session */
	sent = rc_send(&r8, NB_STALE, false);
	resets = wait_reset(resets0, &r8, WAIT_S);
	printf("# round 8: RC sent %u; tx_dma_resets +%" PRIu64 ", tx_dma_errors +%" PRIu64 "; EP got %u\n",
	       sent, resets, xstat(rc_id, "tx_dma_errors_q0") - errs0, r8.got);
	NTB_TEST_ASSERT(sent == NB_STALE && resets == 1,
			"a channel that completes nothing is reset, once");
	NTB_TEST_ASSERT(xstat(rc_id, "tx_dma_errors_q0") - errs0 == NB_STALE &&
			r8.got == 0,
			"its frames are dropped and counted, none delivered");
	pkts0 = xstat(rc_id, "tx_packets_q0");
	sent = rc_send(&r9, NB_NEXT, true);
	ep_wait(&r9, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r9.got == NB_NEXT && r9.bad == 0 &&
			xstat(rc_id, "tx_packets_q0") - pkts0 == NB_NEXT,
			"the session goes on with the engine still hung: every frame arrives, in order and byte for byte");
	/* the engine back, the next session: copies by the reset channel */
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, false) == 0,
			"release");
	down0 = __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED);
	up0 = __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED);
	peer_qp_reset(eq, ep->nd);
	NTB_TEST_ASSERT(wait_qp_cycle(rq, eq, down0, up0),
			"queue pair down and up again");
	x0 = edma_xfers();
	sent = rc_send(&r10, NB_NEXT, true);
	ep_wait(&r10, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r10.got == NB_NEXT && r10.bad == 0,
			"next session: every frame arrives, in order and byte for byte");
	NTB_TEST_ASSERT(edma_xfers() - x0 >= NB_NEXT,
			"copied by the engine again (%" PRIu64 " elements)",
			edma_xfers() - x0);
	NTB_TEST_ASSERT(xstat(rc_id, "tx_dma_resets_q0") - resets0 == 1,
			"tx_dma_resets counts one reset");
	return 0;
}

static int
test_hung_engine_not_reset(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	struct ntbt_qp *eq = ntbt_qp(ep->t, 0), *rq = ntbt_qp(rc->t, 0);
	struct rx_state r11 = { .round = 11 }, r12 = { .round = 12 },
		r13 = { .round = 13 };
	uint64_t resets0, resets, x0;
	uint32_t sent, down0, up0;

	rc->t->conf.dma_vchan_reset = NULL;
	resets0 = xstat(rc_id, "tx_dma_resets_q0");
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	sent = rc_send(&r11, NB_STALE, false);
	resets = wait_reset(resets0, &r11, WAIT_S);
	NTB_TEST_ASSERT(sent == NB_STALE && resets == 1 && r11.got == 0,
			"the hang is counted once, its frames dropped");
	sent = rc_send(&r12, NB_NEXT, true);
	ep_wait(&r12, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r12.got == NB_NEXT && r12.bad == 0,
			"the CPU copies: every frame arrives, in order and byte for byte");
	/* the engine still held for more than twice the RC's 2 s bound */
	resets = wait_reset(resets0 + 1, &r12, 5);
	NTB_TEST_ASSERT(resets == 0,
			"a channel that cannot be reset is not reset again (+%" PRIu64 ")",
			resets);
	/* the next session, the engine back: still the CPU */
	vsim_fault_engine_hold(ep_vs, false);
	down0 = __atomic_load_n(&rc_ev.down, __ATOMIC_RELAXED);
	up0 = __atomic_load_n(&rc_ev.up, __ATOMIC_RELAXED);
	peer_qp_reset(eq, ep->nd);
	NTB_TEST_ASSERT(wait_qp_cycle(rq, eq, down0, up0),
			"queue pair down and up again");
	settle();	/* the old copies ran: the engine is idle */
	x0 = edma_xfers();
	sent = rc_send(&r13, NB_NEXT, true);
	ep_wait(&r13, NB_NEXT, true);
	NTB_TEST_ASSERT(sent == NB_NEXT && r13.got == NB_NEXT && r13.bad == 0,
			"next session: every frame arrives, in order and byte for byte");
	NTB_TEST_ASSERT(edma_xfers() == x0,
			"copied by the CPU (%" PRIu64 " engine elements)",
			edma_xfers() - x0);
	NTB_TEST_ASSERT(xstat(rc_id, "tx_dma_resets_q0") - resets0 == 1,
			"the channel that could not be reset is not counted again (%" PRIu64 ")",
			xstat(rc_id, "tx_dma_resets_q0") - resets0);
	return 0;
}

/*
 * Last: the RC closes with copies held in the engine. Their frames are
 * dropped at queue pair down and sent as empty frames before the
 * LINK_DOWN: the EP's Rx, which reads in ring order, drops them and
 * reaches the LINK_DOWN. The EP's control thread is stopped first, so
 * that the EP learns of the stop from the frame only (not from the RC's
 * scratchpads, as it would within 10 ms). Their mbufs are freed when the
 * transport goes (the dmadev stops next): once both sides are closed,
 * every mbuf is back in the pool.
 */
static int
test_close_with_copies_held(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntbt_qp *eq = ntbt_qp(ep->t, 0);
	struct rx_state r = { .round = 7 };
	uint64_t ld0, len0, ld, len, end;
	unsigned int in_use;
	uint32_t sent;

	settle();
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep_vs, true) == 0, "hold");
	sent = rc_send(&r, NB_STALE, false);
	ntb_dwedma_ctrl_stop(ep);
	ld0 = eq->rx_stats.rx_link_down;
	len0 = eq->rx_stats.rx_err_len;
	ntb_test_rawdev_down(rc_id);
	end = rte_get_timer_cycles() + rte_get_timer_hz() * WAIT_S;
	while (eq->rx_stats.rx_link_down == ld0 &&
	       rte_get_timer_cycles() < end) {
		ep_poll(&r);
		rte_delay_us_sleep(1000);
	}
	ld = eq->rx_stats.rx_link_down - ld0;
	len = eq->rx_stats.rx_err_len - len0;
	printf("# RC closed with %u frames held: EP got %u, %" PRIu64 " empty frames, %" PRIu64 " LINK_DOWN\n",
	       sent, r.got, len, ld);
	vsim_fault_engine_hold(ep_vs, false);
	ntb_test_rawdev_down(ep_id);
	in_use = rte_mempool_in_use_count(mp);
	NTB_TEST_ASSERT(sent == NB_STALE, "RC sent %u of %u", sent, NB_STALE);
	NTB_TEST_ASSERT(ld == 1 && len == NB_STALE && r.got == 0,
			"the EP reaches the LINK_DOWN past the dropped frames, sent empty");
	NTB_TEST_ASSERT(in_use == 0, "%u mbufs not back in the pool", in_use);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ntb_test_pair_conf conf = {
		.tag = "dmaflush", .nb_mbufs = 4095, .nb_desc = NB_DESC,
		.nb_q = 1, .bound_s = WAIT_S, .rc_ev = &rc_ev,
	};
	struct ntb_test_pair pair;
	bool noreset = argc > 1 && strcmp(argv[1], "noreset") == 0;

	intr_mode = argc > 1 && strcmp(argv[1], "intr") == 0;
	/* intr: the profile's interrupt backend (intr=auto) */
	conf.ep_args = intr_mode ? ",dma_num_chans=2,transport_mtu=2048" :
		",dma_num_chans=2,intr=poll,transport_mtu=2048";
	conf.rc_args = intr_mode ? ",copy=dma,transport_mtu=2048" :
		",copy=dma,intr=poll,transport_mtu=2048";
	if (ntb_test_pair_up(&pair, &conf) < 0)
		return 1;
	ep_id = pair.ep_id;
	rc_id = pair.rc_id;
	mp = pair.mp;
	ep_vs = *(struct vsim **)((struct ntb_dwedma_dev *)
				  rte_rawdevs[ep_id].dev_private)->hw;
	if (noreset) {
		NTB_TEST_RUN(test_hung_engine_not_reset);
	} else {
		NTB_TEST_RUN(test_stopped_sender_delivers);
		NTB_TEST_RUN(test_copies_at_qp_down);
		NTB_TEST_RUN(test_hung_engine_recovered);
		NTB_TEST_RUN(test_close_with_copies_held);
	}
	ntb_test_pair_down(&pair);
	return ntb_test_done();
}
