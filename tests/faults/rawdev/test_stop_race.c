/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rte_rawdev_stop closes the queues' Rx eventfds while the control
 * thread may be fanning an interrupt out to one of them. An EP and an RC
 * in one process on the virtual link (intr=doorbell); a thread keeps
 * ringing the RC's doorbell 0 from the EP while the main thread stops
 * and starts the RC with queue 0 armed, a bounded number of times. After
 * each stop a "canary" eventfd is opened, which usually takes the number
 * of the eventfd just closed: a fan-out that writes the old fd after
 * stop shows up as a count on the canary (or, with the transport queue
 * detached under it, as a crash or a sanitizer report). The canary must
 * stay at 0, and the RC must have been woken through its eventfd. The
 * RC's doorbell vector is a direct fd (handed to the application, not
 * fanned out, never closed by stop): then the test reads it as the
 * application would and disables the queue before each stop.
 */

#include <errno.h>
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
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the kicking thread rings the EP's doorbell directly */
#include "ntb_dwedma_dev.h"

#define LOOPS		300
#define NB_DESC		64
#define WAIT_MS		10000	/* bound of the link wait (never asserted) */
#define KICK_BOUND	2000000	/* the kicking thread's own bound */

static volatile bool kick_stop;
static uint64_t kicks;
static int ep_id = -1, rc_id = -1;

static int
dev_up(const char *name, struct rte_mempool *mp)
{
	return ntb_test_rawdev_up(name, mp, NB_DESC);
}

static bool
link_up(int id)
{
	struct rte_pmd_ntb_dwedma_link l;

	return rte_pmd_ntb_dwedma_link_get(id, &l) == 0 && l.up;
}

/* EP: ring doorbell bit 0 (RC MSI vector 2) until told to stop. */
static void *
kicker(void *arg)
{
	struct ntb_dev *nd = arg;
	uint64_t i;

	for (i = 0; i < KICK_BOUND && !kick_stop; i++) {
		if (nd->ops->peer_db_set(nd, 1) == 0)
			kicks++;
		rte_delay_us_sleep(20);
	}
	return NULL;
}

static int
test_stop_start_while_kicked(void)
{
	struct ntb_dwedma_dev *ep = rte_rawdevs[ep_id].dev_private;
	struct ntb_dwedma_dev *rc = rte_rawdevs[rc_id].dev_private;
	uint64_t stray = 0, reused = 0, direct_wakes = 0, wakeups, v;
	unsigned int i, id;
	pthread_t th;
	int old_fd, canary;

	NTB_TEST_ASSERT(rte_pmd_ntb_dwedma_rx_intr_fd(rc_id, 0) >= 0,
			"RC has an Rx interrupt fd");
	NTB_TEST_ASSERT(pthread_create(&th, NULL, kicker, ep->nd) == 0,
			"kicker thread");
	for (i = 0; i < LOOPS; i++) {
		old_fd = rte_pmd_ntb_dwedma_rx_intr_fd(rc_id, 0);
		rte_pmd_ntb_dwedma_rx_intr_enable(rc_id, 0);
		rte_delay_us_sleep(100);
		/* a direct fd is the application's to read: read it as one */
		if (rc->qp[0].intr_direct &&
		    read(old_fd, &v, sizeof(v)) == sizeof(v))
			direct_wakes += v;
		rte_pmd_ntb_dwedma_rx_intr_disable(rc_id, 0);
		rte_rawdev_stop(rc_id);
		canary = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (canary == old_fd)
			reused++;
		/* a fan-out still in flight would write here now */
		rte_delay_us_sleep(100);
		if (canary >= 0 && read(canary, &v, sizeof(v)) == sizeof(v))
			stray += v;
		if (canary >= 0)
			close(canary);
		if (rte_rawdev_start(rc_id) < 0)
			break;
	}
	kick_stop = true;
	pthread_join(th, NULL);
	wakeups = rte_rawdev_xstats_by_name_get(rc_id, "rx_intr_wakeups_q0",
						&id);
	printf("# %u stop/start cycles, %lu kicks, %lu eventfd wakeups, %lu read on the direct fd, fd number reused %lu times\n",
	       i, (unsigned long)kicks, (unsigned long)wakeups,
	       (unsigned long)direct_wakes, (unsigned long)reused);
	NTB_TEST_ASSERT(i == LOOPS, "start failed at cycle %u", i);
	NTB_TEST_ASSERT(kicks > 0 && wakeups > 0,
			"interrupts fired and woke the armed queue");
	/* direct: the queue's fd itself carried kicks to the application */
	NTB_TEST_ASSERT(!rc->qp[0].intr_direct || direct_wakes > 0,
			"no kick read on the direct fd");
	NTB_TEST_ASSERT(stray == 0,
			"%lu writes to a closed Rx eventfd after stop",
			(unsigned long)stray);
	return 0;
}

int
main(int argc, char **argv)
{
	char prefix[64], sock[96], ep_vdev[192], rc_vdev[192];
	char *eal[] = { argv[0], "--no-huge", "--no-pci", "-m", "256",
		prefix, "--log-level=lib.eal:warning",
		"--log-level=pmd.raw.ntb_dwedma:notice",
		"--vdev", ep_vdev, "--vdev", rc_vdev, NULL };
	struct rte_mempool *mp;
	unsigned int i;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "--file-prefix=stop_race_%d",
		 (int)getpid());
	snprintf(sock, sizeof(sock), "/run/ntb_stop_race_%d.sock",
		 (int)getpid());
	if (access("/run", W_OK) != 0)
		snprintf(sock, sizeof(sock), "/tmp/ntb_stop_race_%d.sock",
			 (int)getpid());
	snprintf(ep_vdev, sizeof(ep_vdev),
		 "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4,intr=doorbell",
		 sock);
	snprintf(rc_vdev, sizeof(rc_vdev),
		 "raw_ntb_vsim1,role=rc,link=%s,profile=rcar-s4,intr=doorbell",
		 sock);
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("stop_race", 1023, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	ep_id = mp != NULL ? dev_up("raw_ntb_vsim0", mp) : -1;
	rc_id = ep_id >= 0 ? dev_up("raw_ntb_vsim1", mp) : -1;
	for (i = 0; rc_id >= 0 && i < WAIT_MS &&
	     !(link_up(ep_id) && link_up(rc_id)); i++)
		rte_delay_us_sleep(1000);
	if (rc_id < 0 || !link_up(rc_id)) {
		printf("not ok 1 - EP and RC up (ep %d, rc %d)\n", ep_id, rc_id);
		printf("1..1\n");
		return 1;
	}
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
