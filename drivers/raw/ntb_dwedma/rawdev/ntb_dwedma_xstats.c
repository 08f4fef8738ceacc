/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Extended statistics: device totals first, then the same counters per
 * queue pair with a "_q<N>" suffix (the layout of DPDK's NTB rawdev),
 * then the device's interrupt counters by source (the backend's
 * ntb_intr_stats) and the platform's edma_lock_timeouts and the RC's heartbeat counters
 * (peer_heartbeats, peer_liveness_timeouts). Reset keeps a snapshot; counters themselves only grow.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "vntb_rc.h"

enum xstat_id {
	XS_TX_PKTS,
	XS_TX_BYTES,
	XS_TX_ERRORS,
	XS_TX_RING_FULL,
	XS_RX_PKTS,
	XS_RX_BYTES,
	XS_RX_ERRORS,
	XS_RX_NOMBUF,
	XS_PEER_REJECTS,
	XS_INTR_RX,
	XS_RX_INTR_WAKEUPS,
	XS_NB,
};

/* Device-only counters, after the per-queue ones. */
enum xstat_dev_id {
	XD_INTR_DOORBELL,
	XD_INTR_MSI,
	XD_INTR_DW_EDMA,
	XD_INTR_DW_EDMA_DONE,
	XD_INTR_DW_EDMA_ABORT,
	XD_INTR_SPURIOUS,
	XD_EDMA_LOCK_TIMEOUTS,
	XD_PEER_HEARTBEATS,
	XD_PEER_LIVENESS_TIMEOUTS,
	XD_NB,
};

static const char *const xstat_dev_names[XD_NB] = {
	[XD_INTR_DOORBELL] = "intr_doorbell",
	[XD_INTR_MSI] = "intr_msi",
	[XD_INTR_DW_EDMA] = "intr_dw_edma",
	[XD_INTR_DW_EDMA_DONE] = "intr_dw_edma_done",
	[XD_INTR_DW_EDMA_ABORT] = "intr_dw_edma_abort",
	[XD_INTR_SPURIOUS] = "intr_spurious",
	[XD_EDMA_LOCK_TIMEOUTS] = "edma_lock_timeouts",
	[XD_PEER_HEARTBEATS] = "peer_heartbeats",
	[XD_PEER_LIVENESS_TIMEOUTS] = "peer_liveness_timeouts",
};

static const char *const xstat_names[XS_NB] = {
	[XS_TX_PKTS] = "tx_packets",
	[XS_TX_BYTES] = "tx_bytes",
	[XS_TX_ERRORS] = "tx_errors",
	[XS_TX_RING_FULL] = "tx_ring_full",
	[XS_RX_PKTS] = "rx_packets",
	[XS_RX_BYTES] = "rx_bytes",
	[XS_RX_ERRORS] = "rx_errors",
	[XS_RX_NOMBUF] = "rx_nombuf",
	[XS_PEER_REJECTS] = "peer_rejects",
	[XS_INTR_RX] = "intr_rx",
	[XS_RX_INTR_WAKEUPS] = "rx_intr_wakeups",
};

static void
raw_qp_stats(const struct ntb_dwedma_dev *d, uint16_t q,
	     struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	struct ntbt_qp_stats t;
	const struct ntb_dwedma_qp *qp = &d->qp[q];

	memset(s, 0, sizeof(*s));
	if (d->t == NULL || q >= d->nb_qp)
		return;
	ntbt_qp_stats_get(ntbt_qp(d->t, q), &t);
	s->tx_pkts = t.tx_pkts;
	s->tx_bytes = t.tx_bytes;
	s->tx_errors = t.tx_err_oversize;
	s->tx_ring_full = t.tx_ring_full;
	s->rx_pkts = t.rx_pkts;
	s->rx_bytes = t.rx_bytes;
	s->rx_errors = t.rx_err_ver + t.rx_err_len;
	s->rx_nombuf = t.rx_nobuf;
	s->peer_rejects = t.tx_err_rx_info + t.rx_err_ver + t.rx_err_len;
	s->intr_rx = qp->intr_rx;
	s->rx_intr_wakeups = qp->intr_wakeups;
}

static void
raw_intr_stats(const struct ntb_dwedma_dev *d, struct ntb_intr_stats *s)
{
	if (d->intr_ready)
		*s = d->intr.stats;
	else
		memset(s, 0, sizeof(*s));
}

static uint64_t
intr_stat_field(const struct ntb_intr_stats *s, enum xstat_dev_id id)
{
	switch (id) {
	case XD_INTR_DOORBELL: return s->doorbell;
	case XD_INTR_MSI: return s->msi;
	case XD_INTR_DW_EDMA: return s->dw_edma;
	case XD_INTR_DW_EDMA_DONE: return s->dw_edma_done;
	case XD_INTR_DW_EDMA_ABORT: return s->dw_edma_abort;
	case XD_INTR_SPURIOUS: return s->spurious;
	default: return 0;
	}
}

static uint64_t
raw_edma_lock_timeouts(const struct ntb_dwedma_dev *d)
{
	struct ntb_dwedma_dev *dd = (struct ntb_dwedma_dev *)(uintptr_t)d;

	if (d->hw_ops == NULL || d->hw_ops->edma_lock_timeouts == NULL)
		return 0;
	return d->hw_ops->edma_lock_timeouts(dd);
}

/* RC heartbeat counters (vntb_rc_live.c); 0 on the EP. */
static uint64_t
raw_liveness_stat(const struct ntb_dwedma_dev *d, enum xstat_dev_id id)
{
	if (d->rc == NULL)
		return 0;
	return id == XD_PEER_HEARTBEATS ?
		__atomic_load_n(&d->rc->heartbeats, __ATOMIC_RELAXED) :
		__atomic_load_n(&d->rc->liveness_timeouts, __ATOMIC_RELAXED);
}

static void
raw_dev_stats_snapshot(struct ntb_dwedma_dev *d)
{
	raw_intr_stats(d, &d->intr_stats_off);
	d->edma_lock_timeouts_off = raw_edma_lock_timeouts(d);
	d->heartbeats_off = raw_liveness_stat(d, XD_PEER_HEARTBEATS);
	d->liveness_timeouts_off =
		raw_liveness_stat(d, XD_PEER_LIVENESS_TIMEOUTS);
}

static uint64_t
intr_stat_value(const struct ntb_dwedma_dev *d, enum xstat_dev_id id)
{
	struct ntb_intr_stats s;

	if (id == XD_EDMA_LOCK_TIMEOUTS)
		return raw_edma_lock_timeouts(d) - d->edma_lock_timeouts_off;
	if (id == XD_PEER_HEARTBEATS)
		return raw_liveness_stat(d, id) - d->heartbeats_off;
	if (id == XD_PEER_LIVENESS_TIMEOUTS)
		return raw_liveness_stat(d, id) - d->liveness_timeouts_off;

	raw_intr_stats(d, &s);
	return intr_stat_field(&s, id) - intr_stat_field(&d->intr_stats_off, id);
}

static void
qp_stats_sub(struct rte_pmd_ntb_dwedma_qp_stats *s,
	     const struct rte_pmd_ntb_dwedma_qp_stats *off)
{
	uint64_t *v = (uint64_t *)s;
	const uint64_t *o = (const uint64_t *)off;
	size_t i;

	for (i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		v[i] -= o[i];
}

/* Counters since the last reset. */
void
ntb_dwedma_qp_stats(const struct ntb_dwedma_dev *d, uint16_t q,
		    struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	raw_qp_stats(d, q, s);
	qp_stats_sub(s, &d->qp[q].stats_off);
}

static uint64_t
stat_field(const struct rte_pmd_ntb_dwedma_qp_stats *s, enum xstat_id id)
{
	switch (id) {
	case XS_TX_PKTS: return s->tx_pkts;
	case XS_TX_BYTES: return s->tx_bytes;
	case XS_TX_ERRORS: return s->tx_errors;
	case XS_TX_RING_FULL: return s->tx_ring_full;
	case XS_RX_PKTS: return s->rx_pkts;
	case XS_RX_BYTES: return s->rx_bytes;
	case XS_RX_ERRORS: return s->rx_errors;
	case XS_RX_NOMBUF: return s->rx_nombuf;
	case XS_PEER_REJECTS: return s->peer_rejects;
	case XS_INTR_RX: return s->intr_rx;
	case XS_RX_INTR_WAKEUPS: return s->rx_intr_wakeups;
	default: return 0;
	}
}

/* First id of the device-only counters. */
static unsigned int
xstats_dev_base(const struct ntb_dwedma_dev *d)
{
	return XS_NB * (1 + d->queue_num);
}

static unsigned int
xstats_count(const struct ntb_dwedma_dev *d)
{
	return xstats_dev_base(d) + XD_NB;
}

static void
xstat_name(const struct ntb_dwedma_dev *d, unsigned int i, char *buf,
	   size_t len)
{
	if (i >= xstats_dev_base(d))
		snprintf(buf, len, "%s",
			 xstat_dev_names[i - xstats_dev_base(d)]);
	else if (i < XS_NB)
		snprintf(buf, len, "%s", xstat_names[i]);
	else
		snprintf(buf, len, "%s_q%u", xstat_names[i % XS_NB],
			 i / XS_NB - 1);
}

static uint64_t
xstat_value(const struct ntb_dwedma_dev *d, unsigned int id)
{
	struct rte_pmd_ntb_dwedma_qp_stats s;
	uint64_t sum = 0;
	uint16_t q;

	if (id >= xstats_dev_base(d))
		return intr_stat_value(d, id - xstats_dev_base(d));
	if (id >= XS_NB) {
		ntb_dwedma_qp_stats(d, id / XS_NB - 1, &s);
		return stat_field(&s, id % XS_NB);
	}
	for (q = 0; q < d->queue_num; q++) {
		ntb_dwedma_qp_stats(d, q, &s);
		sum += stat_field(&s, id);
	}
	return sum;
}

int
ntb_dwedma_xstats_get_names(const struct rte_rawdev *dev,
			    struct rte_rawdev_xstats_name *names,
			    unsigned int size)
{
	const struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	unsigned int n = xstats_count(d), i;

	if (names == NULL || size < n)
		return n;
	for (i = 0; i < n; i++)
		xstat_name(d, i, names[i].name, sizeof(names[i].name));
	return n;
}

int
ntb_dwedma_xstats_get(const struct rte_rawdev *dev, const unsigned int ids[],
		      uint64_t values[], unsigned int n)
{
	const struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	unsigned int count = xstats_count(d), i;

	for (i = 0; i < n; i++) {
		if (ids[i] >= count)
			return i;
		values[i] = xstat_value(d, ids[i]);
	}
	return n;
}

uint64_t
ntb_dwedma_xstats_get_by_name(const struct rte_rawdev *dev, const char *name,
			      unsigned int *id)
{
	struct rte_rawdev_xstats_name xn;
	const struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	unsigned int count = xstats_count(d), i;

	for (i = 0; i < count; i++) {
		xstat_name(d, i, xn.name, sizeof(xn.name));
		if (strcmp(xn.name, name) == 0) {
			if (id != NULL)
				*id = i;
			return xstat_value(d, i);
		}
	}
	if (id != NULL)
		*id = (unsigned int)-1;
	return (uint64_t)-1;
}

/* Reset snapshots whole queues: a total or any per-queue id resets the
 * queues it covers; any device id resets the interrupt counters.
 */
int
ntb_dwedma_xstats_reset(struct rte_rawdev *dev, const uint32_t ids[],
			uint32_t nb_ids)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	uint16_t q;
	uint32_t i;

	if (ids == NULL || nb_ids == 0) {
		for (q = 0; q < d->queue_num; q++)
			raw_qp_stats(d, q, &d->qp[q].stats_off);
		raw_dev_stats_snapshot(d);
		return 0;
	}
	for (i = 0; i < nb_ids; i++) {
		if (ids[i] >= xstats_count(d))
			return -EINVAL;
		if (ids[i] >= xstats_dev_base(d)) {
			raw_dev_stats_snapshot(d);
		} else if (ids[i] < XS_NB) {
			for (q = 0; q < d->queue_num; q++)
				raw_qp_stats(d, q, &d->qp[q].stats_off);
		} else {
			q = ids[i] / XS_NB - 1;
			raw_qp_stats(d, q, &d->qp[q].stats_off);
		}
	}
	return 0;
}
