/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Interrupt descriptors in scratchpads (intr=dw_edma, msi; kernel
 * ntb_transport_setup_qp_msi / setup_qp_peer_msi): each side publishes
 * one {addr_offset, data} per queue pair in its own scratchpads after
 * the window sizes, and reads the peer's for its kicks.
 */

#include "ntb_dwedma_log.h"
#include "ntb_transport_priv.h"

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
void
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
void
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
