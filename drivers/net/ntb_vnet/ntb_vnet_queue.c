/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet: Rx and Tx queue set-up and release. A queue only records
 * its parameters here; dev_start hands them to the rawdev's queue pairs.
 */

#include <errno.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>

#include "ntb_vnet.h"
#include "ntb_vnet_log.h"

void
ntb_vnet_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

void
ntb_vnet_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

int
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

int
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
