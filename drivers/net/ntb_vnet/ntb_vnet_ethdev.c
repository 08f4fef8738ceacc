/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: vdev probe and remove. Probe parses the devargs, checks
 * the rawdev named by rawdev= (exists, is raw_ntb_dwedma, not used by
 * another port, has the queues and interrupts asked for), allocates the
 * port and registers for the rawdev's link events. The ethdev ops are in
 * ntb_vnet_ops.c.
 */

#include <errno.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_malloc.h>
#include <rte_rawdev.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"
#include "ntb_vnet_devargs.h"
#include "ntb_vnet_log.h"

/*
 * Rawdev ids are process-local: a secondary process has no rawdev (the
 * rawdev library keeps its device table in process memory). In the
 * primary the rawdev may also be gone already (removed first at EAL
 * cleanup), so the id is trusted only while it still has our name.
 */
bool
ntb_vnet_rawdev_reachable(const struct ntb_vnet_private *priv)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return false;
	return rte_rawdev_get_dev_id(priv->args.rawdev) == priv->rawdev_id;
}

static uint16_t
ntb_vnet_rawdev_lookup(const char *name)
{
	uint16_t id = rte_rawdev_get_dev_id(name);

	return id < RTE_RAWDEV_MAX_DEVS ? id : UINT16_MAX;
}

/* Two ports on one rawdev would share its queue pairs: refuse it. */
static bool
ntb_vnet_rawdev_user(uint16_t rawdev_id, uint16_t *port)
{
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p) {
		const struct rte_eth_dev *dev = &rte_eth_devices[p];
		const struct ntb_vnet_private *priv = dev->data->dev_private;

		if (dev->dev_ops == &ntb_vnet_ops &&
				priv->rawdev_id == rawdev_id) {
			*port = p;
			return true;
		}
	}
	return false;
}

static int
ntb_vnet_check_rawdev(const char *name, const struct ntb_vnet_args *args,
		uint16_t *rawdev_id, struct rte_pmd_ntb_dwedma_info *info)
{
	struct rte_rawdev_info rinfo = { 0 };
	uint16_t id, port;

	id = ntb_vnet_rawdev_lookup(args->rawdev);
	if (id == UINT16_MAX) {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_RAWDEV "=%s: no such rawdev (probe it first: PCI device or --vdev raw_ntb_vsim...)",
			name, args->rawdev);
		return -ENODEV;
	}
	if (ntb_vnet_rawdev_user(id, &port)) {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_RAWDEV "=%s: rawdev already used by port %u",
			name, args->rawdev, port);
		return -EBUSY;
	}
	if (rte_rawdev_info_get(id, &rinfo, 0) != 0 ||
			rinfo.driver_name == NULL ||
			strncmp(rinfo.driver_name, "raw_ntb", 7) != 0 ||
			rte_pmd_ntb_dwedma_is_ntb_dwedma(id) != 1) {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_RAWDEV "=%s: driver %s is not raw_ntb_dwedma",
			name, args->rawdev,
			rinfo.driver_name != NULL ? rinfo.driver_name : "?");
		return -EINVAL;
	}
	/* Before configure the rawdev may not know everything yet. */
	memset(info, 0, sizeof(*info));
	if (rte_pmd_ntb_dwedma_info_get(id, info) != 0)
		memset(info, 0, sizeof(*info));
	if (info->max_queue_pairs != 0 &&
			args->queues > info->max_queue_pairs) {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_QUEUES "=%u: rawdev %s allows at most %u queue pairs",
			name, args->queues, args->rawdev,
			info->max_queue_pairs);
		return -EINVAL;
	}
	if (args->mode == NTB_VNET_MODE_INTR && info->intr_mode[0] != '\0' &&
			!info->rx_intr) {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_MODE "=intr: rawdev %s has no Rx interrupts (its intr backend is %.*s)",
			name, args->rawdev, (int)sizeof(info->intr_mode),
			info->intr_mode);
		return -ENOTSUP;
	}
	*rawdev_id = id;
	return 0;
}

static int
ntb_vnet_probe_secondary(struct rte_vdev_device *vdev, const char *name)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_attach_secondary(name);
	if (dev == NULL) {
		VNET_LOG(ERR, "%s: cannot attach in secondary process", name);
		return -ENODEV;
	}
	dev->dev_ops = &ntb_vnet_secondary_ops;
	dev->device = &vdev->device;
	dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
ntb_vnet_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_pmd_ntb_dwedma_info info;
	struct ntb_vnet_private *priv;
	struct ntb_vnet_args args;
	struct rte_eth_dev *dev;
	uint16_t rawdev_id;
	int ret;

	if (rte_eal_process_type() == RTE_PROC_SECONDARY)
		return ntb_vnet_probe_secondary(vdev, name);

	ret = ntb_vnet_args_parse(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0)
		return ret;
	ret = ntb_vnet_check_rawdev(name, &args, &rawdev_id, &info);
	if (ret != 0)
		return ret;

	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL) {
		VNET_LOG(ERR, "%s: cannot allocate the port", name);
		return -ENOMEM;
	}
	priv = dev->data->dev_private;
	priv->args = args;
	priv->rawdev_id = rawdev_id;
	priv->port_id = dev->data->port_id;
	priv->max_pkt_len = info.max_pkt_len != 0 ? info.max_pkt_len :
		NTB_VNET_FALLBACK_PKT_LEN;
	priv->rx_intr = info.rx_intr;

	dev->data->mac_addrs = rte_zmalloc_socket(name,
			sizeof(struct rte_ether_addr), 0, vdev->device.numa_node);
	if (dev->data->mac_addrs == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	if (args.mac_given)
		rte_ether_addr_copy(&args.mac, dev->data->mac_addrs);
	else
		rte_eth_random_addr(dev->data->mac_addrs->addr_bytes);

	ret = rte_pmd_ntb_dwedma_callback_register(rawdev_id,
			ntb_vnet_rawdev_event, dev);
	if (ret != 0) {
		VNET_LOG(ERR, "%s: cannot register for link events of rawdev %s: %s",
			name, args.rawdev, rte_strerror(-ret));
		rte_eth_dev_release_port(dev);
		return ret;
	}
	priv->event_cb_registered = true;

	dev->dev_ops = &ntb_vnet_ops;
	dev->rx_pkt_burst = ntb_vnet_rx_burst;
	dev->tx_pkt_burst = ntb_vnet_tx_burst;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC |
		RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	dev->data->dev_link.link_autoneg = RTE_ETH_LINK_FIXED;
	dev->data->promiscuous = 1;
	dev->data->all_multicast = 1;

	VNET_LOG(INFO, "%s: port %u on rawdev %s, mode=%s, queues=%u",
		name, dev->data->port_id, args.rawdev,
		ntb_vnet_mode_name(args.mode), args.queues);
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
ntb_vnet_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return rte_eth_dev_release_port(dev);
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver ntb_vnet_vdev_drv = {
	.probe = ntb_vnet_probe,
	.remove = ntb_vnet_remove,
};

RTE_PMD_REGISTER_VDEV(NTB_VNET_DRIVER_NAME, ntb_vnet_vdev_drv);
RTE_PMD_REGISTER_PARAM_STRING(NTB_VNET_DRIVER_NAME, NTB_VNET_PARAM_STRING);
