/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef RTE_PMD_NTB_DWEDMA_H
#define RTE_PMD_NTB_DWEDMA_H

/**
 * @file
 * Public API of the raw_ntb_dwedma rawdev beyond the generic rawdev API
 * and the attribute names of DPDK's rte_pmd_ntb.h, which it honours.
 */

#include <stdint.h>

/** Driver name prefix of every device of this PMD (see examples/ntb). */
#define RTE_PMD_NTB_DWEDMA_DRIVER_PCI	"raw_ntb_dwedma"
#define RTE_PMD_NTB_DWEDMA_DRIVER_VSIM	"raw_ntb_vsim"

#endif /* RTE_PMD_NTB_DWEDMA_H */
