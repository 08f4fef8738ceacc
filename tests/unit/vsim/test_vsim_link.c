/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * EP and RC of the virtual link in one process (two control threads over
 * a real unix socket): every register side effect through the ntb_bar
 * accessors the driver uses, checked by memory contents, eventfd counts
 * and status bits; then peer death and reconnect.
 */

#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_memzone.h>

#include "dw_edma_v0_regs.h"
#include "ntb_test.h"
#include "ntb_test_proc.h"
#include "ntb_test_vsim.h"
#include "vntb_ctrl.h"
#include "vntb_rc.h"
#include "vsim.h"
#include "vsim_fault.h"

static struct vsim *ep, *rc;
static struct ntb_dev *nd;
static const struct vsim_rc_res *res;
static const struct rte_memzone *ep_buf, *rc_buf;
static char sock_path[64];

static uint64_t
efd_count(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* Bounded waits for what the EP's engine thread does (no timing asserted). */
static int
wait_byte(volatile uint8_t *p, uint8_t v)
{
	unsigned int i;

	for (i = 0; i < 5000 && *p != v; i++)
		rte_delay_us_sleep(1000);
	return *p == v ? 0 : -1;
}

static uint64_t
wait_efd(int fd)
{
	unsigned int i;
	uint64_t v = 0;

	for (i = 0; i < 5000 && v == 0; i++) {
		v = efd_count(fd);
		if (v == 0)
			rte_delay_us_sleep(1000);
	}
	return v;
}

static struct vsim *
make_profile(const char *role, const char *profile, const char *path)
{
	return ntb_test_vsim_make(role, path, "profile", profile,
				  "cmd_period_us", "1000",
				  "connect_timeout_ms", "5000", NULL);
}

static struct vsim *
make(const char *role)
{
	return make_profile(role, "rcar-s4", sock_path);
}

/* RC side of a vNTB command, as ntb_hw_epf does it (bounded poll). */
static int
rc_command(const struct ntb_bar *ctrl, uint32_t cmd, uint32_t arg)
{
	uint16_t st = 0;
	unsigned int i;

	ntb_bar_write32(ctrl, VNTB_CTRL_ARGUMENT, arg);
	ntb_bar_write32(ctrl, VNTB_CTRL_COMMAND, cmd);
	for (i = 0; i < 2000 && st == 0; i++) {
		rte_delay_us_sleep(1000);
		st = ntb_bar_read16(ctrl, VNTB_CTRL_CMD_STATUS);
	}
	ntb_bar_write16(ctrl, VNTB_CTRL_CMD_STATUS, 0);
	return st;
}

static int
test_connect_and_ctrl(void)
{
	const struct ntb_bar *b0;

	ep = make("ep");
	NTB_TEST_ASSERT(ep != NULL, "EP created");
	rc = make("rc");
	NTB_TEST_ASSERT(rc != NULL, "RC connected");
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_CONNECTED,
					 5000) == 0, "EP connected");
	nd = vsim_ep_ntb_dev(ep);
	res = vsim_rc_res(rc);
	NTB_TEST_ASSERT(res->vendor_id == 0x1912 && res->device_id == 0x0030,
			"R-Car IDs");
	/* the RC's map is the row a board with these IDs gets */
	NTB_TEST_ASSERT(res->platform != NULL && res->platform ==
			vntb_pci_id_match(0x1912, 0x0030,
					  VNTB_PCI_CLASS_MEMORY_RAM) &&
			strcmp(res->platform->map.name, "rcar-s4") == 0,
			"R-Car row");
	b0 = &res->bars[res->platform->map.bar[VNTB_BAR_CONFIG]];
	NTB_TEST_ASSERT(res->bars[2].len == 0x100000 && res->bars[4].len == 256
			&& res->bars[1].len == 0, "BAR sizes");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_VERSION) == 1, "v1");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_NUM_MWS) == 2, "num_mws");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_MW_OFFSET(1)) == 0xF0000 &&
			ntb_bar_read32(b0, VNTB_CTRL_MW_SIZE(1)) == 0x8000,
			"mw2 offset/size");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_DB_DATA(2)) == 3, "db_data");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_DB_ENTRY_SIZE) == 4,
			"db_entry_size");
	return 0;
}

static int
test_spads(void)
{
	const struct ntb_bar *b0 = &res->bars[0];
	uint32_t so = ntb_bar_read32(b0, VNTB_CTRL_SPAD_OFFSET);
	uint32_t sc = ntb_bar_read32(b0, VNTB_CTRL_SPAD_COUNT);

	NTB_TEST_ASSERT(sc == nd->spad_count, "spad_count %u", sc);
	/* RC self (first half) = EP peer */
	ntb_bar_write32(b0, so + 4 * 3, 0xC0FFEE);
	NTB_TEST_ASSERT(nd->ops->peer_spad_read(nd, 3) == 0xC0FFEE, "RC->EP");
	nd->ops->spad_write(nd, 5, 0xBEEF);
	NTB_TEST_ASSERT(ntb_bar_read32(b0, so + 4 * (sc + 5)) == 0xBEEF,
			"EP self = RC peer (second half)");
	NTB_TEST_ASSERT(nd->ops->spad_write(nd, sc, 1) < 0, "index checked");
	return 0;
}

static int
test_doorbells(void)
{
	const struct ntb_bar *db =
		&res->bars[res->platform->map.bar[VNTB_BAR_DB]];
	uint64_t bits;

	/* RC rings doorbell bit 1 = slot 3 */
	ntb_bar_write32(db, 4 * 3, 4);
	NTB_TEST_ASSERT(efd_count(nd->db_fd[1]) == 1, "EP slot eventfd");
	NTB_TEST_ASSERT(efd_count(nd->db_fd[0]) == 0, "other slot quiet");
	bits = nd->ops->db_read(nd);
	NTB_TEST_ASSERT(bits == RTE_BIT64(1), "db_read %#lx",
			(unsigned long)bits);
	NTB_TEST_ASSERT(ntb_bar_read32(db, 12) == 0, "slot zeroed");
	nd->ops->db_clear(nd, bits);
	NTB_TEST_ASSERT(nd->ops->db_read(nd) == 0, "db_clear");
	/* EP rings bit 2 -> RC MSI vector 4 */
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, RTE_BIT64(2)) == 0, "set");
	NTB_TEST_ASSERT(efd_count(res->msi_fds[4]) == 1, "RC vector 4");
	NTB_TEST_ASSERT(efd_count(res->msi_fds[2]) == 0, "vector 2 quiet");
	return 0;
}

static int
test_inbound_mw_and_intr_mw(void)
{
	const struct ntb_intr_res *ir = vsim_ep_intr_res(ep);
	const struct ntb_bar *b2 = &res->bars[2];

	ep_buf = rte_memzone_reserve_aligned("t_ep_buf", 0xF0000, SOCKET_ID_ANY,
					     RTE_MEMZONE_IOVA_CONTIG, 4096);
	NTB_TEST_ASSERT(ep_buf != NULL, "ep buf");
	/* before mw_set_trans: staging, EP memory untouched */
	ntb_bar_write32(b2, 0x100, 0x11111111);
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, ep_buf->iova, 0xF0000) == 0,
			"mw_set_trans");
	NTB_TEST_ASSERT(*(uint32_t *)((char *)ep_buf->addr + 0x100) == 0,
			"staging write did not reach EP");
	ntb_bar_write32(b2, 0x100, 0xA5A5A5A5);
	NTB_TEST_ASSERT(*(uint32_t *)((char *)ep_buf->addr + 0x100) ==
			0xA5A5A5A5, "BAR2+0x100 lands in EP memory");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, ep_buf->iova + 1, 4096) < 0,
			"unaligned refused");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 0, ep_buf->iova, 0x100000) < 0,
			"too large refused");

	/* MW2 reaches the eDMA page: rd_int_status raises the EP IRQ */
	NTB_TEST_ASSERT(ir->intr_mw == 1, "intr_mw");
	efd_count(ir->edma_irq_fd);
	ntb_bar_write32(b2, 0xF0000 + DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(efd_count(ir->edma_irq_fd) == 1, "one EP eDMA IRQ");
	NTB_TEST_ASSERT(ntb_bar_read32(ir->edma_regs, DW_EDMA_V0_RD_INT_STATUS)
			== 0, "no status bits");
	ntb_bar_write32(b2, 0xF0000 + DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(efd_count(ir->edma_irq_fd) == 0, "still asserted");
	/* EP de-asserts with a 0 to int_clear through its accessor */
	ntb_bar_write32(ir->edma_regs, DW_EDMA_V0_RD_INT_CLEAR, 0);
	ntb_bar_write32(b2, 0xF0000 + DW_EDMA_V0_RD_INT_STATUS, 1);
	NTB_TEST_ASSERT(efd_count(ir->edma_irq_fd) == 1, "raised again");
	ntb_bar_write32(ir->edma_regs, DW_EDMA_V0_WR_INT_CLEAR, 0);

	/* MSI page: point MW2 at it, data v at 4*v raises vector v */
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, ir->msi_page_iova, 4096)
			== 0, "MW2 -> MSI page");
	ntb_bar_write32(b2, 0xF0000 + 4 * 6, 6);
	NTB_TEST_ASSERT(efd_count(ir->msi_fds[6]) == 1, "MSI vector 6");
	ntb_bar_write32(ir->msi_page, 4 * 2, 2);
	NTB_TEST_ASSERT(efd_count(ir->msi_fds[2]) == 1, "EP-local MSI write");
	NTB_TEST_ASSERT(nd->ops->mw_set_trans(nd, 1, ir->edma_regs_iova,
					      0x2000) == 0, "MW2 -> eDMA");
	return 0;
}

static int
test_commands_outbound(void)
{
	const struct ntb_bar *b0 = &res->bars[0];
	struct ntb_bar win;

	rc_buf = rte_memzone_reserve_aligned("t_rc_buf", 0x10000, SOCKET_ID_ANY,
					     RTE_MEMZONE_IOVA_CONTIG, 4096);
	NTB_TEST_ASSERT(rc_buf != NULL, "rc buf");
	/* before CONFIGURE_MW the window exists (as vNTB's) but reaches
	 * staging memory, not the RC
	 */
	*(volatile uint32_t *)rc_buf->addr = 0;
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &win) == 0 &&
			win.va != NULL, "outbound window exists before CONFIGURE_MW");
	*(volatile uint32_t *)win.va = 0xdeadbeef;
	NTB_TEST_ASSERT(*(volatile uint32_t *)rc_buf->addr == 0,
			"no write reaches the RC before CONFIGURE_MW");
	ntb_bar_write32(b0, VNTB_CTRL_ADDR_LO, (uint32_t)rc_buf->iova);
	ntb_bar_write32(b0, VNTB_CTRL_ADDR_HI, rc_buf->iova >> 32);
	ntb_bar_write32(b0, VNTB_CTRL_SIZE_LO, 0x10000);
	ntb_bar_write32(b0, VNTB_CTRL_SIZE_HI, 0);
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_CONFIGURE_MW, 0) ==
			VNTB_CMD_STATUS_OK, "CONFIGURE_MW ok");
	NTB_TEST_ASSERT(ntb_bar_read32(b0, VNTB_CTRL_COMMAND) == 0, "latched");
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &win) == 0 &&
			win.len == 0x10000, "outbound window");
	memset(win.va + 0x40, 0x77, 16);
	NTB_TEST_ASSERT(((uint8_t *)rc_buf->addr)[0x40] == 0x77 &&
			((uint8_t *)rc_buf->addr)[0x4F] == 0x77,
			"EP outbound write lands in RC memory");
	/* an address outside RC memory: ERROR */
	ntb_bar_write32(b0, VNTB_CTRL_ADDR_LO, 0x1000);
	ntb_bar_write32(b0, VNTB_CTRL_ADDR_HI, 0x7);
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_CONFIGURE_MW, 1) ==
			VNTB_CMD_STATUS_ERROR, "bad address refused");
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_CONFIGURE_MW, 9) ==
			VNTB_CMD_STATUS_ERROR, "bad index refused");
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "link down");
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_LINK_UP, 0) ==
			VNTB_CMD_STATUS_OK, "LINK_UP");
	NTB_TEST_ASSERT(nd->ops->link_is_up(nd) &&
			(ntb_bar_read16(b0, VNTB_CTRL_LINK_STATUS) & 1), "up");
	NTB_TEST_ASSERT(efd_count(nd->link_fd) >= 1, "EP link event");
	/* slow handler: still answered within the RC's poll budget */
	vsim_fault_cmd_delay(ep, 20000);
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_LINK_DOWN, 0) ==
			VNTB_CMD_STATUS_OK, "LINK_DOWN (delayed)");
	vsim_fault_cmd_delay(ep, 0);
	NTB_TEST_ASSERT(!nd->ops->link_is_up(nd), "down");
	NTB_TEST_ASSERT(rc_command(b0, VNTB_CMD_TEARDOWN_MW, 0) ==
			VNTB_CMD_STATUS_OK, "TEARDOWN_MW");
	*(volatile uint32_t *)rc_buf->addr = 0;
	NTB_TEST_ASSERT(nd->ops->peer_mw_get_bar(nd, 0, &win) == 0,
			"outbound window");
	*(volatile uint32_t *)win.va = 0xdeadbeef;
	NTB_TEST_ASSERT(*(volatile uint32_t *)rc_buf->addr == 0,
			"outbound gone: writes no longer reach the RC");
	/* fault: link raise reaches RC vector 0 */
	efd_count(res->msi_fds[0]);
	vsim_fault_set_link(ep, true);
	NTB_TEST_ASSERT(efd_count(res->msi_fds[0]) == 1, "RC link vector");
	vsim_fault_set_link(ep, false);
	efd_count(res->msi_fds[0]);
	return 0;
}

/* The RC drives the EP eDMA through MW2 (remote mode, RIE -> RC MSI). */
static int
test_remote_edma_via_mw(void)
{
	const struct ntb_intr_res *ir = vsim_ep_intr_res(ep);
	const struct ntb_bar *b2 = &res->bars[2];
	struct ntb_bar e = *b2;		/* a window inside BAR2, as drivers do */
	uint8_t *ll = (uint8_t *)ep_buf->addr + 0x80000;
	uint64_t ll_iova = ep_buf->iova + 0x80000;
	struct dw_edma_v0_lli d = {
		DW_EDMA_V0_CB | DW_EDMA_V0_RIE | DW_EDMA_V0_LIE, 256,
		ep_buf->iova + 0x1000, rc_buf->iova + 0x2000 };
	size_t ch = DW_EDMA_V0_WR_CH_BASE(0);

	e.va += 0xF0000;
	e.len = 0x8000;
	memset((uint8_t *)ep_buf->addr + 0x1000, 0x3C, 256);
	memcpy(ll, &d, sizeof(d));
	memset(ll + 24, 0, 24);
	ntb_bar_write32(&e, DW_EDMA_V0_WR_ENGINE_EN, 1);
	ntb_bar_write32(&e, DW_EDMA_V0_WR_DONE_IMWR_LO, (uint32_t)res->msi_addr);
	ntb_bar_write32(&e, DW_EDMA_V0_WR_DONE_IMWR_HI, res->msi_addr >> 32);
	ntb_bar_write32(&e, DW_EDMA_V0_WR_CH_IMWR_DATA(0), 5);
	ntb_bar_write32(&e, ch + DW_EDMA_V0_CH_CONTROL1,
			DW_EDMA_V0_CCS | DW_EDMA_V0_LLE);
	ntb_bar_write32(&e, ch + DW_EDMA_V0_CH_LLP_LO, (uint32_t)ll_iova);
	ntb_bar_write32(&e, ch + DW_EDMA_V0_CH_LLP_HI, ll_iova >> 32);
	efd_count(ir->edma_irq_fd);
	/*
	 * The doorbell written by the RC runs in the EP's engine, never in
	 * the RC's thread: with the engine held nothing has moved when the
	 * write returns; released, the EP runs it.
	 */
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep, true) == 0, "hold engine");
	ntb_bar_write32(&e, DW_EDMA_V0_WR_DOORBELL, 0);
	NTB_TEST_ASSERT(((volatile uint8_t *)rc_buf->addr)[0x2000] == 0 &&
			efd_count(res->msi_fds[5]) == 0,
			"no transfer in the RC's thread");
	NTB_TEST_ASSERT(vsim_fault_engine_hold(ep, false) == 0, "release");
	NTB_TEST_ASSERT(wait_byte((volatile uint8_t *)rc_buf->addr + 0x20FF,
				  0x3C) == 0, "EP engine ran the doorbell");
	NTB_TEST_ASSERT(((uint8_t *)rc_buf->addr)[0x2000] == 0x3C &&
			((uint8_t *)rc_buf->addr)[0x20FF] == 0x3C,
			"EP->RC data");
	NTB_TEST_ASSERT(wait_efd(res->msi_fds[5]) == 1, "IMWr -> RC vector 5");
	NTB_TEST_ASSERT(wait_efd(ir->edma_irq_fd) == 1, "LIE -> EP irq");
	NTB_TEST_ASSERT(ntb_bar_read32(ir->edma_regs, DW_EDMA_V0_WR_INT_STATUS)
			== DW_EDMA_V0_INT_DONE(0), "DONE(0)");
	ntb_bar_write32(ir->edma_regs, DW_EDMA_V0_WR_INT_CLEAR,
			DW_EDMA_V0_INT_ALL);
	/* corrupted register: vsim_fault_poke32 bypasses the trap */
	vsim_fault_poke32(&e, DW_EDMA_V0_RD_INT_STATUS, 0xFFFFFFFF);
	NTB_TEST_ASSERT(efd_count(ir->edma_irq_fd) == 0 &&
			ntb_bar_read32(ir->edma_regs, DW_EDMA_V0_RD_INT_STATUS)
			== 0xFFFFFFFF, "poke stored without side effect");
	vsim_fault_poke32(ir->edma_regs, DW_EDMA_V0_RD_INT_STATUS, 0);
	NTB_TEST_ASSERT(vsim_fault_poke_iova(rc, true, ep_buf->iova + 8, 42) == 0
			&& ((uint32_t *)ep_buf->addr)[2] == 42, "poke memory");
	return 0;
}

/*
 * j721e: the RC-side vNTB code (ntb_hw_epf's behaviour) reaches the EP's
 * scratchpads through BAR1 at offset 0 and its own in the ctrl BAR; both
 * directions must meet the EP's spad ops, and a peer-spad write must not
 * land in the ctrl header (it used to alias the ctrl region: index 0 was
 * the command register).
 */
static int
test_j721e_peer_spad_bar(void)
{
	const struct vsim_rc_res *jres;
	const struct vntb_barmap *map;
	struct vntb_rc_params rp;
	struct vsim *jep, *jrc;
	struct ntb_dev *ep_nd, *rc_nd;
	static struct vntb_rc vrc;
	char path[80];
	unsigned int i, sc;
	int ret = -1;

	snprintf(path, sizeof(path), "%s.j7", sock_path);
	jep = make_profile("ep", "j721e", path);
	jrc = jep != NULL ? make_profile("rc", "j721e", path) : NULL;
	if (jep == NULL || jrc == NULL ||
	    ntb_test_vsim_wait_state(jep, VSIM_LINK_CONNECTED, 5000) != 0)
		goto out;
	jres = vsim_rc_res(jrc);
	ep_nd = vsim_ep_ntb_dev(jep);
	map = &jres->platform->map;
	memset(&rp, 0, sizeof(rp));
	rp.name = "j721e_rc";
	rp.bars = jres->bars;
	rp.map = map;
	rp.nb_msi = jres->nb_msi;
	if (map->bar[VNTB_BAR_PEER_SPAD] != 1 || jres->bars[1].len == 0) {
		printf("# j721e: no peer-spad BAR1 (map %d, len %zu)\n",
		       map->bar[VNTB_BAR_PEER_SPAD], jres->bars[1].len);
		goto out;
	}
	if (vntb_rc_init(&vrc, &rp) != 0) {
		printf("# j721e: vntb_rc_init failed\n");
		goto out;
	}
	rc_nd = vntb_rc_ntb_dev(&vrc);
	sc = rc_nd->spad_count;
	ret = 0;
	for (i = 0; i < sc && ret == 0; i++) {
		rc_nd->ops->peer_spad_write(rc_nd, i, 0xA5000000u | i);
		ep_nd->ops->peer_spad_write(ep_nd, i, 0x5A000000u | i);
		if (ep_nd->ops->spad_read(ep_nd, i) != (0xA5000000u | i) ||
		    rc_nd->ops->spad_read(rc_nd, i) != (0x5A000000u | i)) {
			printf("# j721e: spad %u RC->EP %#x, EP->RC %#x\n", i,
			       ep_nd->ops->spad_read(ep_nd, i),
			       rc_nd->ops->spad_read(rc_nd, i));
			ret = -1;
		}
	}
	for (i = 0; i < sc && ret == 0; i++) {
		ep_nd->ops->spad_write(ep_nd, i, 0xC0DE0000u | i);
		if (rc_nd->ops->peer_spad_read(rc_nd, i) != (0xC0DE0000u | i)) {
			printf("# j721e: EP self spad %u reads %#x at the RC\n",
			       i, rc_nd->ops->peer_spad_read(rc_nd, i));
			ret = -1;
		}
	}
	if (ret == 0 &&
	    (ntb_bar_read32(&jres->bars[0], VNTB_CTRL_COMMAND) != 0 ||
	     ntb_bar_read32(&jres->bars[0], VNTB_CTRL_NUM_MWS) != 1)) {
		printf("# j721e: ctrl header changed by spad writes\n");
		ret = -1;
	}
	vntb_rc_fini(&vrc);
out:
	vsim_destroy(jrc);
	vsim_destroy(jep);
	NTB_TEST_ASSERT(ret == 0, "j721e scratchpads through BAR1");
	return 0;
}

static int
test_peer_death_and_reconnect(void)
{
	const struct ntb_bar *b2 = &res->bars[2];

	efd_count(vsim_event_fd(rc));
	NTB_TEST_ASSERT(vsim_fault_kill_link(rc) == 0, "kill");
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(rc, VSIM_LINK_DEAD, 5000) == 0, "RC sees death");
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_DEAD, 5000) == 0, "EP sees death");
	NTB_TEST_ASSERT(efd_count(vsim_event_fd(rc)) >= 1, "RC event fd");
	/* stray accesses after death do not fault and reach nothing */
	ntb_bar_write32(b2, 0x200, 0xDEADBEEF);
	ntb_bar_write32(&res->bars[4], 8, 3);
	NTB_TEST_ASSERT(*(uint32_t *)((char *)ep_buf->addr + 0x200) == 0,
			"EP memory unreachable after death");
	NTB_TEST_ASSERT(nd->ops->peer_db_set(nd, 1) < 0, "peer_db_set refused");
	/* the EP accepts again; the RC reconnects at the same BAR VAs */
	NTB_TEST_ASSERT(ntb_test_vsim_reconnect(rc, 10000) == 0, "reconnect");
	NTB_TEST_ASSERT(ntb_test_vsim_wait_state(ep, VSIM_LINK_CONNECTED, 5000) == 0, "EP again");
	ntb_bar_write32(b2, 0x200, 0x600DF00D);
	NTB_TEST_ASSERT(*(uint32_t *)((char *)ep_buf->addr + 0x200) ==
			0x600DF00D, "inbound translation kept across reconnect");
	return 0;
}

int
main(int argc, char **argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	snprintf(sock_path, sizeof(sock_path), "/tmp/vsim_ut_%d.sock",
		 (int)getpid());
	if (ntb_test_proc_eal_args("vsim_ut",
				   "--log-level=pmd.raw.ntb_dwedma:info",
				   NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	NTB_TEST_RUN(test_connect_and_ctrl);
	if (ep != NULL && rc != NULL) {
		NTB_TEST_RUN(test_spads);
		NTB_TEST_RUN(test_doorbells);
		NTB_TEST_RUN(test_inbound_mw_and_intr_mw);
		NTB_TEST_RUN(test_commands_outbound);
		NTB_TEST_RUN(test_remote_edma_via_mw);
		NTB_TEST_RUN(test_peer_death_and_reconnect);
	}
	NTB_TEST_RUN(test_j721e_peer_spad_bar);
	vsim_destroy(rc);
	vsim_destroy(ep);
	rte_memzone_free(ep_buf);
	rte_memzone_free(rc_buf);
	rte_eal_cleanup();
	return ntb_test_done();
}
