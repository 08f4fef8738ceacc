/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_RES_H
#define NTB_INTR_RES_H

/**
 * The interrupt resources a platform hands out to the interrupt backends
 * (intr/ntb_intr.h): the virtual EP (vsim) fills one, the rawdev passes
 * it to ntb_intr_create(). Here in base so that a platform needs no
 * header of the interrupt layer to describe what it offers.
 */

#include <rte_common.h>

#include "ntb_bar.h"

struct dw_edma_core_ops;

/**
 * What the local device offers the backends (zeroed / -1 where absent).
 * On the EP: the DW eDMA register block (interrupt emulation target,
 * reached by the RC through the interrupt MW) and its IRQ as an eventfd;
 * an MSI-controller doorbell page (one eventfd per vector) for msi.
 */
struct ntb_intr_res {
	/**
	 * EP eDMA registers, or NULL. The RC kicks by a write through the
	 * window (interrupt emulation: v0 rd_int_status); the ack
	 * de-asserts (v0: 0 written to both int_clear registers).
	 */
	const struct ntb_bar *edma_regs;
	/** Register generation of edma_regs (dw_edma_core.h); NULL: v0. */
	const struct dw_edma_core_ops *edma_core;
	rte_iova_t edma_regs_iova;	/**< inbound target for the MW */
	int edma_irq_fd;			/**< EP eDMA IRQ, or -1 */
	/**
	 * MSI target page, or NULL: vector v is raised by a 32-bit write of
	 * the value v at byte offset 4 * v (QP q gets vector q + 1: the
	 * page needs nb_qp + 1 vectors).
	 */
	const struct ntb_bar *msi_page;
	rte_iova_t msi_page_iova;
	unsigned int msi_nb_vectors;
	const int *msi_fds;			/**< msi_nb_vectors eventfds */
	/**
	 * Window that carries interrupts, -1: none. EP: the local inbound
	 * window pointed at the eDMA registers / MSI page. RC: the peer
	 * window the peer's descriptors are offsets into (R-Car S4: MW2,
	 * 1; ntb_msi: the last MW). The transport must not put data in it.
	 */
	int intr_mw;
};

#endif /* NTB_INTR_RES_H */
