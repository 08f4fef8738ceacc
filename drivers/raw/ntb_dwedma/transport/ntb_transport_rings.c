/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Memory of the queue pairs: the split of each window into one slice
 * per queue pair (kernel ntb_transport_setup_qp_mw), the receive buffer
 * behind each window and its translation (kernel ntb_set_mw), and the
 * ring in a slice: frames, the consumed-index word (rx_info) and the
 * kick word, set up at link up and reset when a queue pair goes down.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_priv.h"

/* Where queue pair q lives in an MW of size mw_size (kernel split). */
struct ntbt_slice {
	uint64_t off;
	uint32_t size;
	uint32_t max_frame;
	uint32_t max_entry;
};

static int
ntbt_slice(const struct ntbt *t, uint64_t mw_size, uint16_t q,
	   struct ntbt_slice *s)
{
	unsigned int mw = q % t->mw_count, num_qps_mw, usable;

	num_qps_mw = t->qp_count / t->mw_count +
		(mw < t->qp_count % t->mw_count ? 1 : 0);
	/* the kernel computes slices in unsigned int */
	if (mw_size > UINT32_MAX)
		return -ERANGE;
	s->size = (uint32_t)mw_size / num_qps_mw;
	s->off = (uint64_t)s->size * (q / t->mw_count);
	if (s->size < NTBT_RX_INFO_SIZE + 2 * NTBT_MIN_FRAME)
		return -ERANGE;
	usable = s->size - NTBT_RX_INFO_SIZE;
	s->max_frame = RTE_MIN(t->conf.transport_mtu, usable / 2);
	s->max_entry = usable / s->max_frame;
	return 0;
}

/* Every slice of MW mw fits in a frame layout for this size. */
bool
ntbt_mw_size_ok(const struct ntbt *t, unsigned int mw, uint64_t size)
{
	struct ntbt_slice s;
	uint16_t q;

	for (q = mw; q < t->qp_count; q += t->mw_count)
		if (ntbt_slice(t, size, q, &s) != 0)
			return false;
	return true;
}

void
ntbt_free_mw(struct ntbt *t, unsigned int i)
{
	struct ntbt_mw *mw = &t->mw[i];

	if (mw->mz == NULL)
		return;
	/* peer writes stop landing in the buffer before it is freed */
	t->nd->ops->mw_clear_trans(t->nd, i);
	rte_memzone_free(mw->mz);
	mw->mz = NULL;
	mw->rx_size = 0;
}

/* Receive buffer for MW i of a checked size (kernel ntb_set_mw). */
int
ntbt_set_mw(struct ntbt *t, unsigned int i, uint64_t size)
{
	static uint32_t mz_seq;
	struct ntb_dev *nd = t->nd;
	struct ntbt_mw *mw = &t->mw[i];
	uint64_t align = 0, size_max = 0;
	char name[RTE_MEMZONE_NAMESIZE];
	int rc;

	rc = nd->ops->mw_get_align(nd, i, &align, &size_max);
	if (rc != 0)
		return rc;
	if (align == 0)
		align = RTE_CACHE_LINE_SIZE;
	if (mw->mz != NULL && mw->rx_size == size)
		return 0;
	ntbt_free_mw(t, i);

	snprintf(name, sizeof(name), "ntbt_rx_%u",
		 __atomic_fetch_add(&mz_seq, 1, __ATOMIC_RELAXED));
	mw->mz = rte_memzone_reserve_aligned(name, size, t->socket_id,
					     RTE_MEMZONE_IOVA_CONTIG,
					     (unsigned int)align);
	if (mw->mz == NULL || mw->mz->iova == RTE_BAD_IOVA) {
		if (ntbt_refuse_first(t, NTBT_REF_ALLOC))
			NTB_LOG(ERR, "%s: no IOVA-contiguous %" PRIu64
				" B for MW%u receive buffer: %s", nd->name,
				size, i, rte_strerror(rte_errno));
		if (mw->mz != NULL)
			rte_memzone_free(mw->mz);
		mw->mz = NULL;
		return -ENOMEM;
	}
	memset(mw->mz->addr, 0, size);
	rc = nd->ops->mw_set_trans(nd, i, mw->mz->iova, size);
	if (rc != 0) {
		NTB_LOG(ERR, "%s: mw_set_trans(%u) failed: %d", nd->name, i,
			rc);
		rte_memzone_free(mw->mz);
		mw->mz = NULL;
		return rc < 0 ? rc : -EIO;
	}
	mw->rx_size = size;
	return 0;
}

/* Ring geometry of a QP once both MWs are known (setup_qp_mw + init_queue). */
void
ntbt_qp_setup_rings(struct ntbt *t, struct ntbt_qp *qp)
{
	struct ntbt_mw *mw = &t->mw[qp->qp_num % t->mw_count];
	struct ntbt_slice rx, tx;
	uint32_t i;

	/* both checked in the handshake */
	ntbt_slice(t, mw->rx_size, qp->qp_num, &rx);
	ntbt_slice(t, mw->tx_size, qp->qp_num, &tx);

	qp->rx_base = (uint8_t *)mw->mz->addr + rx.off;
	qp->rx_max_frame = rx.max_frame;
	qp->rx_max_entry = rx.max_entry;
	qp->tx_base = mw->win.va + tx.off;
	qp->tx_max_frame = tx.max_frame;
	qp->tx_max_entry = tx.max_entry;
	qp->rx_hdr_aligned = ntbt_hdrs_aligned(qp->rx_base, rx.max_frame);
	qp->tx_hdr_aligned = ntbt_hdrs_aligned(qp->tx_base, tx.max_frame);
	/* consumed-index words: ours at the tail of the TX slice (peer
	 * memory), the peer's at the tail of our RX slice
	 */
	qp->rx_remote_entry = (volatile uint32_t *)(qp->tx_base + tx.size -
						    NTBT_RX_INFO_SIZE);
	qp->tx_remote_entry = (volatile uint32_t *)(qp->rx_base + rx.size -
						    NTBT_RX_INFO_SIZE);
	/* kick words in the pads (ntbt_qp in ntb_transport_priv.h) */
	qp->tx_kick_word = NULL;
	if (rx.size - NTBT_RX_INFO_SIZE - rx.max_entry * rx.max_frame >=
	    NTBT_KICK_WORD_SIZE) {
		qp->tx_kick_word = (const volatile uint32_t *)(qp->rx_base +
			rx.size - NTBT_RX_INFO_SIZE - NTBT_KICK_WORD_SIZE);
		*(volatile uint32_t *)(uintptr_t)qp->tx_kick_word = 0;
	}
	qp->rx_kick_word = NULL;
	if (tx.size - NTBT_RX_INFO_SIZE - tx.max_entry * tx.max_frame >=
	    NTBT_KICK_WORD_SIZE)
		qp->rx_kick_word = (volatile uint32_t *)(qp->tx_base +
			tx.size - NTBT_RX_INFO_SIZE - NTBT_KICK_WORD_SIZE);
	/* the peer may have zeroed it: say it again at the first burst */
	qp->rx_kick_pub = 0;
	for (i = 0; i < rx.max_entry; i++)
		memset(ntbt_hdr(qp->rx_base, rx.max_frame, i), 0,
		       NTBT_HDR_SIZE);
	/* indexes, and the peer's consumed index to "nothing sent" */
	ntbt_qp_reset(qp);
}

/*
 * Kernel ntb_qp_link_down_reset: counters of the protocol restart, and
 * the peer's consumed index of our Tx ring back to "nothing sent"
 * (remote_rx_info->entry = max_entry - 1). The peer writes that word
 * only after it consumed a frame of the new session: left stale, it can
 * equal the reset tx_index and read as "ring full" for good.
 */
void
ntbt_qp_reset(struct ntbt_qp *qp)
{
	qp->rx_index = 0;
	qp->rx_seq = 0;
	qp->rx_layout_bad = 0;
	qp->layout_logged = false;
	qp->tx_index = 0;
	qp->tx_seq = 0;
	if (qp->tx_remote_entry != NULL)
		*(volatile uint32_t *)(uintptr_t)qp->tx_remote_entry =
			qp->tx_max_entry - 1;
}
