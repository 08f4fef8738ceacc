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

static void
ntb_intr_dw_edma_rx_ack(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);

	/* drain first: a kick after the de-assert re-arms the fd */
	ntb_intr_fd_drain(p->edma_irq_fd);
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
	.fini = ntb_intr_ep_unmap,
};
