/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * DW eDMA v0 behind struct dw_edma_core_ops: one global interrupt
 * status/mask/clear triple per direction (dw_edma_v0_regs.h).
 */

#include "dw_edma_core.h"
#include "dw_edma_v0_regs.h"

/* Unmasked DONE/ABORT bits of one direction. */
static uint32_t
dw_edma_v0_int_unmasked(const struct ntb_bar *regs, size_t status,
			size_t mask)
{
	return ntb_bar_read32(regs, status) & ~ntb_bar_read32(regs, mask) &
		DW_EDMA_V0_INT_ALL;
}

static void
dw_edma_v0_int_clear_dir(const struct ntb_bar *regs, size_t status,
			 size_t clear, size_t mask,
			 struct dw_edma_int_counts *c)
{
	uint32_t st = dw_edma_v0_int_unmasked(regs, status, mask);

	if (st == 0)
		return;
	c->done += (uint64_t)__builtin_popcount(st & DW_EDMA_V0_INT_DONE_ALL);
	c->abort += (uint64_t)__builtin_popcount(st & DW_EDMA_V0_INT_ABORT_ALL);
	ntb_bar_write32(regs, clear, st);
}

static void
dw_edma_v0_int_clear_status(const struct ntb_bar *regs,
			    struct dw_edma_int_counts *c)
{
	dw_edma_v0_int_clear_dir(regs, DW_EDMA_V0_WR_INT_STATUS,
				 DW_EDMA_V0_WR_INT_CLEAR,
				 DW_EDMA_V0_WR_INT_MASK, c);
	dw_edma_v0_int_clear_dir(regs, DW_EDMA_V0_RD_INT_STATUS,
				 DW_EDMA_V0_RD_INT_CLEAR,
				 DW_EDMA_V0_RD_INT_MASK, c);
}

/* A 0 written to both int_clear registers ends the emulated interrupt. */
static void
dw_edma_v0_int_ack_emulated(const struct ntb_bar *regs)
{
	ntb_bar_write32(regs, DW_EDMA_V0_WR_INT_CLEAR, 0);
	ntb_bar_write32(regs, DW_EDMA_V0_RD_INT_CLEAR, 0);
}

static bool
dw_edma_v0_int_pending(const struct ntb_bar *regs)
{
	return (dw_edma_v0_int_unmasked(regs, DW_EDMA_V0_WR_INT_STATUS,
					DW_EDMA_V0_WR_INT_MASK) |
		dw_edma_v0_int_unmasked(regs, DW_EDMA_V0_RD_INT_STATUS,
					DW_EDMA_V0_RD_INT_MASK)) != 0;
}

const struct dw_edma_core_ops dw_edma_v0_core_ops = {
	.name = "v0",
	.int_regs_len = DW_EDMA_V0_RD_INT_CLEAR + 4,
	.emul_irq_offset = DW_EDMA_V0_RD_INT_STATUS,
	.int_clear_status = dw_edma_v0_int_clear_status,
	.int_ack_emulated = dw_edma_v0_int_ack_emulated,
	.int_pending = dw_edma_v0_int_pending,
};
