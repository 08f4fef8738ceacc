/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Basic stats come from this driver's own per-queue counters (shared
 * memory, so a secondary process reads them too) plus, in the process
 * that owns the rawdev, the rawdev's error and no-buffer counters (kept
 * across port stop/start, which closes and reopens the rawdev).
 * xstats are the rawdev's per queue-pair counters that ethdev's generic
 * xstats do not already show (NTBT_QP_XSTATS, the one table of queue pair
 * counters, names them), and their totals.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_transport_counters.h"
#include "ntb_vnet.h"

/*
 * The rawdev's queue pair counters this port shows: the rows of
 * NTBT_QP_XSTATS with a net_ntb_vnet name ("" for those that ethdev's
 * generic stats already give).
 */
struct ntb_vnet_xstat_def {
	const char *fmt;	/* name with %u for the queue */
	const char *total;	/* name of the sum over queues */
	size_t offset;		/* in struct rte_pmd_ntb_dwedma_qp_stats */
};

#define NTB_VNET_XSTAT_DEF(field, name, vnet_q, vnet_total, value) \
	{ vnet_q, vnet_total, \
	  offsetof(struct rte_pmd_ntb_dwedma_qp_stats, field) },
static const struct ntb_vnet_xstat_def ntb_vnet_qp_rows[] = {
	NTBT_QP_XSTATS(NTB_VNET_XSTAT_DEF)
};
#undef NTB_VNET_XSTAT_DEF

#define NTB_VNET_NB_QP_ROWS RTE_DIM(ntb_vnet_qp_rows)
#define NTB_VNET_XSTAT_SHOWN(field, name, vnet_q, vnet_total, value) \
	+ (sizeof(vnet_q) > 1)
/* rows shown: the count of xstats per queue that come from the rawdev */
#define NTB_VNET_NB_XSTAT_DEFS \
	(0u NTBT_QP_XSTATS(NTB_VNET_XSTAT_SHOWN))

static bool
ntb_vnet_row_shown(unsigned int i)
{
	return ntb_vnet_qp_rows[i].fmt[0] != '\0';
}

static uint16_t
ntb_vnet_nb_qp(const struct rte_eth_dev *dev)
{
	return RTE_MAX(dev->data->nb_rx_queues, dev->data->nb_tx_queues);
}

static uint64_t
ntb_vnet_qp_field(const struct rte_pmd_ntb_dwedma_qp_stats *s, size_t off)
{
	return *(const uint64_t *)(const void *)((const char *)s + off);
}

/* Live rawdev counters of queue pair q, zero when there are none. */
static void
ntb_vnet_qp_live(const struct rte_eth_dev *dev, uint16_t q,
		struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	const struct ntb_vnet_private *priv = dev->data->dev_private;

	memset(s, 0, sizeof(*s));
	if (!ntb_vnet_rawdev_reachable(priv) || !priv->rawdev_configured)
		return;
	if (rte_pmd_ntb_dwedma_qp_stats_get(priv->rawdev_id, q, s) != 0)
		memset(s, 0, sizeof(*s));
}

static void
ntb_vnet_qp_add(struct rte_pmd_ntb_dwedma_qp_stats *acc,
		const struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	uint64_t *a = (uint64_t *)acc;
	const uint64_t *v = (const uint64_t *)s;
	size_t i;

	RTE_BUILD_BUG_ON(sizeof(*s) % sizeof(uint64_t) != 0);
	for (i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		a[i] += v[i];
}

/* Rawdev counters of queue pair q: closed rawdev sessions plus live. */
static void
ntb_vnet_qp_stats(const struct rte_eth_dev *dev, uint16_t q,
		struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	const struct ntb_vnet_private *priv = dev->data->dev_private;

	ntb_vnet_qp_live(dev, q, s);
	if (q < NTB_VNET_MAX_QUEUES)
		ntb_vnet_qp_add(s, &priv->qp_base[q]);
}

/* Before the rawdev closes: keep its counters in the port's. */
void
ntb_vnet_stats_save(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	struct rte_pmd_ntb_dwedma_qp_stats live;
	uint16_t q;

	for (q = 0; q < ntb_vnet_nb_qp(dev) && q < NTB_VNET_MAX_QUEUES; q++) {
		ntb_vnet_qp_live(dev, q, &live);
		ntb_vnet_qp_add(&priv->qp_base[q], &live);
	}
}

int
ntb_vnet_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats
		   NTB_ETH_STATS_QSTATS_PARAM)
{
	NTB_ETH_QSTATS_DECL(qstat, stats);
	struct rte_pmd_ntb_dwedma_qp_stats qs;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct ntb_vnet_rxq *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		stats->ipackets += rxq->stats.pkts;
		stats->ibytes += rxq->stats.bytes;
		stats->ierrors += rxq->stats.errors;
		if (qstat != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstat->q_ipackets[q] = rxq->stats.pkts;
			qstat->q_ibytes[q] = rxq->stats.bytes;
			qstat->q_errors[q] = rxq->stats.errors;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		const struct ntb_vnet_txq *txq = dev->data->tx_queues[q];

		if (txq == NULL)
			continue;
		stats->opackets += txq->stats.pkts;
		stats->obytes += txq->stats.bytes;
		stats->oerrors += txq->stats.errors;
		if (qstat != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			qstat->q_opackets[q] = txq->stats.pkts;
			qstat->q_obytes[q] = txq->stats.bytes;
		}
	}
	/* Frames the rawdev refused never became packets: Rx errors. */
	for (q = 0; q < ntb_vnet_nb_qp(dev); q++) {
		ntb_vnet_qp_stats(dev, q, &qs);
		stats->ierrors += qs.rx_errors;
		stats->rx_nombuf += qs.rx_nombuf;
		if (qstat != NULL && q < RTE_ETHDEV_QUEUE_STAT_CNTRS)
			qstat->q_errors[q] += qs.rx_errors;
	}
	return 0;
}

int
ntb_vnet_stats_reset(struct rte_eth_dev *dev)
{
	struct ntb_vnet_private *priv = dev->data->dev_private;
	uint16_t q;

	memset(priv->qp_base, 0, sizeof(priv->qp_base));
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct ntb_vnet_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct ntb_vnet_txq *txq = dev->data->tx_queues[q];

		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	if (ntb_vnet_rawdev_reachable(priv) && priv->rawdev_configured)
		for (q = 0; q < ntb_vnet_nb_qp(dev); q++)
			rte_pmd_ntb_dwedma_qp_stats_reset(priv->rawdev_id, q);
	return 0;
}

/* This driver's own xstats, after the rawdev's (per queue, then total). */
#define NTB_VNET_TXQ_MTU_FMT	"tx_q%u_mtu_drops"
#define NTB_VNET_MTU_TOTAL	"tx_mtu_drops_total"
#define NTB_VNET_NB_OWN_XSTATS	1u

static uint64_t
ntb_vnet_txq_mtu_drops(const struct rte_eth_dev *dev, uint16_t q)
{
	const struct ntb_vnet_txq *txq;

	if (q >= dev->data->nb_tx_queues)
		return 0;
	txq = dev->data->tx_queues[q];
	return txq != NULL ? txq->stats.mtu_drops : 0;
}

/* xstats exist only where the rawdev is reachable (not in a secondary). */
static unsigned int
ntb_vnet_xstats_count(const struct rte_eth_dev *dev)
{
	const struct ntb_vnet_private *priv = dev->data->dev_private;

	if (!ntb_vnet_rawdev_reachable(priv))
		return 0;
	return (NTB_VNET_NB_XSTAT_DEFS + NTB_VNET_NB_OWN_XSTATS) *
		(ntb_vnet_nb_qp(dev) + 1u);
}

int
ntb_vnet_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	unsigned int count = ntb_vnet_xstats_count(dev);
	unsigned int i, k = 0;
	uint16_t q;

	if (names == NULL || size < count)
		return count;
	for (q = 0; q < ntb_vnet_nb_qp(dev); q++) {
		for (i = 0; i < NTB_VNET_NB_QP_ROWS; i++)
			if (ntb_vnet_row_shown(i))
				snprintf(names[k++].name, sizeof(names[0].name),
					ntb_vnet_qp_rows[i].fmt, q);
		snprintf(names[k++].name, sizeof(names[0].name),
			NTB_VNET_TXQ_MTU_FMT, q);
	}
	for (i = 0; i < NTB_VNET_NB_QP_ROWS && count != 0; i++)
		if (ntb_vnet_row_shown(i))
			snprintf(names[k++].name, sizeof(names[0].name), "%s",
				ntb_vnet_qp_rows[i].total);
	if (count != 0)
		snprintf(names[k++].name, sizeof(names[0].name), "%s",
			NTB_VNET_MTU_TOTAL);
	return count;
}

int
ntb_vnet_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n)
{
	unsigned int count = ntb_vnet_xstats_count(dev);
	uint64_t total[NTB_VNET_NB_QP_ROWS] = { 0 };
	struct rte_pmd_ntb_dwedma_qp_stats qs;
	uint64_t mtu_total = 0, v;
	unsigned int i, k = 0;
	uint16_t q;

	if (xstats == NULL || n < count)
		return count;
	for (q = 0; q < ntb_vnet_nb_qp(dev); q++) {
		ntb_vnet_qp_stats(dev, q, &qs);
		for (i = 0; i < NTB_VNET_NB_QP_ROWS; i++) {
			if (!ntb_vnet_row_shown(i))
				continue;
			v = ntb_vnet_qp_field(&qs, ntb_vnet_qp_rows[i].offset);
			xstats[k].id = k;
			xstats[k++].value = v;
			total[i] += v;
		}
		v = ntb_vnet_txq_mtu_drops(dev, q);
		xstats[k].id = k;
		xstats[k++].value = v;
		mtu_total += v;
	}
	for (i = 0; i < NTB_VNET_NB_QP_ROWS && count != 0; i++) {
		if (!ntb_vnet_row_shown(i))
			continue;
		xstats[k].id = k;
		xstats[k++].value = total[i];
	}
	if (count != 0) {
		xstats[k].id = k;
		xstats[k++].value = mtu_total;
	}
	return count;
}

int
ntb_vnet_xstats_reset(struct rte_eth_dev *dev)
{
	return ntb_vnet_stats_reset(dev);
}
