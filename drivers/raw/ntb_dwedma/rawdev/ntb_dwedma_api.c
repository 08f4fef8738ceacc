/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* Public API of rte_pmd_ntb_dwedma.h. */

#include <errno.h>
#include <string.h>

#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_intr.h"
#include "ntb_transport_wire.h"
#include "rte_pmd_ntb_dwedma.h"

static bool
is_ours(const struct rte_rawdev *dev)
{
	return dev->attached && dev->dev_ops == &ntb_dwedma_ops;
}

static struct ntb_dwedma_dev *
dev_get(uint16_t dev_id)
{
	if (!rte_rawdev_pmd_is_valid_dev(dev_id) ||
	    !is_ours(&rte_rawdevs[dev_id]))
		return NULL;
	return rte_rawdevs[dev_id].dev_private;
}

/* The queue of a started device, or NULL: the only check on the path. */
static inline struct ntb_dwedma_qp *
qp_get(uint16_t dev_id, uint16_t q)
{
	struct ntb_dwedma_dev *d;

	if (unlikely(dev_id >= RTE_RAWDEV_MAX_DEVS))
		return NULL;
	d = rte_rawdevs[dev_id].dev_private;
	if (unlikely(d == NULL || q >= d->queue_num ||
		     rte_rawdevs[dev_id].dev_ops != &ntb_dwedma_ops))
		return NULL;
	return &d->qp[q];
}

int
rte_pmd_ntb_dwedma_is_ntb_dwedma(uint16_t dev_id)
{
	return dev_get(dev_id) != NULL;
}

int
rte_pmd_ntb_dwedma_info_get(uint16_t dev_id,
			    struct rte_pmd_ntb_dwedma_info *info)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);
	uint32_t payload = 0;
	uint16_t q;

	if (d == NULL)
		return -ENODEV;
	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->max_queue_pairs = ntb_dwedma_max_qp(d);
	info->nb_queue_pairs = d->queue_num;
	info->is_ep = d->is_ep;
	if (d->configured) {
		for (q = 0; q < d->queue_num; q++) {
			uint32_t p = ntbt_qp_max_payload(ntbt_qp(d->t, q));

			if (q == 0 || p < payload)
				payload = p;
		}
		info->rx_intr = ntb_intr_rx_fd(&d->intr, 0) >= 0;
		snprintf(info->intr_mode, sizeof(info->intr_mode), "%s",
			 ntb_intr_mode_name(d->intr.mode));
	} else {
		info->rx_intr = d->opts.intr != NTB_INTR_POLL;
		snprintf(info->intr_mode, sizeof(info->intr_mode), "%s",
			 ntb_intr_mode_name(d->opts.intr));
	}
	/* before the link is up, what the configured frame size allows */
	info->max_pkt_len = payload ? payload :
		(d->opts.transport_mtu ? d->opts.transport_mtu : NTBT_DEFAULT_MTU) -
		NTBT_HDR_SIZE;
	info->frame_size = payload ? payload + NTBT_HDR_SIZE : 0;
	return 0;
}

int
rte_pmd_ntb_dwedma_link_get(uint16_t dev_id,
			    struct rte_pmd_ntb_dwedma_link *link)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);

	if (d == NULL)
		return -ENODEV;
	if (link == NULL)
		return -EINVAL;
	memset(link, 0, sizeof(*link));
	link->up = __atomic_load_n(&d->link_up, __ATOMIC_ACQUIRE);
	if (d->hw_ops->pcie_link != NULL)
		d->hw_ops->pcie_link(d, &link->pcie_speed, &link->pcie_width);
	return 0;
}

int
rte_pmd_ntb_dwedma_qp_stats_get(uint16_t dev_id, uint16_t qp,
				struct rte_pmd_ntb_dwedma_qp_stats *stats)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);

	if (d == NULL)
		return -ENODEV;
	if (stats == NULL || qp >= d->queue_num)
		return -EINVAL;
	ntb_dwedma_qp_stats(d, qp, stats);
	return 0;
}

int
rte_pmd_ntb_dwedma_qp_stats_reset(uint16_t dev_id, uint16_t qp)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);
	uint32_t id;

	if (d == NULL)
		return -ENODEV;
	if (qp >= d->queue_num)
		return -EINVAL;
	/* the first per-queue xstat id of qp resets the whole queue */
	id = (qp + 1) * (uint32_t)(ntb_dwedma_xstats_get_names(d->rawdev,
						NULL, 0) / (1 + d->queue_num));
	return ntb_dwedma_xstats_reset(d->rawdev, &id, 1);
}

uint16_t
rte_pmd_ntb_dwedma_tx_burst(uint16_t dev_id, uint16_t q,
			    struct rte_mbuf **pkts, uint16_t nb)
{
	struct ntb_dwedma_qp *qp = qp_get(dev_id, q);

	if (unlikely(qp == NULL || qp->tq == NULL))
		return 0;
	return ntbt_tx_burst(qp->tq, pkts, nb);
}

uint16_t
rte_pmd_ntb_dwedma_rx_burst(uint16_t dev_id, uint16_t q,
			    struct rte_mbuf **pkts, uint16_t nb)
{
	struct ntb_dwedma_qp *qp = qp_get(dev_id, q);

	if (unlikely(qp == NULL || qp->tq == NULL))
		return 0;
	return ntbt_rx_burst(qp->tq, pkts, nb, qp->rx_mp);
}

int
rte_pmd_ntb_dwedma_rx_intr_fd(uint16_t dev_id, uint16_t q)
{
	struct ntb_dwedma_qp *qp = qp_get(dev_id, q);

	if (qp == NULL || qp->tq == NULL)
		return -EINVAL;
	return ntb_intr_deliver_fd(&dev_get(dev_id)->intr_dl, q);
}

int
rte_pmd_ntb_dwedma_rx_intr_enable(uint16_t dev_id, uint16_t q)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);

	if (d == NULL || q >= d->queue_num || d->qp[q].tq == NULL)
		return -EINVAL;
	return ntb_dwedma_intr_enable(d, q);
}

int
rte_pmd_ntb_dwedma_rx_intr_disable(uint16_t dev_id, uint16_t q)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);

	if (d == NULL || q >= d->queue_num || d->qp[q].tq == NULL)
		return -EINVAL;
	return ntb_dwedma_intr_disable(d, q);
}

int
rte_pmd_ntb_dwedma_callback_register(uint16_t dev_id,
				     rte_pmd_ntb_dwedma_event_cb_t cb,
				     void *arg)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);
	int ret = -ENOSPC;
	unsigned int i;

	if (d == NULL)
		return -ENODEV;
	if (cb == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->cb_lock);
	for (i = 0; i < NTB_DWEDMA_MAX_CB; i++) {
		if (d->cb[i].fn == cb && d->cb[i].arg == arg) {
			ret = -EEXIST;
			break;
		}
	}
	for (i = 0; ret == -ENOSPC && i < NTB_DWEDMA_MAX_CB; i++) {
		if (d->cb[i].fn == NULL) {
			d->cb[i].fn = cb;
			d->cb[i].arg = arg;
			ret = 0;
		}
	}
	rte_spinlock_unlock(&d->cb_lock);
	return ret;
}

int
rte_pmd_ntb_dwedma_callback_unregister(uint16_t dev_id,
				       rte_pmd_ntb_dwedma_event_cb_t cb,
				       void *arg)
{
	struct ntb_dwedma_dev *d = dev_get(dev_id);
	int ret = -ENOENT;
	unsigned int i;

	if (d == NULL)
		return -ENODEV;
	rte_spinlock_lock(&d->cb_lock);
	for (i = 0; i < NTB_DWEDMA_MAX_CB; i++) {
		if (d->cb[i].fn == cb && d->cb[i].arg == arg) {
			d->cb[i].fn = NULL;
			d->cb[i].arg = NULL;
			ret = 0;
		}
	}
	rte_spinlock_unlock(&d->cb_lock);
	return ret;
}
