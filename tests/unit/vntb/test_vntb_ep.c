/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * EP side of the vNTB ctrl protocol (vntb_ep.c, vntb_ep_ops.c) on a fake
 * endpoint controller that records every op: what the RC writes into the
 * ctrl region must turn into the right EPC op and status, and nothing
 * else.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_io.h>

#include "ntb_test.h"
#include "vntb_ctrl.h"
#include "vntb_ep.h"

#define CTRL_LEN	0x2000
#define SPAD_OFF	0x200
#define SPAD_COUNT	64
#define DB_COUNT	8
#define DB_STRIDE	4

struct fake_epc {
	unsigned int nb_set_bar, nb_clear_bar, nb_map, nb_unmap, nb_irq;
	unsigned int nb_link_event;
	unsigned int idx;		/* last MW index given */
	uint64_t addr, size;		/* last address/size given */
	unsigned int vector;		/* last vector raised */
	int map_ret;			/* what map_addr returns */
	bool linked;
};

static uint8_t ctrl[CTRL_LEN] __rte_aligned(4096);
static uint8_t db_page[4096] __rte_aligned(4096);
static uint8_t staging[4096];
static struct fake_epc epc;
static struct vntb_ep ep;

static int
f_set_bar(void *c, unsigned int idx, uint64_t addr, uint64_t size)
{
	struct fake_epc *f = c;

	f->nb_set_bar++;
	f->idx = idx;
	f->addr = addr;
	f->size = size;
	return 0;
}

static int
f_clear_bar(void *c, unsigned int idx)
{
	struct fake_epc *f = c;

	f->nb_clear_bar++;
	f->idx = idx;
	return 0;
}

static int
f_map_addr(void *c, unsigned int idx, uint64_t addr, uint64_t size)
{
	struct fake_epc *f = c;

	f->nb_map++;
	f->idx = idx;
	f->addr = addr;
	f->size = size;
	return f->map_ret;
}

static void
f_unmap_addr(void *c, unsigned int idx)
{
	struct fake_epc *f = c;

	f->nb_unmap++;
	f->idx = idx;
}

static void
f_ob_window(void *c, unsigned int idx, struct ntb_bar *win)
{
	RTE_SET_USED(c);
	memset(win, 0, sizeof(*win));
	win->va = staging;
	win->len = 0x1000 * (idx + 1);
}

static int
f_raise_irq(void *c, unsigned int vector)
{
	struct fake_epc *f = c;

	f->nb_irq++;
	f->vector = vector;
	return 0;
}

static bool
f_linked(void *c)
{
	return ((struct fake_epc *)c)->linked;
}

static void
f_link_event(void *c)
{
	((struct fake_epc *)c)->nb_link_event++;
}

static const struct vntb_epc_ops fake_ops = {
	.set_bar = f_set_bar, .clear_bar = f_clear_bar,
	.map_addr = f_map_addr, .unmap_addr = f_unmap_addr,
	.ob_window = f_ob_window, .raise_irq = f_raise_irq,
	.linked = f_linked, .link_event = f_link_event,
};

static uint32_t
rd32(size_t off)
{
	return rte_le_to_cpu_32(rte_read32(ctrl + off));
}

static void
wr32(size_t off, uint32_t v)
{
	rte_write32(rte_cpu_to_le_32(v), ctrl + off);
}

static uint16_t
status(void)
{
	return rte_le_to_cpu_16(rte_read16(ctrl + VNTB_CTRL_CMD_STATUS));
}

/* The RC's side of one command; returns the status the EP wrote. */
static uint16_t
command(uint32_t cmd, uint32_t arg)
{
	rte_write16(0, ctrl + VNTB_CTRL_CMD_STATUS);
	wr32(VNTB_CTRL_ARGUMENT, arg);
	wr32(VNTB_CTRL_COMMAND, cmd);
	vntb_ep_cmd_handler(&ep);
	return status();
}

static uint16_t
configure_mw(uint32_t idx, uint64_t addr, uint64_t size)
{
	wr32(VNTB_CTRL_ADDR_LO, (uint32_t)addr);
	wr32(VNTB_CTRL_ADDR_HI, (uint32_t)(addr >> 32));
	wr32(VNTB_CTRL_SIZE_LO, (uint32_t)size);
	wr32(VNTB_CTRL_SIZE_HI, (uint32_t)(size >> 32));
	return command(VNTB_CMD_CONFIGURE_MW, idx);
}

static int
bind(uint32_t version)
{
	static const int slot_fds[DB_COUNT] = { 10, 11, 12, 13, 14, 15, 16, 17 };
	struct vntb_ep_config cfg = {
		.name = "test-ep", .ctrl = ctrl, .ctrl_len = sizeof(ctrl),
		.version = version, .num_mws = 2,
		.mw_offset = { 0, 0xF0000 }, .mw_size = { 0xF0000, 0x8000 },
		.spad_offset = SPAD_OFF, .spad_count = SPAD_COUNT,
		.db_page = db_page, .db_count = DB_COUNT,
		.db_entry_size = DB_STRIDE, .link_fd = 9, .slot_fds = slot_fds,
	};

	memset(&epc, 0, sizeof(epc));
	memset(ctrl, 0xA5, sizeof(ctrl));	/* init must zero it */
	memset(db_page, 0, sizeof(db_page));
	return vntb_ep_init(&ep, &cfg, &fake_ops, &epc);
}

static int
test_ctrl_image(void)
{
	struct ntb_dev *nd;
	unsigned int i;

	NTB_TEST_ASSERT(bind(VNTB_CTRL_VERSION_V1) == 0, "bind");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_COMMAND) == 0 && status() == 0 &&
			rd32(VNTB_CTRL_ADDR_LO) == 0, "ctrl zeroed");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_VERSION) == 1, "version");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_NUM_MWS) == 2, "num_mws");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_MW1_OFFSET) == 0, "mw1_offset");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_SPAD_OFFSET) == SPAD_OFF, "spad_offset");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_SPAD_COUNT) == SPAD_COUNT, "spad_count");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_DB_ENTRY_SIZE) == DB_STRIDE, "db stride");
	for (i = 0; i < DB_COUNT; i++)
		NTB_TEST_ASSERT(rd32(VNTB_CTRL_DB_DATA(i)) == i + 1 &&
				rd32(VNTB_CTRL_DB_OFFSET(i)) == 0, "db %u", i);
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_MW_OFFSET(1)) == 0xF0000 &&
			rd32(VNTB_CTRL_MW_SIZE(1)) == 0x8000, "v1 MW2");
	NTB_TEST_ASSERT(rd32(SPAD_OFF) == 0, "spads zeroed");

	nd = vntb_ep_ntb_dev(&ep);
	NTB_TEST_ASSERT(nd->mw_count == 2 && nd->spad_count == SPAD_COUNT,
			"ntb_dev counts");
	NTB_TEST_ASSERT(nd->db_count == DB_COUNT - VNTB_DB_SLOT_OFFSET &&
			nd->db_valid_mask == 0x3F, "doorbells");
	NTB_TEST_ASSERT(nd->db_fd[0] == 12 && nd->db_fd[5] == 17 &&
			nd->db_fd[6] == -1 && nd->link_fd == 9, "fds");

	/* legacy: no v1 block */
	NTB_TEST_ASSERT(bind(VNTB_CTRL_VERSION_LEGACY) == 0, "bind v0");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_MW_OFFSET(1)) == 0 &&
			rd32(VNTB_CTRL_MW_SIZE(1)) == 0, "v0 has no MW2 words");
	return 0;
}

static int
test_configure_mw(void)
{
	NTB_TEST_ASSERT(bind(VNTB_CTRL_VERSION_V1) == 0, "bind");
	NTB_TEST_ASSERT(configure_mw(1, 0x123456000ull, 0x8000) ==
			VNTB_CMD_STATUS_OK, "OK");
	NTB_TEST_ASSERT(epc.nb_map == 1 && epc.idx == 1 &&
			epc.addr == 0x123456000ull && epc.size == 0x8000,
			"map_addr(1, addr, size)");
	NTB_TEST_ASSERT(rd32(VNTB_CTRL_COMMAND) == 0 &&
			rd32(VNTB_CTRL_ARGUMENT) == 0, "command latched");

	/* refused before the EPC sees them */
	NTB_TEST_ASSERT(configure_mw(1, 0x123456800ull, 0x100) ==
			VNTB_CMD_STATUS_ERROR, "unaligned");
	NTB_TEST_ASSERT(configure_mw(2, 0x1000, 0x100) ==
			VNTB_CMD_STATUS_ERROR, "idx");
	NTB_TEST_ASSERT(configure_mw(1, 0x1000, 0x8001) ==
			VNTB_CMD_STATUS_ERROR, "too big");
	NTB_TEST_ASSERT(configure_mw(0, 0x1000, 0) ==
			VNTB_CMD_STATUS_ERROR, "size 0");
	NTB_TEST_ASSERT(configure_mw(0, 0xFFFFFFFFFFFFF000ull, 0x2000) ==
			VNTB_CMD_STATUS_ERROR, "wraps");
	NTB_TEST_ASSERT(epc.nb_map == 1, "no map_addr for a refused one");

	/* the EPC refuses (not RC memory) */
	epc.map_ret = -EINVAL;
	NTB_TEST_ASSERT(configure_mw(0, 0x2000, 0x1000) ==
			VNTB_CMD_STATUS_ERROR, "EPC error");
	NTB_TEST_ASSERT(epc.nb_map == 2, "EPC asked");

	NTB_TEST_ASSERT(command(VNTB_CMD_TEARDOWN_MW, 1) ==
			VNTB_CMD_STATUS_OK && epc.nb_unmap == 1 &&
			epc.idx == 1, "TEARDOWN_MW 1");
	NTB_TEST_ASSERT(command(VNTB_CMD_TEARDOWN_MW, 2) ==
			VNTB_CMD_STATUS_ERROR && epc.nb_unmap == 1,
			"TEARDOWN_MW 2");
	return 0;
}

static int
test_link_and_commands(void)
{
	struct ntb_dev *nd;

	NTB_TEST_ASSERT(bind(VNTB_CTRL_VERSION_V1) == 0, "bind");
	nd = vntb_ep_ntb_dev(&ep);
	NTB_TEST_ASSERT(command(VNTB_CMD_CONFIGURE_DOORBELL, 16) ==
			VNTB_CMD_STATUS_OK, "CONFIGURE_DOORBELL");
	NTB_TEST_ASSERT(command(VNTB_CMD_LINK_UP, 0) == VNTB_CMD_STATUS_OK,
			"LINK_UP");
	NTB_TEST_ASSERT(vntb_ep_link_status(&ep) &&
			epc.nb_link_event == 1, "link up, one event");
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "no PCIe link: down");
	epc.linked = true;
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd), "up");
	NTB_TEST_ASSERT(command(VNTB_CMD_LINK_UP, 0) == VNTB_CMD_STATUS_OK &&
			epc.nb_link_event == 1, "no change, no event");
	NTB_TEST_ASSERT(command(VNTB_CMD_LINK_DOWN, 0) ==
			VNTB_CMD_STATUS_OK && epc.nb_link_event == 2 &&
			!nd->ops->link_is_up(nd), "LINK_DOWN");

	/* vNTB writes no status for an unknown command */
	NTB_TEST_ASSERT(command(77, 0) == 0 && rd32(VNTB_CTRL_COMMAND) == 0,
			"unknown command");
	/* no command: nothing written */
	rte_write16(0, ctrl + VNTB_CTRL_CMD_STATUS);
	vntb_ep_cmd_handler(&ep);
	NTB_TEST_ASSERT(status() == 0 && epc.nb_map == 0, "idle");
	return 0;
}

static int
test_doorbells_and_ops(void)
{
	struct ntb_dev *nd;
	struct ntb_bar win;
	uint64_t align, max;

	NTB_TEST_ASSERT(bind(VNTB_CTRL_VERSION_V1) == 0, "bind");
	nd = vntb_ep_ntb_dev(&ep);

	/* RC rings bits 0 and 3: slots 2 and 5, seen once by the handler */
	rte_write32(3, db_page + 2 * DB_STRIDE);
	rte_write32(6, db_page + 5 * DB_STRIDE);
	rte_write32(1, db_page + 1 * DB_STRIDE);	/* reserved slot */
	vntb_ep_cmd_handler(&ep);
	NTB_TEST_ASSERT(rte_read32(db_page + 2 * DB_STRIDE) == 0 &&
			rte_read32(db_page + 5 * DB_STRIDE) == 0, "slots zeroed");
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0x9, "bits 0 and 3");
	nd->ops->db_clear(nd, 0x1);
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0x8, "bit 0 cleared");

	/* EP -> RC: lowest bit k as MSI vector k + 2 */
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 0xA) == 0 &&
			epc.nb_irq == 1 && epc.vector == 3, "vector 3");
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 1ull << 40) == -EINVAL &&
			epc.nb_irq == 1, "invalid bit");

	/* inbound windows */
	NTB_TEST_ASSERT(nd->ops->mw_get_align(nd, 1, &align, &max) == 0 &&
			align == 4096 && max == 0x8000, "align");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, 0x10800, 0x1000) ==
			-EINVAL && epc.nb_set_bar == 0, "unaligned");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, 0x10000, 0x9000) ==
			-EINVAL && epc.nb_set_bar == 0, "too big");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, 0x10000, 0x8000) == 0 &&
			epc.nb_set_bar == 1 && epc.idx == 1 &&
			epc.addr == 0x10000 && epc.size == 0x8000, "set_bar");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 1) == 0 &&
			epc.nb_clear_bar == 1, "clear_bar");
	NTB_TEST_ASSERT(nd->ops->mw_clear_trans(nd, 2) == -EINVAL &&
			epc.nb_clear_bar == 1, "clear idx");
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 1, &win) == 0 &&
			win.va == staging && win.len == 0x2000, "ob window");

	/* spads: the EP's own half is the second; the RC's the first */
	NTB_TEST_ASSERT(nd->ops->spad_write(nd, 3, 0x11223344) == 0, "spad");
	NTB_TEST_ASSERT(rd32(SPAD_OFF + 4 * (SPAD_COUNT + 3)) == 0x11223344,
			"own half");
	NTB_TEST_ASSERT(nd->ops->peer_spad_write(nd, 3, 0x55) == 0 &&
			rd32(SPAD_OFF + 4 * 3) == 0x55, "peer half");
	wr32(SPAD_OFF + 4 * 7, 0x77);
	NTB_TEST_ASSERT(nd->ops->peer_spad_read(nd, 7) == 0x77, "peer read");
	NTB_TEST_ASSERT(nd->ops->spad_read(nd, 3) == 0x11223344, "own read");
	NTB_TEST_ASSERT(nd->ops->spad_write(nd, SPAD_COUNT, 1) == -EINVAL,
			"spad idx");
	return 0;
}

static int
test_bad_config(void)
{
	struct vntb_ep_config cfg = {
		.name = "bad", .ctrl = ctrl, .ctrl_len = sizeof(ctrl),
		.num_mws = 5, .db_page = db_page, .db_count = DB_COUNT,
		.db_entry_size = DB_STRIDE, .link_fd = -1,
	};

	NTB_TEST_ASSERT(vntb_ep_init(&ep, &cfg, &fake_ops, &epc) == -EINVAL,
			"num_mws 5");
	cfg.num_mws = 1;
	cfg.spad_offset = CTRL_LEN - 8;
	cfg.spad_count = 4;
	NTB_TEST_ASSERT(vntb_ep_init(&ep, &cfg, &fake_ops, &epc) == -EINVAL,
			"spads past ctrl");
	return 0;
}

int
main(void)
{
	NTB_TEST_RUN(test_ctrl_image);
	NTB_TEST_RUN(test_configure_mw);
	NTB_TEST_RUN(test_link_and_commands);
	NTB_TEST_RUN(test_doorbells_and_ops);
	NTB_TEST_RUN(test_bad_config);
	return ntb_test_done();
}
