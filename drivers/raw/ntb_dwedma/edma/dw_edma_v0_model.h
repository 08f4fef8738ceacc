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
 *    synchronously in the writer's thread when the EP writes it; a
 *    doorbell the RC writes across the link is posted for the EP's engine
 *    thread (dw_edma_model_remote_write / dw_edma_model_run_posted).
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
/*
 * The lock lives in memory the peer process writes: a peer that holds it
 * (or writes it locked) must not stall us. An acquisition gives up after
 * LOCK_TIMEOUT_US and the access is dropped and counted (lock_timeouts);
 * while the lock stays stuck, later ones give up after LOCK_STUCK_US.
 */
#define DW_EDMA_MODEL_LOCK_TIMEOUT_US	100000
#define DW_EDMA_MODEL_LOCK_STUCK_US	1000

struct dw_edma_model_shared {
	rte_spinlock_t lock;
	/** doorbells written by the RC, for the EP's engine (bit = ch) */
	uint32_t wr_posted;
	uint32_t rd_posted;
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
	/* this process's view, not in shared memory (the peer cannot
	 * reset it)
	 */
	uint64_t lock_timeouts;	/**< accesses dropped: lock held too long */
	bool lock_stuck;	/**< last acquisition timed out */
	/**
	 * Test faults (vsim_fault_edma_abort): after fail_skip more data
	 * elements, the next fail_count ones ABORT (source unreadable).
	 */
	uint32_t fail_skip;
	uint32_t fail_count;
};

/** Reset registers and shared state (ctrl = 8 wr + 8 rd channels). */
void dw_edma_model_reset(struct dw_edma_model *m);
/**
 * A write of width bytes at register offset reg. Returns true if the
 * model consumed it (the caller must not store it).
 */
bool dw_edma_model_write(struct dw_edma_model *m, size_t reg, uint64_t val,
			 unsigned int width);
/**
 * A write that arrives from the RC across the link (through the window
 * that exposes the register page). Only the interrupt-emulation
 * registers (wr/rd_int_status, wr/rd_int_clear) act here; a doorbell is
 * stored and posted for the EP's engine (*kick set: wake it), so that no
 * transfer runs in the RC's thread. Returns true if consumed.
 */
bool dw_edma_model_remote_write(struct dw_edma_model *m, size_t reg,
				uint64_t val, unsigned int width, bool *kick);
/**
 * EP engine: run the doorbells the RC posted (each channel once, in
 * channel order). Returns the number of channels run.
 */
unsigned int dw_edma_model_run_posted(struct dw_edma_model *m);
/** Accesses dropped because the shared lock stayed held (this process). */
uint64_t dw_edma_model_lock_timeouts(const struct dw_edma_model *m);

#endif /* DW_EDMA_V0_MODEL_H */
