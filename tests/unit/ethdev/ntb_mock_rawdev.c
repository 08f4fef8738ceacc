/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_mbuf.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>
#include <rte_rawdev_pmd.h>
#include <rte_ring.h>
#include <rte_string_fns.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_mock_rawdev.h"

struct mock_qp {
	struct rte_ring *ring;		/* sent, not yet received */
	struct rte_mbuf *pending;	/* dequeued, waiting for an mbuf */
	struct rte_mempool *rx_mp;
	int efd;
	bool armed;
	struct rte_pmd_ntb_dwedma_qp_stats st;
};

struct mock_priv {
	struct mock_rawdev_conf conf;
	char intr_mode[16];
	uint64_t attr_queue_num;
	uint64_t attr_queue_size;
	bool link_up;
	rte_pmd_ntb_dwedma_event_cb_t cb;
	void *cb_arg;
	struct mock_rawdev_counts counts;
	struct mock_qp qp[MOCK_MAX_QP];
};

static struct rte_rawdev *
mock_dev(uint16_t id)
{
	struct rte_rawdev *dev;

	if (id >= RTE_RAWDEV_MAX_DEVS)
		return NULL;
	dev = &rte_rawdevs[id];
	if (dev->attached != RTE_RAWDEV_ATTACHED || dev->driver_name == NULL ||
			strcmp(dev->driver_name, MOCK_DRIVER_OURS) != 0)
		return NULL;
	return dev;
}

static struct mock_priv *
mock_priv(uint16_t id)
{
	struct rte_rawdev *dev = mock_dev(id);

	return dev != NULL ? dev->dev_private : NULL;
}

static struct mock_qp *
mock_qp(uint16_t id, uint16_t q)
{
	struct mock_priv *p = mock_priv(id);

	if (p == NULL || !p->counts.configured || q >= p->counts.nb_qp)
		return NULL;
	return &p->qp[q];
}

static void
mock_qp_flush(struct mock_qp *qp)
{
	struct rte_mbuf *m;

	if (qp->pending != NULL) {
		rte_pktmbuf_free(qp->pending);
		qp->pending = NULL;
	}
	while (qp->ring != NULL && rte_ring_dequeue(qp->ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

static void
mock_queues_free(struct mock_priv *p)
{
	uint16_t q;

	for (q = 0; q < MOCK_MAX_QP; q++) {
		mock_qp_flush(&p->qp[q]);
		rte_ring_free(p->qp[q].ring);
		p->qp[q].ring = NULL;
		p->qp[q].rx_mp = NULL;
	}
	p->counts.configured = false;
	p->counts.nb_qp = 0;
}

static int
mock_attr_set(struct rte_rawdev *dev, const char *name, uint64_t value)
{
	struct mock_priv *p = dev->dev_private;

	if (strcmp(name, NTB_QUEUE_NUM_NAME) == 0) {
		if (value == 0 || value > p->conf.max_qp)
			return -EINVAL;
		p->attr_queue_num = value;
	} else if (strcmp(name, NTB_QUEUE_SZ_NAME) == 0) {
		if (value < NTB_MIN_DESC_SIZE || value > NTB_MAX_DESC_SIZE)
			return -EINVAL;
		p->attr_queue_size = value;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int
mock_info_get(struct rte_rawdev *dev __rte_unused,
		rte_rawdev_obj_t info __rte_unused, size_t size __rte_unused)
{
	return 0;
}

static int
mock_configure(const struct rte_rawdev *dev, rte_rawdev_obj_t config,
		size_t size)
{
	struct mock_priv *p = dev->dev_private;
	const struct ntb_dev_config *c = config;
	char name[RTE_RING_NAMESIZE];
	uint16_t q;

	if (size != sizeof(*c) || c->num_queues != p->attr_queue_num ||
			c->queue_size != p->attr_queue_size)
		return -EINVAL;
	if (p->counts.configured)
		return -EBUSY;	/* the ethdev must close before reconfiguring */
	for (q = 0; q < c->num_queues; q++) {
		snprintf(name, sizeof(name), "mock%u_%u", dev->dev_id, q);
		p->qp[q].ring = rte_ring_create(name,
				rte_align32pow2(c->queue_size), SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (p->qp[q].ring == NULL) {
			mock_queues_free(p);
			return -ENOMEM;
		}
		memset(&p->qp[q].st, 0, sizeof(p->qp[q].st));
	}
	p->counts.configure++;
	p->counts.configured = true;
	p->counts.nb_qp = c->num_queues;
	p->counts.queue_size = c->queue_size;
	return 0;
}

static int
mock_queue_setup(struct rte_rawdev *dev, uint16_t q, rte_rawdev_obj_t conf,
		size_t size)
{
	struct mock_priv *p = dev->dev_private;
	const struct ntb_queue_conf *qc = conf;

	if (size != sizeof(*qc) || q >= p->counts.nb_qp || qc->rx_mp == NULL ||
			qc->tx_free_thresh + 3 >= qc->nb_desc)
		return -EINVAL;
	p->qp[q].rx_mp = qc->rx_mp;
	p->counts.queue_setup++;
	return 0;
}

static int
mock_start(struct rte_rawdev *dev)
{
	struct mock_priv *p = dev->dev_private;
	uint16_t q;

	for (q = 0; q < p->counts.nb_qp; q++) {
		if (p->qp[q].rx_mp == NULL)
			return -EINVAL;
		p->qp[q].efd = -1;
		if (p->conf.rx_intr) {
			p->qp[q].efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (p->qp[q].efd < 0)
				return -errno;
		}
	}
	p->counts.start++;
	p->counts.started = true;
	return 0;
}

static void
mock_stop(struct rte_rawdev *dev)
{
	struct mock_priv *p = dev->dev_private;
	uint16_t q;

	for (q = 0; q < p->counts.nb_qp; q++) {
		if (p->qp[q].efd >= 0)
			close(p->qp[q].efd);
		p->qp[q].efd = -1;
		p->qp[q].armed = false;
		mock_qp_flush(&p->qp[q]);
	}
	p->link_up = false;
	p->counts.stop++;
	p->counts.started = false;
}

static int
mock_close(struct rte_rawdev *dev)
{
	struct mock_priv *p = dev->dev_private;

	mock_queues_free(p);
	p->counts.close++;
	return 0;
}

static const struct rte_rawdev_ops mock_ops = {
	.dev_info_get = mock_info_get,
	.dev_configure = mock_configure,
	.dev_start = mock_start,
	.dev_stop = mock_stop,
	.dev_close = mock_close,
	.queue_setup = mock_queue_setup,
	.attr_set = mock_attr_set,
};

int
mock_rawdev_create(const char *name, const struct mock_rawdev_conf *c)
{
	struct rte_rawdev *dev;
	struct mock_priv *p;

	dev = rte_rawdev_pmd_allocate(name, sizeof(*p), SOCKET_ID_ANY);
	if (dev == NULL)
		return -ENOMEM;
	dev->dev_ops = &mock_ops;
	dev->driver_name = c->ours ? MOCK_DRIVER_OURS : MOCK_DRIVER_OTHER;
	p = dev->dev_private;
	p->conf = *c;
	strlcpy(p->intr_mode, c->intr_mode != NULL ? c->intr_mode : "poll",
		sizeof(p->intr_mode));
	return dev->dev_id;
}

int
mock_rawdev_destroy(const char *name)
{
	struct rte_rawdev *dev = rte_rawdev_pmd_get_named_dev(name);

	if (dev == NULL)
		return -ENODEV;
	if (dev->started)
		rte_rawdev_stop(dev->dev_id);
	return rte_rawdev_pmd_release(dev);
}

void
mock_rawdev_link(uint16_t id, bool up)
{
	struct mock_priv *p = mock_priv(id);

	if (p == NULL || p->link_up == up)
		return;
	p->link_up = up;
	if (p->cb != NULL)
		p->cb(id, up ? RTE_PMD_NTB_DWEDMA_EVENT_LINK_UP :
			RTE_PMD_NTB_DWEDMA_EVENT_LINK_DOWN, p->cb_arg);
}

void
mock_rawdev_rx_error(uint16_t id, uint16_t q)
{
	struct mock_qp *qp = mock_qp(id, q);

	if (qp != NULL)
		qp->st.rx_errors++;
}

bool
mock_rawdev_armed(uint16_t id, uint16_t q)
{
	struct mock_qp *qp = mock_qp(id, q);

	return qp != NULL && qp->armed;
}

void
mock_rawdev_counts_get(uint16_t id, struct mock_rawdev_counts *c)
{
	struct mock_priv *p = mock_priv(id);

	if (p != NULL)
		*c = p->counts;
	else
		memset(c, 0, sizeof(*c));
}

/* --- rte_pmd_ntb_dwedma.h, as the ethdev sees it --- */

int
rte_pmd_ntb_dwedma_is_ntb_dwedma(uint16_t dev_id)
{
	return mock_dev(dev_id) != NULL;
}

int
rte_pmd_ntb_dwedma_info_get(uint16_t dev_id,
		struct rte_pmd_ntb_dwedma_info *info)
{
	struct mock_priv *p = mock_priv(dev_id);

	if (p == NULL)
		return -ENODEV;
	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->max_queue_pairs = p->conf.max_qp;
	info->nb_queue_pairs = p->counts.nb_qp;
	info->max_pkt_len = p->conf.max_pkt_len;
	info->rx_intr = p->conf.rx_intr;
	strlcpy(info->intr_mode, p->intr_mode, sizeof(info->intr_mode));
	if (p->link_up) {
		info->frame_size = p->conf.max_pkt_len + 12;
		info->nb_frames = p->counts.queue_size;
	}
	return 0;
}

int
rte_pmd_ntb_dwedma_link_get(uint16_t dev_id,
		struct rte_pmd_ntb_dwedma_link *link)
{
	struct mock_priv *p = mock_priv(dev_id);

	if (p == NULL)
		return -ENODEV;
	memset(link, 0, sizeof(*link));
	link->up = p->link_up;
	link->pcie_speed = 3;
	link->pcie_width = 4;
	return 0;
}

int
rte_pmd_ntb_dwedma_qp_stats_get(uint16_t dev_id, uint16_t q,
		struct rte_pmd_ntb_dwedma_qp_stats *stats)
{
	struct mock_qp *qp = mock_qp(dev_id, q);

	if (qp == NULL)
		return -EINVAL;
	*stats = qp->st;
	return 0;
}

int
rte_pmd_ntb_dwedma_qp_stats_reset(uint16_t dev_id, uint16_t q)
{
	struct mock_qp *qp = mock_qp(dev_id, q);

	if (qp == NULL)
		return -EINVAL;
	memset(&qp->st, 0, sizeof(qp->st));
	return 0;
}

static void
mock_kick(struct mock_qp *qp)
{
	uint64_t one = 1;

	if (!qp->armed || qp->efd < 0)
		return;
	if (write(qp->efd, &one, sizeof(one)) == sizeof(one)) {
		qp->st.intr_rx++;
	}
}

uint16_t
rte_pmd_ntb_dwedma_tx_burst(uint16_t dev_id, uint16_t q,
		struct rte_mbuf **pkts, uint16_t nb)
{
	struct mock_priv *p = mock_priv(dev_id);
	struct mock_qp *qp = mock_qp(dev_id, q);
	uint16_t i, sent = 0;

	if (qp == NULL || !p->counts.started || !p->link_up)
		return 0;
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];

		if (m->pkt_len > p->conf.max_pkt_len) {
			rte_pktmbuf_free(m);
			qp->st.tx_errors++;
			continue;
		}
		if (rte_ring_enqueue(qp->ring, m) != 0) {
			qp->st.tx_ring_full++;
			break;
		}
		qp->st.tx_pkts++;
		qp->st.tx_bytes += m->pkt_len;
		sent++;
	}
	if (sent != 0)
		mock_kick(qp);
	return i;
}

uint16_t
mock_rawdev_peer_send(uint16_t id, uint16_t q, struct rte_mbuf *m)
{
	return rte_pmd_ntb_dwedma_tx_burst(id, q, &m, 1);
}

uint16_t
rte_pmd_ntb_dwedma_rx_burst(uint16_t dev_id, uint16_t q,
		struct rte_mbuf **pkts, uint16_t nb)
{
	struct mock_priv *p = mock_priv(dev_id);
	struct mock_qp *qp = mock_qp(dev_id, q);
	uint16_t n = 0;

	if (qp == NULL || !p->counts.started)
		return 0;
	while (n < nb) {
		struct rte_mbuf *m = qp->pending, *c;

		qp->pending = NULL;
		if (m == NULL && rte_ring_dequeue(qp->ring, (void **)&m) != 0)
			break;
		c = rte_pktmbuf_copy(m, qp->rx_mp, 0, UINT32_MAX);
		if (c == NULL) {
			qp->pending = m;
			qp->st.rx_nombuf++;
			break;
		}
		rte_pktmbuf_free(m);
		qp->st.rx_pkts++;
		qp->st.rx_bytes += c->pkt_len;
		pkts[n++] = c;
	}
	return n;
}

int
rte_pmd_ntb_dwedma_rx_intr_fd(uint16_t dev_id, uint16_t q)
{
	struct mock_priv *p = mock_priv(dev_id);
	struct mock_qp *qp = mock_qp(dev_id, q);

	if (qp == NULL || !p->counts.started)
		return -EINVAL;
	return p->conf.rx_intr ? qp->efd : -ENOTSUP;
}

int
rte_pmd_ntb_dwedma_rx_intr_enable(uint16_t dev_id, uint16_t q)
{
	struct mock_priv *p = mock_priv(dev_id);
	struct mock_qp *qp = mock_qp(dev_id, q);

	if (qp == NULL)
		return -EINVAL;
	if (!p->conf.rx_intr)
		return -ENOTSUP;
	qp->armed = true;
	return 0;
}

int
rte_pmd_ntb_dwedma_rx_intr_disable(uint16_t dev_id, uint16_t q)
{
	struct mock_priv *p = mock_priv(dev_id);
	struct mock_qp *qp = mock_qp(dev_id, q);

	if (qp == NULL)
		return -EINVAL;
	if (!p->conf.rx_intr)
		return -ENOTSUP;
	qp->armed = false;
	return 0;
}

int
rte_pmd_ntb_dwedma_callback_register(uint16_t dev_id,
		rte_pmd_ntb_dwedma_event_cb_t cb, void *arg)
{
	struct mock_priv *p = mock_priv(dev_id);

	if (p == NULL)
		return -ENODEV;
	if (cb == NULL)
		return -EINVAL;
	if (p->cb != NULL)
		return -EEXIST;
	p->cb = cb;
	p->cb_arg = arg;
	p->counts.callbacks++;
	return 0;
}

int
rte_pmd_ntb_dwedma_callback_unregister(uint16_t dev_id,
		rte_pmd_ntb_dwedma_event_cb_t cb, void *arg)
{
	struct mock_priv *p = mock_priv(dev_id);

	if (p == NULL)
		return -ENODEV;
	if (p->cb != cb || p->cb_arg != arg)
		return -ENOENT;
	p->cb = NULL;
	p->cb_arg = NULL;
	p->counts.callbacks--;
	return 0;
}
