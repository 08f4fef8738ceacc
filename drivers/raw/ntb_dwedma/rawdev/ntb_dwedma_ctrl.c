/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The device's control thread: runs the transport link work every 10 ms
 * (the kernel's NTB_LINK_DOWN_TIMEOUT) and right away on a link event
 * from the hardware (RC MSI vector 0, peer death on the virtual link),
 * turns queue-pair changes into LINK_UP/LINK_DOWN events, and fans a
 * shared interrupt out to the per-queue eventfds. It is the only thread
 * that calls the transport's control functions while it runs.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_intr.h"
#include "ntb_dwedma_log.h"

#define CTRL_MAX_EVENTS		8

static void
ntb_dwedma_event_raise(struct ntb_dwedma_dev *d,
		       enum rte_pmd_ntb_dwedma_event ev)
{
	struct ntb_dwedma_cb cbs[NTB_DWEDMA_MAX_CB];
	unsigned int i;

	/* call outside the lock: a callback may (un)register */
	rte_spinlock_lock(&d->cb_lock);
	memcpy(cbs, d->cb, sizeof(cbs));
	rte_spinlock_unlock(&d->cb_lock);
	for (i = 0; i < NTB_DWEDMA_MAX_CB; i++)
		if (cbs[i].fn != NULL)
			cbs[i].fn(d->dev_id, ev, cbs[i].arg);
}

/*
 * Transport callback (control thread): queue pair qp went up or down.
 * The device link follows queue pair 0, as a kernel ntb_netdev's
 * carrier follows its one queue pair (ntb_netdev_event_handler): a
 * peer that opens queue pair 0 only (mainline ntb_netdev) gives a link,
 * and the other queues carry packets once the peer opens them. The
 * transport reports queue pair 0 last in each pass, so the queues that
 * come up with it are up when the link-up event is raised.
 */
void
ntb_dwedma_qp_event(struct ntbt *t, uint16_t qp, bool up, void *arg)
{
	struct ntb_dwedma_dev *d = arg;
	uint64_t all = RTE_BIT64(d->queue_num) - 1;	/* queue_num <= 16 */
	uint8_t was = d->link_up;
	uint8_t now;

	RTE_SET_USED(t);
	if (qp >= 64)
		return;
	if (up)
		d->qp_up_mask |= RTE_BIT64(qp);
	else
		d->qp_up_mask &= ~RTE_BIT64(qp);
	now = (d->qp_up_mask & 1) != 0;
	NTB_LOG(INFO, "%s: queue pair %u %s%s", d->rawdev->name, qp,
		up ? "up" : "down",
		up && was && qp < d->queue_num ? ": queue joins the link" : "");
	if (now == was)
		return;
	__atomic_store_n(&d->link_up, now, __ATOMIC_RELEASE);
	if (now) {
		d->link_up_events++;
		if ((d->qp_up_mask & all) != all)
			NTB_LOG(NOTICE, "%s: link up on queue pair 0; queue pairs (mask 0x%" PRIx64 ") are not up yet: the peer has not opened them (a kernel ntb_netdev opens queue pair 0 only); they carry packets once it does",
				d->rawdev->name, all & ~d->qp_up_mask);
		else
			NTB_LOG(NOTICE, "%s: link up", d->rawdev->name);
		ntb_dwedma_event_raise(d, RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP);
	} else {
		d->link_down_events++;
		NTB_LOG(NOTICE, "%s: link down", d->rawdev->name);
		ntb_dwedma_event_raise(d, RTE_PMD_NTB_DWEDMA_EVENT_LINK_DOWN);
	}
}

static int
ctrl_epoll_add(struct ntb_dwedma_dev *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (epoll_ctl(d->ctrl_epfd, EPOLL_CTL_ADD, fd, &ev) < 0 &&
	    errno != EEXIST) {
		NTB_LOG(ERR, "%s: epoll_ctl(%d): %s", d->rawdev->name, fd,
			strerror(errno));
		return -errno;
	}
	return 0;
}

int
ntb_dwedma_ctrl_watch(struct ntb_dwedma_dev *d, int fd)
{
	return ctrl_epoll_add(d, fd);
}

void
ntb_dwedma_ctrl_unwatch(struct ntb_dwedma_dev *d, int fd)
{
	if (d->ctrl_epfd >= 0)
		epoll_ctl(d->ctrl_epfd, EPOLL_CTL_DEL, fd, NULL);
}

static uint32_t
ctrl_thread(void *arg)
{
	struct ntb_dwedma_dev *d = arg;
	struct epoll_event evs[CTRL_MAX_EVENTS];
	uint64_t period = rte_get_timer_hz() * NTB_DWEDMA_LINK_PERIOD_MS / 1000;
	uint64_t next = 0;

	while (!__atomic_load_n(&d->ctrl_stop, __ATOMIC_ACQUIRE)) {
		bool work = false;
		int n, i;

		n = epoll_wait(d->ctrl_epfd, evs, CTRL_MAX_EVENTS,
			       NTB_DWEDMA_LINK_PERIOD_MS);
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			uint64_t v;

			if (fd == d->ctrl_wake_fd) {
				if (read(fd, &v, sizeof(v)) < 0)
					v = 0;
			} else if (ntb_dwedma_intr_event(d, fd)) {
				continue;
			} else if (d->hw_ops->ctrl_event != NULL) {
				d->hw_ops->ctrl_event(d, fd);
			}
			work = true;
		}
		/* RC: heartbeat, bring-up of an EP that answers late */
		if (d->nd != NULL && ntb_dev_ctrl_tick(d->nd))
			work = true;
		if (work || rte_get_timer_cycles() >= next) {
			if (ntbt_link_work(d->t) < 0)
				NTB_LOG(DEBUG, "%s: link work failed, retrying",
					d->rawdev->name);
			next = rte_get_timer_cycles() + period;
		}
		if (d->hw_ops->ctrl_tick != NULL)
			d->hw_ops->ctrl_tick(d);
	}
	return 0;
}

int
ntb_dwedma_ctrl_start(struct ntb_dwedma_dev *d)
{
	char name[RTE_MAX_THREAD_NAME_LEN];
	int fds[8];
	unsigned int i, n = 0;
	int ret;

	d->ctrl_epfd = epoll_create1(EPOLL_CLOEXEC);
	d->ctrl_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->ctrl_epfd < 0 || d->ctrl_wake_fd < 0) {
		NTB_LOG(ERR, "%s: cannot create control fds: %s",
			d->rawdev->name, strerror(errno));
		ret = -errno;
		goto fail;
	}
	ret = ctrl_epoll_add(d, d->ctrl_wake_fd);
	if (ret < 0)
		goto fail;
	if (d->hw_ops->ctrl_fds != NULL)
		n = d->hw_ops->ctrl_fds(d, fds, RTE_DIM(fds));
	for (i = 0; i < n; i++) {
		ret = ctrl_epoll_add(d, fds[i]);
		if (ret < 0)
			goto fail;
	}
	d->ctrl_stop = false;
	snprintf(name, sizeof(name), "ntb-ctl-%u", d->dev_id);
	ret = rte_thread_create_control(&d->ctrl_tid, name, ctrl_thread, d);
	if (ret != 0) {
		NTB_LOG(ERR, "%s: cannot start control thread: %s",
			d->rawdev->name, strerror(ret));
		ret = -ret;
		goto fail;
	}
	d->ctrl_running = true;
	return 0;
fail:
	ntb_dwedma_ctrl_stop(d);
	return ret;
}

void
ntb_dwedma_ctrl_stop(struct ntb_dwedma_dev *d)
{
	uint64_t one = 1;

	if (d->ctrl_running) {
		__atomic_store_n(&d->ctrl_stop, true, __ATOMIC_RELEASE);
		if (write(d->ctrl_wake_fd, &one, sizeof(one)) < 0)
			NTB_LOG(DEBUG, "wake write: %s", strerror(errno));
		rte_thread_join(d->ctrl_tid, NULL);
		d->ctrl_running = false;
	}
	if (d->ctrl_epfd >= 0)
		close(d->ctrl_epfd);
	if (d->ctrl_wake_fd >= 0)
		close(d->ctrl_wake_fd);
	d->ctrl_epfd = -1;
	d->ctrl_wake_fd = -1;
}
