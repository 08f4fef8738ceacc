/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Peer death across processes: an RC process dies without closing
 * anything (_exit); the EP notices (state DEAD, event fd), keeps its
 * memory, and accepts a second RC process. Then the EP process dies and
 * the RC notices, its BARs stay mapped (writes do not fault), and it
 * reconnects to a new EP process.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>

#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_vsim.h"
#include "vntb_ctrl.h"
#include "vsim.h"

#define LOOPS	10000	/* x 1 ms */

static char sock_path[64];

static struct vsim *
make(const char *role)
{
	return ntb_test_vsim_make(role, sock_path,
				  "connect_timeout_ms", "10000", NULL);
}

/* RC that connects, writes RC spad 0 = tag, and dies abruptly. */
static int
rc_dies(uint32_t tag)
{
	const struct vsim_rc_res *res;
	struct vsim *vs;

	if (ntb_test_proc_eal_args("vsimf_rc", NULL) < 0)
		return 2;
	vs = make("rc");
	if (vs == NULL)
		return 3;
	res = vsim_rc_res(vs);
	ntb_bar_write32(&res->bars[0],
			ntb_bar_read32(&res->bars[0], VNTB_CTRL_SPAD_OFFSET),
			tag);
	_exit(0);
}

/* EP that lives until its RC spad 0 is 'stop' or the bound passes. */
static int
ep_until(uint32_t stop, bool abrupt)
{
	struct ntb_dev *nd;
	struct vsim *vs;
	unsigned int i;

	if (ntb_test_proc_eal_args("vsimf_ep", NULL) < 0)
		return 2;
	vs = make("ep");
	if (vs == NULL)
		return 3;
	nd = vsim_ep_ntb_dev(vs);
	nd->ops->spad_write(nd, 0, 0x1234);
	for (i = 0; i < LOOPS && nd->ops->peer_spad_read(nd, 0) != stop; i++)
		rte_delay_us_sleep(1000);
	if (abrupt)
		_exit(0);
	vsim_destroy(vs);
	rte_eal_cleanup();
	return i < LOOPS ? 0 : 4;
}

/* Child bodies: arg carries the spad tag (and, for the EP, abruptness). */
struct child_arg {
	uint32_t tag;
	bool abrupt;
};

static int
rc_dies_main(void *arg, int fd __rte_unused)
{
	return rc_dies(((struct child_arg *)arg)->tag);
}

static int
ep_until_main(void *arg, int fd __rte_unused)
{
	const struct child_arg *a = arg;

	return ep_until(a->tag, a->abrupt);
}

static int
test_rc_death_then_new_rc(void)
{
	struct child_arg a_ep = { 0x2222, false }, a1 = { 0x1111, false },
		a2 = { 0x2222, false };
	struct ntb_test_proc ep, rc1, rc2;
	int s_ep, s1, s2;

	ntb_test_proc_start(&ep, "ep", ep_until_main, &a_ep);
	ntb_test_proc_start(&rc1, "rc1", rc_dies_main, &a1);
	s1 = ntb_test_proc_wait(&rc1, 30);
	ntb_test_proc_start(&rc2, "rc2", rc_dies_main, &a2);
	s2 = ntb_test_proc_wait(&rc2, 30);
	s_ep = ntb_test_proc_wait(&ep, 30);
	NTB_TEST_ASSERT(s1 == 0 && s2 == 0, "RCs %d %d", s1, s2);
	NTB_TEST_ASSERT(s_ep == 0, "EP saw the second RC after the first died: %d",
			s_ep);
	return 0;
}

static int
rc_survives_ep_death(void)
{
	const struct vsim_rc_res *res;
	struct vsim *vs;
	uint32_t so;

	if (ntb_test_proc_eal_args("vsimf_rc", NULL) < 0)
		return 2;
	vs = make("rc");
	if (vs == NULL)
		return 3;
	res = vsim_rc_res(vs);
	so = ntb_bar_read32(&res->bars[0], VNTB_CTRL_SPAD_OFFSET);
	ntb_bar_write32(&res->bars[0], so, 0x3333);	/* EP 1: die */
	if (ntb_test_vsim_wait_state(vs, VSIM_LINK_DEAD, LOOPS) < 0)
		return 4;
	/* stray writes after death must not fault */
	ntb_bar_write32(&res->bars[2], 0x100, 1);
	ntb_bar_write32(&res->bars[4], 8, 3);
	/* EP 2 starts once EP 1 has exited: an EAL init away */
	if (ntb_test_vsim_reconnect(vs, 3 * LOOPS) != 0 ||
	    vsim_state(vs) != VSIM_LINK_CONNECTED)
		return 5;
	so = ntb_bar_read32(&res->bars[0], VNTB_CTRL_SPAD_OFFSET);
	ntb_bar_write32(&res->bars[0], so, 0x4444);	/* EP 2: exit */
	vsim_destroy(vs);
	rte_eal_cleanup();
	return 0;
}

static int
rc_survives_main(void *arg __rte_unused, int fd __rte_unused)
{
	return rc_survives_ep_death();
}

static int
test_ep_death_then_reconnect(void)
{
	struct child_arg a1 = { 0x3333, true }, a2 = { 0x4444, false };
	struct ntb_test_proc ep1, ep2, rc;
	int s_rc, s1, s2;

	ntb_test_proc_start(&ep1, "ep1", ep_until_main, &a1);
	ntb_test_proc_start(&rc, "rc", rc_survives_main, NULL);
	s1 = ntb_test_proc_wait(&ep1, 30);
	ntb_test_proc_start(&ep2, "ep2", ep_until_main, &a2);
	s_rc = ntb_test_proc_wait(&rc, 60);
	s2 = ntb_test_proc_wait(&ep2, 30);
	NTB_TEST_ASSERT(s1 == 0, "EP1 %d", s1);
	NTB_TEST_ASSERT(s_rc == 0, "RC survived and reconnected: %d", s_rc);
	NTB_TEST_ASSERT(s2 == 0, "EP2 %d", s2);
	return 0;
}

int
main(void)
{
	snprintf(sock_path, sizeof(sock_path), "/tmp/vsimf_%d.sock",
		 (int)getpid());
	NTB_TEST_RUN(test_rc_death_then_new_rc);
	NTB_TEST_RUN(test_ep_death_then_reconnect);
	unlink(sock_path);
	return ntb_test_done();
}
