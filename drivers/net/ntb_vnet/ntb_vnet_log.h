/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_VNET_LOG_H
#define NTB_VNET_LOG_H

#include <rte_log.h>

/* Log type pmd.net.ntb_vnet; --log-level=pmd.net.ntb_vnet:debug */
extern int ntb_vnet_logtype;

#define VNET_LOG(level, fmt, ...)					\
	rte_log(RTE_LOG_ ## level, ntb_vnet_logtype,			\
		"%s(): " fmt "\n", __func__, ##__VA_ARGS__)

#endif /* NTB_VNET_LOG_H */
