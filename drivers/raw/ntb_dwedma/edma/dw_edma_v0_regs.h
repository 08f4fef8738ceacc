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

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "ntb_compat.h"

/*
 * The register block in hardware order: the global block (engines,
 * doorbells, interrupt status/mask/clear, IMWr targets), then in the
 * unrolled map one context block per channel and direction, write then
 * read, 0x100 bytes each, from 0x200. Offsets and gaps as in the
 * kernel's drivers/dma/dw-edma/dw-edma-v0-regs.h (struct dw_edma_v0_regs
 * with the EDMA_MF_EDMA_UNROLL arm of its channel union); the
 * static_asserts below pin every offset the drivers use to the value
 * the kernel documents. Register offsets are derived from this layout
 * (DW_EDMA_V0_OFF), never typed twice. 64-bit registers are lo/hi u32
 * pairs: the hardware is accessed 32 bits at a time.
 */

/** One channel's context block (ch_control1 .. llp), 0x100 bytes. */
struct dw_edma_v0_ch_regs {
	uint32_t ch_control1;		/* 0x00 */
	uint32_t ch_control2;		/* 0x04 */
	uint32_t transfer_size;		/* 0x08 */
	uint32_t sar_lo;		/* 0x0C */
	uint32_t sar_hi;		/* 0x10 */
	uint32_t dar_lo;		/* 0x14 */
	uint32_t dar_hi;		/* 0x18 */
	uint32_t llp_lo;		/* 0x1C */
	uint32_t llp_hi;		/* 0x20 */
	uint32_t rsvd_24[55];		/* 0x24 .. 0xFF */
};

/** Unrolled map: channel n's write then read context, 0x200 bytes. */
struct dw_edma_v0_ch_pair {
	struct dw_edma_v0_ch_regs wr;	/* 0x200 + n * 0x200 */
	struct dw_edma_v0_ch_regs rd;	/* 0x300 + n * 0x200 */
};

#define DW_EDMA_V0_MAX_CH		8

/** The whole unrolled register block (the R-Car S4 "dma" window). */
struct dw_edma_v0_regs {
	/* global: engines and doorbells */
	uint32_t ctrl_data_arb_prior;	/* 0x000 */
	uint32_t rsvd_004;
	uint32_t ctrl;			/* 0x008 [3:0] wr ch, [19:16] rd ch */
	uint32_t wr_engine_en;		/* 0x00C bit0 */
	uint32_t wr_doorbell;		/* 0x010 [2:0] channel, bit31 stop */
	uint32_t rsvd_014;
	uint32_t wr_ch_arb_weight_lo;	/* 0x018 */
	uint32_t wr_ch_arb_weight_hi;	/* 0x01C */
	uint32_t rsvd_020[3];
	uint32_t rd_engine_en;		/* 0x02C */
	uint32_t rd_doorbell;		/* 0x030 */
	uint32_t rsvd_034;
	uint32_t rd_ch_arb_weight_lo;	/* 0x038 */
	uint32_t rd_ch_arb_weight_hi;	/* 0x03C */
	uint32_t rsvd_040[3];
	/* global: write-channel interrupts */
	uint32_t wr_int_status;		/* 0x04C [7:0] DONE, [23:16] ABORT */
	uint32_t rsvd_050;
	uint32_t wr_int_mask;		/* 0x054 */
	uint32_t wr_int_clear;		/* 0x058 W1C; 0 de-asserts emulation */
	uint32_t wr_err_status;		/* 0x05C */
	uint32_t wr_done_imwr_lo;	/* 0x060 */
	uint32_t wr_done_imwr_hi;	/* 0x064 */
	uint32_t wr_abort_imwr_lo;	/* 0x068 */
	uint32_t wr_abort_imwr_hi;	/* 0x06C */
	uint32_t wr_ch_imwr_data[4];	/* 0x070 u16 per channel, 2 a word */
	uint32_t rsvd_080[4];
	uint32_t wr_ll_err_en;		/* 0x090 */
	uint32_t rsvd_094[3];
	/* global: read-channel interrupts */
	uint32_t rd_int_status;		/* 0x0A0 also the emulation doorbell */
	uint32_t rsvd_0a4;
	uint32_t rd_int_mask;		/* 0x0A8 */
	uint32_t rd_int_clear;		/* 0x0AC */
	uint32_t rsvd_0b0;
	uint32_t rd_err_status_lo;	/* 0x0B4 */
	uint32_t rd_err_status_hi;	/* 0x0B8 */
	uint32_t rsvd_0bc[2];
	uint32_t rd_ll_err_en;		/* 0x0C4 */
	uint32_t rsvd_0c8;
	uint32_t rd_done_imwr_lo;	/* 0x0CC */
	uint32_t rd_done_imwr_hi;	/* 0x0D0 */
	uint32_t rd_abort_imwr_lo;	/* 0x0D4 */
	uint32_t rd_abort_imwr_hi;	/* 0x0D8 */
	uint32_t rd_ch_imwr_data[4];	/* 0x0DC */
	uint32_t rsvd_0ec[4];
	/*
	 * 0x0FC .. 0x1FF: viewport (legacy map) or channel-group, handshake
	 * and power registers (unrolled map); not used by this project.
	 */
	uint32_t rsvd_0fc[65];
	/* unrolled channel contexts */
	struct dw_edma_v0_ch_pair ch[DW_EDMA_V0_MAX_CH];	/* 0x200 */
};

/** Byte offset of a global register (an int, as a literal would be). */
#define DW_EDMA_V0_OFF(reg)	((int)offsetof(struct dw_edma_v0_regs, reg))

/* Global registers */
#define DW_EDMA_V0_CTRL_DATA_ARB_PRIOR	DW_EDMA_V0_OFF(ctrl_data_arb_prior)
#define DW_EDMA_V0_CTRL			DW_EDMA_V0_OFF(ctrl)
#define DW_EDMA_V0_WR_ENGINE_EN		DW_EDMA_V0_OFF(wr_engine_en)
#define DW_EDMA_V0_WR_DOORBELL		DW_EDMA_V0_OFF(wr_doorbell)
#define DW_EDMA_V0_WR_CH_ARB_WEIGHT_LO	DW_EDMA_V0_OFF(wr_ch_arb_weight_lo)
#define DW_EDMA_V0_WR_CH_ARB_WEIGHT_HI	DW_EDMA_V0_OFF(wr_ch_arb_weight_hi)
#define DW_EDMA_V0_RD_ENGINE_EN		DW_EDMA_V0_OFF(rd_engine_en)
#define DW_EDMA_V0_RD_DOORBELL		DW_EDMA_V0_OFF(rd_doorbell)
#define DW_EDMA_V0_RD_CH_ARB_WEIGHT_LO	DW_EDMA_V0_OFF(rd_ch_arb_weight_lo)
#define DW_EDMA_V0_RD_CH_ARB_WEIGHT_HI	DW_EDMA_V0_OFF(rd_ch_arb_weight_hi)
#define DW_EDMA_V0_WR_INT_STATUS	DW_EDMA_V0_OFF(wr_int_status)
#define DW_EDMA_V0_WR_INT_MASK		DW_EDMA_V0_OFF(wr_int_mask)
#define DW_EDMA_V0_WR_INT_CLEAR		DW_EDMA_V0_OFF(wr_int_clear)
#define DW_EDMA_V0_WR_ERR_STATUS	DW_EDMA_V0_OFF(wr_err_status)
#define DW_EDMA_V0_WR_DONE_IMWR_LO	DW_EDMA_V0_OFF(wr_done_imwr_lo)
#define DW_EDMA_V0_WR_DONE_IMWR_HI	DW_EDMA_V0_OFF(wr_done_imwr_hi)
#define DW_EDMA_V0_WR_ABORT_IMWR_LO	DW_EDMA_V0_OFF(wr_abort_imwr_lo)
#define DW_EDMA_V0_WR_ABORT_IMWR_HI	DW_EDMA_V0_OFF(wr_abort_imwr_hi)
#define DW_EDMA_V0_WR_CH_IMWR_DATA(ch)	\
	(DW_EDMA_V0_OFF(wr_ch_imwr_data) + 4 * ((ch) / 2))	/* u16 halves */
#define DW_EDMA_V0_WR_LL_ERR_EN		DW_EDMA_V0_OFF(wr_ll_err_en)
#define DW_EDMA_V0_RD_INT_STATUS	DW_EDMA_V0_OFF(rd_int_status)
#define DW_EDMA_V0_RD_INT_MASK		DW_EDMA_V0_OFF(rd_int_mask)
#define DW_EDMA_V0_RD_INT_CLEAR		DW_EDMA_V0_OFF(rd_int_clear)
#define DW_EDMA_V0_RD_ERR_STATUS_LO	DW_EDMA_V0_OFF(rd_err_status_lo)
#define DW_EDMA_V0_RD_ERR_STATUS_HI	DW_EDMA_V0_OFF(rd_err_status_hi)
#define DW_EDMA_V0_RD_LL_ERR_EN		DW_EDMA_V0_OFF(rd_ll_err_en)
#define DW_EDMA_V0_RD_DONE_IMWR_LO	DW_EDMA_V0_OFF(rd_done_imwr_lo)
#define DW_EDMA_V0_RD_DONE_IMWR_HI	DW_EDMA_V0_OFF(rd_done_imwr_hi)
#define DW_EDMA_V0_RD_ABORT_IMWR_LO	DW_EDMA_V0_OFF(rd_abort_imwr_lo)
#define DW_EDMA_V0_RD_ABORT_IMWR_HI	DW_EDMA_V0_OFF(rd_abort_imwr_hi)
#define DW_EDMA_V0_RD_CH_IMWR_DATA(ch)	\
	(DW_EDMA_V0_OFF(rd_ch_imwr_data) + 4 * ((ch) / 2))

#define DW_EDMA_V0_INT_DONE(ch)		RTE_BIT32(ch)
#define DW_EDMA_V0_INT_ABORT(ch)	RTE_BIT32(16 + (ch))
#define DW_EDMA_V0_INT_DONE_ALL		0x000000FFu	/* DONE(0..7) */
#define DW_EDMA_V0_INT_ABORT_ALL	0x00FF0000u	/* ABORT(0..7) */
#define DW_EDMA_V0_INT_ALL		\
	(DW_EDMA_V0_INT_DONE_ALL | DW_EDMA_V0_INT_ABORT_ALL)

/* Unrolled channel context blocks */
#define DW_EDMA_V0_CH_STRIDE		((int)sizeof(struct dw_edma_v0_ch_pair))
#define DW_EDMA_V0_WR_CH_BASE(n)	\
	(DW_EDMA_V0_OFF(ch) + (n) * DW_EDMA_V0_CH_STRIDE)
#define DW_EDMA_V0_RD_CH_BASE(n)	\
	(DW_EDMA_V0_WR_CH_BASE(n) + \
	 (int)offsetof(struct dw_edma_v0_ch_pair, rd))
#define DW_EDMA_V0_REG_SIZE		((int)sizeof(struct dw_edma_v0_regs))

/* Offsets inside a channel block */
#define DW_EDMA_V0_CH_OFF(reg)	((int)offsetof(struct dw_edma_v0_ch_regs, reg))
#define DW_EDMA_V0_CH_CONTROL1		DW_EDMA_V0_CH_OFF(ch_control1)
#define DW_EDMA_V0_CH_CONTROL2		DW_EDMA_V0_CH_OFF(ch_control2)
#define DW_EDMA_V0_CH_TRANSFER_SIZE	DW_EDMA_V0_CH_OFF(transfer_size)
#define DW_EDMA_V0_CH_SAR_LO		DW_EDMA_V0_CH_OFF(sar_lo)
#define DW_EDMA_V0_CH_SAR_HI		DW_EDMA_V0_CH_OFF(sar_hi)
#define DW_EDMA_V0_CH_DAR_LO		DW_EDMA_V0_CH_OFF(dar_lo)
#define DW_EDMA_V0_CH_DAR_HI		DW_EDMA_V0_CH_OFF(dar_hi)
#define DW_EDMA_V0_CH_LLP_LO		DW_EDMA_V0_CH_OFF(llp_lo)
#define DW_EDMA_V0_CH_LLP_HI		DW_EDMA_V0_CH_OFF(llp_hi)

/* The layout against the offsets dw-edma-v0-regs.h documents. */
static_assert(DW_EDMA_V0_CTRL == 0x008, "ctrl");
static_assert(DW_EDMA_V0_WR_ENGINE_EN == 0x00C, "wr_engine_en");
static_assert(DW_EDMA_V0_WR_DOORBELL == 0x010, "wr_doorbell");
static_assert(DW_EDMA_V0_WR_CH_ARB_WEIGHT_LO == 0x018, "wr_ch_arb_weight");
static_assert(DW_EDMA_V0_RD_ENGINE_EN == 0x02C, "rd_engine_en");
static_assert(DW_EDMA_V0_RD_DOORBELL == 0x030, "rd_doorbell");
static_assert(DW_EDMA_V0_RD_CH_ARB_WEIGHT_LO == 0x038, "rd_ch_arb_weight");
static_assert(DW_EDMA_V0_WR_INT_STATUS == 0x04C, "wr_int_status");
static_assert(DW_EDMA_V0_WR_INT_MASK == 0x054, "wr_int_mask");
static_assert(DW_EDMA_V0_WR_INT_CLEAR == 0x058, "wr_int_clear");
static_assert(DW_EDMA_V0_WR_ERR_STATUS == 0x05C, "wr_err_status");
static_assert(DW_EDMA_V0_WR_DONE_IMWR_LO == 0x060, "wr_done_imwr");
static_assert(DW_EDMA_V0_WR_ABORT_IMWR_LO == 0x068, "wr_abort_imwr");
static_assert(DW_EDMA_V0_WR_CH_IMWR_DATA(0) == 0x070, "wr_ch01_imwr_data");
static_assert(DW_EDMA_V0_WR_LL_ERR_EN == 0x090, "wr_linked_list_err_en");
static_assert(DW_EDMA_V0_RD_INT_STATUS == 0x0A0, "rd_int_status");
static_assert(DW_EDMA_V0_RD_INT_MASK == 0x0A8, "rd_int_mask");
static_assert(DW_EDMA_V0_RD_INT_CLEAR == 0x0AC, "rd_int_clear");
static_assert(DW_EDMA_V0_RD_ERR_STATUS_LO == 0x0B4, "rd_err_status");
static_assert(DW_EDMA_V0_RD_LL_ERR_EN == 0x0C4, "rd_linked_list_err_en");
static_assert(DW_EDMA_V0_RD_DONE_IMWR_LO == 0x0CC, "rd_done_imwr");
static_assert(DW_EDMA_V0_RD_ABORT_IMWR_LO == 0x0D4, "rd_abort_imwr");
static_assert(DW_EDMA_V0_RD_CH_IMWR_DATA(0) == 0x0DC, "rd_ch01_imwr_data");
static_assert(DW_EDMA_V0_WR_CH_BASE(0) == 0x200, "unroll ch[0].wr");
static_assert(DW_EDMA_V0_RD_CH_BASE(0) == 0x300, "unroll ch[0].rd");
static_assert(DW_EDMA_V0_CH_STRIDE == 0x200, "unroll channel stride");
static_assert(DW_EDMA_V0_REG_SIZE == 0x1200, "unroll block size");
static_assert(DW_EDMA_V0_CH_LLP_HI == 0x20, "ch llp.msb");

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
