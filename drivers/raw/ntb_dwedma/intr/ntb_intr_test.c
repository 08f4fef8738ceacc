/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* Tests only: see ntb_intr_test.h. */

#include "ntb_intr_backend.h"
#include "ntb_intr_peer_desc.h"
#include "ntb_intr_test.h"

bool
ntb_intr_peer_desc_valid(struct ntb_intr *it, uint16_t qp)
{
	const struct ntb_intr_peer_rc *p;

	/* only the RC's dw_edma and msi kick through a descriptor */
	if (it->ops != &ntb_intr_dw_edma_rc_ops &&
	    it->ops != &ntb_intr_msi_rc_ops)
		return false;
	p = it->priv;
	return qp < it->nb_qp &&
		__atomic_load_n(&p->peer[qp].valid, __ATOMIC_ACQUIRE);
}

bool
ntb_intr_deliver_direct(const struct ntb_intr_deliver *dl, uint16_t q)
{
	return q < NTB_MAX_DB && dl->q[q].direct;
}
