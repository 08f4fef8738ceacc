/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: the port's link. The link follows the rawdev's
 * transport link; its speed is the PCIe link's. The rawdev's link
 * events (its control thread) update it and raise LSC.
 */

#include <string.h>

#include <ethdev_driver.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"
#include "ntb_vnet_log.h"

/*
 * The link's PCIe data rate (per-lane rate after line coding, generations
 * 1..5, times the width), reported as the largest ethdev speed not above
 * it: ethdev names only its standard speeds (rte_eth_link_speed_to_str()
 * prints "Invalid" for any other value, e.g. 31508 for Gen4 x2). The exact
 * generation and width are the rawdev's "speed" and "width" attributes.
 */
static uint32_t
ntb_vnet_link_speed(const struct rte_pmd_ntb_dwedma_link *l)
{
	static const uint32_t lane_mbps[] = { 0, 2000, 4000, 7877, 15754,
		31508 };
	static const uint32_t eth_speeds[] = {
		RTE_ETH_SPEED_NUM_200G, RTE_ETH_SPEED_NUM_100G,
		RTE_ETH_SPEED_NUM_56G, RTE_ETH_SPEED_NUM_50G,
		RTE_ETH_SPEED_NUM_40G, RTE_ETH_SPEED_NUM_25G,
		RTE_ETH_SPEED_NUM_20G, RTE_ETH_SPEED_NUM_10G,
		RTE_ETH_SPEED_NUM_5G, RTE_ETH_SPEED_NUM_2_5G,
		RTE_ETH_SPEED_NUM_1G,
	};
	uint32_t mbps;
	size_t i;

	if (l->pcie_speed == 0 || l->pcie_speed >= RTE_DIM(lane_mbps) ||
			l->pcie_width == 0)
		return RTE_ETH_SPEED_NUM_UNKNOWN;
	mbps = lane_mbps[l->pcie_speed] * l->pcie_width;
	for (i = 0; i < RTE_DIM(eth_speeds); i++)
		if (eth_speeds[i] <= mbps)
			return eth_speeds[i];
	return RTE_ETH_SPEED_NUM_UNKNOWN;
}

void
ntb_vnet_link_read(struct rte_eth_dev *dev, struct rte_eth_link *link)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	struct rte_pmd_ntb_dwedma_link l = { 0 };

	memset(link, 0, sizeof(*link));
	link->link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link->link_autoneg = RTE_ETH_LINK_FIXED;
	if (priv->rawdev_started && ntb_vnet_rawdev_reachable(priv) &&
			rte_pmd_ntb_dwedma_link_get(priv->rawdev_id, &l) == 0 &&
			l.up) {
		link->link_status = RTE_ETH_LINK_UP;
		link->link_speed = ntb_vnet_link_speed(&l);
	} else {
		link->link_status = RTE_ETH_LINK_DOWN;
		link->link_speed = RTE_ETH_SPEED_NUM_NONE;
	}
}

/* The frame size is negotiated with the peer: refresh on start and link. */
void
ntb_vnet_refresh_info(struct ntb_vnet_private *priv)
{
	struct rte_pmd_ntb_dwedma_info info;

	if (rte_pmd_ntb_dwedma_info_get(priv->rawdev_id, &info) != 0)
		return;
	if (info.max_pkt_len != 0)
		priv->max_pkt_len = info.max_pkt_len;
	priv->rx_intr = info.rx_intr;
}

int
ntb_vnet_link_update(struct rte_eth_dev *dev,
		int wait_to_complete __rte_unused)
{
	struct rte_eth_link link;

	ntb_vnet_link_read(dev, &link);
	return rte_eth_linkstatus_set(dev, &link);
}

/* Runs in the rawdev's control thread. */
void
ntb_vnet_rawdev_event(uint16_t rawdev_id __rte_unused,
		enum rte_pmd_ntb_dwedma_event event, void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct ntb_vnet_private *priv = dev->data->dev_private;

	if (!priv->rawdev_started)
		return;
	if (event == RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP)
		ntb_vnet_refresh_info(priv);
	VNET_LOG(INFO, "port %u: rawdev %s link %s", dev->data->port_id,
		priv->args.rawdev,
		event == RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP ? "up" : "down");
	if (ntb_vnet_link_update(dev, 0) == 0 &&
			dev->data->dev_conf.intr_conf.lsc != 0)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC,
			NULL);
}
