/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rawdev ops of the queues in DPDK's NTB rawdev contract (rte_pmd_ntb.h):
 * queue set-up and release between configure and start, and the mbuf
 * enqueue and dequeue onto the transport's bursts.
 */

#include <errno.h>

#include <rte_pmd_ntb.h>
#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"

int
ntb_dwedma_queue_def_conf(struct rte_rawdev *dev, uint16_t qid,
			  rte_rawdev_obj_t obj, size_t size)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	struct ntb_queue_conf *qc = obj;

	if (qc == NULL || size != sizeof(*qc) || qid >= NTB_DWEDMA_MAX_QP)
		return -EINVAL;
	qc->nb_desc = d->queue_size ? d->queue_size : NTB_MAX_DESC_SIZE;
	qc->tx_free_thresh = 256;
	qc->rx_mp = d->qp[qid].rx_mp;
	return 0;
}

int
ntb_dwedma_queue_setup(struct rte_rawdev *dev, uint16_t qid,
		       rte_rawdev_obj_t obj, size_t size)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	struct ntb_queue_conf *qc = obj;
	struct ntb_dwedma_qp *qp;

	if (qc == NULL || size != sizeof(*qc)) {
		NTB_LOG(ERR, "%s: queue conf size %zu, expected struct ntb_queue_conf (%zu)",
			dev->name, size, sizeof(*qc));
		return -EINVAL;
	}
	if (!d->configured || qid >= d->queue_num) {
		NTB_LOG(ERR, "%s: queue %u: configure the device with enough queues first",
			dev->name, qid);
		return -EINVAL;
	}
	if (dev->started) {
		NTB_LOG(ERR, "%s: queue %u: device is started", dev->name, qid);
		return -EBUSY;
	}
	if (qc->rx_mp == NULL) {
		NTB_LOG(ERR, "%s: queue %u: rx_mp is NULL", dev->name, qid);
		return -EINVAL;
	}
	if (qc->nb_desc < NTB_MIN_DESC_SIZE || qc->nb_desc > NTB_MAX_DESC_SIZE) {
		NTB_LOG(ERR, "%s: queue %u: nb_desc %u out of range %u..%u",
			dev->name, qid, qc->nb_desc, NTB_MIN_DESC_SIZE,
			NTB_MAX_DESC_SIZE);
		return -EINVAL;
	}
	if (qc->tx_free_thresh != 0 && qc->tx_free_thresh >= qc->nb_desc - 3) {
		NTB_LOG(ERR, "%s: queue %u: tx_free_thresh %u must be < nb_desc - 3 (%u)",
			dev->name, qid, qc->tx_free_thresh, qc->nb_desc - 3);
		return -EINVAL;
	}
	qp = &d->qp[qid];
	qp->rx_mp = qc->rx_mp;
	qp->nb_desc = qc->nb_desc;
	qp->tx_free_thresh = qc->tx_free_thresh;
	qp->configured = true;
	return 0;
}

int
ntb_dwedma_queue_release(struct rte_rawdev *dev, uint16_t qid)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);

	if (qid >= NTB_DWEDMA_MAX_QP)
		return -EINVAL;
	if (dev->started)
		return -EBUSY;
	d->qp[qid].configured = false;
	d->qp[qid].rx_mp = NULL;
	return 0;
}

uint16_t
ntb_dwedma_queue_count(struct rte_rawdev *dev)
{
	return ntb_dwedma_priv(dev)->queue_num;
}

/*
 * rte_rawdev_enqueue_buffers: context = queue id, buf_addr = mbuf
 * (DPDK NTB rawdev contract). Returns the number of buffers consumed.
 */
int
ntb_dwedma_enqueue(struct rte_rawdev *dev, struct rte_rawdev_buf **bufs,
		   unsigned int count, rte_rawdev_obj_t ctx)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	uint16_t q = (uint16_t)(uintptr_t)ctx;
	struct rte_mbuf *pkts[64];
	unsigned int done = 0;

	if (unlikely(q >= d->queue_num || d->qp[q].tq == NULL))
		return -EINVAL;
	while (done < count) {
		uint16_t n = RTE_MIN(count - done, RTE_DIM(pkts));
		uint16_t i, sent;

		for (i = 0; i < n; i++)
			pkts[i] = bufs[done + i]->buf_addr;
		sent = ntbt_tx_burst(d->qp[q].tq, pkts, n);
		done += sent;
		if (sent < n)
			break;
	}
	return done;
}

int
ntb_dwedma_dequeue(struct rte_rawdev *dev, struct rte_rawdev_buf **bufs,
		   unsigned int count, rte_rawdev_obj_t ctx)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	uint16_t q = (uint16_t)(uintptr_t)ctx;
	struct rte_mbuf *pkts[64];
	uint16_t n, i;

	if (unlikely(q >= d->queue_num || d->qp[q].tq == NULL))
		return -EINVAL;
	n = ntbt_rx_burst(d->qp[q].tq, pkts,
			  RTE_MIN(count, RTE_DIM(pkts)), d->qp[q].rx_mp);
	for (i = 0; i < n; i++)
		bufs[i]->buf_addr = pkts[i];
	return n;
}
