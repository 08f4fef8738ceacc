/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef DWEDMA_PRIV_H
#define DWEDMA_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_dmadev.h>
#include <rte_log.h>

#include "dma_dwedma.h"
#include "dw_edma_v0_regs.h"
#include "pci_ep_dma_abi.h"

extern int dwedma_logtype;
#define DWEDMA_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, dwedma_logtype, \
		RTE_FMT("dma_dwedma: " RTE_FMT_HEAD(__VA_ARGS__,) "\n", \
			RTE_FMT_TAIL(__VA_ARGS__,)))

#define DWEDMA_MAX_SGES		32

/**
 * One delegated channel. The LL window holds n_slots data elements and
 * one link element after them (back to the start, toggling the cycle).
 * Counters are free-running; slot = counter % n_slots. At most
 * n_slots - 1 elements are outstanding, so the engine's position (its
 * LLP register) always tells how many it consumed.
 */
struct dwedma_chan {
	struct ntb_bar ll;		/**< LL window (BAR va + desc_offset) */
	uint64_t ll_phys;		/**< its address for the eDMA */
	size_t regs_ch;			/**< channel block in the registers */
	uint8_t hw_ch;			/**< READ channel number */
	bool read;			/**< read channel (MEM_TO_DEV) */
	bool configured;
	uint32_t n_slots;		/**< data elements in the window */
	uint32_t capacity;		/**< outstanding elements allowed */
	uint32_t pcs;			/**< producer cycle bit */

	uint64_t elem_prod;		/**< elements written */
	uint64_t elem_sub;		/**< elements given to the engine */
	uint64_t elem_hw;		/**< elements the engine is done with */
	uint64_t job_prod;		/**< ops enqueued (ring_idx source) */
	uint64_t job_sub;		/**< ops submitted */
	uint64_t job_done;		/**< ops with a final status */
	uint64_t job_ret;		/**< ops returned by completed*() */
	bool cur_failed;		/**< the op being retired aborted */
	uint8_t *job_end;		/**< [n_slots]: slot ends an op */
	uint16_t *job_status;		/**< [n_slots]: enum rte_dma_status_code */

	uint64_t aborts;		/**< ABORT events seen */
	uint64_t bad_llp;		/**< LLP readings out of range */
	struct rte_dma_stats stats;
};

struct dwedma_dev {
	struct dma_dwedma_locator loc;
	struct ntb_bar regs;		/**< eDMA register block */
	struct ntb_bar slice;		/**< the exported slice */
	uint16_t nb_chans;
	uint16_t nb_vchans;		/**< configured */
	bool started;
	struct dwedma_chan ch[PCI_EP_DMA_MAX_CHANS];
};

/*
 * dwedma_slice.c: copy and check the locator and the slice's header,
 * set the channels up; <0 (logged) if the EP's values do not hold.
 */
int dwedma_parse_slice(struct dwedma_dev *dev, const char *name,
		       const struct ntb_bar bars[6],
		       const struct dma_dwedma_locator *loc);

/* dwedma_fp.c */
int dwedma_copy(void *priv, uint16_t vchan, rte_iova_t src, rte_iova_t dst,
		uint32_t length, uint64_t flags);
int dwedma_copy_sg(void *priv, uint16_t vchan,
		   const struct rte_dma_sge *src, const struct rte_dma_sge *dst,
		   uint16_t nb_src, uint16_t nb_dst, uint64_t flags);
int dwedma_submit(void *priv, uint16_t vchan);
uint16_t dwedma_completed(void *priv, uint16_t vchan, uint16_t nb_cpls,
			  uint16_t *last_idx, bool *has_error);
uint16_t dwedma_completed_status(void *priv, uint16_t vchan,
				 uint16_t nb_cpls, uint16_t *last_idx,
				 enum rte_dma_status_code *status);
uint16_t dwedma_burst_capacity(const void *priv, uint16_t vchan);
void dwedma_chan_poll(struct dwedma_chan *c, const struct ntb_bar *regs);
int dwedma_chan_start(struct dwedma_chan *c, const struct ntb_bar *regs);

#endif /* DWEDMA_PRIV_H */
