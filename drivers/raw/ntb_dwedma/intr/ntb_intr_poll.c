/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* intr=poll: no interrupts either way; both sides busy-poll the rings. */

#include "ntb_intr_backend.h"

static bool
ntb_intr_poll_possible(const struct ntb_intr *it __rte_unused,
		       const struct ntb_intr_res *res __rte_unused,
		       char *why __rte_unused, size_t why_len __rte_unused)
{
	return true;
}

static void
ntb_intr_poll_kick(struct ntb_intr *it __rte_unused, uint16_t qp __rte_unused)
{
}

static int
ntb_intr_poll_rx_fd(struct ntb_intr *it __rte_unused,
		    uint16_t qp __rte_unused)
{
	return -1;
}

static void
ntb_intr_poll_rx_ack(struct ntb_intr *it __rte_unused,
		     uint16_t qp __rte_unused)
{
}

const struct ntb_intr_ops ntb_intr_poll_ops = {
	.name = "poll",
	.mode = NTB_INTR_POLL,
	.possible = ntb_intr_poll_possible,
	.local_desc = ntb_intr_desc_none,
	.set_peer_desc = ntb_intr_no_peer_desc,
	.kick = ntb_intr_poll_kick,
	.rx_fd = ntb_intr_poll_rx_fd,
	.rx_ack = ntb_intr_poll_rx_ack,
};
