/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * intr=doorbell: doorbell bit qp both ways (RC -> EP: slot qp + 2; EP ->
 * RC: MSI vector qp + 2), the kernel ntb_transport default. The same
 * pieces are the fall-back of the descriptor backends.
 */

#include "ntb_intr_backend.h"

void
ntb_intr_db_kick(struct ntb_intr *it, uint16_t qp)
{
	struct ntb_dev *nd = it->nd;

	nd->ops->peer_db_set(nd, RTE_BIT64(qp));
}

int
ntb_intr_db_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	return qp < it->nb_qp ? it->nd->db_fd[qp] : -1;
}

void
ntb_intr_db_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	struct ntb_dev *nd = it->nd;

	if (qp >= it->nb_qp)
		return;
	ntb_intr_count(it, &it->stats.doorbell,
		       ntb_intr_fd_drain(nd->db_fd[qp]));
	nd->ops->db_clear(nd, RTE_BIT64(qp));
}

static bool
ntb_intr_doorbell_possible(const struct ntb_intr *it,
			   const struct ntb_intr_res *res __rte_unused,
			   char *why, size_t why_len)
{
	return ntb_intr_doorbells_ok(it, why, why_len);
}

const struct ntb_intr_ops ntb_intr_doorbell_ops = {
	.name = "doorbell",
	.mode = NTB_INTR_DOORBELL,
	.possible = ntb_intr_doorbell_possible,
	.local_desc = ntb_intr_desc_none,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_db_kick,
	.rx_fd = ntb_intr_db_rx_fd,
	.rx_ack = ntb_intr_db_rx_ack,
};
