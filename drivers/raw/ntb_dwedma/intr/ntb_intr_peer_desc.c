/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * intr=dw_edma / msi, RC side: kick the EP by writing the EP's
 * descriptor {addr_offset, data} into the peer interrupt window; a QP
 * whose descriptor is missing or bad is kicked with its doorbell. The
 * RC receives on MSI vectors (doorbells) in every mode.
 */

#include <errno.h>

#include "ntb_dwedma_log.h"
#include "ntb_intr_backend.h"
#include "ntb_intr_peer_desc.h"

static struct ntb_intr_peer_rc *
peer_rc(struct ntb_intr *it)
{
	return it->priv;
}

/* RC: kicks through the peer's window, receives doorbells. */
static bool
ntb_intr_peer_desc_possible(const struct ntb_intr *it,
			    const struct ntb_intr_res *res, char *why,
			    size_t why_len)
{
	return ntb_intr_mw_ok(it, res, why, why_len);
}

static int
ntb_intr_peer_desc_init(struct ntb_intr *it, const struct ntb_intr_res *res)
{
	struct ntb_intr_peer_rc *p = peer_rc(it);

	p->intr_mw = res->intr_mw;
	return it->nd->ops->peer_mw_get_bar(it->nd, (unsigned int)p->intr_mw,
					    &p->peer_win);
}

static int
ntb_intr_peer_desc_set(struct ntb_intr *it, uint16_t qp,
		       const struct ntb_intr_desc *d)
{
	struct ntb_intr_peer_rc *p = peer_rc(it);
	struct ntb_intr_peer_desc *pd;

	if (qp >= it->nb_qp || d == NULL) {
		NTB_LOG(ERR, "%s: interrupt descriptor for QP %u (of %u) missing",
			it->nd->name, qp, it->nb_qp);
		return -EINVAL;
	}
	pd = &p->peer[qp];
	/* stop kicking through the old one before it changes */
	__atomic_store_n(&pd->valid, false, __ATOMIC_RELEASE);

	if (d->addr_offset == NTB_INTR_DESC_INVALID ||
	    d->data == NTB_INTR_DESC_INVALID) {
		NTB_LOG(INFO, "%s: QP %u: peer publishes no interrupt descriptor: doorbell",
			it->nd->name, qp);
		return -ENOENT;
	}
	if (d->addr_offset % 4 != 0 ||
	    (uint64_t)d->addr_offset + 4 > p->peer_win.len) {
		NTB_LOG(ERR, "%s: QP %u: peer interrupt descriptor addr_offset %#x is unaligned or outside MW%d (%zu bytes): doorbell",
			it->nd->name, qp, d->addr_offset, p->intr_mw + 1,
			p->peer_win.len);
		return -ERANGE;
	}
	pd->addr_offset = d->addr_offset;
	pd->data = d->data;
	__atomic_store_n(&pd->valid, true, __ATOMIC_RELEASE);
	return 0;
}

static void
ntb_intr_peer_desc_kick(struct ntb_intr *it, uint16_t qp)
{
	struct ntb_intr_peer_rc *p = peer_rc(it);
	const struct ntb_intr_peer_desc *pd;

	if (unlikely(qp >= it->nb_qp))
		return;
	pd = &p->peer[qp];
	if (likely(__atomic_load_n(&pd->valid, __ATOMIC_ACQUIRE)))
		ntb_bar_write32(&p->peer_win, pd->addr_offset, pd->data);
	else
		ntb_intr_db_kick(it, qp);
}

/* dw_edma and msi differ on the EP only: the RC's side is the same */
#define PEER_DESC_RC_OPS(ops_name, ops_mode) {			\
	.name = ops_name,					\
	.mode = ops_mode,					\
	.side = NTB_INTR_SIDE_RC,				\
	.priv_size = sizeof(struct ntb_intr_peer_rc),		\
	.possible = ntb_intr_peer_desc_possible,		\
	.init = ntb_intr_peer_desc_init,			\
	.local_desc = ntb_intr_desc_none,			\
	.set_peer_desc = ntb_intr_peer_desc_set,		\
	.kick = ntb_intr_peer_desc_kick,			\
	.rx_fd = ntb_intr_db_rx_fd,				\
	.rx_ack = ntb_intr_db_rx_ack,				\
}

const struct ntb_intr_ops ntb_intr_dw_edma_rc_ops =
	PEER_DESC_RC_OPS("dw_edma", NTB_INTR_DW_EDMA);
const struct ntb_intr_ops ntb_intr_msi_rc_ops =
	PEER_DESC_RC_OPS("msi", NTB_INTR_MSI);
