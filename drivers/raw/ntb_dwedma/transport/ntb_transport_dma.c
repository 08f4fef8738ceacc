/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * copy=dma (ntb_transport_dma.h): the peer's receive buffer addresses in
 * scratchpads, and the Tx data path that lets a dmadev copy the payloads
 * while the CPU publishes the headers in ring order.
 */

#include <errno.h>
#include <inttypes.h>
#include <sched.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

#define NTBT_DMA_RING		1024u	/* frames in flight per queue pair */
#define NTBT_DMA_BATCH		32u	/* statuses / headers per step */
/*
 * Tx burst: how long it waits for its own copies before it returns
 * (what is left is published by the next burst, which may carry no
 * packets, or by the control thread: ntbt_dma_ctl_work), and after how
 * long it yields the CPU meanwhile (an engine that is a thread, as on
 * the virtual link, may share our CPU).
 */
#define NTBT_DMA_WAIT_US	100000u
#define NTBT_DMA_SPIN_US	20u
/* queue pair down: how long it waits for the copies in flight */
#define NTBT_DMA_DRAIN_US	200000u
/*
 * A channel that returns no status for this long while copies are
 * outstanding is hung (an eDMA copies a 64 KiB frame in microseconds;
 * the bound leaves room for a loaded virtual link): the control thread
 * resets it (ntbt_dma_recover).
 */
#define NTBT_DMA_HUNG_MS	2000u

struct ntbt_dma_ent {
	struct rte_mbuf *m;
	uint8_t *hdr;
	uint32_t len;
	uint32_t ver;
	uint16_t nb_ops;	/* copies enqueued for this frame */
	uint16_t ops_done;	/* of which a status came back */
	bool failed;		/* a copy failed: published empty */
	/*
	 * Dropped at a queue pair down with copies still running (counted
	 * then): its statuses are taken in turn, nothing is published, and
	 * its mbuf is freed once the engine is done with it.
	 */
	bool stale;
};

/*
 * The entries stay in the ring across queue pair sessions: the vchan
 * returns its statuses in the order of the copies, so a copy of an old
 * session that completes late is matched to its own (stale) entry, never
 * to one of the next session.
 */
struct ntbt_dma_qp {
	/*
	 * Taken by the Tx burst (inside the gate) and, without waiting, by
	 * the control thread's ntbt_dma_ctl_work: the entries and the vchan
	 * (a dmadev vchan has one producer) are used by one at a time.
	 */
	rte_spinlock_t lock;
	int16_t dev_id;
	uint16_t vchan;
	int logged;		/* reason last logged (enum below), 0 none */
	uint64_t ep_base;	/* the peer's DMA address of our Tx slice */
	uint32_t head;		/* free running: next entry */
	uint32_t tail;		/* oldest entry in flight */
	uint64_t progress;	/* statuses taken, free running */
	uint64_t progress_seen;	/* as the control thread last saw it */
	uint64_t stall_since;	/* timer cycles: last progress or idle */
	bool reset_logged;
	/* hung and could not be reset: the CPU copies from then on */
	bool broken;
	struct ntbt_dma_ent ent[NTBT_DMA_RING];
};

enum ntbt_dma_why {
	NTBT_DMA_OK = 1,
	NTBT_DMA_NO_SPADS,
	NTBT_DMA_NOT_PUBLISHED,
	NTBT_DMA_BAD_ADDR,
};

int
ntbt_dma_create(struct ntbt *t)
{
	uint16_t q, n;

	if (t->conf.copy == NTBT_COPY_CPU || t->conf.dma_nb_vchan == 0)
		return 0;
	n = RTE_MIN(t->qp_alloc, t->conf.dma_nb_vchan);
	for (q = 0; q < n; q++) {
		struct ntbt_dma_qp *dq;

		dq = rte_zmalloc_socket("ntbt_dma", sizeof(*dq),
					RTE_CACHE_LINE_SIZE, t->socket_id);
		if (dq == NULL) {
			ntbt_dma_destroy(t);
			return -ENOMEM;
		}
		rte_spinlock_init(&dq->lock);
		dq->dev_id = t->conf.dma_dev_id;
		dq->vchan = q;
		t->qp[q].dma = dq;
	}
	if (n < t->qp_alloc)
		NTB_LOG(NOTICE, "%s: copy=%s: %u DMA channel(s) for %u queue pairs: queue pairs %u.. copy with the CPU",
			t->nd->name, t->conf.copy == NTBT_COPY_DMA ? "dma" :
			"auto", n, t->qp_alloc, n);
	return 0;
}

void
ntbt_dma_destroy(struct ntbt *t)
{
	struct ntbt_dma_qp *dq;
	uint16_t q;

	for (q = 0; q < t->qp_alloc; q++) {
		dq = t->qp[q].dma;
		t->qp[q].tx_dma = NULL;
		if (dq == NULL)
			continue;
		/* queue pairs down: all stale; the dmadev stops next */
		if (dq->tail != dq->head)
			NTB_LOG(NOTICE, "%s: qp %u: %u DMA copies of an earlier session never completed: their mbufs are freed",
				t->nd->name, q, dq->head - dq->tail);
		for (; dq->tail != dq->head; dq->tail++)
			rte_pktmbuf_free(dq->ent[dq->tail % NTBT_DMA_RING].m);
		rte_free(dq);
		t->qp[q].dma = NULL;
	}
}

/* The address block fits our spads (and what a teardown zeroes)? */
static bool
ntbt_dma_spads_ok(const struct ntbt *t, unsigned int *base)
{
	*base = ntbt_rx_addr_spad(t->mw_count, t->qp_count);
	return *base + ntbt_rx_addr_spads(t->mw_count) <=
		RTE_MIN(t->nd->spad_count, NTBT_MAX_SPADS);
}

void
ntbt_dma_publish(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	unsigned int b, i;

	if (!t->conf.publish_rx_addr)
		return;
	if (!ntbt_dma_spads_ok(t, &b)) {
		NTB_LOG(NOTICE, "%s: %u scratchpads: no room to publish the receive buffer addresses (copy=dma on the peer needs %u)",
			nd->name, nd->spad_count,
			b + ntbt_rx_addr_spads(t->mw_count));
		return;
	}
	for (i = 0; i < t->mw_count; i++) {
		rte_iova_t a = t->mw[i].mz->iova;

		nd->ops->spad_write(nd, b + 1 + 2 * i, (uint32_t)a);
		nd->ops->spad_write(nd, b + 2 + 2 * i, (uint32_t)(a >> 32));
	}
	/* the marker last: a reader that sees it sees the addresses */
	nd->ops->spad_write(nd, b, NTBT_RX_ADDR_MAGIC);
}

/*
 * The peer's DMA address of MW mw's receive buffer, read once from its
 * spads and checked: published (marker), not 0, aligned as a window
 * translation is, and the whole window (size) reachable without a wrap.
 */
static enum ntbt_dma_why
ntbt_dma_peer_addr(struct ntbt *t, unsigned int mw, uint64_t size,
		   uint64_t *addr)
{
	struct ntb_dev *nd = t->nd;
	unsigned int b;
	uint64_t a;

	if (!ntbt_dma_spads_ok(t, &b))
		return NTBT_DMA_NO_SPADS;
	if (nd->ops->peer_spad_read(nd, b) != NTBT_RX_ADDR_MAGIC)
		return NTBT_DMA_NOT_PUBLISHED;
	a = nd->ops->peer_spad_read(nd, b + 1 + 2 * mw);
	a |= (uint64_t)nd->ops->peer_spad_read(nd, b + 2 + 2 * mw) << 32;
	*addr = a;
	if (a == 0 || a % NTBT_RX_ADDR_ALIGN != 0 || a > UINT64_MAX - size)
		return NTBT_DMA_BAD_ADDR;
	return NTBT_DMA_OK;
}

int
ntbt_dma_qp_up(struct ntbt *t, struct ntbt_qp *qp)
{
	struct ntbt_dma_qp *dq = qp->dma;
	unsigned int mw;
	enum ntbt_dma_why why;
	const char *reason;
	uint64_t a = 0;

	qp->tx_dma = NULL;
	if (dq == NULL || dq->broken)
		return 0;	/* broken: logged at ntbt_dma_recover */
	mw = qp->qp_num % t->mw_count;
	why = ntbt_dma_peer_addr(t, mw, t->mw[mw].tx_size, &a);
	if (why == NTBT_DMA_OK) {
		dq->ep_base = a + (uint64_t)(qp->tx_base - t->mw[mw].win.va);
		/* entries of an earlier session stay: see ntbt_dma_ent.stale */
		qp->tx_dma = dq;
		if (dq->logged != NTBT_DMA_OK)
			NTB_LOG(NOTICE, "%s: qp %u: Tx copies by dmadev %d vchan %u into the peer's MW%u buffer at 0x%" PRIx64,
				t->nd->name, qp->qp_num, dq->dev_id,
				dq->vchan, mw, a);
		dq->logged = NTBT_DMA_OK;
		return 0;
	}
	reason = why == NTBT_DMA_NO_SPADS ?
		"too few scratchpads for the address block" :
		why == NTBT_DMA_NOT_PUBLISHED ?
		"the EP does not publish its window addresses" :
		"the EP's window address is unusable";
	if (dq->logged != (int)why && why == NTBT_DMA_BAD_ADDR)
		NTB_LOG(WARNING, "%s: peer publishes MW%u receive buffer at 0x%" PRIx64
			": not a usable DMA address (0, not %u-aligned, or the window of 0x%"
			PRIx64 " B wraps)", t->nd->name, mw, a,
			NTBT_RX_ADDR_ALIGN, t->mw[mw].tx_size);
	if (t->conf.copy == NTBT_COPY_AUTO) {
		if (dq->logged != (int)why)
			NTB_LOG(NOTICE, "%s: qp %u: copy=auto: %s: the CPU copies",
				t->nd->name, qp->qp_num, reason);
		dq->logged = why;
		return 0;
	}
	if (dq->logged != (int)why)
		NTB_LOG(ERR, "%s: qp %u: copy=dma refused: %s (needs an EP that publishes them, as dpdk-vntb's does); the queue pair stays down (copy=auto or cpu copies with the CPU)",
			t->nd->name, qp->qp_num, reason);
	dq->logged = why;
	return -1;
}

/* Write len/ver of up to NTBT_DMA_BATCH finished frames, then DONE. */
static void
ntbt_dma_flush(uint8_t **hdrs, struct rte_mbuf **mbufs, unsigned int nb,
	       bool aligned)
{
	unsigned int k;

	/* every payload (copied by the engine) before any DONE */
	rte_wmb();
	for (k = 0; k < nb; k++)
		ntbt_hdr_write(hdrs[k], NTBT_HDR_FLAGS, NTBT_DESC_DONE_FLAG,
			       aligned);
	rte_pktmbuf_free_bulk(mbufs, nb);
}

/*
 * Publish, in ring order, every frame whose copies all came back; a
 * frame with a failed copy as an empty frame; a stale one (an earlier
 * session's) not at all. Returns frames published.
 */
static unsigned int
ntbt_dma_reap(struct ntbt_qp *qp, struct ntbt_dma_qp *dq, bool aligned)
{
	enum rte_dma_status_code st[NTBT_DMA_BATCH];
	uint8_t *hdrs[NTBT_DMA_BATCH];
	struct rte_mbuf *mbufs[NTBT_DMA_BATCH];
	uint16_t nst = 0, k = 0, last;
	unsigned int nb = 0, total = 0;

	while (dq->tail != dq->head) {
		struct ntbt_dma_ent *e = &dq->ent[dq->tail % NTBT_DMA_RING];

		while (e->ops_done < e->nb_ops) {
			if (k == nst) {
				k = 0;
				nst = rte_dma_completed_status(dq->dev_id,
					dq->vchan, NTBT_DMA_BATCH, &last, st);
				if (nst == 0)
					break;
			}
			if (st[k++] != RTE_DMA_STATUS_SUCCESSFUL)
				e->failed = true;
			e->ops_done++;
			dq->progress++;
		}
		if (e->ops_done < e->nb_ops)
			break;		/* still copying */
		if (unlikely(e->stale)) {
			/* counted at queue pair down; the engine is done */
			rte_pktmbuf_free(e->m);
			dq->tail++;
			continue;
		}
		if (e->failed) {
			qp->tx_stats.tx_err_dma++;
			e->len = 0;
		} else {
			qp->tx_stats.tx_pkts++;
			qp->tx_stats.tx_bytes += e->len;
		}
		ntbt_hdr_write(e->hdr, NTBT_HDR_LEN, e->len, aligned);
		ntbt_hdr_write(e->hdr, NTBT_HDR_VER, e->ver, aligned);
		hdrs[nb] = e->hdr;
		mbufs[nb++] = e->m;
		dq->tail++;
		if (nb == NTBT_DMA_BATCH) {
			ntbt_dma_flush(hdrs, mbufs, nb, aligned);
			total += nb;
			nb = 0;
		}
	}
	if (nb != 0)
		ntbt_dma_flush(hdrs, mbufs, nb, aligned);
	total += nb;
	if (total != 0)
		ntbt_tx_kick(qp);
	return total;
}

/*
 * Enqueue the copies of m into the frame at dst: one per segment with
 * data (a chain is scattered in our memory, the frame is contiguous).
 * cap: copies the vchan still takes. Returns the copies enqueued, or
 * -1 (nothing enqueued: no room) ; a copy the dmadev refuses after
 * others were enqueued marks the frame failed.
 */
static int
ntbt_dma_enqueue(struct ntbt_dma_qp *dq, struct ntbt_dma_ent *e,
		 const struct rte_mbuf *m, uint64_t dst, uint16_t *cap)
{
	const struct rte_mbuf *s;
	uint16_t need = 0;
	int rc;

	for (s = m; s != NULL; s = s->next)
		need += s->data_len != 0;
	if (need > *cap)
		return -1;
	for (s = m; s != NULL; s = s->next) {
		if (s->data_len == 0)
			continue;
		rc = rte_dma_copy(dq->dev_id, dq->vchan, rte_pktmbuf_iova(s),
				  dst, s->data_len, 0);
		if (unlikely(rc < 0)) {
			if (e->nb_ops == 0)
				return -1;
			e->failed = true;
			break;
		}
		e->nb_ops++;
		dst += s->data_len;
	}
	*cap -= e->nb_ops;
	return e->nb_ops;
}

/*
 * After a submit: publish what the engine finishes, until nothing is in
 * flight or NTBT_DMA_WAIT_US passed (the next burst publishes the rest).
 * A function of its own, so that a profile shows the RC's time spent
 * waiting for the engine apart from its own work (devtools/bench.py).
 */
static __rte_noinline void
ntbt_dma_wait(struct ntbt_qp *qp, struct ntbt_dma_qp *dq, bool aligned)
{
	uint64_t start = 0;

	while (dq->tail != dq->head) {
		uint64_t now;

		if (ntbt_dma_reap(qp, dq, aligned) != 0)
			continue;
		now = rte_get_timer_cycles();
		if (start == 0)
			start = now;
		else if (now - start > rte_get_timer_hz() *
			 NTBT_DMA_WAIT_US / 1000000)
			break;
		else if (now - start > rte_get_timer_hz() *
			 NTBT_DMA_SPIN_US / 1000000)
			sched_yield();
		else
			rte_pause();
	}
}

static __rte_always_inline uint16_t
ntbt_dma_tx_frames(struct ntbt_qp *qp, struct ntbt_dma_qp *dq,
		   struct rte_mbuf **pkts, uint16_t n, bool aligned)
{
	uint32_t max_payload = qp->tx_max_frame - NTBT_HDR_SIZE, room;
	uint16_t done = 0, enq = 0, cap;

	ntbt_dma_reap(qp, dq, aligned);
	if (n == 0 || unlikely(ntbt_tx_room(qp, &room) != 0))
		return 0;
	cap = rte_dma_burst_capacity(dq->dev_id, dq->vchan);
	while (done < n) {
		struct rte_mbuf *m = pkts[done];
		struct ntbt_dma_ent *e;

		if (room == 0) {
			/* the peer may have consumed more meanwhile */
			if (ntbt_tx_room(qp, &room) != 0 || room == 0) {
				qp->tx_stats.tx_ring_full++;
				break;
			}
		}
		if (dq->head - dq->tail == NTBT_DMA_RING)
			break;
		if (unlikely(m->pkt_len > max_payload)) {
			qp->tx_stats.tx_err_oversize++;
			rte_pktmbuf_free(m);
			done++;
			continue;
		}
		e = &dq->ent[dq->head % NTBT_DMA_RING];
		*e = (struct ntbt_dma_ent){ .m = m, .len = m->pkt_len,
			.ver = qp->tx_seq,
			.hdr = ntbt_hdr(qp->tx_base, qp->tx_max_frame,
					qp->tx_index) };
		if (ntbt_dma_enqueue(dq, e, m, dq->ep_base +
				     (uint64_t)qp->tx_max_frame * qp->tx_index,
				     &cap) < 0)
			break;		/* the vchan is full: the rest waits */
		enq += e->nb_ops;
		dq->head++;
		qp->tx_index = ntbt_next(qp->tx_index, qp->tx_max_entry);
		qp->tx_seq++;
		room--;
		done++;
	}
	if (enq == 0) {
		/* frames without data (nothing to copy) go out now */
		if (dq->tail != dq->head)
			ntbt_dma_reap(qp, dq, aligned);
		return done;
	}
	rte_dma_submit(dq->dev_id, dq->vchan);
	/* the engine runs elsewhere: publish what it finishes meanwhile */
	ntbt_dma_wait(qp, dq, aligned);
	return done;
}

uint16_t
ntbt_dma_tx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts, uint16_t n)
{
	struct ntbt_dma_qp *dq = qp->tx_dma;
	uint16_t done;

	rte_spinlock_lock(&dq->lock);
	if (unlikely(__atomic_load_n(&qp->tx_dma, __ATOMIC_ACQUIRE) != dq)) {
		/* the channel was reset meanwhile: the next burst copies */
		rte_spinlock_unlock(&dq->lock);
		return 0;
	}
	if (likely(qp->tx_hdr_aligned))
		done = ntbt_dma_tx_frames(qp, dq, pkts, n, true);
	else
		done = ntbt_dma_tx_frames(qp, dq, pkts, n, false);
	rte_spinlock_unlock(&dq->lock);
	return done;
}

/*
 * Entries not stale yet (the current session's, after any stale ones)
 * are dropped: counted in tx_err_dma and marked stale. With publish
 * (the queue pair is up and its ring ours: gate shut or lock held),
 * their slots go out as empty frames, in ring order: len 0 and their
 * ver, then DONE, so that the receiver, which reads in ring order, gets
 * past them to what follows. A copy may still be writing the payload:
 * with len 0 the receiver does not read it. Returns the frames dropped.
 */
static uint32_t
ntbt_dma_drop(struct ntbt_qp *qp, struct ntbt_dma_qp *dq, bool publish)
{
	bool aligned = qp->tx_hdr_aligned;
	uint32_t first = dq->tail, i;

	while (first != dq->head && dq->ent[first % NTBT_DMA_RING].stale)
		first++;
	for (i = first; i != dq->head; i++) {
		struct ntbt_dma_ent *e = &dq->ent[i % NTBT_DMA_RING];

		e->stale = true;
		qp->tx_stats.tx_err_dma++;
		if (!publish)
			continue;
		ntbt_hdr_write(e->hdr, NTBT_HDR_LEN, 0, aligned);
		ntbt_hdr_write(e->hdr, NTBT_HDR_VER, e->ver, aligned);
	}
	if (!publish || first == dq->head)
		return dq->head - first;
	rte_wmb();
	for (i = first; i != dq->head; i++)
		ntbt_hdr_write(dq->ent[i % NTBT_DMA_RING].hdr, NTBT_HDR_FLAGS,
			       NTBT_DESC_DONE_FLAG, aligned);
	ntbt_tx_kick(qp);
	return dq->head - first;
}

/* Copies outstanding and no status for NTBT_DMA_HUNG_MS (lock held)? */
static bool
ntbt_dma_hung(struct ntbt_dma_qp *dq)
{
	uint64_t now = rte_get_timer_cycles();

	if (dq->tail == dq->head || dq->progress != dq->progress_seen) {
		dq->progress_seen = dq->progress;
		dq->stall_since = now;
		return false;
	}
	return now - dq->stall_since >
		rte_get_timer_hz() * NTBT_DMA_HUNG_MS / 1000;
}

/*
 * The channel is hung (lock held, control thread): its frames are
 * dropped (published empty while the queue pair is up), the vchan is
 * reset (its copies forgotten: their mbufs are freed), and the queue
 * pair copies with the CPU until it goes down; the next session tries
 * the channel again. A vchan that cannot be reset keeps its copies
 * (stale: their mbufs are the engine's) and the queue pair copies with
 * the CPU for good.
 */
static void
ntbt_dma_recover(struct ntbt_qp *qp, struct ntbt_dma_qp *dq)
{
	int (*reset)(int16_t, uint16_t) = qp->t->conf.dma_vchan_reset;
	bool up = qp->tx_dma == dq;
	uint32_t dropped, held = dq->head - dq->tail;
	int rc;

	dropped = ntbt_dma_drop(qp, dq, up);
	rc = reset != NULL ? reset(dq->dev_id, dq->vchan) : -ENOTSUP;
	qp->tx_stats.tx_dma_reset++;
	if (rc >= 0) {
		for (; dq->tail != dq->head; dq->tail++)
			rte_pktmbuf_free(dq->ent[dq->tail % NTBT_DMA_RING].m);
	} else {
		dq->broken = true;
	}
	if (up)
		__atomic_store_n(&qp->tx_dma, NULL, __ATOMIC_RELEASE);
	if (rc < 0)
		NTB_LOG(ERR, "%s: qp %u: dmadev %d vchan %u completed none of %u copies in %u ms and cannot be reset (%d): %u frames dropped; the CPU copies from now on",
			qp->t->nd->name, qp->qp_num, dq->dev_id, dq->vchan,
			held, NTBT_DMA_HUNG_MS, rc, dropped);
	else if (!dq->reset_logged)
		NTB_LOG(WARNING, "%s: qp %u: dmadev %d vchan %u completed none of %u copies in %u ms: reset, %u frames dropped; the CPU copies until the queue pair goes down (counted in tx_dma_resets, logged once)",
			qp->t->nd->name, qp->qp_num, dq->dev_id, dq->vchan,
			held, NTBT_DMA_HUNG_MS, dropped);
	dq->reset_logged = true;
}

void
ntbt_dma_ctl_work(struct ntbt_qp *qp)
{
	struct ntbt_dma_qp *dq = qp->dma;

	/* held: a Tx burst runs, and publishes what completes itself */
	if (dq == NULL || !rte_spinlock_trylock(&dq->lock))
		return;
	/*
	 * Up (tx_dma set, ring valid until the control thread, this one,
	 * shuts the gate): publish. Down or recovered (tx_dma cleared):
	 * every entry is stale, nothing is written to the ring.
	 */
	if (dq->tail != dq->head)
		ntbt_dma_reap(qp, dq, qp->tx_hdr_aligned);
	/* broken: its copies are the engine's, reported or never */
	if (!dq->broken && ntbt_dma_hung(dq))
		ntbt_dma_recover(qp, dq);
	rte_spinlock_unlock(&dq->lock);
}

void
ntbt_dma_qp_down(struct ntbt_qp *qp, bool publish)
{
	struct ntbt_dma_qp *dq = qp->tx_dma;
	uint32_t dropped;
	uint64_t deadline;

	if (dq == NULL)
		return;
	/* the gate is shut: no Tx burst, the vchan is the control thread's */
	deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * NTBT_DMA_DRAIN_US / 1000000;
	while (dq->tail != dq->head && rte_get_timer_cycles() < deadline)
		if (ntbt_dma_reap(qp, dq, qp->tx_hdr_aligned) == 0)
			rte_delay_us_sleep(100);
	dropped = ntbt_dma_drop(qp, dq, publish);
	if (dropped != 0)
		NTB_LOG(WARNING, "%s: qp %u: %u frames still copying at queue pair down: dropped (their mbufs are freed once the engine is done with them)",
			qp->t->nd->name, qp->qp_num, dropped);
	qp->tx_dma = NULL;
}
