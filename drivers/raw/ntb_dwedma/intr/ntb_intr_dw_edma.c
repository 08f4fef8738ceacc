/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * intr=dw_edma, EP side (seed series RFC v1 "DW eDMA test-IRQ"): the
 * interrupt window is pointed at the EP's eDMA register page, and the RC
 * kicks by writing 0 to rd_int_status through it. That asserts the eDMA
 * IRQ without DONE/ABORT bits (interrupt emulation); a 0 written to both
 * int_clear registers de-asserts it. One IRQ for every QP. The EP kicks
 * the RC with doorbells (MSI vector qp + 2).
 */

#include <errno.h>

#include "dw_edma_v0_regs.h"
#include "ntb_intr_priv.h"

#define EDMA_INT_DONE_BITS	0x000000FFu	/* DONE(ch), ch 0..7 */
#define EDMA_INT_ABORT_BITS	0x00FF0000u	/* ABORT(ch) */

static void
ntb_intr_dw_edma_local_desc(struct ntb_intr *it, uint16_t qp,
			    struct ntb_intr_desc *d)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);

	if (qp >= it->nb_qp || !p->mw_mapped) {
		ntb_intr_desc_none(it, qp, d);
		return;
	}
	d->addr_offset = p->target_off + DW_EDMA_V0_RD_INT_STATUS;
	d->data = 0;
}

static int
ntb_intr_dw_edma_rx_fd(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	return ntb_intr_priv(it)->edma_irq_fd;
}

/*
 * Transfer interrupts (DONE/ABORT bits) share the IRQ with the kicks:
 * count and clear (W1C) them as dw-edma's handler does, so that a
 * finished transfer cannot hold the line asserted.
 */
static void
ntb_intr_dw_edma_clear_status(struct ntb_intr *it, size_t status,
			      size_t clear)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);
	uint32_t st = ntb_bar_read32(&p->edma_regs, status);
	uint32_t done = st & EDMA_INT_DONE_BITS;
	uint32_t abort = st & EDMA_INT_ABORT_BITS;

	if (done == 0 && abort == 0)
		return;
	it->stats.dw_edma_done += (uint64_t)__builtin_popcount(done);
	it->stats.dw_edma_abort += (uint64_t)__builtin_popcount(abort);
	ntb_bar_write32(&p->edma_regs, clear, done | abort);
}

static void
ntb_intr_dw_edma_rx_ack(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);

	/* drain first: a kick after the de-assert re-arms the fd */
	ntb_intr_count(it, &it->stats.dw_edma,
		       ntb_intr_fd_drain(p->edma_irq_fd));
	ntb_intr_dw_edma_clear_status(it, DW_EDMA_V0_WR_INT_STATUS,
				      DW_EDMA_V0_WR_INT_CLEAR);
	ntb_intr_dw_edma_clear_status(it, DW_EDMA_V0_RD_INT_STATUS,
				      DW_EDMA_V0_RD_INT_CLEAR);
	ntb_bar_write32(&p->edma_regs, DW_EDMA_V0_WR_INT_CLEAR, 0);
	ntb_bar_write32(&p->edma_regs, DW_EDMA_V0_RD_INT_CLEAR, 0);
}

const struct ntb_intr_ops ntb_intr_dw_edma_ep_ops = {
	.name = "dw_edma",
	.local_desc = ntb_intr_dw_edma_local_desc,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_db_kick,
	.rx_fd = ntb_intr_dw_edma_rx_fd,
	.rx_ack = ntb_intr_dw_edma_rx_ack,
	/* the RC falls back to the doorbell for a descriptor it refused */
	.rx_db_fd = ntb_intr_db_rx_fd,
	.fini = ntb_intr_ep_unmap,
};
