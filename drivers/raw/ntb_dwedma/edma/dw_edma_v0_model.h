/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef DW_EDMA_V0_MODEL_H
#define DW_EDMA_V0_MODEL_H

/**
 * A model of the DesignWare eDMA v0 engine (unrolled map, 8 write + 8
 * read channels) for the virtual vNTB link. The register block is plain
 * memory (the EP's register page, shared with the RC); writes with a side
 * effect reach dw_edma_model_write() through a BAR trap:
 *  - wr/rd_int_status: interrupt emulation, raises the eDMA IRQ line
 *    without setting status bits;
 *  - wr/rd_int_clear: write-1-to-clear status bits; a 0 de-asserts an
 *    emulated IRQ;
 *  - wr/rd_doorbell: runs the channel's transfer (linked-list or single)
 *    synchronously in the writer's thread.
 * "Write" channels move EP memory -> RC memory (SAR = EP address, DAR =
 * RC address), "read" channels RC -> EP; LL elements always live in EP
 * memory. The IRQ line is level-like: the irq callback fires once when
 * it goes from low to high.
 *
 * The state behind the line (emulation flag, LIE-raised bits, lock) is
 * in struct dw_edma_model_shared, which both processes may map.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_spinlock.h>

#include "dw_edma_v0_regs.h"

#define DW_EDMA_MODEL_MAX_ELEMS	65536	/* bound on one doorbell run */

struct dw_edma_model_shared {
	rte_spinlock_t lock;
	uint32_t emul_asserted;	/**< interrupt emulation pending */
	uint32_t wr_lie;	/**< status bits raised with a local irq */
	uint32_t rd_lie;
	uint32_t line;		/**< current IRQ level */
	uint64_t nb_irq;	/**< rising edges */
	uint64_t nb_emul;	/**< emulation writes */
	uint64_t nb_xfer;	/**< data elements completed */
	uint64_t nb_abort;
	uint64_t nb_imwr;
};

struct dw_edma_model_ops {
	/** CPU address of [iova, iova + len) in EP memory, or NULL. */
	void *(*ep_va)(void *ctx, uint64_t iova, size_t len);
	/** CPU address of [iova, iova + len) in RC memory, or NULL. */
	void *(*rc_va)(void *ctx, uint64_t iova, size_t len);
	/** The EP eDMA IRQ line rose. */
	void (*irq)(void *ctx);
	/** IMWr: write data at RC address addr; true if it went anywhere. */
	bool (*imwr)(void *ctx, uint64_t addr, uint32_t data);
};

struct dw_edma_model {
	uint8_t *regs;		/**< DW_EDMA_V0_REG_SIZE bytes */
	struct dw_edma_model_shared *sh;
	const struct dw_edma_model_ops *ops;
	void *ctx;
};

/** Reset registers and shared state (ctrl = 8 wr + 8 rd channels). */
void dw_edma_model_reset(struct dw_edma_model *m);
/**
 * A write of width bytes at register offset reg. Returns true if the
 * model consumed it (the caller must not store it).
 */
bool dw_edma_model_write(struct dw_edma_model *m, size_t reg, uint64_t val,
			 unsigned int width);
/** Current IRQ level (for tests and for the EP's rx_ack). */
bool dw_edma_model_irq_level(const struct dw_edma_model *m);

#endif /* DW_EDMA_V0_MODEL_H */
