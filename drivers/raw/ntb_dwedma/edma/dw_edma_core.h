/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef DW_EDMA_CORE_H
#define DW_EDMA_CORE_H

/**
 * What the code above needs of a DW eDMA register generation, as
 * operations on its register block. The kernel's dw-edma core does the
 * same (struct dw_edma_core_ops in drivers/dma/dw-edma/dw-edma-core.h):
 * eDMA v0 (dw-edma-v0-core.c) and HDMA (dw-hdma-v0-core.c) register
 * their own ops, and nothing above them reads a register offset. One
 * file per generation implements these (dw_edma_v0_core.c on the
 * register description of dw_edma_v0_regs.h); HDMA would be one more,
 * with its per-channel interrupt registers behind the same calls.
 *
 * Today the user is the EP's interrupt path (intr=dw_edma): the RC kicks
 * by a write at emul_irq_offset (interrupt emulation), the EP clears the
 * transfer status that shares the IRQ and de-asserts it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntb_bar.h"

/** Transfer interrupt bits found and cleared. */
struct dw_edma_int_counts {
	uint64_t done;
	uint64_t abort;
};

struct dw_edma_core_ops {
	const char *name;		/**< "v0" */
	/** Bytes of the register block these ops touch. */
	size_t int_regs_len;
	/**
	 * Where a 32-bit write asserts the IRQ without status bits
	 * (interrupt emulation): the RC's kick target.
	 */
	uint32_t emul_irq_offset;
	/**
	 * Clear (W1C) the DONE/ABORT bits of both directions that are not
	 * masked, adding them to c. Masked bits belong to channels another
	 * owner drives (the vNTB DMA export delegates them to the RC, which
	 * reads and clears their status): they are left alone.
	 */
	void (*int_clear_status)(const struct ntb_bar *regs,
				 struct dw_edma_int_counts *c);
	/** End an emulated interrupt (de-assert the IRQ line). */
	void (*int_ack_emulated)(const struct ntb_bar *regs);
	/** Unmasked DONE/ABORT bits still set (they keep the line up). */
	bool (*int_pending)(const struct ntb_bar *regs);
};

extern const struct dw_edma_core_ops dw_edma_v0_core_ops;

#endif /* DW_EDMA_CORE_H */
