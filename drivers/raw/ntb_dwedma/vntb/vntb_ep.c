/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The vNTB endpoint function (pci-epf-vntb): the ctrl region it shows
 * from bind, and its command handler, which scans the doorbell slots and
 * serves the RC's commands over the endpoint controller's ops.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_bitops.h>
#include <rte_byteorder.h>
#include <rte_io.h>

#include "ntb_dwedma_log.h"
#include "vntb_ep_internal.h"

static uint32_t
ctrl_rd32(const struct vntb_ep *ep, size_t off)
{
	return rte_le_to_cpu_32(rte_read32(ep->cfg.ctrl + off));
}

static void
ctrl_wr32(uint8_t *ctrl, size_t off, uint32_t v)
{
	rte_write32(rte_cpu_to_le_32(v), ctrl + off);
}

void
vntb_ep_ctrl_image(const struct vntb_ep_config *cfg, uint8_t *ctrl)
{
	unsigned int i;

	ctrl_wr32(ctrl, VNTB_CTRL_VERSION, cfg->version);
	ctrl_wr32(ctrl, VNTB_CTRL_NUM_MWS, cfg->num_mws);
	ctrl_wr32(ctrl, VNTB_CTRL_MW1_OFFSET, (uint32_t)cfg->mw_offset[0]);
	ctrl_wr32(ctrl, VNTB_CTRL_SPAD_OFFSET, cfg->spad_offset);
	ctrl_wr32(ctrl, VNTB_CTRL_SPAD_COUNT, cfg->spad_count);
	ctrl_wr32(ctrl, VNTB_CTRL_DB_ENTRY_SIZE, cfg->db_entry_size);
	for (i = 0; i < cfg->db_count; i++) {
		ctrl_wr32(ctrl, VNTB_CTRL_DB_DATA(i), i + 1);
		ctrl_wr32(ctrl, VNTB_CTRL_DB_OFFSET(i), 0);
	}
	if (cfg->version == VNTB_CTRL_VERSION_V1)
		for (i = 0; i < cfg->num_mws; i++) {
			ctrl_wr32(ctrl, VNTB_CTRL_MW_OFFSET(i),
				  (uint32_t)cfg->mw_offset[i]);
			ctrl_wr32(ctrl, VNTB_CTRL_MW_SIZE(i),
				  (uint32_t)cfg->mw_size[i]);
		}
}

static int
check_config(const struct vntb_ep_config *cfg)
{
	const char *what = NULL;

	if (cfg->ctrl == NULL || cfg->ctrl_len < VNTB_CTRL_LEGACY_SIZE)
		what = "ctrl region";
	else if (cfg->num_mws == 0 || cfg->num_mws > NTB_MAX_MW)
		what = "num_mws";
	else if (cfg->db_count <= VNTB_DB_SLOT_OFFSET ||
		 cfg->db_count > NTB_MAX_DB)
		what = "db_count";
	else if (cfg->db_page == NULL || cfg->db_entry_size < 4)
		what = "doorbell page";
	else if ((uint64_t)cfg->spad_offset + 8ull * cfg->spad_count >
		 cfg->ctrl_len)
		what = "spad_offset/spad_count";
	if (what == NULL)
		return 0;
	NTB_LOG(ERR, "%s: vNTB EP function: bad %s", cfg->name, what);
	return -EINVAL;
}

int
vntb_ep_init(struct vntb_ep *ep, const struct vntb_ep_config *cfg,
	     const struct vntb_epc_ops *ops, void *epc)
{
	struct ntb_dev *nd = &ep->nd;
	unsigned int k;

	if (check_config(cfg) < 0)
		return -EINVAL;
	memset(ep, 0, sizeof(*ep));
	ep->cfg = *cfg;
	ep->epc_ops = ops;
	ep->epc = epc;
	memset(cfg->ctrl, 0, cfg->ctrl_len);
	vntb_ep_ctrl_image(cfg, cfg->ctrl);

	nd->ops = &vntb_ep_ops;
	nd->name = cfg->name;
	nd->mw_count = cfg->num_mws;
	/* the RC uses no more (vntb_ctrl.h): same spad_user indices */
	nd->spad_count = RTE_MIN(cfg->spad_count, VNTB_MAX_SPADS_USED);
	nd->db_count = cfg->db_count - VNTB_DB_SLOT_OFFSET;
	nd->db_valid_mask = RTE_LEN2MASK(nd->db_count, uint64_t);
	for (k = 0; k < NTB_MAX_DB; k++)
		nd->db_fd[k] = k < nd->db_count && cfg->slot_fds != NULL ?
			cfg->slot_fds[k + VNTB_DB_SLOT_OFFSET] : -1;
	nd->link_fd = cfg->link_fd;
	nd->priv = ep;
	return 0;
}

bool
vntb_ep_link_status(const struct vntb_ep *ep)
{
	return (rte_read16(ep->cfg.ctrl + VNTB_CTRL_LINK_STATUS) &
		VNTB_LINK_STATUS_UP) != 0;
}

void
vntb_ep_set_link(struct vntb_ep *ep, bool up)
{
	uint8_t *ls = ep->cfg.ctrl + VNTB_CTRL_LINK_STATUS;
	uint16_t v = rte_read16(ls);
	uint16_t nv = up ? (v | VNTB_LINK_STATUS_UP) :
		(v & ~VNTB_LINK_STATUS_UP);

	rte_write16(nv, ls);
	if (nv != v)
		ep->epc_ops->link_event(ep->epc);
}

uint64_t
vntb_ep_scan_doorbells(struct vntb_ep *ep)
{
	const struct vntb_ep_config *c = &ep->cfg;
	uint64_t bits = 0;
	unsigned int s;

	for (s = VNTB_DB_SLOT_OFFSET; s < c->db_count; s++) {
		uint8_t *slot = c->db_page + s * c->db_entry_size;

		if (rte_read32(slot) != 0) {
			rte_write32(0, slot);
			bits |= RTE_BIT64(s - VNTB_DB_SLOT_OFFSET);
		}
	}
	if (bits != 0)
		__atomic_fetch_or(&ep->db_bits, bits, __ATOMIC_RELEASE);
	return __atomic_load_n(&ep->db_bits, __ATOMIC_ACQUIRE);
}

/* CONFIGURE_MW: point outbound window idx at RC memory [addr, +size). */
static int
cmd_configure_mw(struct vntb_ep *ep, uint32_t idx)
{
	uint64_t addr = (uint64_t)ctrl_rd32(ep, VNTB_CTRL_ADDR_HI) << 32 |
		ctrl_rd32(ep, VNTB_CTRL_ADDR_LO);
	uint64_t size = (uint64_t)ctrl_rd32(ep, VNTB_CTRL_SIZE_HI) << 32 |
		ctrl_rd32(ep, VNTB_CTRL_SIZE_LO);

	/* the iATU maps whole pages: an unaligned address would move the
	 * window's start under the transport
	 */
	if (idx >= ep->cfg.num_mws || size == 0 ||
	    size > ep->cfg.mw_size[idx] || addr + size < addr ||
	    addr % VNTB_EP_MW_ALIGN != 0) {
		NTB_LOG(ERR, "%s: CONFIGURE_MW idx %u size 0x%" PRIx64
			" refused", ep->cfg.name, idx, size);
		return -EINVAL;
	}
	return ep->epc_ops->map_addr(ep->epc, idx, addr, size);
}

static void
run_command(struct vntb_ep *ep)
{
	uint32_t cmd = ctrl_rd32(ep, VNTB_CTRL_COMMAND), arg;
	uint16_t status = VNTB_CMD_STATUS_OK;

	if (cmd == 0)
		return;
	arg = ctrl_rd32(ep, VNTB_CTRL_ARGUMENT);
	ctrl_wr32(ep->cfg.ctrl, VNTB_CTRL_COMMAND, 0);
	ctrl_wr32(ep->cfg.ctrl, VNTB_CTRL_ARGUMENT, 0);
	switch (cmd) {
	case VNTB_CMD_CONFIGURE_DOORBELL:
	case VNTB_CMD_TEARDOWN_DOORBELL:
		break;
	case VNTB_CMD_CONFIGURE_MW:
		if (cmd_configure_mw(ep, arg) < 0)
			status = VNTB_CMD_STATUS_ERROR;
		break;
	case VNTB_CMD_TEARDOWN_MW:
		if (arg >= ep->cfg.num_mws) {
			status = VNTB_CMD_STATUS_ERROR;
			break;
		}
		ep->epc_ops->unmap_addr(ep->epc, arg);
		break;
	case VNTB_CMD_LINK_UP:
		vntb_ep_set_link(ep, true);
		break;
	case VNTB_CMD_LINK_DOWN:
		vntb_ep_set_link(ep, false);
		break;
	default:
		/* vNTB logs and writes no status */
		NTB_LOG(ERR, "%s: unknown command %u", ep->cfg.name, cmd);
		return;
	}
	rte_write16(rte_cpu_to_le_16(status),
		    ep->cfg.ctrl + VNTB_CTRL_CMD_STATUS);
}

/* vNTB's epf_ntb_cmd_handler: doorbells, then the command. */
void
vntb_ep_cmd_handler(struct vntb_ep *ep)
{
	vntb_ep_scan_doorbells(ep);
	run_command(ep);
}
