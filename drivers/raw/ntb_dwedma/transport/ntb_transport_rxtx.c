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
#include <rte_prefetch.h>

#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

/* Frames whose flags are published together after one barrier. */
#define NTBT_TX_CHUNK	32
/* Frames scanned (and mbufs taken in bulk) per step of an Rx burst. */
#define NTBT_RX_CHUNK	32

/* inlined into both variants of the burst, as with a single call site */
static __rte_always_inline void
ntbt_tx_copy(uint8_t *frame, const struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next) {
		rte_memcpy(frame, rte_pktmbuf_mtod(m, const void *),
			   m->data_len);
		frame += m->data_len;
	}
}

/*
 * The Tx burst inside the gate. aligned: every header of the ring is
 * 4-byte aligned (qp->tx_hdr_aligned); a constant in each caller, so
 * header stores carry no alignment test.
 */
static __rte_always_inline uint16_t
ntbt_tx_frames(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n,
	       bool aligned)
{
	/* per chunk: headers of the filled frames, whose DONE flags are
	 * published together, and the mbufs consumed (sent or dropped)
	 */
	uint8_t *filled_hdrs[NTBT_TX_CHUNK];
	struct rte_mbuf *consumed[NTBT_TX_CHUNK];
	unsigned int k, nb_filled, nb_consumed;
	uint32_t max_payload, room;
	uint16_t done = 0, sent = 0;
	uint64_t bytes = 0;
	/* room was read and no chunk was written since */
	bool room_just_read;

	max_payload = qp->tx_max_frame - NTBT_HDR_SIZE;
	if (unlikely(ntbt_tx_room(qp, &room) != 0))
		return 0;
	room_just_read = true;

	while (done < n) {
		if (room == 0) {
			/* the peer may have consumed more meanwhile */
			if (room_just_read || ntbt_tx_room(qp, &room) != 0)
				break;
			if (room == 0) {
				qp->tx_stats.tx_ring_full++;
				break;
			}
		}
		room_just_read = false;
		/* copy payloads and len/ver of up to one chunk */
		for (nb_filled = 0, nb_consumed = 0;
		     nb_filled < NTBT_TX_CHUNK && done < n &&
		     nb_filled < room; done++) {
			struct rte_mbuf *m = pkts[done];
			uint8_t *hdr;

			if (done + 1 < n)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[done + 1],
							       void *));
			if (nb_filled + 1 < room) {
				/* the next frame's lines: owned by the
				 * receiver's core until we ask for them
				 */
				uint32_t next = ntbt_next(qp->tx_index,
							  qp->tx_max_entry);

				rte_prefetch0_write(ntbt_frame(qp->tx_base,
						qp->tx_max_frame, next));
				rte_prefetch0_write(ntbt_hdr(qp->tx_base,
						qp->tx_max_frame, next));
			}
			consumed[nb_consumed++] = m;
			if (unlikely(m->pkt_len > max_payload)) {
				qp->tx_stats.tx_err_oversize++;
				continue;
			}
			ntbt_tx_copy(ntbt_frame(qp->tx_base, qp->tx_max_frame,
						qp->tx_index), m);
			hdr = ntbt_hdr(qp->tx_base, qp->tx_max_frame,
				       qp->tx_index);
			ntbt_hdr_write(hdr, NTBT_HDR_LEN, m->pkt_len, aligned);
			ntbt_hdr_write(hdr, NTBT_HDR_VER, qp->tx_seq, aligned);
			filled_hdrs[nb_filled++] = hdr;
			qp->tx_index = ntbt_next(qp->tx_index,
						 qp->tx_max_entry);
			qp->tx_seq++;
			bytes += m->pkt_len;
		}
		room -= nb_filled;
		if (nb_filled != 0) {
			/* payloads (write-combined window) before any DONE */
			rte_wmb();
			for (k = 0; k < nb_filled; k++)
				ntbt_hdr_write(filled_hdrs[k], NTBT_HDR_FLAGS,
					       NTBT_DESC_DONE_FLAG, aligned);
			sent += nb_filled;
		}
		/* the data is in the peer's memory: the mbufs are done */
		rte_pktmbuf_free_bulk(consumed, nb_consumed);
	}
	if (room == 0 && done < n && room_just_read)
		qp->tx_stats.tx_ring_full++;
	if (sent != 0) {
		qp->tx_stats.tx_pkts += sent;
		qp->tx_stats.tx_bytes += bytes;
		ntbt_tx_kick(qp);
	}
	return done;
}

uint16_t
ntbt_tx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t done;

	if (unlikely(!ntbt_gate_enter(qp, &qp->tx_busy))) {
		qp->tx_stats.tx_link_down += n;
		return 0;
	}
	/* the ring cannot change while the gate is held */
	if (qp->tx_dma != NULL)
		done = ntbt_dma_tx_burst(qp, pkts, n);
	else if (likely(qp->tx_hdr_aligned))
		done = ntbt_tx_frames(qp, pkts, n, true);
	else
		done = ntbt_tx_frames(qp, pkts, n, false);
	ntbt_gate_exit(&qp->tx_busy);
	return done;
}

/* Extend head (data_len set, room for its share) to a chain of len bytes. */
static int
ntbt_rx_chain(struct rte_mempool *mp, struct rte_mbuf *head, uint32_t len)
{
	struct rte_mbuf *tail, *m;
	uint32_t room;

	room = rte_pktmbuf_tailroom(head);
	if (unlikely(room == 0))
		return -1;
	head->data_len = (uint16_t)RTE_MIN(len, room);
	head->pkt_len = len;
	len -= head->data_len;
	for (tail = head; len > 0; tail = m) {
		m = rte_pktmbuf_alloc(mp);
		if (unlikely(m == NULL))
			return -1;
		tail->next = m;
		head->nb_segs++;
		room = rte_pktmbuf_tailroom(m);
		if (unlikely(room == 0))
			return -1;
		m->data_len = (uint16_t)RTE_MIN(len, room);
		len -= m->data_len;
	}
	return 0;
}

static __rte_always_inline void
ntbt_rx_copy(struct rte_mbuf *m, const uint8_t *frame)
{
	for (; m != NULL; m = m->next) {
		rte_memcpy(rte_pktmbuf_mtod(m, void *), frame, m->data_len);
		frame += m->data_len;
	}
}

/* Write our kick wish into the sender's memory if it changed. */
static inline void
ntbt_rx_publish_kick(struct ntbt_qp *qp)
{
	uint32_t want = qp->rx_kick_want;

	if (likely(qp->rx_kick_pub == want) || qp->rx_kick_word == NULL)
		return;
	rte_write32_relaxed(want, qp->rx_kick_word);
	qp->rx_kick_pub = want;
}

/*
 * The Rx burst inside the gate (see ntbt_rx_burst). aligned: as in
 * ntbt_tx_frames, qp->rx_hdr_aligned as a constant.
 */
static __rte_always_inline uint16_t
ntbt_rx_frames(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n,
	       struct rte_mempool *mp, bool aligned)
{
	uint32_t max_payload, seg_room, budget, nb_taken = 0;
	uint32_t last_taken = 0;	/* ring index of the last frame taken */
	uint16_t nb_rx = 0;
	bool stop = false;
	uint8_t *hdr;

	max_payload = qp->rx_max_frame - NTBT_HDR_SIZE;
	seg_room = rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM;
	budget = RTE_MIN((uint32_t)n, qp->rx_max_entry);

	while (nb_taken < budget && !stop) {
		struct rte_mbuf *mbufs[NTBT_RX_CHUNK];
		uint32_t scan_idx = qp->rx_index, scan_max, i;
		uint32_t nb_ready = 0;	/* complete frames found by the scan */
		uint32_t nb_used = 0;	/* mbufs of mbufs[] given a frame */

		/* how many frames are complete: take that many mbufs at once */
		scan_max = RTE_MIN(budget - nb_taken, (uint32_t)NTBT_RX_CHUNK);
		while (nb_ready < scan_max) {
			hdr = ntbt_hdr(qp->rx_base, qp->rx_max_frame, scan_idx);
			if (!(ntbt_hdr_read(hdr, NTBT_HDR_FLAGS, aligned) &
			      NTBT_DESC_DONE_FLAG))
				break;
			/* its payload, while we look at the next header */
			rte_prefetch0(ntbt_frame(qp->rx_base, qp->rx_max_frame,
						 scan_idx));
			nb_ready++;
			scan_idx = ntbt_next(scan_idx, qp->rx_max_entry);
		}
		if (nb_ready == 0)
			break;
		/* header and payload only after DONE was seen */
		rte_io_rmb();
		if (unlikely(rte_pktmbuf_alloc_bulk(mp, mbufs, nb_ready) != 0)) {
			qp->rx_stats.rx_nobuf++;
			break;
		}
		for (i = 0; i < nb_ready; i++) {
			const uint8_t *frame = ntbt_frame(qp->rx_base,
					qp->rx_max_frame, qp->rx_index);
			uint32_t flags, ver, len;
			struct rte_mbuf *m;

			hdr = ntbt_hdr(qp->rx_base, qp->rx_max_frame,
				       qp->rx_index);
			flags = ntbt_hdr_read(hdr, NTBT_HDR_FLAGS, aligned);
			if (unlikely(flags & NTBT_LINK_DOWN_FLAG)) {
				/* the control thread takes the QP down */
				ntbt_hdr_write(hdr, NTBT_HDR_FLAGS, 0, aligned);
				qp->rx_stats.rx_link_down++;
				__atomic_store_n(&qp->up, 0, __ATOMIC_RELEASE);
				stop = true;
				break;
			}
			ver = ntbt_hdr_read(hdr, NTBT_HDR_VER, aligned);
			len = ntbt_hdr_read(hdr, NTBT_HDR_LEN, aligned);
			if (unlikely(ver != qp->rx_seq)) {
				/* kernel ntb_process_rxc: -EIO, retried later */
				qp->rx_stats.rx_err_ver++;
				if (qp->rx_seq == 0 && qp->rx_layout_bad == 0)
					qp->rx_layout_bad = ver + 1u;
				stop = true;
				break;
			}
			if (unlikely(len > max_payload && qp->rx_seq == 0 &&
				     qp->rx_layout_bad == 0))
				qp->rx_layout_bad = 1;
			if (likely(len != 0 && len <= max_payload)) {
				m = mbufs[nb_used++];
				if (likely(len <= seg_room)) {
					m->data_len = (uint16_t)len;
					m->pkt_len = len;
				} else if (unlikely(ntbt_rx_chain(mp, m,
								  len) != 0)) {
					/* frame stays for a later burst */
					rte_pktmbuf_free(m);
					qp->rx_stats.rx_nobuf++;
					stop = true;
					break;
				}
				ntbt_rx_copy(m, frame);
				pkts[nb_rx++] = m;
				qp->rx_stats.rx_pkts++;
				qp->rx_stats.rx_bytes += len;
			} else {
				/*
				 * Nothing to deliver: no data, or more than
				 * a frame holds (the kernel's rx_err_oflow).
				 * Dropped and consumed; unlike the kernel
				 * the frame counter moves on, as the
				 * sender's did, so the ring keeps going.
				 */
				qp->rx_stats.rx_err_len++;
			}
			ntbt_hdr_write(hdr, NTBT_HDR_FLAGS, 0, aligned);
			last_taken = qp->rx_index;
			nb_taken++;
			qp->rx_index = ntbt_next(qp->rx_index,
						 qp->rx_max_entry);
			qp->rx_seq++;
		}
		if (nb_used < nb_ready)
			rte_pktmbuf_free_bulk(mbufs + nb_used,
					      nb_ready - nb_used);
	}
	if (nb_taken != 0) {
		/* frames read and flags cleared before the slots are freed */
		rte_mb();
		rte_write32_relaxed(last_taken, qp->rx_remote_entry);
		ntbt_rx_publish_kick(qp);
	}
	return nb_rx;
}

/*
 * Frames are taken in ring order, each consumed one (delivered, or
 * dropped for a bad len) counting toward n, and at most rx_max_entry per
 * burst: a scan never comes back to a slot it consumed in this burst,
 * and a peer that refills the ring cannot keep one burst running. Like
 * the kernel's ntb_transport_rxc_db / ntb_process_rxc, a frame whose
 * ver is not the expected one ends this burst and stays where it is,
 * counted; the next burst looks at it again.
 */
uint16_t
ntbt_rx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n,
	      struct rte_mempool *mp)
{
	uint16_t nb_rx;

	if (unlikely(!ntbt_gate_enter(qp, &qp->rx_busy)))
		return 0;
	/* the ring cannot change while the gate is held */
	if (likely(qp->rx_hdr_aligned))
		nb_rx = ntbt_rx_frames(qp, pkts, n, mp, true);
	else
		nb_rx = ntbt_rx_frames(qp, pkts, n, mp, false);
	ntbt_gate_exit(&qp->rx_busy);
	return nb_rx;
}

/*
 * Control thread, once per link work (not the data path): the peer's
 * LINK_DOWN frame waiting as the next frame of our ring. Only an Rx
 * burst reads it otherwise, so an application that only transmits kept
 * the queue up after the peer reset it (kernel ntb_qp_link_down_reset
 * restarts its ring and stops writing our consumed index): its Tx read
 * "ring full" for good. Taken as the Rx burst takes it, with the data
 * path stopped (the burst may have taken it meanwhile: then it is gone
 * and counted already). Frames before it are left to the Rx burst,
 * which meets the LINK_DOWN after them. True: the QP is to go down.
 */
bool
ntbt_qp_rx_link_down(struct ntbt_qp *qp)
{
	const uint32_t both = NTBT_DESC_DONE_FLAG | NTBT_LINK_DOWN_FLAG;
	uint8_t *hdr;

	if (!ntbt_qp_link_up(qp))
		return true;	/* an Rx burst saw it */
	hdr = ntbt_hdr(qp->rx_base, qp->rx_max_frame,
		       __atomic_load_n(&qp->rx_index, __ATOMIC_RELAXED));
	if ((ntbt_hdr_get(hdr, NTBT_HDR_FLAGS) & both) != both)
		return false;
	ntbt_gate_shut(qp);
	hdr = ntbt_hdr(qp->rx_base, qp->rx_max_frame, qp->rx_index);
	if ((ntbt_hdr_get(hdr, NTBT_HDR_FLAGS) & both) == both) {
		ntbt_hdr_set(hdr, NTBT_HDR_FLAGS, 0);
		qp->rx_stats.rx_link_down++;
	}
	return true;
}

void
ntbt_qp_rx_arm(struct ntbt_qp *qp, bool on)
{
	qp->rx_kick_want = on ? NTBT_KICK_ON : NTBT_KICK_OFF;
	if (!ntbt_gate_enter(qp, &qp->rx_busy))
		return;		/* published at the first burst after setup */
	ntbt_rx_publish_kick(qp);
	/* the word before the caller's last poll (see ntbt_tx_kick) */
	rte_mb();
	ntbt_gate_exit(&qp->rx_busy);
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

/* Each counter from the struct its writer thread updates. */
void
ntbt_qp_stats_get(const struct ntbt_qp *qp, struct ntbt_qp_stats *s)
{
#define NTBT_QP_STATS_COPY(field, side) s->field = qp->side##_stats.field;
	NTBT_QP_STATS(NTBT_QP_STATS_COPY)
#undef NTBT_QP_STATS_COPY
}
