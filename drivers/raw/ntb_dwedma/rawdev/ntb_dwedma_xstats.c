/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Extended statistics: device totals first, then the same counters per
 * queue pair with a "_q<N>" suffix (the layout of DPDK's NTB rawdev).
 * Reset keeps a snapshot per queue; counters themselves only grow.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"

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
	XS_NB,
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
	default: return 0;
	}
}

static unsigned int
xstats_count(const struct ntb_dwedma_dev *d)
{
	return XS_NB * (1 + d->queue_num);
}

static uint64_t
xstat_value(const struct ntb_dwedma_dev *d, unsigned int id)
{
	struct rte_pmd_ntb_dwedma_qp_stats s;
	uint64_t sum = 0;
	uint16_t q;

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
	for (i = 0; i < n; i++) {
		if (i < XS_NB)
			snprintf(names[i].name, sizeof(names[i].name), "%s",
				 xstat_names[i]);
		else
			snprintf(names[i].name, sizeof(names[i].name),
				 "%s_q%u", xstat_names[i % XS_NB],
				 i / XS_NB - 1);
	}
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
		if (i < XS_NB)
			snprintf(xn.name, sizeof(xn.name), "%s", xstat_names[i]);
		else
			snprintf(xn.name, sizeof(xn.name), "%s_q%u",
				 xstat_names[i % XS_NB], i / XS_NB - 1);
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
 * queues it covers.
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
		return 0;
	}
	for (i = 0; i < nb_ids; i++) {
		if (ids[i] >= xstats_count(d))
			return -EINVAL;
		if (ids[i] < XS_NB) {
			for (q = 0; q < d->queue_num; q++)
				raw_qp_stats(d, q, &d->qp[q].stats_off);
		} else {
			q = ids[i] / XS_NB - 1;
			raw_qp_stats(d, q, &d->qp[q].stats_off);
		}
	}
	return 0;
}
