/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Extended statistics: device totals first, then the same counters per
 * queue pair with a "_q<N>" suffix (the layout of DPDK's NTB rawdev),
 * then the device's interrupt counters by source (the backend's
 * ntb_intr_stats), the platform's edma_lock_timeouts and the RC's
 * heartbeat counters (peer_heartbeats, peer_liveness_timeouts). The
 * queue pair counters are the rows of NTBT_QP_XSTATS
 * (ntb_transport_counters.h). Reset keeps a snapshot; counters
 * themselves only grow.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"

/* Queue pair counters: the rows of NTBT_QP_XSTATS, in order. */
enum xstat_id {
#define XS_ID(field, name, vnet_q, vnet_total, value) XS_##field,
	NTBT_QP_XSTATS(XS_ID)
#undef XS_ID
	XS_NB,
};

/* The public struct holds the rows in their order, and nothing else. */
#define XS_OFFSET_CHECK(field, name, vnet_q, vnet_total, value) \
	_Static_assert(offsetof(struct rte_pmd_ntb_dwedma_qp_stats, field) == \
		       XS_##field * sizeof(uint64_t), \
		       "rte_pmd_ntb_dwedma_qp_stats: " #field \
		       " not in NTBT_QP_XSTATS order");
NTBT_QP_XSTATS(XS_OFFSET_CHECK)
#undef XS_OFFSET_CHECK
_Static_assert(sizeof(struct rte_pmd_ntb_dwedma_qp_stats) ==
	       XS_NB * sizeof(uint64_t),
	       "rte_pmd_ntb_dwedma_qp_stats has a member NTBT_QP_XSTATS lacks");

const char *const ntb_dwedma_qp_xstat_names[] = {
#define XS_NAME(field, name, vnet_q, vnet_total, value) name,
	NTBT_QP_XSTATS(XS_NAME)
#undef XS_NAME
};
const unsigned int ntb_dwedma_nb_qp_xstats = XS_NB;

/* Counter i (a row of NTBT_QP_XSTATS) of s. */
uint64_t
ntb_dwedma_qp_xstat(const struct rte_pmd_ntb_dwedma_qp_stats *s,
		    unsigned int i)
{
	const uint64_t *v = (const uint64_t *)s;

	return i < XS_NB ? v[i] : 0;
}

/*
 * Device-only counters, after the per-queue ones, in this order: the
 * interrupt backend's (struct ntb_intr_stats, up to XD_INTR_NB), then the
 * platform's edma_lock_timeouts and the RC's heartbeat counters.
 */
enum xstat_dev_id {
	XD_INTR_DOORBELL,
	XD_INTR_MSI,
	XD_INTR_DW_EDMA,
	XD_INTR_DW_EDMA_DONE,
	XD_INTR_DW_EDMA_ABORT,
	XD_INTR_SPURIOUS,
	XD_INTR_NB,
	XD_EDMA_LOCK_TIMEOUTS = XD_INTR_NB,	/* hw_ops->edma_lock_timeouts */
	XD_PEER_HEARTBEATS,		/* vntb_rc_live.c; 0 on the EP */
	XD_PEER_LIVENESS_TIMEOUTS,
	XD_NB,
};

static const struct {
	const char *name;
	size_t offset;		/* in struct ntb_intr_stats, < XD_INTR_NB */
} xstat_dev[XD_NB] = {
	[XD_INTR_DOORBELL] = { "intr_doorbell",
		offsetof(struct ntb_intr_stats, doorbell) },
	[XD_INTR_MSI] = { "intr_msi", offsetof(struct ntb_intr_stats, msi) },
	[XD_INTR_DW_EDMA] = { "intr_dw_edma",
		offsetof(struct ntb_intr_stats, dw_edma) },
	[XD_INTR_DW_EDMA_DONE] = { "intr_dw_edma_done",
		offsetof(struct ntb_intr_stats, dw_edma_done) },
	[XD_INTR_DW_EDMA_ABORT] = { "intr_dw_edma_abort",
		offsetof(struct ntb_intr_stats, dw_edma_abort) },
	[XD_INTR_SPURIOUS] = { "intr_spurious",
		offsetof(struct ntb_intr_stats, spurious) },
	[XD_EDMA_LOCK_TIMEOUTS] = { "edma_lock_timeouts", 0 },
	[XD_PEER_HEARTBEATS] = { "peer_heartbeats", 0 },
	[XD_PEER_LIVENESS_TIMEOUTS] = { "peer_liveness_timeouts", 0 },
};
/* every counter of struct ntb_intr_stats has its row */
_Static_assert(sizeof(struct ntb_intr_stats) == XD_INTR_NB * sizeof(uint64_t),
	       "struct ntb_intr_stats has a counter xstat_dev lacks");

static void
raw_qp_stats(const struct ntb_dwedma_dev *d, uint16_t q,
	     struct rte_pmd_ntb_dwedma_qp_stats *s)
{
	struct ntbt_qp_stats t;
	uint64_t intr_rx, intr_wakeups;

	memset(s, 0, sizeof(*s));
	if (d->t == NULL || q >= d->nb_qp)
		return;
	ntbt_qp_stats_get(ntbt_qp(d->t, q), &t);
	/* the rawdev-side counters (NTBT_R) are the interrupt delivery's */
	ntb_intr_deliver_counts(&d->intr_dl, q, &intr_rx, &intr_wakeups);
#define NTBT_R(f) (f)
#define NTBT_T(f) (t.f)
#define XS_FILL(field, name, vnet_q, vnet_total, value) s->field = (value);
	NTBT_QP_XSTATS(XS_FILL)
#undef XS_FILL
#undef NTBT_R
#undef NTBT_T
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
intr_stat_field(const struct ntb_intr_stats *s, unsigned int id)
{
	return *(const uint64_t *)(const void *)
		((const char *)s + xstat_dev[id].offset);
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
raw_liveness_stat(const struct ntb_dwedma_dev *d, unsigned int id)
{
	uint64_t answered, missed;

	if (d->nd == NULL)
		return 0;
	ntb_dev_liveness_stats(d->nd, &answered, &missed);
	return id == XD_PEER_HEARTBEATS ? answered : missed;
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
xstat_dev_value(const struct ntb_dwedma_dev *d, unsigned int id)
{
	struct ntb_intr_stats s;

	switch (id) {
	case XD_EDMA_LOCK_TIMEOUTS:
		return raw_edma_lock_timeouts(d) - d->edma_lock_timeouts_off;
	case XD_PEER_HEARTBEATS:
		return raw_liveness_stat(d, id) - d->heartbeats_off;
	case XD_PEER_LIVENESS_TIMEOUTS:
		return raw_liveness_stat(d, id) - d->liveness_timeouts_off;
	default:
		raw_intr_stats(d, &s);
		return intr_stat_field(&s, id) -
			intr_stat_field(&d->intr_stats_off, id);
	}
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
			 xstat_dev[i - xstats_dev_base(d)].name);
	else if (i < XS_NB)
		snprintf(buf, len, "%s", ntb_dwedma_qp_xstat_names[i]);
	else
		snprintf(buf, len, "%s_q%u",
			 ntb_dwedma_qp_xstat_names[i % XS_NB],
			 i / XS_NB - 1);
}

static uint64_t
xstat_value(const struct ntb_dwedma_dev *d, unsigned int id)
{
	struct rte_pmd_ntb_dwedma_qp_stats s;
	uint64_t sum = 0;
	uint16_t q;

	if (id >= xstats_dev_base(d))
		return xstat_dev_value(d, id - xstats_dev_base(d));
	if (id >= XS_NB) {
		ntb_dwedma_qp_stats(d, id / XS_NB - 1, &s);
		return ntb_dwedma_qp_xstat(&s, id % XS_NB);
	}
	for (q = 0; q < d->queue_num; q++) {
		ntb_dwedma_qp_stats(d, q, &s);
		sum += ntb_dwedma_qp_xstat(&s, id);
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
