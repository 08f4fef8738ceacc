/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include "ntb_dwedma_log.h"

RTE_LOG_REGISTER_DEFAULT(ntb_dwedma_logtype, NOTICE);
