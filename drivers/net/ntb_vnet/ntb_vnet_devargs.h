/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_VNET_DEVARGS_H
#define NTB_VNET_DEVARGS_H

/* Keys of --vdev net_ntb_vnet<N>,key=value,... (doc/guides/nics/ntb_vnet.rst) */
#define NTB_VNET_ARG_RAWDEV	"rawdev"
#define NTB_VNET_ARG_MODE	"mode"
#define NTB_VNET_ARG_QUEUES	"queues"
#define NTB_VNET_ARG_MAC	"mac"

/* The same keys for RTE_PMD_REGISTER_PARAM_STRING and error messages. */
#define NTB_VNET_PARAM_STRING						\
	NTB_VNET_ARG_RAWDEV "=<rawdev name> "				\
	NTB_VNET_ARG_MODE "=poll|intr "					\
	NTB_VNET_ARG_QUEUES "=<1..64> "					\
	NTB_VNET_ARG_MAC "=<xx:xx:xx:xx:xx:xx>"

#endif /* NTB_VNET_DEVARGS_H */
