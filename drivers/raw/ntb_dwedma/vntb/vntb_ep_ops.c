/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * struct ntb_dev_ops of the EP: pci-epf-vntb's vntb_epf_* operations over
 * the ctrl region and the endpoint controller's ops. The EP's link
 * follows the RC's LINK_UP/LINK_DOWN; doorbells to the RC are MSI
 * vectors k + 2; the scratchpads are the two halves at spad_offset.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_bitops.h>
#include <rte_byteorder.h>
#include <rte_io.h>

#include "ntb_dwedma_log.h"
#include "vntb_ep_internal.h"

static inline struct vntb_ep *
vntb_ep_of(struct ntb_dev *nd)
{
	return nd->priv;
}

static int
vntb_ep_link_noop(struct ntb_dev *nd)
{
	RTE_SET_USED(nd);
	return 0;	/* the EP link follows the RC's LINK_UP/LINK_DOWN */
}

static bool
vntb_ep_link_is_up(struct ntb_dev *nd)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	return ep->epc_ops->linked(ep->epc) && vntb_ep_link_status(ep);
}

static int
vntb_ep_mw_get_align(struct ntb_dev *nd, unsigned int idx,
		     uint64_t *addr_align, uint64_t *size_max)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	if (idx >= ep->cfg.num_mws)
		return -EINVAL;
	*addr_align = VNTB_EP_MW_ALIGN;
	*size_max = ep->cfg.mw_size[idx];
	return 0;
}

static int
vntb_ep_mw_set_trans(struct ntb_dev *nd, unsigned int idx, rte_iova_t addr,
		     uint64_t size)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	if (idx >= ep->cfg.num_mws || size == 0 ||
	    size > ep->cfg.mw_size[idx]) {
		NTB_LOG(ERR, "%s: mw_set_trans idx %u size 0x%" PRIx64
			" out of range", ep->cfg.name, idx, size);
		return -EINVAL;
	}
	if (addr % VNTB_EP_MW_ALIGN != 0) {
		NTB_LOG(ERR, "%s: mw_set_trans idx %u: 0x%" PRIx64
			" not 4 KiB aligned EP memory", ep->cfg.name, idx,
			addr);
		return -EINVAL;
	}
	return ep->epc_ops->set_bar(ep->epc, idx, addr, size);
}

static int
vntb_ep_mw_clear_trans(struct ntb_dev *nd, unsigned int idx)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	if (idx >= ep->cfg.num_mws)
		return -EINVAL;
	return ep->epc_ops->clear_bar(ep->epc, idx);
}

static int
vntb_ep_peer_mw_get_bar(struct ntb_dev *nd, unsigned int idx,
			struct ntb_bar *win)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	if (idx >= ep->cfg.num_mws)
		return -EINVAL;
	/*
	 * Like vNTB's outbound window (allocated at bind), the window exists
	 * before CONFIGURE_MW: until the RC points it at its memory, writes
	 * land in a staging page. The transport writes only once the RC's
	 * queue pair is up, which follows its CONFIGURE_MW.
	 */
	ep->epc_ops->ob_window(ep->epc, idx, win);
	return 0;
}

/* EP "self" spads: the second half; "peer" (the RC's): the first. */
static uint8_t *
spad_addr(struct vntb_ep *ep, unsigned int idx, bool peer)
{
	const struct vntb_ep_config *c = &ep->cfg;

	if (idx >= c->spad_count) {
		NTB_LOG(ERR, "%s: spad index %u >= spad_count %u", c->name,
			idx, c->spad_count);
		return NULL;
	}
	return c->ctrl + c->spad_offset +
		4 * (idx + (peer ? 0 : c->spad_count));
}

static uint32_t
spad_read(struct ntb_dev *nd, unsigned int idx, bool peer)
{
	uint8_t *a = spad_addr(vntb_ep_of(nd), idx, peer);

	return a == NULL ? 0 : rte_le_to_cpu_32(rte_read32(a));
}

static int
spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v, bool peer)
{
	uint8_t *a = spad_addr(vntb_ep_of(nd), idx, peer);

	if (a == NULL)
		return -EINVAL;
	rte_write32(rte_cpu_to_le_32(v), a);
	return 0;
}

static uint32_t
vntb_ep_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	return spad_read(nd, idx, false);
}

static int
vntb_ep_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	return spad_write(nd, idx, v, false);
}

static uint32_t
vntb_ep_peer_spad_read(struct ntb_dev *nd, unsigned int idx)
{
	return spad_read(nd, idx, true);
}

static int
vntb_ep_peer_spad_write(struct ntb_dev *nd, unsigned int idx, uint32_t v)
{
	return spad_write(nd, idx, v, true);
}

/* vNTB: lowest set bit k only, as RC MSI vector k + 2. */
static int
vntb_ep_peer_db_set(struct ntb_dev *nd, uint64_t bits)
{
	struct vntb_ep *ep = vntb_ep_of(nd);

	bits &= nd->db_valid_mask;
	if (bits == 0)
		return -EINVAL;
	return ep->epc_ops->raise_irq(ep->epc,
				      rte_bsf64(bits) + VNTB_DB_SLOT_OFFSET);
}

static uint64_t
vntb_ep_db_read(struct ntb_dev *nd)
{
	return vntb_ep_scan_doorbells(vntb_ep_of(nd));
}

static void
vntb_ep_db_clear(struct ntb_dev *nd, uint64_t bits)
{
	__atomic_fetch_and(&vntb_ep_of(nd)->db_bits, ~bits, __ATOMIC_RELEASE);
}

const struct ntb_dev_ops vntb_ep_ops = {
	.link_enable = vntb_ep_link_noop,
	.link_disable = vntb_ep_link_noop,
	.link_is_up = vntb_ep_link_is_up,
	.mw_get_align = vntb_ep_mw_get_align,
	.mw_set_trans = vntb_ep_mw_set_trans,
	.mw_clear_trans = vntb_ep_mw_clear_trans,
	.peer_mw_get_bar = vntb_ep_peer_mw_get_bar,
	.spad_read = vntb_ep_spad_read,
	.spad_write = vntb_ep_spad_write,
	.peer_spad_read = vntb_ep_peer_spad_read,
	.peer_spad_write = vntb_ep_peer_spad_write,
	.peer_db_set = vntb_ep_peer_db_set,
	.db_read = vntb_ep_db_read,
	.db_clear = vntb_ep_db_clear,
};
