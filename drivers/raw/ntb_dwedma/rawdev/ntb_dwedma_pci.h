/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_PCI_H
#define NTB_DWEDMA_PCI_H

#include <rte_bus_pci.h>

/**
 * The PCI driver's ID table: one entry per board row, in row order
 * (vntb_platforms[]), then an all-zero entry.
 */
extern const struct rte_pci_id ntb_dwedma_pci_ids[];

#endif /* NTB_DWEDMA_PCI_H */
