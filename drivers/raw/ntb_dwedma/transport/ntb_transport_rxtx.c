/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Data path of the ntb_transport queue pairs: frames are written into
 * the peer's memory and read from ours only (ntb_transport_wire.h).
 * No allocation other than mbufs, no logging.
 */

#include <rte_io.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "ntb_transport_priv.h"

/* Frames whose flags are published together after one barrier. */
#define NTBT_TX_CHUNK	32

static inline uint32_t
ntbt_next(uint32_t idx, uint32_t max)
{
	return idx + 1 == max ? 0 : idx + 1;
}

/* Peer-written consumed index; out of range reads as "ring full". */
static inline bool
ntbt_tx_read_entry(struct ntbt_qp *qp, uint32_t *entry)
{
	uint32_t e = *qp->tx_remote_entry;

	if (unlikely(e >= qp->tx_max_entry)) {
		qp->tx_stats.tx_err_rx_info++;
		return false;
	}
	*entry = e;
	return true;
}

static void
ntbt_tx_copy(uint8_t *frame, const struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next) {
		rte_memcpy(frame, rte_pktmbuf_mtod(m, const void *),
			   m->data_len);
		frame += m->data_len;
	}
}

uint16_t
ntbt_tx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n)
{
	struct ntbt_payload_header *hdrs[NTBT_TX_CHUNK];
	uint32_t max_payload, entry;
	uint16_t done = 0, sent = 0;
	unsigned int k, nh;
	bool full = false;

	if (unlikely(!ntbt_gate_enter(qp, &qp->tx_busy))) {
		qp->tx_stats.tx_link_down += n;
		return 0;
	}
	if (unlikely(!ntbt_tx_read_entry(qp, &entry)))
		goto out;
	max_payload = qp->tx_max_frame - NTBT_HDR_SIZE;

	while (done < n && !full) {
		/* copy payloads and len/ver of up to one chunk */
		for (nh = 0; nh < NTBT_TX_CHUNK && done < n; done++) {
			struct rte_mbuf *m = pkts[done];
			struct ntbt_payload_header *hdr;
			uint8_t *frame;

			if (unlikely(m->pkt_len > max_payload)) {
				qp->tx_stats.tx_err_oversize++;
				rte_pktmbuf_free(m);
				continue;
			}
			if (qp->tx_index == entry &&
			    (!ntbt_tx_read_entry(qp, &entry) ||
			     qp->tx_index == entry)) {
				qp->tx_stats.tx_ring_full++;
				full = true;
				break;
			}
			frame = qp->tx_base +
				(size_t)qp->tx_index * qp->tx_max_frame;
			ntbt_tx_copy(frame, m);
			hdr = ntbt_hdr(qp->tx_base, qp->tx_max_frame,
				       qp->tx_index);
			rte_write32_relaxed(m->pkt_len, &hdr->len);
			rte_write32_relaxed(qp->tx_seq, &hdr->ver);
			hdrs[nh++] = hdr;
			qp->tx_index = ntbt_next(qp->tx_index,
						 qp->tx_max_entry);
			qp->tx_seq++;
			qp->tx_stats.tx_bytes += m->pkt_len;
			rte_pktmbuf_free(m);
		}
		if (nh == 0)
			continue;
		/* payloads (write-combined window) before any DONE flag */
		rte_wmb();
		for (k = 0; k < nh; k++)
			rte_write32_relaxed(NTBT_DESC_DONE_FLAG, &hdrs[k]->flags);
		sent += nh;
	}
	if (sent != 0) {
		rte_wmb();
		qp->tx_stats.tx_pkts += sent;
		qp->it->ops->kick(qp->it, qp->qp_num);
	}
out:
	ntbt_gate_exit(&qp->tx_busy);
	return done;
}

/* A chain of mbufs able to hold len bytes, or NULL. */
static struct rte_mbuf *
ntbt_rx_alloc(struct rte_mempool *mp, uint32_t len)
{
	struct rte_mbuf *head, *tail, *m;
	uint32_t room;

	head = rte_pktmbuf_alloc(mp);
	if (unlikely(head == NULL))
		return NULL;
	room = rte_pktmbuf_tailroom(head);
	if (unlikely(room == 0))
		goto fail;
	head->data_len = RTE_MIN(len, room);
	head->pkt_len = len;
	len -= head->data_len;
	for (tail = head; len > 0; tail = m) {
		m = rte_pktmbuf_alloc(mp);
		if (unlikely(m == NULL))
			goto fail;
		tail->next = m;
		head->nb_segs++;
		room = rte_pktmbuf_tailroom(m);
		if (unlikely(room == 0))
			goto fail;
		m->data_len = RTE_MIN(len, room);
		len -= m->data_len;
	}
	return head;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

static void
ntbt_rx_copy(struct rte_mbuf *m, const uint8_t *frame)
{
	for (; m != NULL; m = m->next) {
		rte_memcpy(rte_pktmbuf_mtod(m, void *), frame, m->data_len);
		frame += m->data_len;
	}
}

uint16_t
ntbt_rx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n,
	      struct rte_mempool *mp)
{
	uint32_t max_payload, last = 0;
	uint16_t nb = 0;
	bool consumed = false;

	if (unlikely(!ntbt_gate_enter(qp, &qp->rx_busy)))
		return 0;
	if (unlikely(qp->rx_stopped))
		goto out;
	max_payload = qp->rx_max_frame - NTBT_HDR_SIZE;

	while (nb < n) {
		struct ntbt_payload_header *hdr;
		uint32_t flags, ver, len;
		struct rte_mbuf *m = NULL;

		hdr = ntbt_hdr(qp->rx_base, qp->rx_max_frame, qp->rx_index);
		flags = rte_read32_relaxed(&hdr->flags);
		if (!(flags & NTBT_DESC_DONE_FLAG))
			break;
		/* header and payload only after DONE was seen */
		rte_rmb();
		if (flags & NTBT_LINK_DOWN_FLAG) {
			/* the control thread takes the QP down */
			rte_write32_relaxed(0, &hdr->flags);
			qp->rx_stats.rx_link_down++;
			__atomic_store_n(&qp->up, 0, __ATOMIC_RELEASE);
			break;
		}
		ver = rte_read32_relaxed(&hdr->ver);
		len = rte_read32_relaxed(&hdr->len);
		if (unlikely(ver != qp->rx_seq)) {
			qp->rx_stats.rx_err_ver++;
			qp->rx_stopped = true;
			break;
		}
		if (unlikely(len > max_payload)) {
			qp->rx_stats.rx_err_len++;
			qp->rx_stopped = true;
			break;
		}
		if (likely(len != 0)) {
			m = ntbt_rx_alloc(mp, len);
			if (unlikely(m == NULL)) {
				qp->rx_stats.rx_nobuf++;
				break;
			}
			ntbt_rx_copy(m, qp->rx_base +
				     (size_t)qp->rx_index * qp->rx_max_frame);
			pkts[nb++] = m;
			qp->rx_stats.rx_pkts++;
			qp->rx_stats.rx_bytes += len;
		} else {
			/* a data frame without data: nothing to deliver */
			qp->rx_stats.rx_err_len++;
		}
		rte_write32_relaxed(0, &hdr->flags);
		last = qp->rx_index;
		consumed = true;
		qp->rx_index = ntbt_next(qp->rx_index, qp->rx_max_entry);
		qp->rx_seq++;
	}
	if (consumed) {
		/* frames read and flags cleared before the slots are freed */
		rte_mb();
		rte_write32_relaxed(last, qp->rx_remote_entry);
	}
out:
	ntbt_gate_exit(&qp->rx_busy);
	return nb;
}

int
ntbt_qp_rx_fd(struct ntbt_qp *qp)
{
	return qp->it->ops->rx_fd(qp->it, qp->qp_num);
}

void
ntbt_qp_rx_ack(struct ntbt_qp *qp)
{
	qp->it->ops->rx_ack(qp->it, qp->qp_num);
}

bool
ntbt_qp_link_up(const struct ntbt_qp *qp)
{
	return __atomic_load_n(&qp->up, __ATOMIC_ACQUIRE) != 0;
}

uint32_t
ntbt_qp_max_payload(const struct ntbt_qp *qp)
{
	if (!ntbt_qp_link_up(qp))
		return 0;
	return qp->tx_max_frame - NTBT_HDR_SIZE;
}

void
ntbt_qp_stats_get(const struct ntbt_qp *qp, struct ntbt_qp_stats *s)
{
	const struct ntbt_qp_stats *tx = &qp->tx_stats, *rx = &qp->rx_stats;

	*s = (struct ntbt_qp_stats){
		.tx_pkts = tx->tx_pkts,
		.tx_bytes = tx->tx_bytes,
		.tx_ring_full = tx->tx_ring_full,
		.tx_err_oversize = tx->tx_err_oversize,
		.tx_link_down = tx->tx_link_down,
		.tx_err_rx_info = tx->tx_err_rx_info,
		.rx_pkts = rx->rx_pkts,
		.rx_bytes = rx->rx_bytes,
		.rx_err_ver = rx->rx_err_ver,
		.rx_err_len = rx->rx_err_len,
		.rx_nobuf = rx->rx_nobuf,
		.rx_link_down = rx->rx_link_down,
	};
}

void
ntbt_qp_stats_reset(struct ntbt_qp *qp)
{
	memset(&qp->tx_stats, 0, sizeof(qp->tx_stats));
	memset(&qp->rx_stats, 0, sizeof(qp->rx_stats));
}
