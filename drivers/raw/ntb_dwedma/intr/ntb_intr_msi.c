/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * intr=msi, EP side (ntb_msi style): the interrupt window is pointed at
 * the EP's MSI target page; QP q owns vector q + 1 and the RC kicks it by
 * writing q + 1 at 4 * (q + 1) in the window. Vector 0 stays unused: with
 * a page-aligned target its descriptor would be {0, 0}, which the
 * transport reads as zeroed spads, "no descriptor", and the RC would then
 * kick that QP by doorbell (which the EP takes too, see rx_db_fd, but at
 * doorbell cost). The EP kicks the RC with doorbells.
 */

#include "ntb_intr_priv.h"

static void
ntb_intr_msi_local_desc(struct ntb_intr *it, uint16_t qp,
			struct ntb_intr_desc *d)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);

	if (qp >= it->nb_qp || !p->mw_mapped) {
		ntb_intr_desc_none(it, qp, d);
		return;
	}
	d->addr_offset = p->target_off + 4u * NTB_INTR_MSI_VECTOR(qp);
	d->data = NTB_INTR_MSI_VECTOR(qp);
}

static int
ntb_intr_msi_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	return qp < it->nb_qp ? ntb_intr_priv(it)->msi_fds[qp] : -1;
}

static void
ntb_intr_msi_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	if (qp < it->nb_qp)
		ntb_intr_count(it, &it->stats.msi,
			       ntb_intr_fd_drain(ntb_intr_priv(it)->msi_fds[qp]));
}

const struct ntb_intr_ops ntb_intr_msi_ep_ops = {
	.name = "msi",
	.local_desc = ntb_intr_msi_local_desc,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_db_kick,
	.rx_fd = ntb_intr_msi_rx_fd,
	.rx_ack = ntb_intr_msi_rx_ack,
	/* the RC falls back to the doorbell for a descriptor it refused */
	.rx_db_fd = ntb_intr_db_rx_fd,
	.fini = ntb_intr_ep_unmap,
};
