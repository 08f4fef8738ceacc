/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

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

bool
ntb_dwedma_intr_is_shared_fd(const struct ntb_dwedma_dev *d, int fd)
{
	return d->intr_ready && d->intr.rx_fd_shared && d->queue_num > 0 &&
		d->qp[0].tq != NULL && fd == ntbt_qp_rx_fd(d->qp[0].tq);
}

/* Control thread: the shared interrupt fired. Ack once (drain and
 * de-assert, before anyone scans a ring), then wake every armed queue.
 */
void
ntb_dwedma_intr_fanout(struct ntb_dwedma_dev *d, int fd)
{
	uint64_t one = 1;
	uint16_t q;

	RTE_SET_USED(fd);
	ntbt_qp_rx_ack(d->qp[0].tq);
	for (q = 0; q < d->queue_num; q++) {
		struct ntb_dwedma_qp *qp = &d->qp[q];

		qp->intr_rx++;
		if (!__atomic_load_n(&qp->armed, __ATOMIC_ACQUIRE))
			continue;
		if (write(qp->intr_fd, &one, sizeof(one)) < 0)
			NTB_LOG(DEBUG, "%s: qp %u eventfd: %s",
				d->rawdev->name, q, strerror(errno));
	}
}

int
ntb_dwedma_intr_start(struct ntb_dwedma_dev *d)
{
	uint16_t q;
	int ret;

	for (q = 0; q < d->queue_num; q++) {
		struct ntb_dwedma_qp *qp = &d->qp[q];
		int fd = ntbt_qp_rx_fd(qp->tq);

		qp->armed = false;
		if (fd < 0) {
			qp->intr_fd = -1;	/* poll backend */
			continue;
		}
		if (!d->intr.rx_fd_shared) {
			qp->intr_fd = fd;
			qp->intr_fd_owned = false;
			continue;
		}
		qp->intr_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (qp->intr_fd < 0) {
			ret = -errno;
			NTB_LOG(ERR, "%s: qp %u: eventfd: %s", d->rawdev->name,
				q, strerror(errno));
			goto fail;
		}
		qp->intr_fd_owned = true;
	}
	if (d->intr.rx_fd_shared && d->queue_num > 0 &&
	    ntbt_qp_rx_fd(d->qp[0].tq) >= 0) {
		ret = ntb_dwedma_ctrl_watch(d, ntbt_qp_rx_fd(d->qp[0].tq));
		if (ret < 0)
			goto fail;
	}
	return 0;
fail:
	ntb_dwedma_intr_stop(d);
	return ret;
}

void
ntb_dwedma_intr_stop(struct ntb_dwedma_dev *d)
{
	uint16_t q;

	if (d->intr_ready && d->intr.rx_fd_shared && d->queue_num > 0 &&
	    d->qp[0].tq != NULL && ntbt_qp_rx_fd(d->qp[0].tq) >= 0)
		ntb_dwedma_ctrl_unwatch(d, ntbt_qp_rx_fd(d->qp[0].tq));
	for (q = 0; q < NTB_DWEDMA_MAX_QP; q++) {
		struct ntb_dwedma_qp *qp = &d->qp[q];

		qp->armed = false;
		if (qp->intr_fd_owned && qp->intr_fd >= 0)
			close(qp->intr_fd);
		qp->intr_fd = -1;
		qp->intr_fd_owned = false;
	}
}

/*
 * Arm: consume what is pending first (backend rule: ack before the
 * scan), so the fd only becomes readable for work published after this
 * point; the caller polls the queue once more before sleeping.
 */
int
ntb_dwedma_intr_enable(struct ntb_dwedma_dev *d, uint16_t q)
{
	struct ntb_dwedma_qp *qp = &d->qp[q];
	uint64_t v;

	if (qp->intr_fd < 0)
		return -ENOTSUP;
	if (qp->intr_fd_owned) {
		if (read(qp->intr_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return -errno;
	} else {
		ntbt_qp_rx_ack(qp->tq);
	}
	__atomic_store_n(&qp->armed, true, __ATOMIC_RELEASE);
	/* the peer kicks from now on (it skips kicks for a polling queue) */
	ntbt_qp_rx_arm(qp->tq, true);
	return 0;
}

int
ntb_dwedma_intr_disable(struct ntb_dwedma_dev *d, uint16_t q)
{
	struct ntb_dwedma_qp *qp = &d->qp[q];

	if (qp->intr_fd < 0)
		return -ENOTSUP;
	__atomic_store_n(&qp->armed, false, __ATOMIC_RELEASE);
	ntbt_qp_rx_arm(qp->tq, false);
	return 0;
}
