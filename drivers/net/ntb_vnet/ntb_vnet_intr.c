/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Rx interrupts. A vdev has no interrupt handle of its own, so one of
 * type VDEV is built at start: efd i is the rawdev's eventfd of queue
 * pair i (owned by the rawdev, valid from rawdev start to stop), vector
 * i maps Rx queue i to it. EAL reads 8 bytes after a wakeup, which
 * drains the eventfd counter.
 */

#include <errno.h>

#include <ethdev_driver.h>
#include <rte_interrupts.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"
#include "ntb_vnet_log.h"

int
ntb_vnet_rx_intr_install(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	struct rte_intr_handle *h;
	uint16_t q;
	int fd;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL) {
		VNET_LOG(ERR, "port %u: cannot allocate an interrupt handle",
			dev->data->port_id);
		return -ENOMEM;
	}
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
			rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0 ||
			rte_intr_vec_list_alloc(h, "ntb_vnet_intr_vec",
				nb_rxq) != 0)
		goto fail;
	for (q = 0; q < nb_rxq; q++) {
		fd = rte_pmd_ntb_dwedma_rx_intr_fd(priv->rawdev_id, q);
		if (fd < 0) {
			VNET_LOG(ERR, "port %u: rawdev %s gives no Rx interrupt fd for queue %u: %s",
				dev->data->port_id, priv->args.rawdev, q,
				rte_strerror(-fd));
			goto fail;
		}
		if (rte_intr_efds_index_set(h, q, fd) != 0 ||
				rte_intr_vec_list_index_set(h, q,
					RTE_INTR_VEC_RXTX_OFFSET + q) != 0)
			goto fail;
	}
	if (rte_intr_nb_efd_set(h, nb_rxq) != 0 ||
			rte_intr_max_intr_set(h, nb_rxq + 1) != 0)
		goto fail;
	dev->intr_handle = h;
	return 0;

fail:
	VNET_LOG(ERR, "port %u: cannot set up Rx interrupts",
		dev->data->port_id);
	rte_intr_vec_list_free(h);
	rte_intr_instance_free(h);
	return -EINVAL;
}

/* The eventfds belong to the rawdev: only the handle is freed here. */
void
ntb_vnet_rx_intr_uninstall(struct rte_eth_dev *dev)
{
	struct rte_intr_handle *h = dev->intr_handle;

	if (h == NULL)
		return;
	dev->intr_handle = NULL;
	rte_intr_vec_list_free(h);
	rte_intr_instance_free(h);
}

int
ntb_vnet_rx_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;

	if (dev->intr_handle == NULL)
		return -ENOTSUP;
	return rte_pmd_ntb_dwedma_rx_intr_enable(priv->rawdev_id, qid);
}

int
ntb_vnet_rx_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;

	if (dev->intr_handle == NULL)
		return -ENOTSUP;
	return rte_pmd_ntb_dwedma_rx_intr_disable(priv->rawdev_id, qid);
}
