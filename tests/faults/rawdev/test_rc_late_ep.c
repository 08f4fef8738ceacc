/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The RC starts long before its EP: probe, configure and start of the RC
 * rawdev succeed with the link down (no EP answers, for longer than the
 * connect timeout and the vNTB command timeout), and when the EP comes
 * up the RC connects by itself, brings the link up with one LINK_UP
 * event and no LINK_DOWN, and packets echo byte-exact. Then the same with
 * an EP that is there but answers vNTB commands late (its command handler
 * delayed past the RC's command timeout for its first seconds).
 *
 * Two DPDK processes forked before rte_eal_init (ntb_test_proc.h): the RC, then (after the
 * RC reported it started) the EP, which echoes every packet back. Every
 * wait is bounded; every child still alive at the end is killed by PID.
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
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "rte_pmd_ntb_dwedma.h"
/* the slow EP delays its command handler (test-only fault hook) */
#include "ntb_dwedma_dev.h"
#include "vsim_fault.h"

#define NB_PKTS		400
#define NB_DESC		256
#define STEP_S		30	/* bound of every wait */
#define SLOW_US		5000000	/* the slow EP's command delay */

static char sock_path[108];

/* ---------------- EP: echo until the RC goes (bounded) ---------------- */

/* The slow EP answers commands late until slow_end. */
struct slow_ep {
	struct vsim *vs;
	uint64_t slow_end;
};

static bool
slow_tick(void *arg)
{
	struct slow_ep *se = arg;

	if (se->vs != NULL && rte_get_timer_cycles() > se->slow_end) {
		vsim_fault_cmd_delay(se->vs, 0);
		se->vs = NULL;
	}
	return false;
}

/* arg: 1 the EP, 2 the slow EP */
static int
ep_main(void *arg, int fd)
{
	int which = (int)(uintptr_t)arg;
	struct slow_ep se = { .vs = NULL };
	struct rte_mempool *mp;
	int id;

	RTE_SET_USED(fd);
	if (ntb_test_rawdev_vsim_eal(which == 1 ? "ep1" : "ep2", "0", true,
				     sock_path, "") < 0)
		return 2;
	if (which == 2) {
		/* the first seconds: every command answered after > 1 s */
		id = rte_rawdev_get_dev_id(NTB_TEST_VSIM_EP);
		if (id < 0)
			return 3;
		se.vs = *(struct vsim **)((struct ntb_dwedma_dev *)
					  rte_rawdevs[id].dev_private)->hw;
		vsim_fault_cmd_delay(se.vs, SLOW_US);
		se.slow_end = rte_get_timer_cycles() +
			rte_get_timer_hz() * SLOW_US / 1000000 * 11 / 10;
	}
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_EP, "rcn_mp", NB_DESC, &mp);
	if (id < 0)
		return 3;
	return ntb_test_rawdev_echo_child(id, 4 * STEP_S, slow_tick, &se);
}

/* ---------------- RC ---------------- */

static const struct ntb_test_round rc_round = {
	.who = "RC", .nb_pkts = NB_PKTS, .window = NB_DESC / 2,
	.bound_s = STEP_S,
};

static struct ntb_test_link_events ev;

static int
rc_main(void *arg, int out)
{
	struct rte_mempool *mp;
	int id;

	RTE_SET_USED(arg);
	/* a short connect timeout: the probe gives up waiting at once */
	if (ntb_test_rawdev_vsim_eal("rc", "1", false, sock_path,
				     ",connect_timeout_ms=200") < 0) {
		ntb_test_proc_say(out, "F EAL init (probe) failed without an EP\n");
		return 2;
	}
	if (ntb_test_rawdev_count_events(NTB_TEST_VSIM_RC, &ev) < 0) {
		ntb_test_proc_say(out, "F no rawdev raw_ntb_vsim1 after probe\n");
		return 3;
	}
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_RC, "rcn_mp", NB_DESC, &mp);
	if (id < 0) {
		ntb_test_proc_say(out, "F configure/start failed without an EP\n");
		return 3;
	}
	if (ntb_test_rawdev_link_up(id)) {
		ntb_test_proc_say(out, "F link up without an EP\n");
		return 4;
	}
	ntb_test_proc_say(out, "S\n");		/* parent: wait, then start the EP */
	if (ntb_test_rawdev_link_round(id, mp, 1, &rc_round, out) < 0)
		return 5;
	ntb_test_proc_say(out, "B %u %u\n",
			  __atomic_load_n(&ev.up, __ATOMIC_RELAXED),
			  __atomic_load_n(&ev.down, __ATOMIC_RELAXED));
	ntb_test_rawdev_child_end(id, &ev);
	return 0;
}

/* ---------------- parent ---------------- */

static struct ntb_test_proc kids[2];

/* Start the RC: probed, configured and started with the link down? */
static int
start_rc(struct ntb_test_proc *rc, const char *what)
{
	char line[256];
	int ret;

	ntb_test_proc_start(rc, "rc", rc_main, NULL);
	ret = ntb_test_proc_expect(rc->fd, 'S', line, sizeof(line), STEP_S);
	NTB_TEST_RUN_RESULT(what, ret);
	return ret;
}

/*
 * The RC (started) up by itself once its EP is there: round trip, one
 * LINK_UP and no LINK_DOWN, then both exit 0. who names the EP.
 */
static int
expect_late_up(struct ntb_test_proc *rc, struct ntb_test_proc *ep,
	       const char *up_what, const char *who)
{
	unsigned int up = 0, down = 0;
	char what[128];
	int ret;

	ret = ntb_test_proc_expect_scan(rc->fd, 'B', STEP_S, "B %u %u", &up,
					&down);
	NTB_TEST_RUN_RESULT(up_what, ret >= 0 ? 0 : -1);
	if (ret < 0)
		return -1;
	if (ret == 2)
		printf("# RC events: %u LINK_UP, %u LINK_DOWN\n", up, down);
	snprintf(what, sizeof(what), "%s: one LINK_UP, no LINK_DOWN", who);
	NTB_TEST_RUN_RESULT(what, ret == 2 && up == 1 && down == 0 ? 0 : -1);
	ret = ntb_test_proc_wait(rc, STEP_S);
	NTB_TEST_RUN_RESULT("RC closed and exited 0", ret == 0 ? 0 : -1);
	ret = ntb_test_proc_wait(ep, STEP_S);
	snprintf(what, sizeof(what), "%s saw the RC go and exited 0", who);
	NTB_TEST_RUN_RESULT(what, ret == 0 ? 0 : -1);
	return 0;
}

int
main(void)
{
	struct ntb_test_proc *ep = &kids[0], *rc = &kids[1];
	int i;

	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "late");
	ntb_test_proc_cleanup_at_exit(kids, RTE_DIM(kids), sock_path);

	if (start_rc(rc, "no EP: RC probed, configured and started, link down") < 0)
		return ntb_test_done();

	/* longer than the connect timeout and the vNTB command timeout */
	sleep(3);
	ntb_test_proc_start(ep, "ep1", ep_main, (void *)(uintptr_t)1);
	if (expect_late_up(rc, ep, "EP started 3 s later: link up by itself, round trip byte-exact",
			   "EP") < 0)
		return ntb_test_done();

	/* an EP that is there but answers commands late */
	unlink(sock_path);
	ntb_test_proc_start(ep, "ep2", ep_main, (void *)(uintptr_t)2);
	for (i = 0; i < STEP_S * 100 && access(sock_path, F_OK) != 0; i++)
		usleep(10000);
	if (start_rc(rc, "slow EP: RC probed, configured and started, link down") < 0)
		return ntb_test_done();
	expect_late_up(rc, ep, "slow EP answers in time again: link up by itself, round trip byte-exact",
		       "slow EP");
	return ntb_test_done();
}
