/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Control path of the ntb_transport protocol: queue pair count, the
 * scratchpad handshake, receive buffers and memory window translation,
 * queue pair links and their teardown. Follows Linux
 * drivers/ntb/ntb_transport.c (link_work, qp_link_work, link_cleanup)
 * so that a kernel peer sees the same sequence.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_io.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

/* Reasons for a refused handshake, logged once until they change. */
enum ntbt_refusal {
	NTBT_OK = 0,
	NTBT_REF_WINDOW,
	NTBT_REF_VERSION,
	NTBT_REF_NUM_QPS,
	NTBT_REF_NUM_MWS,
	NTBT_REF_MW_SIZE,
	NTBT_REF_ALLOC,
	NTBT_REF_RATE,
};

static bool
ntbt_refuse_first(struct ntbt *t, enum ntbt_refusal r)
{
	bool first = t->last_refusal != (int)r;

	t->last_refusal = r;
	return first;
}

static void
ntbt_bucket_init(struct ntbt_bucket *b)
{
	b->tokens = NTBT_FLAP_BURST;
	b->last = rte_get_timer_cycles();
}

/* One link up allowed now? (NTBT_FLAP_BURST, then one per period) */
static bool
ntbt_bucket_take(struct ntbt_bucket *b)
{
	return ntbt_bucket_take_at(b, rte_get_timer_cycles(),
				   rte_get_timer_hz() * NTBT_FLAP_PERIOD_MS /
				   1000);
}

static bool
ntbt_mode_uses_intr_mw(enum ntb_intr_mode mode)
{
	return mode == NTB_INTR_DW_EDMA || mode == NTB_INTR_MSI;
}

/* MWs the transport uses for data (kernel ntb_transport_probe). */
static int
ntbt_mw_count(const struct ntb_dev *nd, bool use_intr, bool quiet)
{
	unsigned int n = nd->mw_count;

	if (n == 0 || n > NTB_MAX_MW) {
		NTB_LOG(ERR, "%s: mw_count %u not in 1..%u", nd->name, n,
			NTB_MAX_MW);
		return -EINVAL;
	}
	if (nd->spad_count < NTBT_MIN_SPADS) {
		NTB_LOG(ERR, "%s: spad_count %u < %u needed by ntb_transport",
			nd->name, nd->spad_count, NTBT_MIN_SPADS);
		return -EINVAL;
	}
	if (use_intr) {
		/* kernel use_msi: the last MW carries interrupts */
		if (n < 2) {
			if (!quiet)
				NTB_LOG(ERR, "%s: interrupt mode needs 2 MWs, have %u",
					nd->name, n);
			return -EINVAL;
		}
		n--;
	}
	return RTE_MIN(n, (nd->spad_count - NTBT_SPAD_MW0_SZ_HIGH) / 2);
}

/* MW and QP counts of one layout, as ntb_transport_probe computes them. */
static int
ntbt_layout(const struct ntb_dev *nd, bool use_intr, const struct ntbt_conf *conf,
	    bool quiet, uint16_t *mws, uint16_t *qps)
{
	int mw_count, qp_count;

	mw_count = ntbt_mw_count(nd, use_intr, quiet);
	if (mw_count < 0)
		return mw_count;
	if (nd->db_valid_mask == 0) {
		NTB_LOG(ERR, "%s: no doorbell bits", nd->name);
		return -EINVAL;
	}
	/* ilog2(db_valid_mask), as the kernel */
	qp_count = 63 - __builtin_clzll(nd->db_valid_mask);
	if (use_intr)
		qp_count--;	/* that bit says "descriptors changed" */
	if (conf->nb_qp != 0 && conf->nb_qp < qp_count)
		qp_count = conf->nb_qp;
	else if (mw_count < qp_count)
		qp_count = mw_count;
	if (qp_count <= 0 || qp_count > 32) {
		if (!quiet)
			NTB_LOG(ERR, "%s: %d queue pairs (db_valid_mask 0x%" PRIx64
				", %d MWs): need 1..32", nd->name, qp_count,
				nd->db_valid_mask, mw_count);
		return -EINVAL;
	}
	*mws = (uint16_t)mw_count;
	*qps = (uint16_t)qp_count;
	return 0;
}

int
ntbt_qp_count(const struct ntb_dev *nd, enum ntb_intr_mode mode,
	      const struct ntbt_conf *conf)
{
	bool use_intr = ntbt_mode_uses_intr_mw(mode);
	uint16_t mws, qps, mwi, qpi;
	int rc;

	if (use_intr && conf->intr_auto) {
		/* the peer decides: room for the larger layout */
		rc = ntbt_layout(nd, false, conf, false, &mws, &qps);
		if (rc != 0)
			return rc;
		if (ntbt_layout(nd, true, conf, true, &mwi, &qpi) == 0)
			qps = RTE_MAX(qps, qpi);
	} else {
		rc = ntbt_layout(nd, use_intr, conf, false, &mws, &qps);
		if (rc != 0)
			return rc;
	}
	if (conf->nb_qp != 0 && conf->nb_qp != qps)
		NTB_LOG(NOTICE, "%s: nb_qp %u reduced to %u (doorbells/MWs)",
			nd->name, conf->nb_qp, qps);
	return qps;
}

static bool
ntbt_ops_complete(const struct ntb_dev_ops *o)
{
	return o->link_enable && o->link_disable && o->link_is_up &&
		o->mw_get_align && o->mw_set_trans && o->mw_clear_trans &&
		o->peer_mw_get_bar && o->spad_read && o->spad_write &&
		o->peer_spad_read && o->peer_spad_write && o->db_read &&
		o->db_clear;
}

static void
ntbt_set_layout(struct ntbt *t, bool use_intr)
{
	t->use_intr = use_intr;
	t->mw_count = use_intr ? t->mw_intr : t->mw_plain;
	t->qp_count = use_intr ? t->qp_intr : t->qp_plain;
	t->intr_db_bit = use_intr ? RTE_BIT64(t->qp_count) : 0;
	t->desc_published = false;
}

int
ntbt_create(struct ntbt **tp, struct ntb_dev *nd, struct ntb_intr *it,
	    const struct ntbt_conf *conf, int socket_id)
{
	struct ntbt *t;
	int qp_count, mw_count;
	uint32_t mtu;
	uint16_t q;

	if (tp == NULL || nd == NULL || nd->ops == NULL || it == NULL ||
	    it->ops == NULL || conf == NULL) {
		NTB_LOG(ERR, "NULL argument");
		return -EINVAL;
	}
	if (!ntbt_ops_complete(nd->ops)) {
		NTB_LOG(ERR, "%s: ntb_dev ops incomplete", nd->name);
		return -EINVAL;
	}
	mtu = conf->transport_mtu != 0 ? conf->transport_mtu :
		NTBT_DEFAULT_MTU;
	if (mtu < NTBT_MIN_FRAME) {
		NTB_LOG(ERR, "transport_mtu %u < %u", mtu, NTBT_MIN_FRAME);
		return -EINVAL;
	}
	qp_count = ntbt_qp_count(nd, it->mode, conf);
	if (qp_count < 0)
		return qp_count;
	if (it->nb_qp < qp_count) {
		NTB_LOG(ERR, "%s: interrupt backend has %u queue pairs, need %d",
			nd->name, it->nb_qp, qp_count);
		return -EINVAL;
	}

	t = rte_zmalloc_socket("ntbt", sizeof(*t), 0, socket_id);
	if (t == NULL)
		return -ENOMEM;
	t->qp = rte_zmalloc_socket("ntbt_qp", sizeof(*t->qp) * qp_count,
				   RTE_CACHE_LINE_SIZE, socket_id);
	if (t->qp == NULL) {
		rte_free(t);
		return -ENOMEM;
	}
	t->nd = nd;
	t->it = it;
	t->conf = *conf;
	t->conf.transport_mtu = mtu;
	if (t->conf.max_mw_size == 0)
		t->conf.max_mw_size = NTBT_DEFAULT_MAX_MW_SIZE;
	ntbt_bucket_init(&t->handshakes);
	t->socket_id = socket_id;
	t->qp_alloc = (uint16_t)qp_count;
	/* both checked by ntbt_qp_count */
	t->intr_capable = ntbt_mode_uses_intr_mw(it->mode) &&
		ntbt_layout(nd, true, conf, true, &t->mw_intr,
			    &t->qp_intr) == 0;
	if (!ntbt_mode_uses_intr_mw(it->mode) || conf->intr_auto)
		ntbt_layout(nd, false, conf, true, &t->mw_plain, &t->qp_plain);
	else
		t->conf.intr_auto = false;	/* nothing to choose */
	if (!t->intr_capable)
		t->conf.intr_auto = false;
	/* start with the interrupt MW when there is one */
	ntbt_set_layout(t, t->intr_capable);
	mw_count = t->mw_count;
	for (q = 0; q < qp_count; q++) {
		t->qp[q].t = t;
		t->qp[q].it = it;
		t->qp[q].qp_num = q;
		t->qp[q].rx_kick_want = NTBT_KICK_OFF;
		ntbt_bucket_init(&t->qp[q].flaps);
	}
	if (ntbt_dma_create(t) != 0) {
		rte_free(t->qp);
		rte_free(t);
		return -ENOMEM;
	}
	NTB_LOG(INFO, "%s: ntb_transport v%d: %u queue pairs, %u MWs, mtu %u%s",
		nd->name, NTBT_VERSION, t->qp_count, mw_count, mtu,
		!t->use_intr ? "" : t->conf.intr_auto ?
		", interrupt MW if the peer uses one" :
		", interrupt descriptors");
	*tp = t;
	return 0;
}

uint16_t
ntbt_nb_qp(const struct ntbt *t)
{
	return t->qp_alloc;
}

struct ntbt_qp *
ntbt_qp(struct ntbt *t, uint16_t q)
{
	return q < t->qp_alloc ? &t->qp[q] : NULL;
}

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
static bool
ntbt_mw_size_ok(const struct ntbt *t, unsigned int mw, uint64_t size)
{
	struct ntbt_slice s;
	uint16_t q;

	for (q = mw; q < t->qp_count; q += t->mw_count)
		if (ntbt_slice(t, size, q, &s) != 0)
			return false;
	return true;
}

static void
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

/*
 * The peer-reported size of MW i, before anything is allocated:
 * 0 usable, -ERANGE refused (logged once; retry later), <0 other error.
 */
static int
ntbt_check_mw(struct ntbt *t, unsigned int i, uint64_t size)
{
	struct ntb_dev *nd = t->nd;
	uint64_t align = 0, size_max = 0;
	int rc;

	rc = nd->ops->mw_get_align(nd, i, &align, &size_max);
	if (rc != 0)
		return rc < 0 ? rc : -EIO;
	if (align == 0)
		align = RTE_CACHE_LINE_SIZE;
	if (!rte_is_power_of_2(align) || align > UINT32_MAX) {
		NTB_LOG(ERR, "%s: mw%u alignment 0x%" PRIx64
			" not a power of 2", nd->name, i, align);
		return -EINVAL;
	}
	if (size == 0 || (size_max != 0 && size > size_max) ||
	    size > t->conf.max_mw_size ||
	    !ntbt_mw_size_ok(t, i, size)) {
		if (ntbt_refuse_first(t, NTBT_REF_MW_SIZE))
			NTB_LOG(ERR, "%s: peer MW%u size 0x%" PRIx64
				" refused (window 0x%" PRIx64 ", max_mw_size 0x%"
				PRIx64 " (devarg), slices need frames >= %u B)",
				nd->name, i, size, size_max,
				t->conf.max_mw_size, NTBT_MIN_FRAME);
		return -ERANGE;
	}
	return 0;
}

/* Receive buffer for MW i of a checked size (kernel ntb_set_mw). */
static int
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

/* Reads of the peer's descriptor pair until two in a row agree. */
#define NTBT_DESC_READS		8

/*
 * The peer's interrupt descriptor of qp (kernel
 * ntb_transport_setup_qp_peer_msi). The peer may rewrite the pair while
 * we read it (a torn {new addr_offset, old data} would aim our kick at
 * the wrong place): read it until two reads in a row agree, at most
 * NTBT_DESC_READS times, else take none and wait for the next "changed"
 * doorbell. "None": addr_offset 0 (mainline: "if (addr_offset)") or
 * U32_MAX in either word (the RFC series' marker, and ours).
 */
static void
ntbt_read_peer_desc(struct ntbt *t, struct ntbt_qp *qp)
{
	struct ntb_dev *nd = t->nd;
	struct ntb_intr_desc d = {
		.addr_offset = NTB_INTR_DESC_INVALID,
		.data = NTB_INTR_DESC_INVALID,
	};
	unsigned int spad = ntbt_intr_spad(t->mw_count, qp->qp_num), i;
	uint32_t a, v, pa = 0, pv = 0;

	if (t->use_intr && spad + 1 < nd->spad_count) {
		for (i = 0; i < NTBT_DESC_READS; i++) {
			a = nd->ops->peer_spad_read(nd, spad);
			v = nd->ops->peer_spad_read(nd, spad + 1);
			if (i > 0 && a == pa && v == pv) {
				d.addr_offset = a;
				d.data = v;
				break;
			}
			pa = a;
			pv = v;
		}
		if (i == NTBT_DESC_READS && !t->desc_unstable_logged) {
			NTB_LOG(NOTICE, "%s: qp %u: peer interrupt descriptor keeps changing: doorbell until it announces a new one",
				nd->name, qp->qp_num);
			t->desc_unstable_logged = true;
		} else if (i < NTBT_DESC_READS) {
			t->desc_unstable_logged = false;
		}
		if (d.addr_offset == 0 || d.data == NTBT_DESC_NONE_DATA)
			d.addr_offset = d.data = NTB_INTR_DESC_INVALID;
	}
	/* the backend validates and falls back to the doorbell */
	ntb_intr_set_peer_desc(t->it, qp->qp_num, &d);
}

/*
 * Our descriptors go into OUR spads (kernel ntb_transport_setup_qp_msi),
 * "none" first. Only once the peer published the same layout: a stock
 * peer keeps MW sizes in those spads. "None" on the wire is
 * {addr_offset 0, data U32_MAX}: a mainline peer reads addr_offset 0
 * as none, a peer of the RFC series (and ours) U32_MAX. Then the
 * "descriptors changed" doorbell (kernel ntb_transport_msi_desc_changed),
 * as the peer may have read the spads before we wrote them.
 */
static void
ntbt_publish_local_desc(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	struct ntb_intr_desc d;
	unsigned int spad;
	uint16_t q;

	if (!t->use_intr || t->desc_published)
		return;
	for (q = 0; q < t->qp_count; q++) {
		spad = ntbt_intr_spad(t->mw_count, q);
		if (spad + 1 >= nd->spad_count)
			break;
		nd->ops->spad_write(nd, spad, NTBT_DESC_NONE_ADDR);
		nd->ops->spad_write(nd, spad + 1, NTBT_DESC_NONE_DATA);
		ntb_intr_local_desc(t->it, q, &d);
		if (d.addr_offset == NTB_INTR_DESC_INVALID ||
		    d.data == NTB_INTR_DESC_INVALID || d.addr_offset == 0)
			continue;	/* stays none */
		nd->ops->spad_write(nd, spad, d.addr_offset);
		nd->ops->spad_write(nd, spad + 1, d.data);
	}
	t->desc_published = true;
	if (nd->ops->peer_db_set != NULL)
		nd->ops->peer_db_set(nd, t->intr_db_bit);
}

/* Ring geometry of a QP once both MWs are known (setup_qp_mw + init_queue). */
static void
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
	*(volatile uint32_t *)(uintptr_t)qp->tx_remote_entry =
		tx.max_entry - 1;
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
	qp->rx_index = 0;
	qp->rx_seq = 0;
	qp->rx_layout_bad = 0;
	qp->layout_logged = false;
	qp->tx_index = 0;
	qp->tx_seq = 0;
}

/*
 * Kernel ntb_qp_link_down_reset: counters of the protocol restart, and
 * the peer's consumed index of our Tx ring back to "nothing sent"
 * (remote_rx_info->entry = max_entry - 1). The peer writes that word
 * only after it consumed a frame of the new session: left stale, it can
 * equal the reset tx_index and read as "ring full" for good.
 */
static void
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

static void
ntbt_event(struct ntbt *t, struct ntbt_qp *qp, bool up)
{
	NTB_LOG(INFO, "%s: qp %u link %s", t->nd->name, qp->qp_num,
		up ? "up" : "down");
	if (t->conf.event_cb != NULL)
		t->conf.event_cb(t, qp->qp_num, up, t->conf.event_arg);
}

/* Last frame of a QP going down locally (kernel ntb_send_link_down). */
static void
ntbt_send_link_down(struct ntbt_qp *qp)
{
	uint8_t *hdr;
	uint32_t entry = *qp->tx_remote_entry;

	if (entry >= qp->tx_max_entry || entry == qp->tx_index) {
		NTB_LOG(NOTICE, "%s: qp %u: ring full, no LINK_DOWN frame",
			qp->t->nd->name, qp->qp_num);
		return;
	}
	hdr = ntbt_hdr(qp->tx_base, qp->tx_max_frame, qp->tx_index);
	ntbt_hdr_set(hdr, NTBT_HDR_LEN, 0);
	ntbt_hdr_set(hdr, NTBT_HDR_VER, qp->tx_seq);
	rte_wmb();
	ntbt_hdr_set(hdr, NTBT_HDR_FLAGS,
		     NTBT_DESC_DONE_FLAG | NTBT_LINK_DOWN_FLAG);
	rte_wmb();
	ntb_intr_kick(qp->it, qp->qp_num);
}

/* Take a QP down: data path stopped first, then the rings are ours. */
static void
ntbt_qp_down(struct ntbt *t, struct ntbt_qp *qp, bool send_link_down)
{
	ntbt_gate_shut(qp);
	ntbt_dma_qp_down(qp);
	if (send_link_down && qp->ctl_up)
		ntbt_send_link_down(qp);
	ntbt_qp_reset(qp);
	if (qp->ctl_up) {
		qp->ctl_up = false;
		ntbt_event(t, qp, false);
	}
}

/* Kernel ntb_qp_link_work: announce our QP, up once the peer did. */
static void
ntbt_qp_link_work(struct ntbt *t, struct ntbt_qp *qp)
{
	struct ntb_dev *nd = t->nd;
	uint32_t val, bit = RTE_BIT32(qp->qp_num);

	val = nd->ops->spad_read(nd, NTBT_SPAD_QP_LINKS);
	nd->ops->peer_spad_write(nd, NTBT_SPAD_QP_LINKS, val | bit);
	if (!(val & bit) || ntbt_dma_qp_up(t, qp) != 0)
		return;
	if (!ntbt_bucket_take(&qp->flaps)) {
		if (!qp->flap_logged)
			NTB_LOG(WARNING, "%s: qp %u: peer takes the queue pair down and up too often: at most one link up per %u ms",
				nd->name, qp->qp_num, NTBT_FLAP_PERIOD_MS);
		qp->flap_logged = true;
		return;
	}
	qp->flap_logged = false;
	qp->tx_rx_info_base = qp->tx_stats.tx_err_rx_info;
	qp->ctl_up = true;
	/*
	 * The event first: it sets the link the application reads. Opened
	 * the other way round, a data path thread could receive frames the
	 * peer had already sent while the link still read down, and an
	 * application that does not send on a down link dropped them.
	 */
	ntbt_event(t, qp, true);
	__atomic_store_n(&qp->up, 1, __ATOMIC_RELEASE);
}

/* Seconds between two ring layout messages of one transport. */
#define NTBT_LAYOUT_LOG_S	10

/*
 * The two sides' ring layouts differ when the first frame of a session
 * has the wrong ver or len (the peer's frames end elsewhere than ours),
 * or when the peer's consumed index does not fit our ring (it has more
 * frames per ring). Nothing in the handshake shows it: each side derives
 * frame size and count from its own transport_mtu. Say so once per
 * session, at most once per NTBT_LAYOUT_LOG_S per transport.
 */
static void
ntbt_check_layout(struct ntbt *t, struct ntbt_qp *qp)
{
	uint32_t bad = __atomic_load_n(&qp->rx_layout_bad, __ATOMIC_RELAXED);
	uint64_t rx_info = qp->tx_stats.tx_err_rx_info - qp->tx_rx_info_base;
	uint64_t now = rte_get_timer_cycles();
	char what[80];

	if (qp->layout_logged || (bad == 0 && rx_info == 0))
		return;
	if (t->layout_log_tsc != 0 && now - t->layout_log_tsc <
	    rte_get_timer_hz() * NTBT_LAYOUT_LOG_S)
		return;
	qp->layout_logged = true;
	t->layout_log_tsc = now;
	if (bad > 1)
		snprintf(what, sizeof(what), "its first frame has ver %u, not 0",
			 bad - 1);
	else if (bad == 1)
		snprintf(what, sizeof(what), "its first frame is longer than ours (%u B)",
			 qp->rx_max_frame);
	else
		snprintf(what, sizeof(what), "its consumed index is past our %u frames",
			 qp->tx_max_entry);
	NTB_LOG(ERR, "%s: qp %u: the peer's ring layout differs from ours (%s): transport_mtu (ours %u) and max_mw_size (ours 0x%" PRIx64 ") must equal the peer's ntb_transport module parameters",
		t->nd->name, qp->qp_num, what, t->conf.transport_mtu,
		t->conf.max_mw_size);
}

/* Kernel ntb_transport_link_cleanup (+ freeing what link up allocated). */
static void
ntbt_transport_down(struct ntbt *t, bool send_link_down)
{
	struct ntb_dev *nd = t->nd;
	struct ntb_intr_desc none = {
		.addr_offset = NTB_INTR_DESC_INVALID,
		.data = NTB_INTR_DESC_INVALID,
	};
	unsigned int i;
	uint16_t q;

	for (q = 0; q < t->qp_alloc; q++) {
		ntbt_qp_down(t, &t->qp[q], send_link_down && t->link_up);
		ntb_intr_set_peer_desc(t->it, q, &none);
		/* in the receive buffer freed below: no reset writes it */
		t->qp[q].tx_remote_entry = NULL;
	}
	if (t->link_up)
		NTB_LOG(INFO, "%s: ntb_transport link down", nd->name);
	t->link_up = false;
	t->desc_published = false;
	/*
	 * spads keep their values when the peer goes: start clean
	 * (ntb_transport_link_cleanup), those the transport can use only
	 */
	for (i = 0; i < RTE_MIN(nd->spad_count, NTBT_MAX_SPADS); i++)
		nd->ops->spad_write(nd, i, 0);
	for (i = 0; i < t->mw_count; i++)
		ntbt_free_mw(t, i);
}

/*
 * intr=auto: take the layout the peer published into our spads, if it
 * did (kernel ntb_transport_probe reserves the interrupt MW only with
 * use_msi, and then publishes one MW less). Until then ours has the
 * interrupt MW; a peer without one refuses it and retries, as we do.
 */
static void
ntbt_pick_layout(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint32_t mws, qps;
	bool use_intr = t->use_intr;

	if (nd->ops->spad_read(nd, NTBT_SPAD_VERSION) != NTBT_VERSION)
		return;
	mws = nd->ops->spad_read(nd, NTBT_SPAD_NUM_MWS);
	qps = nd->ops->spad_read(nd, NTBT_SPAD_NUM_QPS);
	if (mws == t->mw_intr && (mws != t->mw_plain || qps == t->qp_intr))
		use_intr = true;
	else if (mws == t->mw_plain)
		use_intr = false;
	if (use_intr == t->use_intr)
		return;
	ntbt_set_layout(t, use_intr);
	NTB_LOG(NOTICE, "%s: peer publishes %u MWs, %u queue pairs: %s, %u queue pairs",
		nd->name, mws, qps, use_intr ?
		"interrupt MW in use (kernel use_msi)" :
		"no interrupt MW (kernel without use_msi): every MW carries data, kicks are doorbells",
		t->qp_count);
}

/* Kernel ntb_transport_link_work. 1: up, 0: retry later, <0: error. */
static int
ntbt_handshake(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint64_t sizes[NTB_MAX_MW], psize;
	uint32_t val;
	unsigned int i;
	int rc;

	if (t->conf.intr_auto)
		ntbt_pick_layout(t);
	for (i = 0; i < t->mw_count; i++) {
		struct ntbt_mw *mw = &t->mw[i];
		uint64_t size;

		rc = nd->ops->peer_mw_get_bar(nd, i, &mw->win);
		if (rc != 0 || mw->win.va == NULL || mw->win.len == 0) {
			if (ntbt_refuse_first(t, NTBT_REF_WINDOW))
				NTB_LOG(ERR, "%s: outbound MW%u unavailable (%d)",
					nd->name, i, rc);
			return 0;
		}
		size = mw->win.len;
		if (size > t->conf.max_mw_size)
			size = t->conf.max_mw_size;
		if (!ntbt_mw_size_ok(t, i, size)) {
			if (ntbt_refuse_first(t, NTBT_REF_WINDOW))
				NTB_LOG(ERR, "%s: outbound MW%u size 0x%" PRIx64
					" too small or >= 4 GiB for %u queue pairs",
					nd->name, i, size, t->qp_count);
			return -EINVAL;
		}
		mw->tx_size = size;
	}

	/* the order the peer reads them in reverse: VERSION last */
	for (i = 0; i < t->mw_count; i++) {
		nd->ops->peer_spad_write(nd, ntbt_spad_mw_sz_high(i),
					 (uint32_t)(t->mw[i].tx_size >> 32));
		nd->ops->peer_spad_write(nd, ntbt_spad_mw_sz_low(i),
					 (uint32_t)t->mw[i].tx_size);
	}
	nd->ops->peer_spad_write(nd, NTBT_SPAD_NUM_MWS, t->mw_count);
	nd->ops->peer_spad_write(nd, NTBT_SPAD_NUM_QPS, t->qp_count);
	nd->ops->peer_spad_write(nd, NTBT_SPAD_VERSION, NTBT_VERSION);

	val = nd->ops->spad_read(nd, NTBT_SPAD_VERSION);
	if (val != NTBT_VERSION) {
		/* 0: the peer has not written yet; anything else is news */
		if (val != 0 && ntbt_refuse_first(t, NTBT_REF_VERSION))
			NTB_LOG(ERR, "%s: peer ntb_transport version %u, need %u",
				nd->name, val, NTBT_VERSION);
		return 0;
	}
	val = nd->ops->spad_read(nd, NTBT_SPAD_NUM_QPS);
	if (val != t->qp_count) {
		if (ntbt_refuse_first(t, NTBT_REF_NUM_QPS))
			NTB_LOG(ERR, "%s: peer has %u queue pairs, we have %u: the link stays down (use as many queues as the peer has, or set the kernel's max_num_clients and our num_qps devarg to the same count; ntb_netdev uses one)",
				nd->name, val, t->qp_count);
		return 0;
	}
	val = nd->ops->spad_read(nd, NTBT_SPAD_NUM_MWS);
	if (val != t->mw_count) {
		if (ntbt_refuse_first(t, NTBT_REF_NUM_MWS))
			NTB_LOG(ERR, "%s: peer has %u MWs, we have %u%s",
				nd->name, val, t->mw_count,
				!t->use_intr ? "" : val == t->mw_count + 1u ?
				" (the peer uses no interrupt MW, as a kernel without use_msi: use intr=auto or doorbell here)" :
				" (the last MW is our interrupt MW)");
		return 0;
	}
	/* the peer has the same layout: now our descriptors may go */
	ntbt_publish_local_desc(t);
	for (i = 0; i < t->mw_count; i++) {
		psize = (uint64_t)nd->ops->spad_read(nd,
				ntbt_spad_mw_sz_high(i)) << 32;
		psize |= nd->ops->spad_read(nd, ntbt_spad_mw_sz_low(i));
		/* refused (logged): the peer may correct it, retry */
		if (ntbt_check_mw(t, i, psize) != 0)
			return 0;
		sizes[i] = psize;
	}
	/* each link up allocates and clears the receive buffers */
	if (!ntbt_bucket_take(&t->handshakes)) {
		if (ntbt_refuse_first(t, NTBT_REF_RATE))
			NTB_LOG(WARNING, "%s: peer restarts its transport too often: at most one link up per %u ms",
				nd->name, NTBT_FLAP_PERIOD_MS);
		return 0;
	}
	for (i = 0; i < t->mw_count; i++) {
		rc = ntbt_set_mw(t, i, sizes[i]);
		if (rc != 0) {
			for (i = 0; i < t->mw_count; i++)
				ntbt_free_mw(t, i);
			return rc == -ENOMEM ? rc : 0;
		}
	}
	ntbt_dma_publish(t);

	t->link_up = true;
	t->last_refusal = NTBT_OK;
	NTB_LOG(INFO, "%s: ntb_transport link up", nd->name);
	for (i = 0; i < t->qp_count; i++) {
		ntbt_qp_setup_rings(t, &t->qp[i]);
		ntbt_read_peer_desc(t, &t->qp[i]);
	}
	return 1;
}

int
ntbt_start(struct ntbt *t)
{
	int rc;

	if (t->started)
		return 0;
	rc = t->nd->ops->link_enable(t->nd);
	if (rc != 0) {
		NTB_LOG(ERR, "%s: link_enable failed: %d", t->nd->name, rc);
		return rc < 0 ? rc : -EIO;
	}
	t->started = true;
	t->last_refusal = NTBT_OK;
	return 0;
}

int
ntbt_link_work(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint16_t q;
	int rc;

	if (!t->started)
		return 0;
	if (!nd->ops->link_is_up(nd)) {
		if (t->link_up)
			ntbt_transport_down(t, false);
		return 0;
	}
	if (t->link_up &&
	    nd->ops->peer_spad_read(nd, NTBT_SPAD_VERSION) != NTBT_VERSION) {
		/* the peer cleaned up (zeroed its spads): it restarted */
		NTB_LOG(NOTICE, "%s: peer transport went away", nd->name);
		ntbt_transport_down(t, false);
	}
	if (!t->link_up) {
		rc = ntbt_handshake(t);
		if (rc <= 0)
			return rc;
	}
	if (t->use_intr && (nd->ops->db_read(nd) & t->intr_db_bit)) {
		nd->ops->db_clear(nd, t->intr_db_bit);
		for (q = 0; q < t->qp_count; q++)
			ntbt_read_peer_desc(t, &t->qp[q]);
	}
	/*
	 * Last to first: a client that follows queue pair 0 (as
	 * ntb_netdev's carrier does) sees the others that come up in the
	 * same pass already up when queue pair 0 reports.
	 */
	for (q = t->qp_count; q-- > 0;) {
		struct ntbt_qp *qp = &t->qp[q];

		/* a LINK_DOWN frame, seen by the Rx path or waiting */
		if (qp->ctl_up && ntbt_qp_rx_link_down(qp))
			ntbt_qp_down(t, qp, false);
		if (qp->ctl_up)
			ntbt_check_layout(t, qp);
		if (!qp->ctl_up)
			ntbt_qp_link_work(t, qp);
	}
	return 1;
}

void
ntbt_stop(struct ntbt *t)
{
	struct ntb_dev *nd = t->nd;
	uint32_t val;

	if (!t->started)
		return;
	if (t->link_up && nd->ops->link_is_up(nd)) {
		/* kernel ntb_transport_link_down for all our queue pairs */
		val = nd->ops->spad_read(nd, NTBT_SPAD_QP_LINKS);
		nd->ops->peer_spad_write(nd, NTBT_SPAD_QP_LINKS,
					 val & ~RTE_LEN2MASK(t->qp_count, uint32_t));
		ntbt_transport_down(t, true);
	} else {
		ntbt_transport_down(t, false);
	}
	nd->ops->link_disable(nd);
	t->started = false;
}

void
ntbt_destroy(struct ntbt *t)
{
	if (t == NULL)
		return;
	ntbt_stop(t);
	ntbt_dma_destroy(t);
	rte_free(t->qp);
	rte_free(t);
}
