/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rte_rawdev_stop closes the queues' Rx eventfds while the control
 * thread may be fanning an interrupt out to them. That happens on the
 * fan-out path only: the EP with intr=dw_edma and two queues, where one
 * eDMA IRQ serves both queues, so the control thread acks it and writes
 * each armed queue's private eventfd. An EP and an RC in one process on
 * the virtual link.
 *
 * Both cases are decided by the order of events, never by a time window
 * (an earlier case that stopped and started the EP 300 times while a
 * thread kicked it passed with the race put back: 100 us windows rarely
 * met). test_kick_fans_out shows that the path is the fan-out and that
 * an RC kick of queue 0 wakes both armed queues through their eventfds;
 * test_stop_waits_for_fanout holds a fan-out in flight, stops the EP
 * under it and shows that stop waits for it (the claim of the old case:
 * no fan-out writes an eventfd that stop closed).
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
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
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the RC kicks through its interrupt backend (test_kick_fans_out) */
#include "ntb_dwedma_dev.h"
#include "ntb_intr_test.h"
/* the test holds the EP's eDMA model lock (test_stop_waits_for_fanout) */
#include "vsim_priv.h"
#include "dw_edma_v0_regs.h"

#define HELD_LOOPS	10
#define NB_Q		2
#define NB_DESC		64
#define WAIT_S		10	/* bound of the link wait (never asserted) */
#define WAKE_BOUND_MS	10000	/* bound of the wait for a wake-up */
#define STOP_BOUND_MS	10000	/* bound of the wait for a held stop */

static int ep_id = -1, rc_id = -1;

static bool
wait_link(void)
{
	return ntb_test_rawdev_wait_link(ep_id, true, WAIT_S) &&
	       ntb_test_rawdev_wait_link(rc_id, true, WAIT_S);
}

static uint64_t
xstat(int id, const char *name)
{
	unsigned int xid;

	return rte_rawdev_xstats_by_name_get(id, name, &xid);
}

static bool
fd_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

static uint64_t
wakeups(unsigned int q)
{
	char name[32];

	snprintf(name, sizeof(name), "rx_intr_wakeups_q%u", q);
	return xstat(ep_id, name);
}

/*
 * A kick of the RC's for queue 0 (through the interrupt window, as its
 * Tx path kicks) raises the EP's one eDMA IRQ; the control thread acks
 * it and wakes both armed queues through their own eventfds. Queue 1
 * woken is the fan-out: a kick that still took the doorbell fall-back
 * (the RC reads the EP's descriptor in its next link work, up to 10 ms
 * after the link came up) wakes queue 0 only, so the kick is repeated
 * every millisecond until both are woken (bounded).
 */
static int
test_kick_fans_out(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	uint64_t w0[NB_Q], irqs0, v;
	unsigned int q, k;
	int fd[NB_Q];

	NTB_TEST_ASSERT(ep->intr_ready && ep->intr.mode == NTB_INTR_DW_EDMA,
			"EP interrupts: dw_edma");
	NTB_TEST_ASSERT(wait_link(), "link up");
	for (q = 0; q < NB_Q; q++) {
		fd[q] = rte_pmd_ntb_dwedma_rx_intr_fd(ep_id, q);
		NTB_TEST_ASSERT(fd[q] >= 0 &&
				rte_pmd_ntb_dwedma_rx_intr_enable(ep_id, q) == 0,
				"queue %u armed", q);
		NTB_TEST_ASSERT(!ntb_intr_deliver_direct(&ep->intr_dl, q),
				"queue %u on the fan-out path", q);
		w0[q] = wakeups(q);
	}
	NTB_TEST_ASSERT(fd[0] != fd[1], "one eventfd per queue");
	irqs0 = xstat(ep_id, "intr_dw_edma");
	for (k = 0; k < WAKE_BOUND_MS &&
	     !(fd_readable(fd[0]) && fd_readable(fd[1])); k++) {
		ntb_intr_kick(&rc->intr, 0);
		rte_delay_us_sleep(1000);
	}
	printf("# %u kicks of queue 0: eventfds readable %d/%d, wake-ups +%lu/+%lu, eDMA IRQs +%lu\n",
	       k, fd_readable(fd[0]), fd_readable(fd[1]),
	       (unsigned long)(wakeups(0) - w0[0]),
	       (unsigned long)(wakeups(1) - w0[1]),
	       (unsigned long)(xstat(ep_id, "intr_dw_edma") - irqs0));
	NTB_TEST_ASSERT(fd_readable(fd[0]) && fd_readable(fd[1]),
			"both armed queues woken");
	for (q = 0; q < NB_Q; q++) {
		NTB_TEST_ASSERT(read(fd[q], &v, sizeof(v)) == sizeof(v) &&
				v > 0, "queue %u eventfd", q);
		NTB_TEST_ASSERT(wakeups(q) > w0[q], "queue %u wake-up counted",
				q);
		rte_pmd_ntb_dwedma_rx_intr_disable(ep_id, q);
	}
	NTB_TEST_ASSERT(xstat(ep_id, "intr_dw_edma") > irqs0,
			"eDMA IRQ acked by the control thread");
	return 0;
}

struct stop_arg {
	bool done;
};

static void *
stopper(void *arg)
{
	struct stop_arg *a = arg;

	rte_rawdev_stop(ep_id);
	__atomic_store_n(&a->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The race made wide: the eDMA model's lock (in the EP's shared
 * state) is held by the test, so the control thread, once it has drained
 * an eDMA IRQ, stops inside its ack (the de-assert), in the middle of a
 * fan-out. rte_rawdev_stop must not return while that fan-out is in
 * flight: it would close the eventfds the fan-out is about to write.
 *
 * Decided by the order of events, not by a time window: the drain of the
 * IRQ fd happens inside the fan-out (under the device's intr_lock), so
 * once the fd reads empty the fan-out is in flight; it can only end when
 * the model gives up on its lock (lock_timeouts grows) or the test lets
 * go. A stop that returns while lock_timeouts has not grown returned
 * during the fan-out.
 *
 * Why not watch the harm itself (a write to an eventfd number reused
 * after stop)? Stop disarms each queue and forgets its fd before it
 * closes it, so a fan-out that goes on after such a stop writes a reused
 * number only when the stop falls between its "armed?" and its write: a
 * window no hook holds open. With the delivery lock left out of stop,
 * canaries opened on the closed numbers while the fan-out was held here
 * read 0 in every cycle; a stop returning during the fan-out is the
 * fault this test sees every time.
 */
static int
test_stop_waits_for_fanout(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct vsim *vs = *(struct vsim **)ep->hw;	/* struct vsim_hw */
	rte_spinlock_t *lock = &vs->sh->edma.lock;
	int irq_fd = ep->intr_res.edma_irq_fd;
	unsigned int i, k, early = 0, taken = 0, stuck = 0;
	uint64_t one = 1;

	for (i = 0; i < HELD_LOOPS; i++) {
		struct stop_arg a = { .done = false };
		uint64_t timeouts = vsim_edma_lock_timeouts(vs);
		pthread_t th;

		for (k = 0; k < NB_Q; k++)
			rte_pmd_ntb_dwedma_rx_intr_enable(ep_id, k);
		rte_spinlock_lock(lock);
		if (write(irq_fd, &one, sizeof(one)) != sizeof(one)) {
			rte_spinlock_unlock(lock);
			break;
		}
		/* the control thread drains the IRQ (in the fan-out), then
		 * blocks de-asserting
		 */
		for (k = 0; k < 1000 && fd_readable(irq_fd); k++)
			rte_delay_us_sleep(1000);
		if (!fd_readable(irq_fd))
			taken++;
		if (pthread_create(&th, NULL, stopper, &a) != 0) {
			rte_spinlock_unlock(lock);
			break;
		}
		/* stop returns only once the model gave up (bounded look) */
		for (k = 0; k < STOP_BOUND_MS &&
		     !__atomic_load_n(&a.done, __ATOMIC_ACQUIRE); k++)
			rte_delay_us_sleep(1000);
		if (!__atomic_load_n(&a.done, __ATOMIC_ACQUIRE))
			stuck++;
		else if (vsim_edma_lock_timeouts(vs) == timeouts)
			early++;
		rte_spinlock_unlock(lock);
		pthread_join(th, NULL);
		/* a de-assert that now takes the lock clears the model's
		 * "stuck" state, so that the next cycle waits in full
		 */
		ntb_bar_write32(ep->intr_res.edma_regs, DW_EDMA_V0_RD_INT_CLEAR,
				0);
		if (rte_rawdev_start(ep_id) < 0)
			break;
	}
	printf("# %u held cycles, IRQ taken by the control thread %u times, stop returned during a fan-out %u times, stop still waiting after the model's lock timeout %u times\n",
	       i, taken, early, stuck);
	NTB_TEST_ASSERT(i == HELD_LOOPS && taken == HELD_LOOPS,
			"control thread took each IRQ");
	NTB_TEST_ASSERT(stuck == 0, "stop returned once the fan-out ended");
	/* the model's lock timeouts are the rawdev's xstat */
	NTB_TEST_ASSERT(xstat(ep_id, "edma_lock_timeouts") ==
			vsim_edma_lock_timeouts(vs),
			"xstat edma_lock_timeouts %lu, model %lu",
			(unsigned long)xstat(ep_id, "edma_lock_timeouts"),
			(unsigned long)vsim_edma_lock_timeouts(vs));
	NTB_TEST_ASSERT(early == 0,
			"stop returned %u times while a fan-out was in flight",
			early);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct ntb_test_pair_conf conf = {
		.tag = "stop_race", .ep_args = ",intr=dw_edma",
		.rc_args = ",intr=dw_edma", .nb_mbufs = 1023,
		.nb_desc = NB_DESC, .nb_q = NB_Q, .bound_s = WAIT_S,
	};
	struct ntb_test_pair pair;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (ntb_test_pair_up(&pair, &conf) < 0)
		return 1;
	ep_id = pair.ep_id;
	rc_id = pair.rc_id;
	NTB_TEST_RUN(test_kick_fans_out);
	NTB_TEST_RUN(test_stop_waits_for_fanout);
	ntb_test_pair_down(&pair);
	return ntb_test_done();
}
