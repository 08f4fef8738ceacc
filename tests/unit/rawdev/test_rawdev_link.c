/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The device link from queue pair events (ntb_dwedma_qp_event, called by
 * the transport on the control thread). A kernel ntb_netdev peer opens
 * queue pair 0 only and its carrier follows that queue pair: a device
 * with several queues must come up with queue pair 0, and the others
 * join when (if ever) the peer opens them.
 */

#include <string.h>

#include <rte_rawdev_pmd.h>

#include "ntb_test.h"
#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_intr.h"

static unsigned int ups, downs;

static void
count_event(uint16_t id, enum rte_pmd_ntb_dwedma_event ev, void *arg)
{
	RTE_SET_USED(id);
	RTE_SET_USED(arg);
	if (ev == RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP)
		ups++;
	else
		downs++;
}

static struct rte_rawdev rawdev = { .name = "test-link" };
static struct ntb_dwedma_dev d;

static void
dev_init(uint16_t queues)
{
	memset(&d, 0, sizeof(d));
	d.rawdev = &rawdev;
	d.queue_num = queues;
	rte_spinlock_init(&d.cb_lock);
	d.cb[0].fn = count_event;
	ups = downs = 0;
}

static int
test_follows_qp0_against_one_qp_peer(void)
{
	dev_init(4);
	/* a kernel ntb_netdev: queue pair 0 only */
	ntb_dwedma_qp_event(NULL, 0, true, &d);
	NTB_TEST_ASSERT(d.link_up && ups == 1,
			"link up with queue pair 0 (%u events)", ups);
	/* another queue joins later: no second link event */
	ntb_dwedma_qp_event(NULL, 2, true, &d);
	NTB_TEST_ASSERT(d.link_up && ups == 1 && downs == 0, "joined");
	ntb_dwedma_qp_event(NULL, 2, false, &d);
	NTB_TEST_ASSERT(d.link_up && downs == 0, "a leaving queue: still up");
	ntb_dwedma_qp_event(NULL, 0, false, &d);
	NTB_TEST_ASSERT(!d.link_up && downs == 1, "down with queue pair 0");
	return 0;
}

static int
test_other_queues_alone_no_link(void)
{
	dev_init(2);
	ntb_dwedma_qp_event(NULL, 1, true, &d);
	NTB_TEST_ASSERT(!d.link_up && ups == 0, "queue pair 1 alone: down");
	ntb_dwedma_qp_event(NULL, 0, true, &d);
	NTB_TEST_ASSERT(d.link_up && ups == 1, "up");
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_follows_qp0_against_one_qp_peer);
	NTB_TEST_RUN(test_other_queues_alone_no_link);
	return ntb_test_done();
}
