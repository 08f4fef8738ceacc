/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef DW_EDMA_V0_REGS_H
#define DW_EDMA_V0_REGS_H

/**
 * DesignWare eDMA v0 register block, unrolled map (EDMA_MF_EDMA_UNROLL),
 * offsets from the eDMA register base. Nothing but the format lives here.
 * Source: drivers/dma/dw-edma/dw-edma-v0-regs.h and dw-edma-v0-core.c
 * (see shared/reference/kernel-facts.md section 4). Little-endian.
 *
 * Writers: the CPU that owns the engine (EP-local, or the RC through a
 * BAR in remote mode) writes engine enable, masks, doorbells, channel
 * context and LL elements; the engine writes int_status, channel status
 * (CS) and consumer state. A write to wr/rd_int_status by software is
 * interrupt emulation: it asserts the eDMA IRQ without setting status
 * bits; writing 0 to wr/rd_int_clear de-asserts it.
 */

#include <stdint.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "ntb_compat.h"

/* Global registers */
#define DW_EDMA_V0_CTRL_DATA_ARB_PRIOR	0x000
#define DW_EDMA_V0_CTRL			0x008	/* [3:0] wr ch, [19:16] rd ch */
#define DW_EDMA_V0_WR_ENGINE_EN		0x00C	/* bit0 */
#define DW_EDMA_V0_WR_DOORBELL		0x010	/* [2:0] channel, bit31 stop */
#define DW_EDMA_V0_WR_CH_ARB_WEIGHT_LO	0x018
#define DW_EDMA_V0_WR_CH_ARB_WEIGHT_HI	0x01C
#define DW_EDMA_V0_RD_ENGINE_EN		0x02C
#define DW_EDMA_V0_RD_DOORBELL		0x030
#define DW_EDMA_V0_RD_CH_ARB_WEIGHT_LO	0x038
#define DW_EDMA_V0_RD_CH_ARB_WEIGHT_HI	0x03C
#define DW_EDMA_V0_WR_INT_STATUS	0x04C	/* [7:0] DONE, [23:16] ABORT */
#define DW_EDMA_V0_WR_INT_MASK		0x054
#define DW_EDMA_V0_WR_INT_CLEAR		0x058	/* W1C; 0 de-asserts emulation */
#define DW_EDMA_V0_WR_ERR_STATUS	0x05C
#define DW_EDMA_V0_WR_DONE_IMWR_LO	0x060
#define DW_EDMA_V0_WR_DONE_IMWR_HI	0x064
#define DW_EDMA_V0_WR_ABORT_IMWR_LO	0x068
#define DW_EDMA_V0_WR_ABORT_IMWR_HI	0x06C
#define DW_EDMA_V0_WR_CH_IMWR_DATA(ch)	(0x070 + 4 * ((ch) / 2))	/* u16 halves */
#define DW_EDMA_V0_WR_LL_ERR_EN		0x090
#define DW_EDMA_V0_RD_INT_STATUS	0x0A0	/* also the emulation doorbell */
#define DW_EDMA_V0_RD_INT_MASK		0x0A8
#define DW_EDMA_V0_RD_INT_CLEAR		0x0AC
#define DW_EDMA_V0_RD_ERR_STATUS_LO	0x0B4
#define DW_EDMA_V0_RD_ERR_STATUS_HI	0x0B8
#define DW_EDMA_V0_RD_LL_ERR_EN		0x0C4
#define DW_EDMA_V0_RD_DONE_IMWR_LO	0x0CC
#define DW_EDMA_V0_RD_DONE_IMWR_HI	0x0D0
#define DW_EDMA_V0_RD_ABORT_IMWR_LO	0x0D4
#define DW_EDMA_V0_RD_ABORT_IMWR_HI	0x0D8
#define DW_EDMA_V0_RD_CH_IMWR_DATA(ch)	(0x0DC + 4 * ((ch) / 2))

#define DW_EDMA_V0_INT_DONE(ch)		RTE_BIT32(ch)
#define DW_EDMA_V0_INT_ABORT(ch)	RTE_BIT32(16 + (ch))
#define DW_EDMA_V0_INT_ALL		0x00FF00FFu

/* Unrolled channel context blocks */
#define DW_EDMA_V0_MAX_CH		8
#define DW_EDMA_V0_CH_STRIDE		0x200
#define DW_EDMA_V0_WR_CH_BASE(n)	(0x200 + (n) * DW_EDMA_V0_CH_STRIDE)
#define DW_EDMA_V0_RD_CH_BASE(n)	(0x300 + (n) * DW_EDMA_V0_CH_STRIDE)
#define DW_EDMA_V0_REG_SIZE		0x1200	/* R-Car S4 "dma" window */

/* Offsets inside a channel block */
#define DW_EDMA_V0_CH_CONTROL1		0x00
#define DW_EDMA_V0_CH_CONTROL2		0x04
#define DW_EDMA_V0_CH_TRANSFER_SIZE	0x08
#define DW_EDMA_V0_CH_SAR_LO		0x0C
#define DW_EDMA_V0_CH_SAR_HI		0x10
#define DW_EDMA_V0_CH_DAR_LO		0x14
#define DW_EDMA_V0_CH_DAR_HI		0x18
#define DW_EDMA_V0_CH_LLP_LO		0x1C
#define DW_EDMA_V0_CH_LLP_HI		0x20

/* ch_control1 and linked-list element control bits */
#define DW_EDMA_V0_CB			RTE_BIT32(0)	/* cycle bit */
#define DW_EDMA_V0_TCB			RTE_BIT32(1)	/* toggle cycle bit */
#define DW_EDMA_V0_LLP			RTE_BIT32(2)	/* link element */
#define DW_EDMA_V0_LIE			RTE_BIT32(3)	/* local irq */
#define DW_EDMA_V0_RIE			RTE_BIT32(4)	/* remote irq (IMWr) */
#define DW_EDMA_V0_CS_SHIFT		5
#define DW_EDMA_V0_CS_MASK		(3u << DW_EDMA_V0_CS_SHIFT)
#define DW_EDMA_V0_CS_RUNNING		1
#define DW_EDMA_V0_CS_HALTED		2
#define DW_EDMA_V0_CS_STOPPED		3
#define DW_EDMA_V0_CCS			RTE_BIT32(8)	/* consumer cycle */
#define DW_EDMA_V0_LLE			RTE_BIT32(9)	/* LL enable */

/** Linked-list data element (24 bytes). */
struct __rte_packed_begin dw_edma_v0_lli {
	uint32_t control;	/**< CB, LIE, RIE */
	uint32_t transfer_size;	/**< bytes */
	uint64_t sar;		/**< source address */
	uint64_t dar;		/**< destination address */
} __rte_packed_end;

/** Linked-list link element (24 bytes): jumps to llp. */
struct __rte_packed_begin dw_edma_v0_llp {
	uint32_t control;	/**< LLP | TCB (+ CB) */
	uint32_t reserved;
	uint64_t llp;		/**< address of the next element list */
	uint64_t reserved2;	/**< pads the element to 24 bytes */
} __rte_packed_end;

#define DW_EDMA_V0_LL_ELEM_SIZE		24

#endif /* DW_EDMA_V0_REGS_H */
