/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef DMA_DWEDMA_H
#define DMA_DWEDMA_H

/**
 * dma_dwedma: a DPDK dmadev for the DesignWare eDMA v0 (unrolled map,
 * linked-list mode) of a PCIe endpoint, driven by the RC through the BAR
 * window in which the EP exports it. The layout followed is the
 * Mar-2026 "PCI: endpoint: Remote DMA support via vNTB" series: the ctrl
 * v1 DMA locator (vntb_ctrl.h, 0x154-0x164) names BAR, offset and size of
 * a slice that starts with the exported DMA ABI v1 header
 * (pci_ep_dma_abi.h). ABI v1 delegates READ channels only; each becomes
 * one vchan of direction RTE_DMA_DIR_MEM_TO_DEV (source: RC IOVA,
 * destination: EP bus address as the EP's eDMA sees it).
 *
 * This is the interface the rawdev uses to create the instance; the
 * dmadev itself is used through rte_dmadev.h only. Both functions are
 * one driver's for another, as DPDK marks such symbols: __rte_internal
 * here, version node INTERNAL in version.map (not for applications).
 */

#include <stdint.h>

#include <rte_compat.h>

#include "ntb_bar.h"

struct rte_device;

/** The locator as copied once from the ctrl region. */
struct dma_dwedma_locator {
	uint32_t abi;		/**< VNTB_DMA_ABI_V1 */
	uint32_t bar;		/**< BAR of the slice */
	uint32_t offset;	/**< slice offset in the BAR */
	uint32_t size;		/**< slice size */
	uint32_t num_chans;	/**< delegated channels (0 read as 1) */
};

/**
 * Check the locator and the header it points at (every value is the
 * peer's: bounded against the BARs before use), then allocate the dmadev
 * `name` over bars[0..5] (len 0: absent). Returns the dmadev id, or
 * -EINVAL (bad layout, logged naming the field), -ENOTSUP (ABI not 1),
 * -ENOMEM/-EEXIST.
 */
__rte_internal
int dma_dwedma_create(const char *name, struct rte_device *device,
		      int numa_node, const struct ntb_bar bars[6],
		      const struct dma_dwedma_locator *loc);

/** Stop and release the dmadev `name` if it exists. */
__rte_internal
void dma_dwedma_destroy(const char *name);

/**
 * Recover one vchan of a started dma_dwedma dmadev whose engine stopped
 * completing (a hung or withdrawn EP engine), without touching the other
 * vchans (rte_dma_stop/start would restart every channel): every op not
 * yet returned by rte_dma_completed*() is forgotten (no status will come
 * for it), and the channel is re-armed on an empty LL window, as the
 * kernel's dw_edma terminates a channel's descriptors in software and
 * dw_edma_v0_core_start programs a fresh chain (DW eDMA v0 has no
 * per-channel abort a peer's engine is bound to obey). An element the
 * engine was executing may still land afterwards. ring_idx starts
 * again at 0. The caller owns the vchan (no copy, submit or completed
 * call on it meanwhile).
 * Returns the ops forgotten (>= 0), or -EINVAL (not a started
 * dma_dwedma dmadev, or no such vchan).
 */
__rte_internal
int dma_dwedma_vchan_reset(int16_t dev_id, uint16_t vchan);

#endif /* DMA_DWEDMA_H */
