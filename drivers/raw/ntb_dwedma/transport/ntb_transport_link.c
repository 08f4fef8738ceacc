/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The transport's link, run by the control thread: start, the link work
 * every 10 ms (handshake until up, then the queue pair links of the
 * kernel's ntb_qp_link_work), queue pairs going down with their
 * LINK_DOWN frame, the transport going down (kernel
 * ntb_transport_link_cleanup) and stop. Follows Linux
 * drivers/ntb/ntb_transport.c so that a kernel peer sees the same
 * sequence.
 */

#include <inttypes.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_io.h>

#include "ntb_dwedma_log.h"
#include "ntb_transport_dma.h"
#include "ntb_transport_priv.h"

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
	/* copy=dma: frames dropped go out empty, before the LINK_DOWN */
	ntbt_dma_qp_down(qp, send_link_down && qp->ctl_up);
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
	/*
	 * The peer may have stopped meanwhile: after our read of its VERSION
	 * (the pass's first step) it zeroed its spads and our write above
	 * landed after that. Its next session would take the bit for our
	 * queue pair open before our receive buffer is set up for it (it
	 * sends, the frames are lost, its ring waits for good). A side going
	 * down zeroes VERSION first (index 0: ntbt_transport_down, kernel
	 * ntb_transport_link_cleanup). So read it back after the write:
	 * still ours, a zeroing still to come wipes our bit as well; gone,
	 * take the bit back. No check-then-write closes this: the zeroing
	 * can fall between the check and the write.
	 */
	rte_mb();
	if (nd->ops->peer_spad_read(nd, NTBT_SPAD_VERSION) != NTBT_VERSION) {
		nd->ops->peer_spad_write(nd, NTBT_SPAD_QP_LINKS, 0);
		NTB_LOG(INFO, "%s: qp %u: the peer went down while we announced the queue pair: announcement taken back",
			nd->name, qp->qp_num);
		return;
	}
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
		/* copy=dma: what a sender that stopped left copying */
		ntbt_dma_ctl_work(qp);
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
