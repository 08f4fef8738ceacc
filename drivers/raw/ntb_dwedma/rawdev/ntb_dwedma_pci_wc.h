/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_PCI_WC_H
#define NTB_DWEDMA_PCI_WC_H

#include <stdbool.h>
#include <stddef.h>

#include "vntb_platform.h"

/**
 * True when BAR bar holds data windows only (of the num_mws the EP
 * offers) and no register (ctrl, scratchpads, doorbells) nor the
 * interrupt window (the last of several MWs, where the RC writes eDMA
 * interrupt or MSI doorbells: the kernel's ntb_msi maps it uncached
 * too) nor the EP's exported DMA slice (dma_bar, -1 when none: eDMA
 * registers and linked lists the RC's dmadev programs): only such a BAR
 * may be mapped write-combined.
 */
bool ntb_pci_bar_is_mw_only(const struct vntb_barmap *map, int bar,
			    unsigned int num_mws, int dma_bar);

/**
 * Map len bytes of BAR bar write-combined through the kernel's sysfs
 * file <dev_dir>/resource<bar>_wc (created for prefetchable BARs where
 * the architecture can map PCI memory write-combined). Logs one line
 * naming the BAR and the mapping taken, or the reason for keeping the
 * uncached (VFIO) mapping.
 *
 * @return the mapping, or NULL (fall back to the uncached mapping).
 */
void *ntb_pci_wc_map(const char *name, const char *dev_dir, int bar,
		     size_t len);

void ntb_pci_wc_unmap(void *va, size_t len);

#endif /* NTB_DWEDMA_PCI_WC_H */
