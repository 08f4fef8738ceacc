/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rawdev ops: the life cycle of DPDK's NTB rawdev contract (rte_pmd_ntb.h)
 * on top of the transport. Configure starts the handshake (so that the
 * link can come up before start, as examples/ntb expects), start binds
 * the queue pairs to the transport, close releases everything. The
 * probes' shared steps are in ntb_dwedma_probe.c, the queue ops in
 * ntb_dwedma_queue.c.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_malloc.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_intr.h"
#include "ntb_dwedma_log.h"

static int
ntb_dwedma_info_get(struct rte_rawdev *dev, rte_rawdev_obj_t obj,
		    size_t size)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	struct ntb_dev_info *info = obj;

	if (info == NULL || size != sizeof(*info)) {
		NTB_LOG(ERR, "%s: info size %zu, expected struct ntb_dev_info (%zu)",
			dev->name, size, sizeof(*info));
		return -EINVAL;
	}
	/* examples/ntb sets both before asking (DPDK NTB rawdev contract) */
	if (d->queue_size == 0 || d->queue_num == 0) {
		NTB_LOG(ERR, "%s: set attributes queue_size and queue_num first",
			dev->name);
		return -EAGAIN;
	}
	/*
	 * Packets are copied into the peer's frames: the rings need no
	 * room in the application's memzones and mbufs may live anywhere.
	 */
	info->ntb_hdr_size = 0;
	info->mw_size_align = 0;
	info->mw_cnt = d->nd->mw_count;
	info->mw_size = d->mw_size;
	return 0;
}

static int
ntb_dwedma_configure(const struct rte_rawdev *dev, rte_rawdev_obj_t obj,
		     size_t size)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	struct ntb_dev_config *conf = obj;
	struct ntbt_conf tconf;
	int qp_count, ret;

	if (conf == NULL || size != sizeof(*conf)) {
		NTB_LOG(ERR, "%s: config size %zu, expected struct ntb_dev_config (%zu)",
			dev->name, size, sizeof(*conf));
		return -EINVAL;
	}
	if (dev->started) {
		NTB_LOG(ERR, "%s: stop the device before configuring it",
			dev->name);
		return -EBUSY;
	}
	if (d->configured) {
		NTB_LOG(ERR, "%s: already configured; reset it first",
			dev->name);
		return -EBUSY;
	}
	if (conf->num_queues == 0 || conf->num_queues > NTB_DWEDMA_MAX_QP) {
		NTB_LOG(ERR, "%s: num_queues %u out of range 1..%u",
			dev->name, conf->num_queues, NTB_DWEDMA_MAX_QP);
		return -EINVAL;
	}
	if (conf->queue_size < NTB_MIN_DESC_SIZE ||
	    conf->queue_size > NTB_MAX_DESC_SIZE) {
		NTB_LOG(ERR, "%s: queue_size %u out of range %u..%u",
			dev->name, conf->queue_size, NTB_MIN_DESC_SIZE,
			NTB_MAX_DESC_SIZE);
		return -EINVAL;
	}

	memset(&tconf, 0, sizeof(tconf));
	tconf.nb_qp = d->opts.num_qps;
	tconf.transport_mtu = d->opts.transport_mtu;
	tconf.max_mw_size = d->opts.max_mw_size;
	/* an interrupt MW nobody asked for: only if the peer has one too */
	tconf.intr_auto = d->opts.intr == NTB_INTR_AUTO;
	tconf.event_cb = ntb_dwedma_qp_event;
	tconf.event_arg = d;

	ret = ntb_dwedma_intr_setup(d);
	if (ret < 0)
		return ret;
	qp_count = ntbt_qp_count(d->nd, d->intr.mode, &tconf);
	if (qp_count < 0) {
		ret = qp_count;
		goto fail_intr;
	}
	/*
	 * Without num_qps the queue pair count is the kernel's default
	 * (max_num_clients 0), so that a stock peer publishes the same
	 * NUM_QPS whatever the number of queues used here; more queues than
	 * that ask for them as max_num_clients does (the peer must too).
	 */
	if (tconf.nb_qp == 0 && conf->num_queues > qp_count) {
		tconf.nb_qp = conf->num_queues;
		qp_count = ntbt_qp_count(d->nd, d->intr.mode, &tconf);
		if (qp_count < 0) {
			ret = qp_count;
			goto fail_intr;
		}
	}
	if (qp_count < conf->num_queues) {
		NTB_LOG(ERR, "%s: num_queues %u but the link carries %d queue pair(s) (doorbells %u, memory windows %u, intr %s)",
			dev->name, conf->num_queues, qp_count, d->nd->db_count,
			d->nd->mw_count, ntb_dwedma_intr_mode_name(d->intr.mode));
		ret = -EINVAL;
		goto fail_intr;
	}
	ret = ntb_dwedma_dma_copy_setup(d, &tconf, (uint16_t)qp_count);
	if (ret < 0)
		goto fail_intr;
	ret = ntbt_create(&d->t, d->nd, &d->intr, &tconf, d->socket_id);
	if (ret < 0)
		goto fail_intr;
	d->nb_qp = ntbt_nb_qp(d->t);
	d->queue_num = conf->num_queues;
	d->queue_size = conf->queue_size;
	d->configured = true;

	ret = ntbt_start(d->t);
	if (ret < 0)
		goto fail_t;
	ret = ntb_dwedma_ctrl_start(d);
	if (ret < 0)
		goto fail_t;
	NTB_LOG(INFO, "%s: configured %u queue pair(s), interrupts %s",
		dev->name, d->queue_num, ntb_dwedma_intr_mode_name(d->intr.mode));
	return 0;

fail_t:
	ntbt_destroy(d->t);
	d->t = NULL;
	d->configured = false;
fail_intr:
	ntb_dwedma_dma_copy_teardown(d);
	ntb_dwedma_intr_teardown(d);
	return ret;
}

static int
ntb_dwedma_start(struct rte_rawdev *dev)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	uint16_t q;

	if (!d->configured) {
		NTB_LOG(ERR, "%s: configure the device before starting it",
			dev->name);
		return -EINVAL;
	}
	for (q = 0; q < d->queue_num; q++) {
		if (!d->qp[q].configured) {
			NTB_LOG(ERR, "%s: queue %u is not set up", dev->name, q);
			return -EINVAL;
		}
	}
	/* attaches the transport's queues (d->qp[].tq) too */
	return ntb_dwedma_intr_start(d);
}

static void
ntb_dwedma_stop(struct rte_rawdev *dev)
{
	/* detaches the queues once no interrupt fan-out uses them */
	ntb_dwedma_intr_stop(ntb_dwedma_priv(dev));
}

/* Undo configure: transport down (LINK_DOWN to the peer), control thread
 * and interrupt backend gone, queues forgotten. The hardware stays.
 */
static void
ntb_dwedma_unconfigure(struct ntb_dwedma_dev *d)
{
	uint16_t q;

	/* not configured: d->nd may be gone already (close after fini) */
	if (!d->configured)
		return;
	ntb_dwedma_ctrl_stop(d);
	/* RC: an EP that stopped answering costs one timeout, not one per
	 * teardown command (TEARDOWN_MW, LINK_DOWN, TEARDOWN_DOORBELL)
	 */
	ntb_dev_set_closing(d->nd, true);
	ntbt_destroy(d->t);
	ntb_dev_set_closing(d->nd, false);
	d->t = NULL;
	ntb_dwedma_dma_copy_teardown(d);
	ntb_dwedma_intr_teardown(d);
	for (q = 0; q < NTB_DWEDMA_MAX_QP; q++)
		memset(&d->qp[q], 0, sizeof(d->qp[q]));
	/* stopped (no fds left): the queues' interrupt counters restart */
	ntb_intr_deliver_init(&d->intr_dl);
	d->configured = false;
	d->nb_qp = 0;
	d->link_up = 0;
	d->qp_up_mask = 0;
}

static int
ntb_dwedma_close(struct rte_rawdev *dev)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);

	if (dev->started)
		ntb_dwedma_stop(dev);
	ntb_dwedma_unconfigure(d);
	return 0;
}

static int
ntb_dwedma_reset(struct rte_rawdev *dev)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);

	if (dev->started) {
		NTB_LOG(ERR, "%s: stop the device before resetting it",
			dev->name);
		return -EBUSY;
	}
	ntb_dwedma_unconfigure(d);
	d->queue_size = 0;
	d->queue_num = 0;
	return 0;
}

static int
ntb_dwedma_dump(struct rte_rawdev *dev, FILE *f)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	struct rte_pmd_ntb_dwedma_qp_stats s;
	uint16_t q;

	fprintf(f, "%s: role %s, link %s, interrupts %s\n", dev->name,
		d->is_ep ? "ep" : "rc", d->link_up ? "up" : "down",
		d->configured ? ntb_dwedma_intr_mode_name(d->intr.mode) :
		"(not configured)");
	fprintf(f, "  memory windows %u, doorbells %u, scratchpads %u\n",
		d->nd->mw_count, d->nd->db_count, d->nd->spad_count);
	for (q = 0; q < d->queue_num; q++) {
		ntb_dwedma_qp_stats(d, q, &s);
		fprintf(f, "  qp %u: link %s tx %" PRIu64 " rx %" PRIu64
			" tx_errors %" PRIu64 " rx_errors %" PRIu64 "\n", q,
			d->qp_up_mask & RTE_BIT64(q) ? "up" : "down",
			s.tx_pkts, s.rx_pkts, s.tx_errors, s.rx_errors);
	}
	return 0;
}

const struct rte_rawdev_ops ntb_dwedma_ops = {
	.dev_info_get = ntb_dwedma_info_get,
	.dev_configure = ntb_dwedma_configure,
	.dev_start = ntb_dwedma_start,
	.dev_stop = ntb_dwedma_stop,
	.dev_close = ntb_dwedma_close,
	.dev_reset = ntb_dwedma_reset,
	.queue_def_conf = ntb_dwedma_queue_def_conf,
	.queue_setup = ntb_dwedma_queue_setup,
	.queue_release = ntb_dwedma_queue_release,
	.queue_count = ntb_dwedma_queue_count,
	.enqueue_bufs = ntb_dwedma_enqueue,
	.dequeue_bufs = ntb_dwedma_dequeue,
	.dump = ntb_dwedma_dump,
	.attr_get = ntb_dwedma_attr_get,
	.attr_set = ntb_dwedma_attr_set,
	.xstats_get = ntb_dwedma_xstats_get,
	.xstats_get_names = ntb_dwedma_xstats_get_names,
	.xstats_get_by_name = ntb_dwedma_xstats_get_by_name,
	.xstats_reset = ntb_dwedma_xstats_reset,
	.dev_selftest = ntb_dwedma_selftest,
};

int
ntb_dwedma_dev_destroy(struct ntb_dwedma_dev *d)
{
	struct rte_rawdev *rawdev = d->rawdev;

	ntb_dwedma_close(rawdev);
	ntb_dwedma_dma_detach(d);
	if (d->hw_ops != NULL && d->hw_ops->fini != NULL)
		d->hw_ops->fini(d);
	return rte_rawdev_pmd_release(rawdev);
}
