/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: vdev probe/remove and the control-path ethdev ops.
 *
 * The rawdev is configured from the ethdev's dev_start, when the queue
 * count, ring sizes and Rx mempools are all known, and stopped/closed
 * from dev_stop/dev_close: stopping the port takes the NTB link down
 * towards the peer, as unplugging a cable would.
 */

#include <errno.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_malloc.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"
#include "ntb_vnet_devargs.h"
#include "ntb_vnet_log.h"

static const struct eth_dev_ops ntb_vnet_ops;
static const struct eth_dev_ops ntb_vnet_secondary_ops;

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

static void
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
static void
ntb_vnet_refresh_info(struct ntb_vnet_private *priv)
{
	struct rte_pmd_ntb_dwedma_info info;

	if (rte_pmd_ntb_dwedma_info_get(priv->rawdev_id, &info) != 0)
		return;
	if (info.max_pkt_len != 0)
		priv->max_pkt_len = info.max_pkt_len;
	priv->rx_intr = info.rx_intr;
}

static int
ntb_vnet_link_update(struct rte_eth_dev *dev,
		int wait_to_complete __rte_unused)
{
	struct rte_eth_link link;

	ntb_vnet_link_read(dev, &link);
	return rte_eth_linkstatus_set(dev, &link);
}

/* Runs in the rawdev's control thread. */
static void
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
ntb_vnet_dev_configure(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	const struct rte_eth_conf *conf = &dev->data->dev_conf;

	if (dev->data->nb_rx_queues != dev->data->nb_tx_queues) {
		VNET_LOG(ERR, "port %u: %u Rx and %u Tx queues: queues come in pairs, use the same count (at most queues=%u)",
			dev->data->port_id, dev->data->nb_rx_queues,
			dev->data->nb_tx_queues, priv->args.queues);
		return -EINVAL;
	}
	if (conf->intr_conf.rxq != 0 &&
			priv->args.mode != NTB_VNET_MODE_INTR) {
		VNET_LOG(ERR, "port %u: Rx interrupts (intr_conf.rxq) need devarg mode=intr",
			dev->data->port_id);
		return -ENOTSUP;
	}
	if (priv->args.mode == NTB_VNET_MODE_INTR && !priv->rx_intr) {
		ntb_vnet_refresh_info(priv);
		if (!priv->rx_intr) {
			VNET_LOG(ERR, "port %u: mode=intr but rawdev %s has no Rx interrupts (intr backend poll?)",
				dev->data->port_id, priv->args.rawdev);
			return -ENOTSUP;
		}
	}
	return 0;
}

/* Largest frame the application configured: MTU plus Ethernet header. */
static uint32_t
ntb_vnet_frame_len(const struct rte_eth_dev *dev)
{
	return dev->data->mtu + NTB_VNET_ETH_OVERHEAD;
}

static int
ntb_vnet_check_rx_buffers(struct rte_eth_dev *dev)
{
	bool scatter = (dev->data->dev_conf.rxmode.offloads &
			RTE_ETH_RX_OFFLOAD_SCATTER) != 0;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct ntb_vnet_rxq *rxq = dev->data->rx_queues[q];
		uint32_t room;

		if (rxq == NULL) {
			VNET_LOG(ERR, "port %u: Rx queue %u not set up",
				dev->data->port_id, q);
			return -EINVAL;
		}
		if (dev->data->tx_queues[q] == NULL) {
			VNET_LOG(ERR, "port %u: Tx queue %u not set up",
				dev->data->port_id, q);
			return -EINVAL;
		}
		rxq->scatter = scatter;
		room = rte_pktmbuf_data_room_size(rxq->mp) -
			RTE_PKTMBUF_HEADROOM;
		if (!scatter && ntb_vnet_frame_len(dev) > room) {
			VNET_LOG(ERR, "port %u: MTU %u needs %u-byte buffers, mempool %s has %u: enable Rx offload scatter",
				dev->data->port_id, dev->data->mtu,
				ntb_vnet_frame_len(dev), rxq->mp->name, room);
			return -EINVAL;
		}
	}
	dev->data->scattered_rx = scatter;
	return 0;
}

/* Give the rawdev's queue resources back (mempool references, rings). */
static void
ntb_vnet_rawdev_release(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	int ret;

	if (!priv->rawdev_configured)
		return;
	ntb_vnet_stats_save(dev);
	priv->rawdev_configured = false;
	if (!ntb_vnet_rawdev_reachable(priv))
		return;
	ret = rte_rawdev_close(priv->rawdev_id);
	if (ret != 0 && ret != -ENOTSUP)
		VNET_LOG(WARNING, "rawdev %s close: %s", priv->args.rawdev,
			rte_strerror(-ret));
}

static int
ntb_vnet_rawdev_setup(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	uint16_t nb_qp = dev->data->nb_rx_queues;
	struct ntb_dev_config ntb_conf = { 0 };
	struct rte_rawdev_info rinfo = { 0 };
	uint16_t qsize = 0, q;
	int ret;

	for (q = 0; q < nb_qp; q++) {
		const struct ntb_vnet_rxq *rxq = dev->data->rx_queues[q];
		const struct ntb_vnet_txq *txq = dev->data->tx_queues[q];

		/* not nested: RTE_MAX's locals would shadow (24.11) */
		qsize = RTE_MAX(qsize, rxq->nb_desc);
		qsize = RTE_MAX(qsize, txq->nb_desc);
	}
	/* Queue pairs from a previous start go before new ones are made. */
	ntb_vnet_rawdev_release(dev);
	ret = rte_rawdev_set_attr(priv->rawdev_id, NTB_QUEUE_NUM_NAME, nb_qp);
	if (ret == 0)
		ret = rte_rawdev_set_attr(priv->rawdev_id, NTB_QUEUE_SZ_NAME,
				qsize);
	if (ret != 0) {
		VNET_LOG(ERR, "port %u: rawdev %s refused %u queue pairs of %u descriptors: %s",
			dev->data->port_id, priv->args.rawdev, nb_qp, qsize,
			rte_strerror(-ret));
		return ret;
	}
	/* Frames are copied into the rawdev's own buffers: no memzones. */
	ntb_conf.num_queues = nb_qp;
	ntb_conf.queue_size = qsize;
	rinfo.dev_private = &ntb_conf;
	ret = rte_rawdev_configure(priv->rawdev_id, &rinfo, sizeof(ntb_conf));
	if (ret != 0) {
		VNET_LOG(ERR, "port %u: rawdev %s configure failed: %s",
			dev->data->port_id, priv->args.rawdev,
			rte_strerror(-ret));
		return ret;
	}
	priv->rawdev_configured = true;
	for (q = 0; q < nb_qp; q++) {
		const struct ntb_vnet_rxq *rxq = dev->data->rx_queues[q];
		const struct ntb_vnet_txq *txq = dev->data->tx_queues[q];
		struct ntb_queue_conf qconf = {
			.nb_desc = RTE_MAX(rxq->nb_desc, txq->nb_desc),
			.tx_free_thresh = txq->tx_free_thresh,
			.rx_mp = rxq->mp,
		};

		ret = rte_rawdev_queue_setup(priv->rawdev_id, q, &qconf,
				sizeof(qconf));
		if (ret != 0) {
			VNET_LOG(ERR, "port %u: rawdev %s queue pair %u setup failed: %s",
				dev->data->port_id, priv->args.rawdev, q,
				rte_strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void
ntb_vnet_queue_states(struct rte_eth_dev *dev, uint8_t state)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		dev->data->rx_queue_state[q] = state;
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		dev->data->tx_queue_state[q] = state;
}

static int
ntb_vnet_dev_start(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	int ret;

	ret = ntb_vnet_check_rx_buffers(dev);
	if (ret != 0)
		return ret;
	ret = ntb_vnet_rawdev_setup(dev);
	if (ret != 0)
		return ret;
	ntb_vnet_refresh_info(priv);
	if (priv->args.mode == NTB_VNET_MODE_INTR && !priv->rx_intr) {
		VNET_LOG(ERR, "port %u: mode=intr but rawdev %s has no Rx interrupts",
			dev->data->port_id, priv->args.rawdev);
		return -ENOTSUP;
	}
	ret = rte_rawdev_start(priv->rawdev_id);
	if (ret != 0) {
		VNET_LOG(ERR, "port %u: rawdev %s start failed: %s",
			dev->data->port_id, priv->args.rawdev,
			rte_strerror(-ret));
		return ret;
	}
	priv->rawdev_started = true;
	ntb_vnet_refresh_info(priv);
	if (dev->data->dev_conf.intr_conf.rxq != 0) {
		ret = ntb_vnet_rx_intr_install(dev);
		if (ret != 0) {
			priv->rawdev_started = false;
			rte_rawdev_stop(priv->rawdev_id);
			return ret;
		}
	}
	ntb_vnet_queue_states(dev, RTE_ETH_QUEUE_STATE_STARTED);
	ntb_vnet_link_update(dev, 0);
	return 0;
}

static int
ntb_vnet_dev_stop(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	struct rte_eth_link link;

	ntb_vnet_rx_intr_uninstall(dev);
	if (priv->rawdev_started) {
		priv->rawdev_started = false;
		if (ntb_vnet_rawdev_reachable(priv))
			rte_rawdev_stop(priv->rawdev_id);
	}
	/*
	 * A stopped rawdev keeps its transport link (examples/ntb brings the
	 * link up at configure). The port follows the transport link as
	 * Linux ntb_netdev's carrier does, so stopping it closes the rawdev:
	 * the queue pairs go down and the peer sees its link go down.
	 * dev_start configures the rawdev again.
	 */
	ntb_vnet_rawdev_release(dev);
	ntb_vnet_queue_states(dev, RTE_ETH_QUEUE_STATE_STOPPED);
	ntb_vnet_link_read(dev, &link);
	rte_eth_linkstatus_set(dev, &link);
	return 0;
}

static void
ntb_vnet_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

static void
ntb_vnet_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

static void
ntb_vnet_queues_release(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		ntb_vnet_rx_queue_release(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		ntb_vnet_tx_queue_release(dev, q);
}

static int
ntb_vnet_dev_close(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	ntb_vnet_dev_stop(dev);
	if (priv->event_cb_registered && ntb_vnet_rawdev_reachable(priv)) {
		rte_pmd_ntb_dwedma_callback_unregister(priv->rawdev_id,
			ntb_vnet_rawdev_event, dev);
	}
	priv->event_cb_registered = false;
	ntb_vnet_rawdev_release(dev);
	ntb_vnet_queues_release(dev);
	/* mac_addrs and dev_private are freed by rte_eth_dev_release_port. */
	return 0;
}

/* Back to the state after probe; the application configures again. */
static int
ntb_vnet_dev_reset(struct rte_eth_dev *dev)
{
	/* dev_stop has closed the rawdev */
	ntb_vnet_dev_stop(dev);
	ntb_vnet_queues_release(dev);
	return 0;
}

static int
ntb_vnet_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *conf __rte_unused,
		struct rte_mempool *mp)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	struct ntb_vnet_rxq *rxq;

	ntb_vnet_rx_queue_release(dev, qid);
	rxq = rte_zmalloc_socket("ntb_vnet_rxq", sizeof(*rxq),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->rawdev_id = priv->rawdev_id;
	rxq->qid = qid;
	rxq->port_id = dev->data->port_id;
	rxq->nb_desc = nb_desc;
	rxq->mp = mp;
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
ntb_vnet_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *conf)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	struct ntb_vnet_txq *txq;
	uint16_t thresh = conf != NULL ? conf->tx_free_thresh : 0;

	/* The NTB rawdev contract wants tx_free_thresh < nb_desc - 3. */
	if (thresh == 0)
		thresh = nb_desc / 2;
	if (thresh + 3 >= nb_desc) {
		VNET_LOG(ERR, "port %u: Tx queue %u: tx_free_thresh %u must be below nb_desc - 3 (%u)",
			dev->data->port_id, qid, thresh, nb_desc - 3);
		return -EINVAL;
	}
	ntb_vnet_tx_queue_release(dev, qid);
	txq = rte_zmalloc_socket("ntb_vnet_txq", sizeof(*txq),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->rawdev_id = priv->rawdev_id;
	txq->qid = qid;
	txq->nb_desc = nb_desc;
	txq->tx_free_thresh = thresh;
	txq->max_pkt_len = &priv->max_pkt_len;
	txq->mtu = &dev->data->mtu;
	dev->data->tx_queues[qid] = txq;
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

static const struct eth_dev_ops ntb_vnet_ops = {
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
static const struct eth_dev_ops ntb_vnet_secondary_ops = {
	.dev_close = ntb_vnet_dev_close,
	.dev_infos_get = ntb_vnet_dev_infos_get,
	.stats_get = ntb_vnet_stats_get,
	.xstats_get = ntb_vnet_xstats_get,
	.xstats_get_names = ntb_vnet_xstats_get_names,
};

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
