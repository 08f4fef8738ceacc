/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The EP's own eDMA: the traps on the EP-local views of its eDMA
 * register page and MSI controller page (what the EP's interrupt
 * backends write), and the engine thread that runs the doorbells the RC
 * writes across the link, as on hardware they run in the EP's controller.
 */

#include <poll.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "vsim_priv.h"

/*
 * EP-local accesses to the eDMA registers. A doorbell runs the transfer
 * here, with pointers into the RC's memory: the peer table must not be
 * swapped (unmapped) by a reconnect meanwhile.
 */
static bool
edma_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	  unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	bool done;

	rte_rwlock_read_lock(&vs->peer_lock);
	done = dw_edma_model_write(&vs->edma,
				   bar->va + off - vs->epc.edma_regs, val,
				   width);
	rte_rwlock_read_unlock(&vs->peer_lock);
	return done;
}

/* EP-local write of vector v at 4 * v of the MSI page: raise it. */
static bool
msi_trap(const struct ntb_bar *bar, size_t off, uint64_t val,
	 unsigned int width)
{
	struct vsim *vs = bar->trap_ctx;
	size_t reg = bar->va + off - vs->epc.msi_page;

	if (width != 4 || reg % 4 != 0 || reg / 4 >= vs->ep.nb_msi ||
	    val != reg / 4)
		return false;
	vsim_eventfd_signal(vs->ep.msi_fds[reg / 4]);
	return true;
}

/* The interrupt resources the EP's interrupt backends use. */
void
vsim_ep_engine_bars(struct vsim *vs)
{
	struct vsim_epc *c = &vs->epc;

	c->edma_bar = (struct ntb_bar){ .va = c->edma_regs,
		.len = DW_EDMA_V0_REG_SIZE, .bus_addr = vs->ep.edma_iova,
		.trap = edma_trap, .trap_ctx = vs };
	c->msi_bar = (struct ntb_bar){ .va = c->msi_page,
		.len = VSIM_PAGE_SIZE, .bus_addr = vs->ep.msi_iova,
		.trap = msi_trap, .trap_ctx = vs };
	c->ires = (struct ntb_intr_res){
		.edma_regs = &c->edma_bar, .edma_regs_iova = vs->ep.edma_iova,
		.edma_irq_fd = vs->ep.edma_irq_fd,
		.msi_page = &c->msi_bar, .msi_page_iova = vs->ep.msi_iova,
		.msi_nb_vectors = vs->ep.nb_msi,
		.msi_fds = vs->ep.msi_fds,
		.intr_mw = vs->p.num_mws > 1 ? (int)vs->p.num_mws - 1 : -1,
	};
}

/*
 * The EP's eDMA engine for doorbells the RC writes across the link (in
 * the interrupt window, or in the register window of the exported DMA
 * slice for the channels delegated to the RC's dmadev): the transfer the
 * EP or the RC programmed runs in this EP thread, as on hardware it runs
 * in the EP's controller.
 */
uint32_t
vsim_ep_engine_thread(void *arg)
{
	struct vsim *vs = arg;
	bool *hold = &vs->epc.engine_hold;

	while (!vs->stop) {
		struct pollfd pfd = { .fd = vs->ep.engine_fd, .events = POLLIN };
		uint64_t v;

		if (__atomic_load_n(hold, __ATOMIC_ACQUIRE)) {
			rte_delay_us_sleep(1000);
			continue;
		}
		/* held while it waited: the doorbell stays posted */
		if (poll(&pfd, 1, VSIM_POLL_MS) <= 0 ||
		    __atomic_load_n(hold, __ATOMIC_ACQUIRE))
			continue;
		if (read(vs->ep.engine_fd, &v, sizeof(v)) < 0)
			continue;
		rte_rwlock_read_lock(&vs->peer_lock);
		dw_edma_model_run_posted(&vs->edma);
		rte_rwlock_read_unlock(&vs->peer_lock);
	}
	return 0;
}
