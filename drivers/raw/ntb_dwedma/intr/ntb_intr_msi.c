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

#include <stdio.h>

#include "ntb_intr_backend.h"

struct ntb_intr_msi_ep {
	struct ntb_intr_ep_win win;
	int fds[NTB_MAX_DB];	/* per QP: vector NTB_INTR_MSI_VECTOR(q) */
};

static struct ntb_intr_msi_ep *
msi_ep(struct ntb_intr *it)
{
	return it->priv;
}

static bool
ntb_intr_msi_possible(const struct ntb_intr *it,
		      const struct ntb_intr_res *res, char *why,
		      size_t why_len)
{
	/* the EP kicks the RC with doorbells */
	if (!ntb_intr_mw_ok(it, res, why, why_len) ||
	    !ntb_intr_doorbells_ok(it, why, why_len))
		return false;
	if (res->msi_page == NULL || res->msi_fds == NULL ||
	    res->msi_nb_vectors < NTB_INTR_MSI_VECTOR(it->nb_qp)) {
		snprintf(why, why_len, "no MSI page or fewer than %u vectors",
			 NTB_INTR_MSI_VECTOR(it->nb_qp));
		return false;
	}
	return true;
}

static int
ntb_intr_msi_init(struct ntb_intr *it, const struct ntb_intr_res *res)
{
	struct ntb_intr_msi_ep *p = msi_ep(it);
	unsigned int q;

	p->win.mw = res->intr_mw;
	for (q = 0; q < it->nb_qp; q++) {
		p->fds[q] = res->msi_fds[NTB_INTR_MSI_VECTOR(q)];
		ntb_intr_fd_set_nonblock(p->fds[q]);
	}
	return ntb_intr_ep_map(it, &p->win, res->msi_page_iova,
			       4u * NTB_INTR_MSI_VECTOR(it->nb_qp - 1u),
			       "MSI page");
}

static void
ntb_intr_msi_fini(struct ntb_intr *it)
{
	ntb_intr_ep_unmap(it, &msi_ep(it)->win);
}

static void
ntb_intr_msi_local_desc(struct ntb_intr *it, uint16_t qp,
			struct ntb_intr_desc *d)
{
	struct ntb_intr_msi_ep *p = msi_ep(it);

	if (qp >= it->nb_qp || !p->win.mapped) {
		ntb_intr_desc_none(it, qp, d);
		return;
	}
	d->addr_offset = p->win.target_off + 4u * NTB_INTR_MSI_VECTOR(qp);
	d->data = NTB_INTR_MSI_VECTOR(qp);
}

static int
ntb_intr_msi_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	return qp < it->nb_qp ? msi_ep(it)->fds[qp] : -1;
}

static void
ntb_intr_msi_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	if (qp < it->nb_qp)
		ntb_intr_count(it, &it->stats.msi,
			       ntb_intr_fd_drain(msi_ep(it)->fds[qp]));
}

const struct ntb_intr_ops ntb_intr_msi_ep_ops = {
	.name = "msi",
	.mode = NTB_INTR_MSI,
	.side = NTB_INTR_SIDE_EP,
	.priv_size = sizeof(struct ntb_intr_msi_ep),
	.possible = ntb_intr_msi_possible,
	.init = ntb_intr_msi_init,
	.fini = ntb_intr_msi_fini,
	.local_desc = ntb_intr_msi_local_desc,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_db_kick,
	.rx_fd = ntb_intr_msi_rx_fd,
	.rx_ack = ntb_intr_msi_rx_ack,
	/* the RC falls back to the doorbell for a descriptor it refused */
	.rx_db_fd = ntb_intr_db_rx_fd,
};
