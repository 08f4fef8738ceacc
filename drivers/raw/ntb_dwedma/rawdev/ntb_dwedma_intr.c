/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The rawdev's Rx interrupt fds: the backend and the delivery (intr/) do
 * the work, see the contract in ntb_intr.h; this file lends them the
 * control thread and the transport's queues.
 */

#include <errno.h>
#include <string.h>

#include "ntb_dwedma_intr.h"
#include "ntb_dwedma_log.h"

int
ntb_dwedma_intr_setup(struct ntb_dwedma_dev *d)
{
	uint16_t nb = ntb_dwedma_max_qp(d);
	int ret;

	ret = ntb_intr_create(&d->intr, d->nd, d->opts.intr, d->is_ep,
			      &d->intr_res, nb);
	if (ret < 0) {
		NTB_LOG(ERR, "%s: interrupt backend %s: %s", d->rawdev->name,
			ntb_intr_mode_name(d->opts.intr), strerror(-ret));
		return ret;
	}
	/* a new backend counts from 0 */
	memset(&d->intr_stats_off, 0, sizeof(d->intr_stats_off));
	d->intr_ready = true;
	return 0;
}

void
ntb_dwedma_intr_teardown(struct ntb_dwedma_dev *d)
{
	if (!d->intr_ready)
		return;
	ntb_intr_destroy(&d->intr);
	d->intr_ready = false;
}

static int
intr_watch(void *arg, int fd)
{
	return ntb_dwedma_ctrl_watch(arg, fd);
}

static void
intr_unwatch(void *arg, int fd)
{
	ntb_dwedma_ctrl_unwatch(arg, fd);
}

int
ntb_dwedma_intr_start(struct ntb_dwedma_dev *d)
{
	const struct ntb_intr_watch w = {
		.watch = intr_watch,
		.unwatch = intr_unwatch,
		.arg = d,
	};
	uint16_t q;
	int ret;

	for (q = 0; q < d->queue_num; q++)
		d->qp[q].tq = ntbt_qp(d->t, q);
	ret = d->intr_ready ?
		ntb_intr_deliver_start(&d->intr_dl, &d->intr, d->queue_num,
				       &w) : 0;
	if (ret < 0)
		for (q = 0; q < NTB_DWEDMA_MAX_QP; q++)
			d->qp[q].tq = NULL;
	return ret;
}

void
ntb_dwedma_intr_stop(struct ntb_dwedma_dev *d)
{
	uint16_t q;

	/* first: once it returns no fan-out uses the queues any more */
	ntb_intr_deliver_stop(&d->intr_dl);
	for (q = 0; q < NTB_DWEDMA_MAX_QP; q++)
		d->qp[q].tq = NULL;
}

bool
ntb_dwedma_intr_event(struct ntb_dwedma_dev *d, int fd)
{
	return ntb_intr_deliver_event(&d->intr_dl, fd);
}

int
ntb_dwedma_intr_enable(struct ntb_dwedma_dev *d, uint16_t q)
{
	int ret = ntb_intr_deliver_enable(&d->intr_dl, q);

	if (ret < 0)
		return ret;
	/* the peer kicks from now on (it skips kicks for a polling queue) */
	ntbt_qp_rx_arm(d->qp[q].tq, true);
	return 0;
}

int
ntb_dwedma_intr_disable(struct ntb_dwedma_dev *d, uint16_t q)
{
	int ret = ntb_intr_deliver_disable(&d->intr_dl, q);

	if (ret < 0)
		return ret;
	ntbt_qp_rx_arm(d->qp[q].tq, false);
	return 0;
}
