/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rte_rawdev_stop closes the queues' Rx eventfds while the control
 * thread may be fanning an interrupt out to them. That happens on the
 * fan-out path only: the EP with intr=dw_edma and two queues, where one
 * eDMA IRQ serves both queues, so the control thread acks it and writes
 * each armed queue's private eventfd. An EP and an RC in one process on
 * the virtual link; a thread on the RC keeps kicking both of the EP's
 * queues (interrupt emulation through the interrupt window, or the
 * doorbell fall-back while the EP withdraws its descriptor) while the
 * main thread stops and starts the EP with both queues armed, a bounded
 * number of times. After each stop a "canary" eventfd is opened per
 * queue, which usually takes the number of an eventfd just closed: a
 * fan-out that writes an old fd after stop shows up as a count on a
 * canary (or, with the transport queue detached under it, as a crash or
 * a sanitizer report). The canaries must stay at 0; both queues must be
 * on the fan-out path (not direct), and the control thread must have
 * acked eDMA IRQs and woken both queues through their eventfds.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
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
/* the kicking thread kicks through the RC's interrupt backend */
#include "ntb_dwedma_dev.h"
/* ... and holds the EP's eDMA model lock (test_stop_waits_for_fanout) */
#include "vsim_priv.h"
#include "dw_edma_v0_regs.h"

#define LOOPS		300
#define HELD_LOOPS	10
#define NB_Q		2
#define NB_DESC		64
#define WAIT_S		10	/* bound of the link wait (never asserted) */
#define KICK_BOUND	2000000	/* the kicking thread's own bound */
#define KICK_PAUSE_MS	10000	/* bound of the wait for the kicker to pause */
#define STOP_BOUND_MS	10000	/* bound of the wait for a held stop */

static volatile bool kick_stop, kick_pause;
static volatile bool kick_paused = true;	/* no kick under way */
static uint64_t kicks;
static int ep_id = -1, rc_id = -1;

static bool
wait_link(void)
{
	return ntb_test_rawdev_wait_link(ep_id, true, WAIT_S) &&
	       ntb_test_rawdev_wait_link(rc_id, true, WAIT_S);
}

/* RC: kick both EP queues, as its Tx path does, until told to stop. */
static void *
kicker(void *arg)
{
	struct ntb_dwedma_dev *rc = arg;
	uint64_t i;

	for (i = 0; i < KICK_BOUND && !kick_stop; i++) {
		kick_paused = kick_pause;	/* between two kicks */
		if (kick_pause) {
			rte_delay_us_sleep(100);
			continue;
		}
		ntb_intr_kick(&rc->intr, i % NB_Q);
		kicks++;
		rte_delay_us_sleep(20);
	}
	return NULL;
}

static uint64_t
xstat(int id, const char *name)
{
	unsigned int xid;

	return rte_rawdev_xstats_by_name_get(id, name, &xid);
}

static int
test_stop_start_while_kicked(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	uint64_t stray = 0, reused = 0, wakeups[NB_Q], edma_irqs, v;
	int old_fd[NB_Q], canary[NB_Q];
	unsigned int i, q, fanout = 0;
	pthread_t th;

	NTB_TEST_ASSERT(ep->intr_ready && ep->intr.mode == NTB_INTR_DW_EDMA,
			"EP interrupts: dw_edma");
	NTB_TEST_ASSERT(pthread_create(&th, NULL, kicker, rc) == 0,
			"kicker thread");
	for (i = 0; i < LOOPS; i++) {
		for (q = 0; q < NB_Q; q++) {
			old_fd[q] = rte_pmd_ntb_dwedma_rx_intr_fd(ep_id, q);
			rte_pmd_ntb_dwedma_rx_intr_enable(ep_id, q);
		}
		/* both queues share the eDMA IRQ: fanned out, not direct */
		if (!ntb_intr_deliver_direct(&ep->intr_dl, 0) && !ntb_intr_deliver_direct(&ep->intr_dl, 1) &&
		    old_fd[0] >= 0 && old_fd[1] >= 0 && old_fd[0] != old_fd[1])
			fanout++;
		rte_delay_us_sleep(100);
		/* stopped while armed: a fan-out may be in flight */
		rte_rawdev_stop(ep_id);
		for (q = 0; q < NB_Q; q++) {
			canary[q] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (canary[q] == old_fd[0] || canary[q] == old_fd[1])
				reused++;
		}
		/* a fan-out still in flight would write here now */
		rte_delay_us_sleep(100);
		for (q = 0; q < NB_Q; q++) {
			if (canary[q] >= 0 &&
			    read(canary[q], &v, sizeof(v)) == sizeof(v))
				stray += v;
			if (canary[q] >= 0)
				close(canary[q]);
		}
		if (rte_rawdev_start(ep_id) < 0)
			break;
		/* now and then let the link (and the EP's descriptor) return,
		 * so that kicks also come through the eDMA emulation
		 */
		if (i % 50 == 0)
			wait_link();
	}
	kick_stop = true;
	pthread_join(th, NULL);
	for (q = 0; q < NB_Q; q++) {
		char name[32];

		snprintf(name, sizeof(name), "rx_intr_wakeups_q%u", q);
		wakeups[q] = xstat(ep_id, name);
	}
	edma_irqs = xstat(ep_id, "intr_dw_edma");
	printf("# %u stop/start cycles (%u on the fan-out path), %lu kicks, %lu/%lu eventfd wakeups, %lu eDMA IRQs, %lu doorbells, fd number reused %lu times\n",
	       i, fanout, (unsigned long)kicks, (unsigned long)wakeups[0],
	       (unsigned long)wakeups[1], (unsigned long)edma_irqs,
	       (unsigned long)xstat(ep_id, "intr_doorbell"),
	       (unsigned long)reused);
	NTB_TEST_ASSERT(i == LOOPS, "start failed at cycle %u", i);
	NTB_TEST_ASSERT(fanout == LOOPS, "fan-out path in %u of %u cycles",
			fanout, LOOPS);
	NTB_TEST_ASSERT(kicks > 0 && wakeups[0] > 0 && wakeups[1] > 0,
			"interrupts fired and woke both armed queues");
	NTB_TEST_ASSERT(edma_irqs > 0, "eDMA IRQs acked by the control thread");
	NTB_TEST_ASSERT(reused > 0, "canaries took the numbers of closed fds");
	NTB_TEST_ASSERT(stray == 0,
			"%lu writes to a closed Rx eventfd after stop",
			(unsigned long)stray);
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

static bool
fd_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/*
 * The same race made wide: the eDMA model's lock (in the EP's shared
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

	/* no kick of the RC's in between: the IRQ is the test's own */
	kick_pause = true;
	for (k = 0; k < KICK_PAUSE_MS && !kick_paused; k++)
		rte_delay_us_sleep(1000);
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
	kick_pause = false;
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
	char sock[96], ep_vdev[192], rc_vdev[192];
	struct rte_mempool *mp;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	ntb_test_proc_sock_path(sock, sizeof(sock), "stop_race");
	snprintf(ep_vdev, sizeof(ep_vdev),
		 "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4,intr=dw_edma",
		 sock);
	snprintf(rc_vdev, sizeof(rc_vdev),
		 "raw_ntb_vsim1,role=rc,link=%s,profile=rcar-s4,intr=dw_edma",
		 sock);
	if (ntb_test_proc_eal_args("stop_race", "--log-level=lib.eal:warning",
				   "--vdev", ep_vdev, "--vdev", rc_vdev,
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("stop_race", 1023, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	ep_id = mp != NULL ?
		ntb_test_rawdev_up_n("raw_ntb_vsim0", mp, NB_DESC, NB_Q) : -1;
	rc_id = ep_id >= 0 ?
		ntb_test_rawdev_up_n("raw_ntb_vsim1", mp, NB_DESC, NB_Q) : -1;
	if (rc_id < 0 || !wait_link()) {
		printf("not ok 1 - EP and RC up (ep %d, rc %d)\n", ep_id, rc_id);
		printf("1..1\n");
		return 1;
	}
	NTB_TEST_RUN(test_stop_waits_for_fanout);
	NTB_TEST_RUN(test_stop_start_while_kicked);
	rte_rawdev_stop(rc_id);
	rte_rawdev_close(rc_id);
	rte_rawdev_stop(ep_id);
	rte_rawdev_close(ep_id);
	rte_vdev_uninit("raw_ntb_vsim1");
	rte_vdev_uninit("raw_ntb_vsim0");
	rte_mempool_free(mp);
	unlink(sock);
	rte_eal_cleanup();
	return ntb_test_done();
}
