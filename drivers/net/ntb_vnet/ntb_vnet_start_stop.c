/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: configure, start, stop, close and reset of a port.
 *
 * The rawdev is configured from the ethdev's dev_start, when the queue
 * count, ring sizes and Rx mempools are all known, and stopped/closed
 * from dev_stop/dev_close: stopping the port takes the NTB link down
 * towards the peer, as unplugging a cable would.
 */

#include <errno.h>

#include <ethdev_driver.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"
#include "ntb_vnet_log.h"

int
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

int
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

int
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
ntb_vnet_queues_release(struct rte_eth_dev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++)
		ntb_vnet_rx_queue_release(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		ntb_vnet_tx_queue_release(dev, q);
}

int
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
int
ntb_vnet_dev_reset(struct rte_eth_dev *dev)
{
	/* dev_stop has closed the rawdev */
	ntb_vnet_dev_stop(dev);
	ntb_vnet_queues_release(dev);
	return 0;
}
