/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * intr=dw_edma, EP side (seed series RFC v1 "DW eDMA test-IRQ"): the
 * interrupt window is pointed at the EP's eDMA register page, and the RC
 * kicks by writing 0 to rd_int_status through it. That asserts the eDMA
 * IRQ without DONE/ABORT bits (interrupt emulation); a 0 written to both
 * int_clear registers de-asserts it. One IRQ for every QP. The EP kicks
 * the RC with doorbells (MSI vector qp + 2). The registers are reached
 * through the generation's dw_edma_core_ops (v0 unless the device says
 * otherwise), never by offset here.
 */

#include <stdio.h>

#include "dw_edma_core.h"
#include "ntb_intr_backend.h"

struct ntb_intr_dw_edma_ep {
	struct ntb_intr_ep_win win;
	const struct dw_edma_core_ops *core;	/* the register generation */
	struct ntb_bar regs;		/* the local eDMA register block */
	int irq_fd;			/* the eDMA IRQ, shared by every QP */
};

static struct ntb_intr_dw_edma_ep *
dw_ep(struct ntb_intr *it)
{
	return it->priv;
}

static const struct dw_edma_core_ops *
dw_core(const struct ntb_intr_res *res)
{
	return res->edma_core != NULL ? res->edma_core : &dw_edma_v0_core_ops;
}

static bool
ntb_intr_dw_edma_possible(const struct ntb_intr *it,
			  const struct ntb_intr_res *res, char *why,
			  size_t why_len)
{
	/* the EP kicks the RC with doorbells */
	if (!ntb_intr_mw_ok(it, res, why, why_len) ||
	    !ntb_intr_doorbells_ok(it, why, why_len))
		return false;
	if (res->edma_regs == NULL || res->edma_regs->va == NULL ||
	    res->edma_regs->len < dw_core(res)->int_regs_len ||
	    res->edma_irq_fd < 0) {
		snprintf(why, why_len, "no eDMA registers or eDMA IRQ");
		return false;
	}
	return true;
}

static int
ntb_intr_dw_edma_init(struct ntb_intr *it, const struct ntb_intr_res *res)
{
	struct ntb_intr_dw_edma_ep *p = dw_ep(it);

	p->win.mw = res->intr_mw;
	p->core = dw_core(res);
	p->regs = *res->edma_regs;
	p->irq_fd = res->edma_irq_fd;
	ntb_intr_fd_set_nonblock(p->irq_fd);
	return ntb_intr_ep_map(it, &p->win, res->edma_regs_iova,
			       p->core->emul_irq_offset, "eDMA registers");
}

static void
ntb_intr_dw_edma_fini(struct ntb_intr *it)
{
	ntb_intr_ep_unmap(it, &dw_ep(it)->win);
}

static void
ntb_intr_dw_edma_local_desc(struct ntb_intr *it, uint16_t qp,
			    struct ntb_intr_desc *d)
{
	struct ntb_intr_dw_edma_ep *p = dw_ep(it);

	if (qp >= it->nb_qp || !p->win.mapped) {
		ntb_intr_desc_none(it, qp, d);
		return;
	}
	d->addr_offset = p->win.target_off + p->core->emul_irq_offset;
	d->data = 0;
}

static int
ntb_intr_dw_edma_rx_fd(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	return dw_ep(it)->irq_fd;
}

/*
 * Transfer interrupts (DONE/ABORT bits) share the IRQ with the kicks:
 * count and clear them as dw-edma's handler does, so that a finished
 * transfer cannot hold the line asserted, then de-assert the emulated
 * IRQ. Bits of channels delegated to the RC are masked and left alone
 * (dw_edma_core.h).
 */
static void
ntb_intr_dw_edma_deassert(struct ntb_intr *it)
{
	struct ntb_intr_dw_edma_ep *p = dw_ep(it);
	struct dw_edma_int_counts c = { 0, 0 };

	p->core->int_clear_status(&p->regs, &c);
	it->stats.dw_edma_done += c.done;
	it->stats.dw_edma_abort += c.abort;
	p->core->int_ack_emulated(&p->regs);
}

static void
ntb_intr_dw_edma_rx_ack(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	struct ntb_intr_dw_edma_ep *p = dw_ep(it);

	/* drain first: a kick after the de-assert re-arms the fd */
	ntb_intr_count(it, &it->stats.dw_edma,
		       ntb_intr_fd_drain(p->irq_fd));
	ntb_intr_dw_edma_deassert(it);
}

/*
 * Direct re-armed path (one queue, ntb_intr.h), from the queue's thread:
 * drain, then clear DONE/ABORT and de-assert until the status reads 0 (at
 * most four times). The order is what keeps a kick from being lost: see
 * "Why no wake-up is lost" in doc/guides/rawdevs/ntb_dwedma_intr.rst.
 * Counts DONE/ABORT bits only: the application's epoll read the eventfd,
 * what is left is a stale event (neither counted nor spurious); no other
 * thread acks this fd then, so the counters keep a single writer.
 */
static void
ntb_intr_dw_edma_rx_rearm(struct ntb_intr *it, uint16_t qp __rte_unused)
{
	struct ntb_intr_dw_edma_ep *p = dw_ep(it);
	unsigned int i;

	(void)ntb_intr_fd_drain(p->irq_fd);
	for (i = 0; i < 4; i++) {
		ntb_intr_dw_edma_deassert(it);
		if (!p->core->int_pending(&p->regs))
			break;
	}
}

const struct ntb_intr_ops ntb_intr_dw_edma_ep_ops = {
	.name = "dw_edma",
	.mode = NTB_INTR_DW_EDMA,
	.side = NTB_INTR_SIDE_EP,
	.priv_size = sizeof(struct ntb_intr_dw_edma_ep),
	.rx_fd_shared = true,
	.possible = ntb_intr_dw_edma_possible,
	.init = ntb_intr_dw_edma_init,
	.fini = ntb_intr_dw_edma_fini,
	.local_desc = ntb_intr_dw_edma_local_desc,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_db_kick,
	.rx_fd = ntb_intr_dw_edma_rx_fd,
	.rx_ack = ntb_intr_dw_edma_rx_ack,
	.rx_rearm = ntb_intr_dw_edma_rx_rearm,
	/* the RC falls back to the doorbell for a descriptor it refused */
	.rx_db_fd = ntb_intr_db_rx_fd,
};
