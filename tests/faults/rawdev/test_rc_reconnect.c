/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EP process dies (SIGKILL) under a running RC: the RC rawdev sees
 * its link go down, reconnects by itself to a new EP started on the same
 * socket, and packets flow byte-exact again, with no fd, memzone or
 * peer mapping left behind by the dead EP.
 *
 * Three DPDK processes forked before rte_eal_init: EP1, RC, then EP2
 * (tests/lib/ntb_test_proc.h).
 * The EPs echo every packet back; the RC sends numbered packets, checks
 * every byte of the echoes and reports each phase on its socket. The parent
 * prints TAP, kills EP1 and starts EP2 when the RC says so; every wait
 * is bounded and every child still alive at the end is killed by PID.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_rawdev.h>

#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_rawdev.h"
#include "ntb_test_usage.h"
#include "rte_pmd_ntb_dwedma.h"

#define NB_PKTS		400
#define NB_DESC		256
#define STEP_S		30	/* bound of every wait */

static char sock_path[108];

/* ---------------- EP: echo until the RC goes (bounded) ---------------- */

static int
ep_main(void *arg, int fd)
{
	struct rte_mempool *mp;
	int id;

	RTE_SET_USED(fd);
	if (ntb_test_rawdev_vsim_eal((const char *)arg, "0", true, sock_path,
				     "") < 0)
		return 2;
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_EP, "rcn_mp", NB_DESC, &mp);
	if (id < 0)
		return 3;
	return ntb_test_rawdev_echo_child(id, 4 * STEP_S, NULL, NULL);
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
	struct ntb_test_usage u1, u2;
	int id;

	RTE_SET_USED(arg);
	if (ntb_test_rawdev_vsim_eal("rc", "1", false, sock_path, "") < 0)
		return 2;
	/* every event: the first up, the EP's death, the new EP's up */
	if (ntb_test_rawdev_count_events(NTB_TEST_VSIM_RC, &ev) < 0)
		return 3;
	id = ntb_test_rawdev_pool_up(NTB_TEST_VSIM_RC, "rcn_mp", NB_DESC, &mp);
	if (id < 0)
		return 3;
	if (ntb_test_rawdev_link_round(id, mp, 1, &rc_round, out) < 0)
		return 4;
	ntb_test_usage_get(&u1);
	ntb_test_proc_say(out, "A\n");		/* parent: kill EP1 */
	if (!ntb_test_rawdev_wait_link(id, false, STEP_S)) {
		ntb_test_proc_say(out, "F link still up after the EP died\n");
		return 6;
	}
	ntb_test_proc_say(out, "D\n");		/* parent: start EP2 */
	if (ntb_test_rawdev_link_round(id, mp, 2, &rc_round, out) < 0)
		return 7;
	ntb_test_usage_get(&u2);
	ntb_test_proc_say(out, "B %u %u %u %u %u %u %u %u\n", u1.fds, u2.fds,
			  u1.mzs, u2.mzs, u1.memfd_maps, u2.memfd_maps,
			  __atomic_load_n(&ev.down, __ATOMIC_RELAXED),
			  __atomic_load_n(&ev.up, __ATOMIC_RELAXED));
	ntb_test_rawdev_child_end(id, &ev);
	return 0;
}

/* ---------------- parent ---------------- */

static struct ntb_test_proc kids[3];

/* Exit status of a killed child: 0 if it died of SIGKILL. */
static int
killed(struct ntb_test_proc *p)
{
	kill(p->pid, SIGKILL);
	return ntb_test_proc_wait(p, STEP_S) == NTB_TEST_PROC_SIGNALED &&
	       p->signo == SIGKILL ? 0 : -1;
}

int
main(void)
{
	unsigned int fds1, fds2, mz1, mz2, map1, map2, down, up;
	struct ntb_test_proc *ep1 = &kids[0], *rc = &kids[1], *ep2 = &kids[2];
	char line[256];
	int ret;

	ntb_test_proc_sock_path(sock_path, sizeof(sock_path), "rcn");
	ntb_test_proc_cleanup_at_exit(kids, RTE_DIM(kids), sock_path);

	ntb_test_proc_start(ep1, "ep1", ep_main, (void *)(uintptr_t)"ep1");
	ntb_test_proc_start(rc, "rc", rc_main, NULL);

	ret = ntb_test_proc_expect(rc->fd, 'A', line, sizeof(line), STEP_S);
	NTB_TEST_RUN_RESULT("link up, round 1: packets byte-exact", ret);
	if (ret < 0)
		return ntb_test_done();

	ret = killed(ep1) == 0 ?
		ntb_test_proc_expect(rc->fd, 'D', line, sizeof(line),
				     STEP_S) : -1;
	NTB_TEST_RUN_RESULT("EP killed (SIGKILL): RC link down", ret);
	if (ret < 0)
		return ntb_test_done();

	ntb_test_proc_start(ep2, "ep2", ep_main, (void *)(uintptr_t)"ep2");
	ret = ntb_test_proc_expect_scan(rc->fd, 'B', STEP_S,
					"B %u %u %u %u %u %u %u %u", &fds1,
					&fds2, &mz1, &mz2, &map1, &map2,
					&down, &up);
	NTB_TEST_RUN_RESULT("new EP on the same socket: RC reconnected, link up, round 2 byte-exact",
			    ret >= 0 ? 0 : -1);
	if (ret < 0)
		return ntb_test_done();
	ret = ret == 8 ? 0 : -1;
	if (ret == 0)
		printf("# RC before/after: fds %u/%u, memzones %u/%u, memfd maps %u/%u; events: %u down, %u up\n",
		       fds1, fds2, mz1, mz2, map1, map2, down, up);
	NTB_TEST_RUN_RESULT("no fd, memzone or peer mapping left by the dead EP",
			    ret == 0 && fds1 == fds2 && mz1 == mz2 &&
			    map1 == map2 ? 0 : -1);
	NTB_TEST_RUN_RESULT("events: LINK_UP, LINK_DOWN at the EP's death, LINK_UP for the new EP",
			    ret == 0 && down == 1 && up == 2 ? 0 : -1);

	ret = ntb_test_proc_wait(rc, STEP_S);
	NTB_TEST_RUN_RESULT("RC closed and exited 0", ret == 0 ? 0 : -1);
	ret = ntb_test_proc_wait(ep2, STEP_S);
	NTB_TEST_RUN_RESULT("new EP saw the RC go and exited 0",
			    ret == 0 ? 0 : -1);
	return ntb_test_done();
}
