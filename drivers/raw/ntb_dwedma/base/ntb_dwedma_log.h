/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_DWEDMA_LOG_H
#define NTB_DWEDMA_LOG_H

#include <rte_log.h>

/* Log type pmd.raw.ntb_dwedma; --log-level=pmd.raw.ntb_dwedma:debug */
extern int ntb_dwedma_logtype;

#define NTB_LOG(level, fmt, ...)					\
	rte_log(RTE_LOG_ ## level, ntb_dwedma_logtype,			\
		"%s(): " fmt "\n", __func__, ##__VA_ARGS__)

#endif /* NTB_DWEDMA_LOG_H */
