/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Delivery of the peer's kicks to the application: one fd per queue by
 * the direct, direct re-armed or fan-out path. The contract is stated in
 * ntb_intr.h; why no wake-up is lost is argued in
 * doc/guides/rawdevs/ntb_dwedma_intr.rst ("Why no wake-up is lost").
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "ntb_intr_backend.h"

/* Backend fd of queue q, or -1 (poll backend, not started). */
static int
deliver_backend_fd(const struct ntb_intr_deliver *dl, uint16_t q)
{
	return dl->it != NULL && q < dl->nb_q ?
		ntb_intr_rx_fd(dl->it, q) : -1;
}

/* Direct path possible for q (see the contract in ntb_intr.h). */
static bool
deliver_can_direct(const struct ntb_intr_deliver *dl, uint16_t q)
{
	if (deliver_backend_fd(dl, q) < 0)
		return false;
	if (!dl->it->rx_fd_shared)
		return true;
	return dl->nb_q == 1 && ntb_intr_can_rearm(dl->it);
}

/* Queues whose backend fd the control thread serves (and watches). */
static bool
deliver_served(const struct ntb_intr_deliver *dl, uint16_t q)
{
	return deliver_backend_fd(dl, q) >= 0 && !dl->q[q].direct &&
		(!dl->it->rx_fd_shared || q == 0);
}

/* Doorbell fd the queue also listens to (the RC's fall-back), or -1. */
static int
deliver_db_fd(const struct ntb_intr_deliver *dl, uint16_t q)
{
	return dl->it != NULL && q < dl->nb_q ?
		ntb_intr_rx_db_fd(dl->it, q) : -1;
}

/* The interrupt of q was acked: wake the application if it is armed. */
static void
deliver_wake(struct ntb_intr_deliver *dl, uint16_t q)
{
	struct ntb_intr_rxq *rq = &dl->q[q];
	uint64_t one = 1;

	rq->rx++;
	if (!__atomic_load_n(&rq->armed, __ATOMIC_ACQUIRE))
		return;
	/*
	 * count first: the woken reader may look at the counter at once.
	 * A direct queue counts its wake-ups itself (disable); here only
	 * its fall-back doorbell writes its backend fd.
	 */
	if (!rq->direct)
		rq->wakeups++;
	if (write(rq->fd, &one, sizeof(one)) < 0)
		NTB_LOG(DEBUG, "%s: qp %u eventfd: %s", dl->it->nd->name, q,
			strerror(errno));
}

/*
 * Ack a backend interrupt before anyone scans a ring, then wake the armed
 * queues it serves: every queue for a shared interrupt, else the queue
 * that owns fd.
 */
static bool
deliver_fanout(struct ntb_intr_deliver *dl, int fd)
{
	bool found = false;
	uint16_t q;

	if (dl->it->rx_fd_shared && deliver_served(dl, 0) &&
	    deliver_backend_fd(dl, 0) == fd) {
		ntb_intr_rx_ack(dl->it, 0);
		for (q = 0; q < dl->nb_q; q++)
			deliver_wake(dl, q);
		return true;
	}
	for (q = 0; q < dl->nb_q; q++) {
		if (deliver_served(dl, q) && deliver_backend_fd(dl, q) == fd) {
			ntb_intr_rx_ack(dl->it, q);
			deliver_wake(dl, q);
			found = true;
		} else if (deliver_db_fd(dl, q) == fd) {
			ntb_intr_db_rx_ack(dl->it, q);
			deliver_wake(dl, q);
			found = true;
		}
	}
	return found;
}

void
ntb_intr_deliver_init(struct ntb_intr_deliver *dl)
{
	uint16_t q;

	memset(dl, 0, sizeof(*dl));
	rte_spinlock_init(&dl->lock);
	for (q = 0; q < NTB_MAX_DB; q++)
		dl->q[q].fd = -1;
}

/*
 * Under the lock, so that stop cannot close a queue's eventfd while this
 * thread writes it: once stop has the lock no fan-out is in flight and
 * none starts on the old fds.
 */
bool
ntb_intr_deliver_event(struct ntb_intr_deliver *dl, int fd)
{
	bool handled = false;

	if (fd < 0)
		return false;
	rte_spinlock_lock(&dl->lock);
	if (dl->started)
		handled = deliver_fanout(dl, fd);
	rte_spinlock_unlock(&dl->lock);
	return handled;
}

/* Unwatch and close everything start set up. Under the lock. */
static void
deliver_stop_locked(struct ntb_intr_deliver *dl)
{
	uint16_t q;

	for (q = 0; dl->started && q < dl->nb_q; q++) {
		if (deliver_served(dl, q))
			dl->w.unwatch(dl->w.arg, deliver_backend_fd(dl, q));
		if (deliver_db_fd(dl, q) >= 0)
			dl->w.unwatch(dl->w.arg, deliver_db_fd(dl, q));
	}
	for (q = 0; q < NTB_MAX_DB; q++) {
		struct ntb_intr_rxq *rq = &dl->q[q];

		rq->armed = false;
		/* a direct fd belongs to the backend: it stays open */
		if (rq->fd_owned && rq->fd >= 0)
			close(rq->fd);
		rq->fd = -1;
		rq->fd_owned = false;
		rq->direct = false;
	}
	dl->started = false;
	dl->it = NULL;
	dl->nb_q = 0;
}

int
ntb_intr_deliver_start(struct ntb_intr_deliver *dl, struct ntb_intr *it,
		       uint16_t nb_q, const struct ntb_intr_watch *w)
{
	uint16_t q;
	int ret = 0;

	if (it == NULL || it->ops == NULL || w == NULL || nb_q > NTB_MAX_DB)
		return -EINVAL;
	rte_spinlock_lock(&dl->lock);
	dl->it = it;
	dl->nb_q = nb_q;
	dl->w = *w;
	for (q = 0; q < nb_q; q++) {
		struct ntb_intr_rxq *rq = &dl->q[q];

		rq->armed = false;
		rq->fd = -1;
		rq->fd_owned = false;
		rq->direct = false;
		if (deliver_backend_fd(dl, q) < 0)
			continue;	/* poll backend */
		if (deliver_can_direct(dl, q)) {
			rq->fd = deliver_backend_fd(dl, q);
			rq->direct = true;
			continue;
		}
		rq->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (rq->fd < 0) {
			ret = -errno;
			NTB_LOG(ERR, "%s: qp %u: eventfd: %s", it->nd->name,
				q, strerror(errno));
			goto fail;
		}
		rq->fd_owned = true;
	}
	/*
	 * A shared source may have been left asserted by the last run: drain
	 * and de-assert it before anyone waits on it (the control thread is
	 * not on it yet: lock). See "Why no wake-up is lost" in the guide.
	 */
	if (it->rx_fd_shared && nb_q > 0 && deliver_backend_fd(dl, 0) >= 0)
		ntb_intr_rx_rearm(it, 0);
	dl->started = true;
	for (q = 0; q < nb_q; q++) {
		if (deliver_served(dl, q)) {
			ret = dl->w.watch(dl->w.arg, deliver_backend_fd(dl, q));
			if (ret < 0)
				goto fail;
		}
		if (deliver_db_fd(dl, q) >= 0) {
			ret = dl->w.watch(dl->w.arg, deliver_db_fd(dl, q));
			if (ret < 0)
				goto fail;
		}
	}
	rte_spinlock_unlock(&dl->lock);
	return 0;
fail:
	deliver_stop_locked(dl);
	rte_spinlock_unlock(&dl->lock);
	return ret;
}

void
ntb_intr_deliver_stop(struct ntb_intr_deliver *dl)
{
	rte_spinlock_lock(&dl->lock);
	deliver_stop_locked(dl);
	rte_spinlock_unlock(&dl->lock);
}

int
ntb_intr_deliver_fd(const struct ntb_intr_deliver *dl, uint16_t q)
{
	if (q >= NTB_MAX_DB || dl->q[q].fd < 0)
		return -ENOTSUP;
	return dl->q[q].fd;
}

/*
 * Fan-out: the control thread acked the backend before it wrote our
 * eventfd, so a read consumes what is pending. Direct: the read is the
 * backend's ack (a kick that came while the queue polled: stale, not
 * counted); a shared source is re-armed by the backend instead.
 */
int
ntb_intr_deliver_enable(struct ntb_intr_deliver *dl, uint16_t q)
{
	struct ntb_intr_rxq *rq;
	uint64_t v;

	if (q >= NTB_MAX_DB || dl->q[q].fd < 0)
		return -ENOTSUP;
	rq = &dl->q[q];
	if (rq->direct && dl->it->rx_fd_shared)
		ntb_intr_rx_rearm(dl->it, q);
	else if (read(rq->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	__atomic_store_n(&rq->armed, true, __ATOMIC_RELEASE);
	return 0;
}

int
ntb_intr_deliver_disable(struct ntb_intr_deliver *dl, uint16_t q)
{
	struct ntb_intr_rxq *rq;

	if (q >= NTB_MAX_DB || dl->q[q].fd < 0)
		return -ENOTSUP;
	rq = &dl->q[q];
	/*
	 * Direct: the application's epoll read the fd, we never see the
	 * wake-up; by the Rx interrupt convention the application disables
	 * after it woke, so count an armed period it ends here.
	 */
	if (rq->direct && __atomic_load_n(&rq->armed, __ATOMIC_ACQUIRE))
		rq->wakeups++;
	__atomic_store_n(&rq->armed, false, __ATOMIC_RELEASE);
	return 0;
}

void
ntb_intr_deliver_counts(const struct ntb_intr_deliver *dl, uint16_t q,
			uint64_t *rx, uint64_t *wakeups)
{
	*rx = q < NTB_MAX_DB ? dl->q[q].rx : 0;
	*wakeups = q < NTB_MAX_DB ? dl->q[q].wakeups : 0;
}
