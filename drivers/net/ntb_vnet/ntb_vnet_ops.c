/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: the ethdev ops tables (primary and secondary process)
 * and the ops that describe the port: device info, MTU, MAC address,
 * promiscuous and all-multicast.
 */

#include <errno.h>

#include <ethdev_driver.h>

#include "ntb_vnet.h"
#include "ntb_vnet_log.h"

static int
ntb_vnet_dev_infos_get(struct rte_eth_dev *dev,
		struct rte_eth_dev_info *info)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	uint32_t max_len;

	if (ntb_vnet_rawdev_reachable(priv))
		ntb_vnet_refresh_info(priv);
	max_len = priv->max_pkt_len;
	info->if_index = 0;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = max_len;
	info->min_rx_bufsize = RTE_ETHER_MIN_LEN;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = max_len > NTB_VNET_ETH_OVERHEAD ?
		RTE_MIN(max_len - NTB_VNET_ETH_OVERHEAD, (uint32_t)UINT16_MAX) :
		RTE_ETHER_MIN_MTU;
	info->max_rx_queues = priv->args.queues;
	info->max_tx_queues = priv->args.queues;
	info->rx_offload_capa = RTE_ETH_RX_OFFLOAD_SCATTER;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->rx_desc_lim.nb_max = NTB_VNET_MAX_DESC;
	info->rx_desc_lim.nb_min = NTB_VNET_MIN_DESC;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = NTB_VNET_DEFAULT_DESC;
	info->default_txportconf.ring_size = NTB_VNET_DEFAULT_DESC;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	info->speed_capa = RTE_ETH_LINK_SPEED_FIXED;
	return 0;
}

static int
ntb_vnet_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	uint32_t frame = (uint32_t)mtu + NTB_VNET_ETH_OVERHEAD;

	if (frame > priv->max_pkt_len) {
		VNET_LOG(ERR, "port %u: MTU %u needs %u-byte frames, the link carries %u",
			dev->data->port_id, mtu, frame, priv->max_pkt_len);
		return -EINVAL;
	}
	if (dev->data->dev_started &&
			!(dev->data->dev_conf.rxmode.offloads &
				RTE_ETH_RX_OFFLOAD_SCATTER)) {
		uint16_t q;

		for (q = 0; q < dev->data->nb_rx_queues; q++) {
			const struct ntb_vnet_rxq *rxq =
				dev->data->rx_queues[q];

			if (frame > (uint32_t)rte_pktmbuf_data_room_size(
					rxq->mp) - RTE_PKTMBUF_HEADROOM) {
				VNET_LOG(ERR, "port %u: MTU %u does not fit one mbuf: enable Rx offload scatter",
					dev->data->port_id, mtu);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int
ntb_vnet_mac_addr_set(struct rte_eth_dev *dev __rte_unused,
		struct rte_ether_addr *addr)
{
	if (!rte_is_unicast_ether_addr(addr))
		return -EINVAL;
	/* ethdev copies addr into data->mac_addrs[0] after this returns. */
	return 0;
}

/*
 * A point-to-point link delivers everything the peer sends: promiscuous
 * and all-multicast are the only behaviour, so they are accepted.
 */
static int
ntb_vnet_accept_all(struct rte_eth_dev *dev __rte_unused)
{
	return 0;
}

const struct eth_dev_ops ntb_vnet_ops = {
	.dev_configure = ntb_vnet_dev_configure,
	.dev_start = ntb_vnet_dev_start,
	.dev_stop = ntb_vnet_dev_stop,
	.dev_close = ntb_vnet_dev_close,
	.dev_reset = ntb_vnet_dev_reset,
	.dev_infos_get = ntb_vnet_dev_infos_get,
	.link_update = ntb_vnet_link_update,
	.rx_queue_setup = ntb_vnet_rx_queue_setup,
	.tx_queue_setup = ntb_vnet_tx_queue_setup,
	.rx_queue_release = ntb_vnet_rx_queue_release,
	.tx_queue_release = ntb_vnet_tx_queue_release,
	.rx_queue_intr_enable = ntb_vnet_rx_intr_enable,
	.rx_queue_intr_disable = ntb_vnet_rx_intr_disable,
	.stats_get = ntb_vnet_stats_get,
	.stats_reset = ntb_vnet_stats_reset,
	.xstats_get = ntb_vnet_xstats_get,
	.xstats_get_names = ntb_vnet_xstats_get_names,
	.xstats_reset = ntb_vnet_xstats_reset,
	.mtu_set = ntb_vnet_mtu_set,
	.mac_addr_set = ntb_vnet_mac_addr_set,
	.promiscuous_enable = ntb_vnet_accept_all,
	.promiscuous_disable = ntb_vnet_accept_all,
	.allmulticast_enable = ntb_vnet_accept_all,
	.allmulticast_disable = ntb_vnet_accept_all,
};

/*
 * A secondary process reads counters; control stays with the primary.
 * No link_update: it would overwrite the primary's link state with what
 * a process without the rawdev sees.
 */
const struct eth_dev_ops ntb_vnet_secondary_ops = {
	.dev_close = ntb_vnet_dev_close,
	.dev_infos_get = ntb_vnet_dev_infos_get,
	.stats_get = ntb_vnet_stats_get,
	.xstats_get = ntb_vnet_xstats_get,
	.xstats_get_names = ntb_vnet_xstats_get_names,
};
