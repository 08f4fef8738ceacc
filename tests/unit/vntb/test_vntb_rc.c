/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* RC side of the vNTB ctrl protocol against an in-process fake EP. */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ntb_test.h"
#include "vntb_ctrl.h"
#include "vntb_fake_ep.h"
#include "vntb_rc.h"

/* board rows' BAR maps */
#define MAP_J721E	(&vntb_platforms[VNTB_PLATFORM_J721E].map)
#define MAP_MX8	(&vntb_platforms[VNTB_PLATFORM_MX8].map)
#define MAP_RCAR_S4	(&vntb_platforms[VNTB_PLATFORM_RCAR_S4].map)

#define NB_MSI	16

static struct fake_ep ep;
static struct vntb_rc rc;

/* R-Car as mainline ntb_hw_epf maps it: MW1 only (the board row adds MW2) */
static const struct vntb_barmap rcar_mainline = {
	.name = "rcar",
	.bar = { 0, 0, 4, 2, VNTB_NO_BAR, VNTB_NO_BAR, VNTB_NO_BAR },
};

static int
rc_init_with(const struct vntb_barmap *map, const int *fds, uint32_t tmo_us)
{
	struct vntb_rc_params p = {
		.name = "test-rc",
		.bars = ep.bars,
		.map = map,
		.msi_fds = fds,
		.nb_msi = NB_MSI,
		.cmd_timeout_us = tmo_us,
	};

	return vntb_rc_init(&rc, &p);
}

/* Init on a layout changed by one field must fail with -EINVAL. */
static int
expect_reject(const struct vntb_barmap *map)
{
	int ret;

	fake_ep_start(&ep);
	ret = rc_init_with(map, NULL, 200000);
	fake_ep_free(&ep);
	return ret;
}

static int
test_barmap_and_ids(void)
{
	const struct vntb_barmap *rcar_s4 = MAP_RCAR_S4;
	const struct vntb_barmap *mx8 = MAP_MX8;
	const struct vntb_barmap *j721e = MAP_J721E;
	const struct vntb_platform *id;

	NTB_TEST_ASSERT(vntb_barmap_mw_bar(&rcar_mainline, 1) == VNTB_NO_BAR,
			"rcar MW2");
	NTB_TEST_ASSERT(vntb_barmap_mw_bar(rcar_s4, 1) == 2, "rcar-s4 MW2");
	NTB_TEST_ASSERT(j721e->bar[VNTB_BAR_DB] == 2 &&
			vntb_barmap_mw_bar(j721e, 0) == 2, "j721e DB+MW1");
	NTB_TEST_ASSERT(vntb_barmap_mw_bar(mx8, 1) == 5 &&
			vntb_barmap_mw_bar(mx8, 2) == VNTB_NO_BAR, "mx8");
	NTB_TEST_ASSERT(vntb_barmap_mw_bar(mx8, 4) == VNTB_NO_BAR, "idx 4");

	id = vntb_pci_id_match(0x1912, 0x0030, 0x050000);
	NTB_TEST_ASSERT(id != NULL && &id->map == rcar_s4, "rcar id");
	id = vntb_pci_id_match(0x104c, 0xb00d, 0x050001);	/* prog-if ignored */
	NTB_TEST_ASSERT(id != NULL && &id->map == j721e, "j721e id");
	id = vntb_pci_id_match(0x1957, 0x0809, 0x050000);
	NTB_TEST_ASSERT(id != NULL && &id->map == mx8, "mx8 id");
	NTB_TEST_ASSERT(vntb_pci_id_match(0x1957, 0x0809, 0x058000) == NULL, "class");
	NTB_TEST_ASSERT(vntb_pci_id_match(0x1912, 0x0031, 0x050000) == NULL, "device");
	return 0;
}

static int
test_v1_rcar_shared_bar2(void)
{
	struct ntb_dev *nd;
	struct ntb_bar w;
	uint64_t al, max;
	int ret;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	ret = rc_init_with(MAP_RCAR_S4, NULL, 0);
	NTB_TEST_ASSERT(ret == 0, "init %d", ret);
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->mw_count == 2 && nd->spad_count == 64, "counts");
	/* NB_MSI vectors: link, reserved, NB_MSI - 2 doorbells */
	NTB_TEST_ASSERT(nd->db_count == NB_MSI - 2, "db_count %u", nd->db_count);
	NTB_TEST_ASSERT(nd->db_valid_mask == 0x3fff, "mask");

	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &w) == 0, "mw1");
	NTB_TEST_ASSERT(w.va == ep.bars[2].va && w.len == 0xF0000, "mw1 window");
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 1, &w) == 0, "mw2");
	NTB_TEST_ASSERT(w.va == ep.bars[2].va + 0xF0000 && w.len == 0x8000,
			"mw2 window");
	NTB_TEST_ASSERT(w.trap == ep.bars[2].trap && w.trap_ctx == &ep, "trap kept");
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 2, &w) == -EINVAL, "mw3");
	NTB_TEST_ASSERT(nd->ops->mw_get_align(nd, 1, &al, &max) == 0 &&
			al == 4096 && max == 0x8000, "align");

	/* the probe's CONFIGURE_DOORBELL: argument = number of vectors */
	NTB_TEST_ASSERT(ep.ncmds == 1 &&
			ep.cmds[0].cmd == VNTB_CMD_CONFIGURE_DOORBELL &&
			ep.cmds[0].arg == NB_MSI, "CONFIGURE_DOORBELL arg %#x",
			ep.cmds[0].arg);
	vntb_rc_fini(&rc);
	NTB_TEST_ASSERT(ep.ncmds == 2 &&
			ep.cmds[1].cmd == VNTB_CMD_TEARDOWN_DOORBELL &&
			ep.cmds[1].arg == NB_MSI, "TEARDOWN_DOORBELL");
	fake_ep_free(&ep);
	return 0;
}

static int
test_v0_legacy(void)
{
	struct ntb_dev *nd;
	struct ntb_bar w;
	int ret;

	/* rcar mainline map, legacy ctrl: MW1 at mw1_offset, rest of BAR2 */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_VERSION, 0);
	fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 1);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW1_OFFSET, 0x2000);
	fake_ep_start(&ep);
	ret = rc_init_with(&rcar_mainline, NULL, 0);
	NTB_TEST_ASSERT(ret == 0, "init %d", ret);
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &w) == 0 &&
			w.va == ep.bars[2].va + 0x2000 &&
			w.len == 0x100000 - 0x2000, "legacy MW1");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);

	/* j721e: DB and MW1 share BAR2, peer spads in BAR1 */
	{
		static const size_t lens[VNTB_PCI_BARS] = {
			0x1000, 0x1000, 0x10000, 0x10000, 0, 0,
		};
		unsigned int n;

		fake_ep_init(&ep, lens);
		fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 2);
		fake_ep_w32(&ep, 0, VNTB_CTRL_MW1_OFFSET, 0x1000);
		fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_OFFSET, 0x400);
		fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_COUNT, 16);
		fake_ep_w32(&ep, 0, VNTB_CTRL_DB_ENTRY_SIZE, 4);
		for (n = 0; n < NTB_MAX_DB; n++)
			fake_ep_w32(&ep, 0, VNTB_CTRL_DB_DATA(n), n + 1);
		fake_ep_start(&ep);
		ret = rc_init_with(MAP_J721E, NULL, 0);
		NTB_TEST_ASSERT(ret == 0, "j721e init %d", ret);
		nd = vntb_rc_ntb_dev(&rc);
		NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &w) == 0 &&
				w.va == ep.bars[2].va + 0x1000 &&
				w.len == 0xF000, "j721e MW1");
		NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 1, &w) == 0 &&
				w.va == ep.bars[3].va && w.len == 0x10000,
				"j721e MW2");
		NTB_TEST_ASSERT(nd->ops->peer_spad_write(nd, 3, 0xabcd) == 0 &&
				fake_ep_r32(&ep, 1, 12) == 0xabcd, "peer spad BAR1");
		NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 1) == 0 &&
				fake_ep_r32(&ep, 2, 8) == 3, "j721e doorbell");
		vntb_rc_fini(&rc);
		fake_ep_free(&ep);
	}
	return 0;
}

static int
test_rejections(void)
{
	unsigned int n;
	int ret;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_VERSION, 2);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "version 2");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 0);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "num_mws 0");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 5);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "num_mws 5");

	/* MW2 needs a BAR in the map: mainline rcar has none */
	fake_ep_layout_rcar_s4(&ep);
	NTB_TEST_ASSERT(expect_reject(&rcar_mainline) == -EINVAL, "no MW2 BAR");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_SIZE(1), 0x10001);	/* ends 0x100001 */
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "MW past BAR");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_SIZE(1), 0);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "MW size 0");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_OFFSET(1), 0xF0800);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "unaligned MW");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW_OFFSET(1), 0xE0000);	/* overlaps MW1 */
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "overlap");

	/* legacy ctrl cannot describe two MWs in one BAR */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_VERSION, 0);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "v0 shared");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_VERSION, 0);
	fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 1);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW1_OFFSET, 0x100000);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "mw1_offset");

	/* 0x200 + 8 * 0x1fc0 = 0x10000 fits exactly; one more does not */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_COUNT, 0x1fc1);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "spads past BAR");
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_COUNT, 0x1fc0);
	fake_ep_start(&ep);
	ret = rc_init_with(MAP_RCAR_S4, NULL, 0);
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	NTB_TEST_ASSERT(ret == 0, "spads exactly fitting %d", ret);

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_COUNT, 0x80000000u);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "spad overflow");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_OFFSET, 0x100);	/* inside header */
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "spad in header");

	/* slot 2 at 2 * 0x80 = 0x100: past the 256-byte DB BAR */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DB_ENTRY_SIZE, 0x80);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "db slot");

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DB_OFFSET(2), 0xFFFFFFF0u);
	NTB_TEST_ASSERT(expect_reject(MAP_RCAR_S4) == -EINVAL, "db offset");

	/* too few MSI vectors */
	fake_ep_layout_rcar_s4(&ep);
	{
		struct vntb_rc_params p = {
			.name = "t", .bars = ep.bars,
			.map = MAP_RCAR_S4, .nb_msi = 3,
		};
		NTB_TEST_ASSERT(vntb_rc_init(&rc, &p) == -EINVAL, "nb_msi 3");
		p.nb_msi = 33;
		NTB_TEST_ASSERT(vntb_rc_init(&rc, &p) == -EINVAL, "nb_msi 33");
	}
	fake_ep_free(&ep);

	/* slots past the DB BAR end are dropped, not used */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DB_ENTRY_SIZE, 0x20);	/* slot 7 at 0xE0 ok, 8 at 0x100 no */
	fake_ep_start(&ep);
	ret = rc_init_with(MAP_RCAR_S4, NULL, 0);
	NTB_TEST_ASSERT(ret == 0, "truncating init %d", ret);
	n = rc.nd.db_count;
	NTB_TEST_ASSERT(n == 6, "db_count %u (slots 2..7)", n);
	NTB_TEST_ASSERT(rc.nd.ops->peer_db_set(&rc.nd, 1u << 6) == -EINVAL,
			"bit 6 refused");
	NTB_TEST_ASSERT(rc.nd.ops->peer_db_set(&rc.nd, 1u << 5) == 0 &&
			fake_ep_r32(&ep, 4, 0xE0) == 0xD007, "bit 5 at slot 7");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

static int
test_command_protocol(void)
{
	struct ntb_dev *nd;
	unsigned int nw0;
	int ia, ic, is, ret;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	ret = rc_init_with(MAP_RCAR_S4, NULL, 0);
	NTB_TEST_ASSERT(ret == 0, "init %d", ret);
	nd = vntb_rc_ntb_dev(&rc);

	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "link down at start");
	nw0 = ep.nw;
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "LINK_UP");
	ia = fake_ep_find_write(&ep, 0, VNTB_CTRL_ARGUMENT);
	ic = fake_ep_find_write(&ep, 0, VNTB_CTRL_COMMAND);
	is = fake_ep_find_write(&ep, 0, VNTB_CTRL_CMD_STATUS);
	NTB_TEST_ASSERT(ia >= (int)nw0 && ic == ia + 1 && is > ic,
			"order arg %d cmd %d status %d", ia, ic, is);
	NTB_TEST_ASSERT(ep.w[ic].val == VNTB_CMD_LINK_UP && ep.w[ia].val == 0,
			"values");
	NTB_TEST_ASSERT(ep.w[is].val == 0 && ep.w[is].width == 2,
			"status written back as u16 0");
	NTB_TEST_ASSERT(fake_ep_r16(&ep, 0, VNTB_CTRL_CMD_STATUS) == 0, "status 0");
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd), "link up");
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == 0 && !nd->ops->link_is_up(nd),
			"LINK_DOWN");

	ret = nd->ops->mw_set_trans(nd, 1, 0x123456789000ull, 0x8000);
	NTB_TEST_ASSERT(ret == 0, "mw_set_trans %d", ret);
	NTB_TEST_ASSERT(ep.cmds[ep.ncmds - 1].cmd == VNTB_CMD_CONFIGURE_MW &&
			ep.cmds[ep.ncmds - 1].arg == 1 &&
			ep.cmds[ep.ncmds - 1].addr == 0x123456789000ull &&
			ep.cmds[ep.ncmds - 1].size == 0x8000, "CONFIGURE_MW");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, 0x1000, 0x8001) == -EINVAL,
			"size > MW");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, 0x1800, 0x1000) == -EINVAL,
			"unaligned addr");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 2, 0x1000, 0x1000) == -EINVAL,
			"MW index");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == 0 &&
			ep.cmds[ep.ncmds - 1].cmd == VNTB_CMD_TEARDOWN_MW &&
			ep.cmds[ep.ncmds - 1].arg == 0, "TEARDOWN_MW");

	/* ERROR -> -EIO, status cleared */
	ep.answer[VNTB_CMD_LINK_UP] = VNTB_CMD_STATUS_ERROR;
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == -EIO, "ERROR");
	NTB_TEST_ASSERT(fake_ep_r16(&ep, 0, VNTB_CTRL_CMD_STATUS) == 0,
			"status 0 after ERROR");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, 0x1000, 0x1000) == 0,
			"next command fine");

	/* an EP that latches but never answers: -ETIMEDOUT */
	rc.cmd_timeout_us = 20000;
	ep.answer[VNTB_CMD_LINK_DOWN] = 0;
	NTB_TEST_ASSERT(nd->ops->link_disable(nd) == -ETIMEDOUT, "timeout");
	fake_ep_stop(&ep);
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 1) == -ETIMEDOUT,
			"no responder");
	NTB_TEST_ASSERT(fake_ep_r16(&ep, 0, VNTB_CTRL_CMD_STATUS) == 0,
			"status 0 after timeout");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);

	/* init against an EP that serves no command fails */
	fake_ep_layout_rcar_s4(&ep);
	ret = rc_init_with(MAP_RCAR_S4, NULL, 20000);
	NTB_TEST_ASSERT(ret == -ETIMEDOUT, "init without EP: %d", ret);
	fake_ep_free(&ep);
	return 0;
}

static int
test_spads(void)
{
	struct ntb_dev *nd;
	unsigned int i;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, NULL, 0) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	for (i = 0; i < 64; i++) {
		NTB_TEST_ASSERT(nd->ops->spad_write(nd, i, 0x1000 + i) == 0, "w");
		NTB_TEST_ASSERT(nd->ops->peer_spad_write(nd, i, 0x2000 + i) == 0, "pw");
	}
	for (i = 0; i < 64; i++) {
		NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, 0x200 + 4 * i) == 0x1000 + i,
				"own spad %u at spad_offset + 4i", i);
		NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, 0x200 + 256 + 4 * i) ==
				0x2000 + i, "peer spad %u after own half", i);
	}
	fake_ep_w32(&ep, 0, 0x200 + 4 * 7, 0xfeed);
	fake_ep_w32(&ep, 0, 0x200 + 256 + 4 * 9, 0xbeef);
	NTB_TEST_ASSERT(nd->ops->spad_read(nd, 7) == 0xfeed, "read own");
	NTB_TEST_ASSERT(nd->ops->peer_spad_read(nd, 9) == 0xbeef, "read peer");
	/* idx 64 would be the peer's spad 0 / past the area */
	NTB_TEST_ASSERT(nd->ops->spad_write(nd, 64, 1) == -EINVAL, "own 64");
	NTB_TEST_ASSERT(nd->ops->peer_spad_write(nd, 64, 1) == -EINVAL, "peer 64");
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, 0x200 + 256) == 0x2000, "unchanged");
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, 0x200 + 512) == 0, "unchanged 2");
	NTB_TEST_ASSERT(nd->ops->spad_read(nd, 64) == 0, "read 64");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

/* An EP announcing thousands of spads: the RC's clients see a few. */
static int
test_spad_count_cap(void)
{
	struct ntb_dev *nd;

	fake_ep_layout_rcar_s4(&ep);
	/* both halves fit the 64 KiB ctrl BAR */
	fake_ep_w32(&ep, 0, VNTB_CTRL_SPAD_COUNT, 8000);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, NULL, 0) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->spad_count == VNTB_MAX_SPADS_USED,
			"spad_count %u capped", nd->spad_count);
	/* the EP's half still starts after all 8000 of ours */
	NTB_TEST_ASSERT(nd->ops->peer_spad_write(nd, 0, 0x5eed) == 0, "pw");
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, 0x200 + 4 * 8000) == 0x5eed,
			"peer half at spad_offset + 4 * spad_count");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

static int
test_doorbell_ring(void)
{
	struct ntb_dev *nd;
	unsigned int nw0;
	int i;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DB_ENTRY_SIZE, 8);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DB_OFFSET(3), 4);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, NULL, 0) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);

	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 1) == 0, "bit 0");
	i = (int)ep.nw - 1;
	NTB_TEST_ASSERT(ep.w[i].bar == 4 && ep.w[i].off == 2 * 8 &&
			ep.w[i].val == 0xD002 && ep.w[i].width == 4,
			"slot 2: bar %d off %#zx val %#" PRIx64, ep.w[i].bar,
			ep.w[i].off, ep.w[i].val);
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 4, 16) == 0xD002, "stored");
	/* lowest set bit only, like ntb_hw_epf */
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 0x6) == 0, "bits 1,2");
	i = (int)ep.nw - 1;
	NTB_TEST_ASSERT(ep.w[i].bar == 4 && ep.w[i].off == 3 * 8 + 4 &&
			ep.w[i].val == 0xD003, "slot 3 with db_offset");
	NTB_TEST_ASSERT(ep.w[i - 1].bar != 4 || ep.w[i - 1].off != 4 * 8,
			"bit 2 not rung");
	nw0 = ep.nw;
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 0) == -EINVAL, "no bits");
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 1ull << (NB_MSI - 2)) == -EINVAL,
			"bit past db_count");
	NTB_TEST_ASSERT(ep.nw == nw0, "nothing written");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

static int
test_msi_vectors(void)
{
	int fds[NB_MSI];
	struct ntb_dev *nd;
	uint64_t one = 1, cnt;
	int i, ret = 0;

	for (i = 0; i < NB_MSI; i++)
		fds[i] = eventfd(0, 0);	/* blocking: init must fix that */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, fds, 0) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->link_fd == fds[0], "link fd");
	NTB_TEST_ASSERT(nd->db_fd[0] == fds[2] && nd->db_fd[13] == fds[15] &&
			nd->db_fd[14] == -1, "db fds");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0, "none yet");

	NTB_TEST_ASSERT(write(fds[2 + 3], &one, 8) == 8, "fire vector 5");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 1u << 3, "bit 3");
	/* db_read leaves the event to whoever waits on the vector's fd */
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 1u << 3, "bit 3 stays");
	nd->ops->db_clear(nd, 1u << 3);
	NTB_TEST_ASSERT(read(fds[5], &cnt, 8) < 0 && errno == EAGAIN,
			"db_clear drained the vector fd, non-blocking");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0, "bit 3 cleared");
	NTB_TEST_ASSERT(write(fds[2 + 3], &one, 8) == 8, "fire vector 5 again");
	NTB_TEST_ASSERT(write(fds[1], &one, 8) == 8, "fire vector 1");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 1u << 3, "vector 1 no bit");
	NTB_TEST_ASSERT(vntb_rc_vector_event(&rc, 1) == 0 &&
			rc.reserved_vector_events == 1, "reserved counted");
	NTB_TEST_ASSERT(vntb_rc_vector_event(&rc, 2 + 1) == 0, "vector 3");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == ((1u << 3) | (1u << 1)), "bits");
	nd->ops->db_clear(nd, 1u << 3);
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 1u << 1, "clear bit 3");
	nd->ops->db_clear(nd, 1u << 1);
	NTB_TEST_ASSERT(vntb_rc_vector_event(&rc, 0) == 1, "link vector");
	NTB_TEST_ASSERT(vntb_rc_vector_event(&rc, NB_MSI) == -EINVAL, "vector range");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0, "all clear");

	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	for (i = 0; i < NB_MSI; i++)
		close(fds[i]);
	return ret;
}

/*
 * The DMA locator of a v1 ctrl region reaches the rawdev through the
 * ntb_dev op, with the RC's BARs; no locator (ABI 0, or a v0 region
 * whatever its bytes there) is -ENOENT.
 */
static int
test_dma_locator(void)
{
	struct ntb_dma_locator loc;
	struct ntb_dev *nd;

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_ABI, 1);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_BAR, 2);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_OFFSET, 0x40000);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_SIZE, 0x2000);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_NUM_CHANS, 2);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, NULL, 5000000) == 0, "init");
	nd = vntb_rc_ntb_dev(&rc);
	memset(&loc, 0, sizeof(loc));
	NTB_TEST_ASSERT(ntb_dev_dma_locator(nd, &loc) == 0, "locator");
	NTB_TEST_ASSERT(loc.abi == 1 && loc.bar == 2 && loc.offset == 0x40000 &&
			loc.size == 0x2000 && loc.num_chans == 2, "fields");
	NTB_TEST_ASSERT(loc.bars != NULL && loc.bars[2].va == ep.bars[2].va &&
			loc.bars[2].len == ep.bars[2].len, "the RC's BARs");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);

	fake_ep_layout_rcar_s4(&ep);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(MAP_RCAR_S4, NULL, 5000000) == 0,
			"init, no DMA");
	NTB_TEST_ASSERT(ntb_dev_dma_locator(vntb_rc_ntb_dev(&rc), &loc) ==
			-ENOENT, "ABI 0: none");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);

	/* legacy ctrl as test_v0_legacy, a locator's bytes at 0x154 */
	fake_ep_layout_rcar_s4(&ep);
	fake_ep_w32(&ep, 0, VNTB_CTRL_VERSION, 0);
	fake_ep_w32(&ep, 0, VNTB_CTRL_NUM_MWS, 1);
	fake_ep_w32(&ep, 0, VNTB_CTRL_MW1_OFFSET, 0x2000);
	fake_ep_w32(&ep, 0, VNTB_CTRL_DMA_ABI, 1);
	fake_ep_start(&ep);
	NTB_TEST_ASSERT(rc_init_with(&rcar_mainline, NULL, 5000000) == 0,
			"init v0");
	NTB_TEST_ASSERT(ntb_dev_dma_locator(vntb_rc_ntb_dev(&rc), &loc) ==
			-ENOENT, "v0: none");
	vntb_rc_fini(&rc);
	fake_ep_free(&ep);
	return 0;
}

/* Control-thread passes until cond holds; bounded (5 s of 1 ms). */
#define TICK_UNTIL(cond) do {						\
	unsigned int n_;						\
	for (n_ = 0; n_ < 5000 && !(cond); n_++) {			\
		vntb_rc_live_tick(&rc);					\
		usleep(1000);						\
	}								\
} while (0)

/*
 * wait_ep and liveness_ms: an EP that serves no command at init, one
 * that starts serving, stops (hung) and comes back; the control
 * thread's passes are run here (vntb_rc_live_tick).
 */
static int
test_liveness(void)
{
	struct vntb_rc_params p = {
		.name = "test-rc",
		.bars = ep.bars,
		.map = MAP_RCAR_S4,
		.nb_msi = NB_MSI,
		.cmd_timeout_us = 20000,
		.wait_ep = true,
		.liveness_ms = 100,
	};
	struct ntb_dev *nd;
	unsigned int i, n;
	int ret;

	fake_ep_layout_rcar_s4(&ep);
	ret = vntb_rc_init(&rc, &p);
	NTB_TEST_ASSERT(ret == 0, "init without an EP serving: %d", ret);
	nd = vntb_rc_ntb_dev(&rc);
	NTB_TEST_ASSERT(nd->ops->link_enable(nd) == 0, "start without EP");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == -ENOTCONN,
			"commands refused while the EP does not answer");
	for (i = 0; i < 20; i++) {
		vntb_rc_live_tick(&rc);
		usleep(1000);
	}
	NTB_TEST_ASSERT(rc.unresponsive && !nd->ops->link_is_up(nd),
			"no EP: link down");
	NTB_TEST_ASSERT(fake_ep_r32(&ep, 0, VNTB_CTRL_COMMAND) ==
			VNTB_CMD_CONFIGURE_DOORBELL, "probe posted");

	/* the EP starts serving: bring-up, LINK_UP (start asked for it) */
	fake_ep_start(&ep);
	TICK_UNTIL(!rc.unresponsive);
	NTB_TEST_ASSERT(!rc.unresponsive && rc.bringups == 1, "brought up");
	n = __atomic_load_n(&ep.ncmds, __ATOMIC_ACQUIRE);
	NTB_TEST_ASSERT(n >= 2 &&
			ep.cmds[0].cmd == VNTB_CMD_CONFIGURE_DOORBELL &&
			ep.cmds[n - 1].cmd == VNTB_CMD_LINK_UP,
			"CONFIGURE_DOORBELL answered, then LINK_UP (%u cmds)", n);
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd), "link up");

	/* heartbeats: CONFIGURE_DOORBELL, answered */
	TICK_UNTIL(rc.heartbeats >= 2);
	NTB_TEST_ASSERT(rc.heartbeats >= 2, "heartbeats answered");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == 0,
			"commands go through with heartbeats");

	/* the EP hangs: the heartbeat takes the link down */
	fake_ep_stop(&ep);
	TICK_UNTIL(rc.unresponsive);
	NTB_TEST_ASSERT(rc.unresponsive && rc.liveness_timeouts >= 1 &&
			!nd->ops->link_is_up(nd), "hung EP: link down");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 0) == -ENOTCONN,
			"commands refused while hung");

	/* it answers again: LINK_DOWN, LINK_UP (its transport restarts) */
	__atomic_store_n(&ep.ncmds, 0, __ATOMIC_RELEASE);
	fake_ep_start(&ep);
	TICK_UNTIL(!rc.unresponsive);
	n = __atomic_load_n(&ep.ncmds, __ATOMIC_ACQUIRE);
	NTB_TEST_ASSERT(!rc.unresponsive && rc.bringups == 2 && n >= 3 &&
			ep.cmds[n - 2].cmd == VNTB_CMD_LINK_DOWN &&
			ep.cmds[n - 1].cmd == VNTB_CMD_LINK_UP &&
			nd->ops->link_is_up(nd),
			"back: LINK_DOWN, LINK_UP, link up (%u cmds)", n);
	vntb_rc_fini(&rc);
	fake_ep_stop(&ep);
	fake_ep_free(&ep);
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_barmap_and_ids);
	NTB_TEST_RUN(test_v1_rcar_shared_bar2);
	NTB_TEST_RUN(test_v0_legacy);
	NTB_TEST_RUN(test_rejections);
	NTB_TEST_RUN(test_command_protocol);
	NTB_TEST_RUN(test_spads);
	NTB_TEST_RUN(test_spad_count_cap);
	NTB_TEST_RUN(test_doorbell_ring);
	NTB_TEST_RUN(test_msi_vectors);
	NTB_TEST_RUN(test_dma_locator);
	NTB_TEST_RUN(test_liveness);
	return ntb_test_done();
}
