/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * RC side against a fake EP that goes silent or away: teardown skips
 * the commands after the first unanswered one, a gone EP gets no
 * command at all, and a new EP is taken only with the same layout.
 * Commands are counted from the trap log (every write the RC makes to
 * the COMMAND register), which is synchronous with the code under test.
 */

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "ntb_test.h"
#include "vntb_ctrl.h"
#include "vntb_fake_ep.h"
#include "vntb_rc.h"

/* board rows' BAR maps */
#define MAP_RCAR_S4	(&vntb_platforms[VNTB_PLATFORM_RCAR_S4].map)

#define NB_MSI	16
/*
 * Commands the fake EP answers get a generous timeout (its responder thread
 * may be descheduled on a loaded machine); a silent EP costs SILENT_TMO_US
 * per command sent, and the test only counts what was sent, never time.
 */
#define TMO_US		5000000
#define SILENT_TMO_US	20000

static struct fake_ep ep;
static struct vntb_rc rc;

static int
rc_init(void)
{
	struct vntb_rc_params p = {
		.name = "test-rc",
		.bars = ep.bars,
		.map = MAP_RCAR_S4,
		.nb_msi = NB_MSI,
		.cmd_timeout_us = TMO_US,
	};

	return vntb_rc_init(&rc, &p);
}

/* Writes of cmd to the COMMAND register by the RC so far. */
static unsigned int
cmd_writes(uint32_t cmd)
{
	unsigned int i, n = 0;

	for (i = 0; i < ep.nw; i++)
		if (ep.w[i].bar == 0 && ep.w[i].off == VNTB_CTRL_COMMAND &&
		    ep.w[i].val == cmd)
			n++;
	return n;
}

static int
test_teardown_answering_ep(void)
{
	struct ntb_dev *nd;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init() == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	vntb_rc_set_closing(&rc, true);
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == 0, "TEARDOWN_MW");
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == 0, "LINK_DOWN");
	vntb_rc_set_closing(&rc, false);
	vntb_rc_fini(&rc);
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_TEARDOWN_MW) == 1 &&
			cmd_writes(VNTB_CMD_LINK_DOWN) == 1 &&
			cmd_writes(VNTB_CMD_TEARDOWN_DOORBELL) == 1,
			"every teardown command sent: %u %u %u",
			cmd_writes(VNTB_CMD_TEARDOWN_MW),
			cmd_writes(VNTB_CMD_LINK_DOWN),
			cmd_writes(VNTB_CMD_TEARDOWN_DOORBELL));
	fake_ep_free(&ep);
	return 0;
}

static int
test_teardown_silent_ep(void)
{
	struct ntb_dev *nd;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init() == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP");

	/* the EP latches commands but answers none of the teardown ones */
	ep.answer[VNTB_CMD_TEARDOWN_MW] = 0;
	ep.answer[VNTB_CMD_LINK_DOWN] = 0;
	ep.answer[VNTB_CMD_TEARDOWN_DOORBELL] = 0;

	/* outside teardown, a timeout does not silence the EP */
	rc.cmd_timeout_us = SILENT_TMO_US;
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 1) == -ETIMEDOUT, "tmo");
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == -ETIMEDOUT, "tmo 2");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_LINK_DOWN) == 1, "LINK_DOWN sent");

	/* through the ntb_dev op, as the rawdev's teardown does */
	ntb_dev_set_closing(nd, true);
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == -ETIMEDOUT,
			"first teardown command times out");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_TEARDOWN_MW) == 2, "sent");
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == -ETIMEDOUT,
			"LINK_DOWN fails");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_LINK_DOWN) == 1,
			"LINK_DOWN not sent after the timeout");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 1) == -ETIMEDOUT &&
			cmd_writes(VNTB_CMD_TEARDOWN_MW) == 2,
			"TEARDOWN_MW 1 not sent");
	ntb_dev_set_closing(nd, false);

	/* not closing any more: commands go out again */
	rc.cmd_timeout_us = TMO_US;
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP answered");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_LINK_UP) == 2, "LINK_UP sent");

	/* the EP answered again: a new teardown tries once more */
	rc.cmd_timeout_us = SILENT_TMO_US;
	vntb_rc_set_closing(&rc, true);
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == -ETIMEDOUT &&
			cmd_writes(VNTB_CMD_LINK_DOWN) == 2, "LINK_DOWN tried");
	vntb_rc_set_closing(&rc, false);
	/* fini is a teardown: silent since LINK_DOWN, nothing sent */
	vntb_rc_fini(&rc);
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_TEARDOWN_DOORBELL) == 0,
			"TEARDOWN_DOORBELL skipped");
	NTB_TEST_ASSERT(fake_ep_r16(&ep, 0, VNTB_CTRL_CMD_STATUS) == 0,
			"status cleared");
	fake_ep_free(&ep);
	return 0;
}

static int
test_peer_gone(void)
{
	struct ntb_dev *nd;
	unsigned int nw;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init() == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP");
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd), "link up");

	vntb_rc_set_peer_gone(&rc, true);
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "gone: link down");
	nw = ep.nw;
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, 0x1000, 0x1000) ==
			-ENOTCONN, "CONFIGURE_MW refused");
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == -ENOTCONN, "LINK_DOWN");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_CONFIGURE_MW) == 0 &&
			cmd_writes(VNTB_CMD_LINK_DOWN) == 0, "nothing sent");
	vntb_rc_fini(&rc);
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_TEARDOWN_DOORBELL) == 0,
			"no TEARDOWN_DOORBELL to a gone EP");
	/* the window registers were written, no COMMAND/ARGUMENT after */
	NTB_TEST_ASSERT(fake_ep_find_write(&ep, 0, VNTB_CTRL_ARGUMENT) <
			(int)nw, "no argument written");
	fake_ep_free(&ep);
	return 0;
}

static void *
gone_when_latched(void *arg)
{
	unsigned int n0 = *(unsigned int *)arg, i;

	/* bounded: 10 s for the responder to latch the command */
	for (i = 0; i < 10000; i++) {
		if (__atomic_load_n(&ep.ncmds, __ATOMIC_ACQUIRE) > n0)
			break;
		usleep(1000);
	}
	vntb_rc_set_peer_gone(&rc, true);
	return NULL;
}

/* The EP dies while a command waits: it returns, not at its timeout. */
static int
test_gone_in_flight(void)
{
	struct vntb_rc_params p = {
		.name = "test-rc",
		.bars = ep.bars,
		.map = MAP_RCAR_S4,
		.nb_msi = NB_MSI,
		.cmd_timeout_us = 30 * 1000 * 1000,	/* never reached */
	};
	struct ntb_dev *nd;
	unsigned int n0;
	pthread_t thr;
	int ret;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(vntb_rc_init(&rc, &p) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	ep.answer[VNTB_CMD_LINK_UP] = 0;
	n0 = ep.ncmds;
	NTB_TEST_ASSERT(pthread_create(&thr, NULL, gone_when_latched, &n0) == 0,
			"thread");
	ret = nd->ops->link_enable(nd);
	pthread_join(thr, NULL);
	/* abandoned, not failed: LINK_UP goes to the EP that comes back */
	NTB_TEST_ASSERT(ret == 0 && rc.peer_gone, "abandoned: %d", ret);
	NTB_TEST_ASSERT(fake_ep_r16(&ep, 0, VNTB_CTRL_CMD_STATUS) == 0,
			"status cleared");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

static int
test_reinit(void)
{
	struct ntb_dev *nd;
	unsigned int n;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init() == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP");
	NTB_TEST_ASSERT(vntb_rc_reinit(NULL) == -EINVAL, "NULL");

	/* the EP restarts: link status down (as LINK_DOWN leaves it) */
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == 0, "LINK_DOWN");
	vntb_rc_set_peer_gone(&rc, true);
	fake_ep_stop(&ep);

	/* a new EP with another MW2 size is not taken */
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_SIZE(1), 0x4000);
	fake_ep_start(&ep);
	n = cmd_writes(VNTB_CMD_CONFIGURE_DOORBELL);
	NTB_TEST_ASSERT(vntb_rc_reinit(&rc) == -EINVAL, "other layout");
	NTB_TEST_ASSERT(rc.num_mws == 2 && rc.mw[1].size == 0x8000,
			"layout kept");
	n = cmd_writes(VNTB_CMD_LINK_UP);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0 &&
			cmd_writes(VNTB_CMD_LINK_UP) == n,
			"still gone: LINK_UP deferred, nothing sent");
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "still down");

	/* the same layout is: CONFIGURE_DOORBELL, then commands flow */
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_SIZE(1), 0x8000);
	n = cmd_writes(VNTB_CMD_CONFIGURE_DOORBELL) - 1;
	NTB_TEST_ASSERT(vntb_rc_reinit(&rc) == 0, "same layout");
	NTB_TEST_ASSERT(cmd_writes(VNTB_CMD_CONFIGURE_DOORBELL) == n + 2,
			"CONFIGURE_DOORBELL sent to each new EP");
	NTB_TEST_ASSERT(ep.cmds[ep.ncmds - 1].cmd ==
			VNTB_CMD_CONFIGURE_DOORBELL &&
			ep.cmds[ep.ncmds - 1].arg == NB_MSI,
			"argument nb_msi: %u", ep.cmds[ep.ncmds - 1].arg);
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "down until LINK_UP");
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP");
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd), "up again");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, 0x1000, 0x1000) == 0 &&
			ep.cmds[ep.ncmds - 1].cmd == VNTB_CMD_CONFIGURE_MW,
			"CONFIGURE_MW");

	/* a new EP that does not serve commands: not taken */
	vntb_rc_set_peer_gone(&rc, true);
	ep.answer[VNTB_CMD_CONFIGURE_DOORBELL] = 0;
	rc.cmd_timeout_us = SILENT_TMO_US;
	NTB_TEST_ASSERT(vntb_rc_reinit(&rc) == -ETIMEDOUT, "silent EP");
	n = cmd_writes(VNTB_CMD_LINK_UP);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0 && rc.peer_gone &&
			cmd_writes(VNTB_CMD_LINK_UP) == n,
			"still gone: nothing sent");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_teardown_answering_ep);
	NTB_TEST_RUN(test_teardown_silent_ep);
	NTB_TEST_RUN(test_peer_gone);
	NTB_TEST_RUN(test_gone_in_flight);
	NTB_TEST_RUN(test_reinit);
	return ntb_test_done();
}
