/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The eDMA model's callbacks (struct dw_edma_model_ops), the same in both
 * processes: EP memory is this side's own memory on the EP and the
 * peer's on the RC (and RC memory the other way round); the EP's eDMA
 * IRQ and the RC's MSI vectors are eventfds that both sides hold under
 * the same names (vs->ep, vs->rc).
 */

#include <rte_byteorder.h>
#include <rte_io.h>

#include "vsim_priv.h"

static const struct vsim_memtab *
mem_of(const struct vsim *vs, enum vsim_role side)
{
	return vs->p.role == side ? &vs->local : &vs->peer;
}

static void *
cb_ep_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(mem_of(ctx, VSIM_ROLE_EP), iova, len);
}

static void *
cb_rc_va(void *ctx, uint64_t iova, size_t len)
{
	return vsim_memtab_va(mem_of(ctx, VSIM_ROLE_RC), iova, len);
}

static void
cb_irq(void *ctx)
{
	vsim_eventfd_signal(((struct vsim *)ctx)->ep.edma_irq_fd);
}

/* IMWr: to the RC's MSI address it is vector data, else a memory write. */
static bool
cb_imwr(void *ctx, uint64_t addr, uint32_t data)
{
	struct vsim *vs = ctx;
	uint32_t *p;

	if (addr == vs->rc.msi_addr && vs->rc.nb_msi > 0) {
		if (data >= vs->rc.nb_msi)
			return false;
		vsim_eventfd_signal(vs->rc.msi_fds[data]);
		return true;
	}
	p = vsim_memtab_va(mem_of(vs, VSIM_ROLE_RC), addr, sizeof(*p));
	if (p == NULL)
		return false;
	rte_write32(rte_cpu_to_le_32(data), p);
	return true;
}

const struct dw_edma_model_ops vsim_edma_cb_ops = {
	.ep_va = cb_ep_va, .rc_va = cb_rc_va, .irq = cb_irq, .imwr = cb_imwr,
};
