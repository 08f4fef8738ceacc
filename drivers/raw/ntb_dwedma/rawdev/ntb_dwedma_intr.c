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

/* Backend fd of queue q, or -1 (poll backend, queue not started). */
static int
intr_backend_fd(const struct ntb_dwedma_dev *d, uint16_t q)
{
	return d->qp[q].tq != NULL ? ntbt_qp_rx_fd(d->qp[q].tq) : -1;
}

/*
 * Direct path: the queue has a backend fd of its own whose event needs
 * no acknowledgement beyond the read the application's epoll does (RC:
 * MSI vector 2 + q; EP: doorbell slot q + 2 or MSI vector q + 1). Its
 * rx_ack only drains the eventfd (and, for a doorbell, clears a sticky
 * "pending" bit that only the transport's "descriptors changed" bit is
 * ever read from), so handing that fd itself to the application saves
 * the control thread's hop. A shared fd (EP eDMA IRQ, which must be
 * de-asserted) is direct too when it serves one queue only and the
 * backend can re-arm it from that queue's thread (rx_rearm, called by
 * rx_intr_enable: drain, clear, de-assert; no other thread acks the fd
 * then). With more queues it stays fanned out: the control thread acks
 * once and wakes every queue.
 */
static bool
intr_can_direct(const struct ntb_dwedma_dev *d, uint16_t q)
{
	if (intr_backend_fd(d, q) < 0)
		return false;
	if (!d->intr.rx_fd_shared)
		return true;
	return d->queue_num == 1 && ntb_intr_can_rearm(&d->intr);
}

/* Queues whose interrupt the control thread serves (and watches). */
static bool
intr_served(const struct ntb_dwedma_dev *d, uint16_t q)
{
	return intr_backend_fd(d, q) >= 0 && !d->qp[q].intr_direct &&
		(!d->intr.rx_fd_shared || q == 0);
}

/*
 * Doorbell fd the queue also listens to (EP dw_edma/msi: the RC's
 * fall-back kick for a descriptor it refused), or -1.
 */
static int
intr_db_fd(struct ntb_dwedma_dev *d, uint16_t q)
{
	return d->qp[q].tq != NULL ? ntb_intr_rx_db_fd(&d->intr, q) : -1;
}

/* The interrupt of q was acked: wake the application if it is armed. */
static void
intr_wake(struct ntb_dwedma_dev *d, uint16_t q)
{
	struct ntb_dwedma_qp *qp = &d->qp[q];
	uint64_t one = 1;

	qp->intr_rx++;
	if (!__atomic_load_n(&qp->armed, __ATOMIC_ACQUIRE))
		return;
	/*
	 * count first: the woken reader may look at the counter at once.
	 * A direct queue counts its wake-ups itself (rx_intr_disable); here
	 * only its fall-back doorbell writes its backend fd.
	 */
	if (!qp->intr_direct)
		qp->intr_wakeups++;
	if (write(qp->intr_fd, &one, sizeof(one)) < 0)
		NTB_LOG(DEBUG, "%s: qp %u eventfd: %s", d->rawdev->name, q,
			strerror(errno));
}

/*
 * Ack a backend interrupt (drain, de-assert, count by source: the
 * backend's stats are written by this thread only) before anyone scans
 * a ring, then wake the armed queues it serves: every queue for a shared
 * interrupt, else the queue that owns fd.
 */
static bool
intr_fanout(struct ntb_dwedma_dev *d, int fd)
{
	bool found = false;
	uint16_t q;

	if (d->intr.rx_fd_shared && intr_served(d, 0) &&
	    intr_backend_fd(d, 0) == fd) {
		ntbt_qp_rx_ack(d->qp[0].tq);
		for (q = 0; q < d->queue_num; q++)
			intr_wake(d, q);
		return true;
	}
	for (q = 0; q < d->queue_num; q++) {
		if (intr_served(d, q) && intr_backend_fd(d, q) == fd) {
			ntbt_qp_rx_ack(d->qp[q].tq);
			intr_wake(d, q);
			found = true;
		} else if (intr_db_fd(d, q) == fd) {
			ntb_intr_rx_db_ack(&d->intr, q);
			intr_wake(d, q);
			found = true;
		}
	}
	return found;
}

/*
 * Control thread: fd fired. Under intr_lock, so that stop cannot close
 * a queue's eventfd (or drop its transport queue) while this thread
 * writes it: stop takes the lock, and once it has it no fan-out is in
 * flight and none starts on the old fds. Only the control thread and
 * start/stop take it; the data path never does.
 */
bool
ntb_dwedma_intr_event(struct ntb_dwedma_dev *d, int fd)
{
	bool handled = false;

	if (fd < 0)
		return false;
	rte_spinlock_lock(&d->intr_lock);
	if (d->intr_ready && d->intr_started)
		handled = intr_fanout(d, fd);
	rte_spinlock_unlock(&d->intr_lock);
	return handled;
}

/* Unwatch and close everything intr_start set up. Under intr_lock. */
static void
intr_stop_locked(struct ntb_dwedma_dev *d)
{
	uint16_t q;

	for (q = 0; d->intr_ready && q < d->queue_num; q++) {
		if (intr_served(d, q))
			ntb_dwedma_ctrl_unwatch(d, intr_backend_fd(d, q));
		if (intr_db_fd(d, q) >= 0)
			ntb_dwedma_ctrl_unwatch(d, intr_db_fd(d, q));
	}
	for (q = 0; q < NTB_DWEDMA_MAX_QP; q++) {
		struct ntb_dwedma_qp *qp = &d->qp[q];

		qp->armed = false;
		/* a direct fd belongs to the backend: it stays open */
		if (qp->intr_fd_owned && qp->intr_fd >= 0)
			close(qp->intr_fd);
		qp->intr_fd = -1;
		qp->intr_fd_owned = false;
		qp->intr_direct = false;
		qp->tq = NULL;
	}
	d->intr_started = false;
}

/*
 * Attach the transport's queues and set up their interrupts. A queue
 * with a dedicated backend fd hands that fd to the application (direct,
 * see intr_can_direct); the others get a private eventfd, written by the
 * control thread after the shared backend interrupt was acked and
 * counted, so that acking stays on one thread.
 */
int
ntb_dwedma_intr_start(struct ntb_dwedma_dev *d)
{
	uint16_t q;
	int ret = 0;

	rte_spinlock_lock(&d->intr_lock);
	for (q = 0; q < d->queue_num; q++) {
		struct ntb_dwedma_qp *qp = &d->qp[q];

		qp->tq = ntbt_qp(d->t, q);
		qp->armed = false;
		qp->intr_fd = -1;
		qp->intr_fd_owned = false;
		qp->intr_direct = false;
		if (intr_backend_fd(d, q) < 0)
			continue;	/* poll backend */
		if (intr_can_direct(d, q)) {
			qp->intr_fd = intr_backend_fd(d, q);
			qp->intr_direct = true;
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
	/*
	 * A shared source may have been left asserted by the last run (the
	 * direct queue stopped while it polled, the line up and its event
	 * read): no kick would raise an edge again, neither for a direct
	 * queue nor for the control thread. Drain and de-assert it now,
	 * before anyone waits on it; the queues poll before they arm, so a
	 * kick dropped here is not lost. The control thread is not on it
	 * yet (intr_lock).
	 */
	if (d->intr.rx_fd_shared && d->queue_num > 0 &&
	    intr_backend_fd(d, 0) >= 0)
		ntb_intr_rx_rearm(&d->intr, 0);
	d->intr_started = true;
	for (q = 0; q < d->queue_num; q++) {
		if (intr_served(d, q)) {
			ret = ntb_dwedma_ctrl_watch(d, intr_backend_fd(d, q));
			if (ret < 0)
				goto fail;
		}
		if (intr_db_fd(d, q) >= 0) {
			ret = ntb_dwedma_ctrl_watch(d, intr_db_fd(d, q));
			if (ret < 0)
				goto fail;
		}
	}
	rte_spinlock_unlock(&d->intr_lock);
	return 0;
fail:
	intr_stop_locked(d);
	rte_spinlock_unlock(&d->intr_lock);
	return ret;
}

/* Detach the queues; no fan-out runs once this returns. */
void
ntb_dwedma_intr_stop(struct ntb_dwedma_dev *d)
{
	rte_spinlock_lock(&d->intr_lock);
	intr_stop_locked(d);
	rte_spinlock_unlock(&d->intr_lock);
}

/*
 * Arm: consume what is pending first, so the fd only becomes readable
 * for work published after this point; the caller polls the queue once
 * more before sleeping. Fan-out: the control thread acked the backend
 * before it wrote our eventfd. Direct: the read is the backend's ack (a
 * kick that came while the queue was polling: stale, not counted); a
 * shared source (EP eDMA IRQ, one queue) is re-armed by the backend
 * instead: drain, clear DONE/ABORT, de-assert, then we arm. Why no kick
 * is lost (the line raises an event on a rising edge only, and while the
 * queue polls it may stay asserted through any number of kicks): a kick
 * before the de-assert published its frames before we arm, and the
 * caller polls once after arming; a kick after the de-assert raises a
 * new edge, which nothing drains any more, so the fd is readable when
 * the application waits (see ntb_intr_dw_edma_rx_rearm for why the
 * drain must come before the de-assert, not after).
 */
int
ntb_dwedma_intr_enable(struct ntb_dwedma_dev *d, uint16_t q)
{
	struct ntb_dwedma_qp *qp = &d->qp[q];
	uint64_t v;

	if (qp->intr_fd < 0)
		return -ENOTSUP;
	if (qp->intr_direct && d->intr.rx_fd_shared)
		ntb_intr_rx_rearm(&d->intr, q);
	else if (read(qp->intr_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
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
	/*
	 * Direct: the application's epoll read the fd, we never see the
	 * wake-up; by the Rx interrupt convention the application disables
	 * after it woke, so count an armed period it ends here.
	 */
	if (qp->intr_direct && __atomic_load_n(&qp->armed, __ATOMIC_ACQUIRE))
		qp->intr_wakeups++;
	__atomic_store_n(&qp->armed, false, __ATOMIC_RELEASE);
	ntbt_qp_rx_arm(qp->tq, false);
	return 0;
}
