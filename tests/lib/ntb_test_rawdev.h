/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_RAWDEV_H
#define NTB_TEST_RAWDEV_H

/*
 * Bring a raw_ntb_* rawdev up the way DPDK's NTB rawdev contract wants it
 * (rte_pmd_ntb.h): queue attributes, configure, queue 0 set up with
 * mempool mp, start. One queue of nb_desc descriptors (or nb_q queues:
 * ntb_test_rawdev_up_n). The rawdev id, or -1 on any failure.
 *
 * Then what the multi-process tests do with a raw_ntb_dwedma device on
 * queue 0: wait for its link, echo what comes in, send numbered packets
 * (ntb_test_pkt.h) and check their echoes.
 */

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include "ntb_test_pkt.h"
#include "ntb_test_proc.h"
#include "rte_pmd_ntb_dwedma.h"

/* The same with nb_q queues of nb_desc descriptors. */
static inline int
ntb_test_rawdev_up_n(const char *name, struct rte_mempool *mp,
		     uint16_t nb_desc, uint16_t nb_q)
{
	struct ntb_dev_config conf = { .num_queues = nb_q,
				       .queue_size = nb_desc };
	struct ntb_queue_conf qc = { .nb_desc = nb_desc, .rx_mp = mp };
	struct rte_rawdev_info info = { .dev_private = &conf };
	int id = rte_rawdev_get_dev_id(name);
	uint16_t q;

	if (id < 0 || mp == NULL ||
	    rte_rawdev_set_attr(id, NTB_QUEUE_SZ_NAME, nb_desc) < 0 ||
	    rte_rawdev_set_attr(id, NTB_QUEUE_NUM_NAME, nb_q) < 0 ||
	    rte_rawdev_configure(id, &info, sizeof(conf)) < 0)
		return -1;
	for (q = 0; q < nb_q; q++)
		if (rte_rawdev_queue_setup(id, q, &qc, sizeof(qc)) < 0)
			return -1;
	if (rte_rawdev_start(id) < 0)
		return -1;
	return id;
}

static inline int
ntb_test_rawdev_up(const char *name, struct rte_mempool *mp,
		   uint16_t nb_desc)
{
	return ntb_test_rawdev_up_n(name, mp, nb_desc, 1);
}

/* LINK_UP and LINK_DOWN events of a device, counted by its callback. */
struct ntb_test_link_events {
	uint32_t up;
	uint32_t down;
};

/* rte_pmd_ntb_dwedma_callback_register(id, ntb_test_rawdev_count, &ev) */
static inline void
ntb_test_rawdev_count(uint16_t dev_id, enum rte_pmd_ntb_dwedma_event ev,
		      void *arg)
{
	struct ntb_test_link_events *e = arg;

	RTE_SET_USED(dev_id);
	__atomic_fetch_add(ev == RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP ?
			   &e->up : &e->down, 1, __ATOMIC_RELAXED);
}

/*
 * The rawdev called name with its LINK_UP/LINK_DOWN events counted in ev
 * from now on: registered before the device comes up, the count is
 * exact (a callback registered after seeing the link up could still get
 * the first up, raised just after the state changed). Its id, or -1.
 */
static inline int
ntb_test_rawdev_count_events(const char *name, struct ntb_test_link_events *ev)
{
	int id = rte_rawdev_get_dev_id(name);

	if (id < 0 ||
	    rte_pmd_ntb_dwedma_callback_register(id, ntb_test_rawdev_count,
						 ev) != 0)
		return -1;
	return id;
}

/*
 * In a child: EAL with lcore and one --vdev (ntb_test_proc_eal_args),
 * EAL's own logs at warning.
 */
static inline int
ntb_test_rawdev_eal(const char *tag, const char *lcore, const char *vdev)
{
	return ntb_test_proc_eal_args(tag, "-l", lcore,
				      "--log-level", "lib.eal:warning",
				      "--vdev", vdev, NULL);
}

/* The two sides' rawdevs on the virtual link in the tests of two sides. */
#define NTB_TEST_VSIM_EP	"raw_ntb_vsim0"
#define NTB_TEST_VSIM_RC	"raw_ntb_vsim1"

static inline const char *
ntb_test_vsim_name(bool ep)
{
	return ep ? NTB_TEST_VSIM_EP : NTB_TEST_VSIM_RC;
}

/*
 * In a child: ntb_test_rawdev_eal with one side of the virtual link at
 * sock (NTB_TEST_VSIM_EP or _RC, profile rcar-s4); more: further devargs,
 * "" or ",key=value...".
 */
static inline int
ntb_test_rawdev_vsim_eal(const char *tag, const char *lcore, bool ep,
			 const char *sock, const char *more)
{
	char vdev[256];

	snprintf(vdev, sizeof(vdev), "%s,role=%s,link=%s,profile=rcar-s4%s",
		 ntb_test_vsim_name(ep), ep ? "ep" : "rc", sock, more);
	return ntb_test_rawdev_eal(tag, lcore, vdev);
}

/* A pool of 4095 mbufs named pool, then name up with nb_desc. */
static inline int
ntb_test_rawdev_pool_up(const char *name, const char *pool, uint16_t nb_desc,
			struct rte_mempool **mpp)
{
	struct rte_mempool *mp;
	int id;

	mp = rte_pktmbuf_pool_create(pool, 4095, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	id = ntb_test_rawdev_up(name, mp, nb_desc);
	if (id < 0)
		return -1;
	*mpp = mp;
	return id;
}

static inline void
ntb_test_rawdev_down(int id)
{
	rte_rawdev_stop(id);
	rte_rawdev_close(id);
}

static inline bool
ntb_test_rawdev_link_up(int id)
{
	struct rte_pmd_ntb_dwedma_link l;

	return rte_pmd_ntb_dwedma_link_get(id, &l) == 0 && l.up;
}

/* Link up (or down) within bound_s? */
static inline bool
ntb_test_rawdev_wait_link(int id, bool up, unsigned int bound_s)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * bound_s;

	while (rte_get_timer_cycles() < end) {
		if (ntb_test_rawdev_link_up(id) == up)
			return true;
		rte_delay_us_sleep(5000);
	}
	return false;
}

/*
 * Echo every packet back on queue 0 for at most bound_s, until the link,
 * once up, goes down (the peer closed; with until_down) or tick(arg),
 * called once a turn when given, says to end. Was the link ever up?
 */
static inline bool
ntb_test_rawdev_echo(int id, unsigned int bound_s, bool until_down,
		     bool (*tick)(void *arg), void *arg)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * bound_s;
	struct rte_mbuf *pkts[32];
	bool was_up = false;

	while (rte_get_timer_cycles() < end) {
		uint16_t n, sent = 0;

		if (tick != NULL && tick(arg))
			break;
		if (ntb_test_rawdev_link_up(id))
			was_up = true;
		else if (was_up && until_down)
			break;		/* the peer closed: done */
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, RTE_DIM(pkts));
		while (sent < n && ntb_test_rawdev_link_up(id) &&
		       rte_get_timer_cycles() < end)
			sent += rte_pmd_ntb_dwedma_tx_burst(id, 0, pkts + sent,
							    n - sent);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		if (n == 0)
			rte_delay_us_sleep(100);
	}
	return was_up;
}

/*
 * The end of a child on one side of the link: stop counting events in ev
 * (NULL: none counted), the device down, EAL cleaned up.
 */
static inline void
ntb_test_rawdev_child_end(int id, struct ntb_test_link_events *ev)
{
	if (ev != NULL)
		rte_pmd_ntb_dwedma_callback_unregister(id, ntb_test_rawdev_count,
						       ev);
	ntb_test_rawdev_down(id);
	rte_eal_cleanup();
}

/*
 * The rest of a child that echoes what the other side sends: echo until
 * the peer goes, at most bound_s (tick as for ntb_test_rawdev_echo), then
 * ntb_test_rawdev_child_end. Its exit status: 0, or 4 when the link was
 * never up.
 */
static inline int
ntb_test_rawdev_echo_child(int id, unsigned int bound_s,
			   bool (*tick)(void *arg), void *arg)
{
	bool was_up = ntb_test_rawdev_echo(id, bound_s, true, tick, arg);

	ntb_test_rawdev_child_end(id, NULL);
	return was_up ? 0 : 4;
}

/* Numbered packet seq of round (ntb_test_pkt.h) out on queue 0: sent? */
static inline bool
ntb_test_rawdev_send_pkt(int id, struct rte_mempool *mp, uint32_t round,
			 uint32_t seq)
{
	struct rte_mbuf *m = ntb_test_pkt_make(mp, round, seq);

	if (m == NULL)
		return false;
	if (rte_pmd_ntb_dwedma_tx_burst(id, 0, &m, 1) == 1)
		return true;
	rte_pktmbuf_free(m);
	return false;
}

/* What ntb_test_rawdev_round_trip sends and how long it may take. */
struct ntb_test_round {
	const char *who;	/**< names the side in its diagnostic */
	uint32_t nb_pkts;	/**< packets out, all to come back */
	uint32_t window;	/**< at most this many out unanswered */
	unsigned int bound_s;	/**< bound of the whole round */
	/** when given: called while no echo comes, with the cycles since
	 *  the last one (or the start) */
	void (*idle)(void *arg, uint64_t cycles);
	void *arg;
};

/*
 * nb_pkts numbered packets of round out on queue 0, every echo back in
 * order and byte-exact (ntb_test_pkt_ok). 0, or -1 with a diagnostic.
 */
static inline int
ntb_test_rawdev_round_trip(int id, struct rte_mempool *mp, uint32_t round,
			   const struct ntb_test_round *r)
{
	uint64_t last = rte_get_timer_cycles();
	uint64_t end = last + rte_get_timer_hz() * r->bound_s;
	uint32_t tx = 0, rx = 0, bad = 0;
	struct rte_mbuf *pkts[32];

	while (rx < r->nb_pkts && rte_get_timer_cycles() < end) {
		uint16_t n, i;

		if (tx < r->nb_pkts && tx - rx < r->window &&
		    ntb_test_rawdev_send_pkt(id, mp, round, tx))
			tx++;
		n = rte_pmd_ntb_dwedma_rx_burst(id, 0, pkts, RTE_DIM(pkts));
		for (i = 0; i < n; i++) {
			if (!ntb_test_pkt_ok(pkts[i], round, rx))
				bad++;
			rx++;
		}
		rte_pktmbuf_free_bulk(pkts, n);
		if (n > 0)
			last = rte_get_timer_cycles();
		else if (r->idle != NULL)
			r->idle(r->arg, rte_get_timer_cycles() - last);
	}
	printf("# %s round %u: sent %u, echoed %u, bad %u\n", r->who, round,
	       tx, rx, bad);
	fflush(stdout);
	return rx == r->nb_pkts && tx == r->nb_pkts && bad == 0 ? 0 : -1;
}

/*
 * In a child that drives: the link up within r->bound_s, then
 * ntb_test_rawdev_round_trip. 0, or -1 after telling the parent on out
 * which of the two failed ("F <who>: ...").
 */
static inline int
ntb_test_rawdev_link_round(int id, struct rte_mempool *mp, uint32_t round,
			   const struct ntb_test_round *r, int out)
{
	if (!ntb_test_rawdev_wait_link(id, true, r->bound_s)) {
		ntb_test_proc_say(out, "F %s: link not up for round %u\n",
				  r->who, round);
		return -1;
	}
	if (ntb_test_rawdev_round_trip(id, mp, round, r) < 0) {
		ntb_test_proc_say(out, "F %s: round %u\n", r->who, round);
		return -1;
	}
	return 0;
}

/*
 * The tests of one process: an EP (NTB_TEST_VSIM_EP) and an RC
 * (NTB_TEST_VSIM_RC) on the virtual link, both driven by this thread.
 */
struct ntb_test_pair_conf {
	const char *tag;	/**< EAL file prefix, socket and pool name */
	const char *ep_args;	/**< further devargs: "" or ",key=value..." */
	const char *rc_args;
	unsigned int nb_mbufs;
	uint16_t nb_desc;	/**< per queue, nb_q queues on each side */
	uint16_t nb_q;
	unsigned int bound_s;	/**< of the link wait (never asserted) */
	/** counts the RC's link events once it is up; NULL: not counted */
	struct ntb_test_link_events *rc_ev;
};

struct ntb_test_pair {
	char sock[96];
	struct rte_mempool *mp;
	int ep_id;
	int rc_id;
};

/*
 * EAL with both sides on a fresh socket, a pool, both up and both links
 * up within c->bound_s. 0; or -1 after the TAP lines that end the test
 * (a bail-out, or "not ok 1 - EP and RC up" and the plan): return 1.
 */
static inline int
ntb_test_pair_up(struct ntb_test_pair *p, const struct ntb_test_pair_conf *c)
{
	char ep_vdev[256], rc_vdev[256];

	p->mp = NULL;
	p->ep_id = -1;
	p->rc_id = -1;
	ntb_test_proc_sock_path(p->sock, sizeof(p->sock), c->tag);
	snprintf(ep_vdev, sizeof(ep_vdev),
		 NTB_TEST_VSIM_EP ",role=ep,link=%s,profile=rcar-s4%s",
		 p->sock, c->ep_args);
	snprintf(rc_vdev, sizeof(rc_vdev),
		 NTB_TEST_VSIM_RC ",role=rc,link=%s,profile=rcar-s4%s",
		 p->sock, c->rc_args);
	if (ntb_test_proc_eal_args(c->tag, "--log-level=lib.eal:warning",
				   "--vdev", ep_vdev, "--vdev", rc_vdev,
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return -1;
	}
	p->mp = rte_pktmbuf_pool_create(c->tag, c->nb_mbufs, 0, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					SOCKET_ID_ANY);
	if (p->mp != NULL)
		p->ep_id = ntb_test_rawdev_up_n(NTB_TEST_VSIM_EP, p->mp,
						c->nb_desc, c->nb_q);
	if (p->ep_id >= 0)
		p->rc_id = ntb_test_rawdev_up_n(NTB_TEST_VSIM_RC, p->mp,
						c->nb_desc, c->nb_q);
	if (p->rc_id >= 0 && c->rc_ev != NULL)
		rte_pmd_ntb_dwedma_callback_register(p->rc_id,
						     ntb_test_rawdev_count,
						     c->rc_ev);
	if (p->rc_id < 0 ||
	    !ntb_test_rawdev_wait_link(p->ep_id, true, c->bound_s) ||
	    !ntb_test_rawdev_wait_link(p->rc_id, true, c->bound_s)) {
		printf("not ok 1 - EP and RC up (ep %d, rc %d)\n", p->ep_id,
		       p->rc_id);
		printf("1..1\n");
		return -1;
	}
	return 0;
}

/* Both devices down and gone, the pool, the socket and EAL too. */
static inline void
ntb_test_pair_down(struct ntb_test_pair *p)
{
	ntb_test_rawdev_down(p->rc_id);
	ntb_test_rawdev_down(p->ep_id);
	rte_vdev_uninit(NTB_TEST_VSIM_RC);
	rte_vdev_uninit(NTB_TEST_VSIM_EP);
	rte_mempool_free(p->mp);
	unlink(p->sock);
	rte_eal_cleanup();
}

#endif /* NTB_TEST_RAWDEV_H */
