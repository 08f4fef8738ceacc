/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef PEER_QP_RESET_H
#define PEER_QP_RESET_H

/*
 * The faults tests whose EP (a transport in the same process) resets its
 * queue pair by hand, as a kernel peer resets its own on ifdown/ifup.
 */

#include <rte_io.h>

#include "ntb_dev.h"
#include "ntb_transport_priv.h"

/*
 * What a kernel peer does to its queue pair 0 on ifdown/ifup: kernel
 * ntb_transport_link_down clears its bit in the other side's QP_LINKS,
 * sends a LINK_DOWN frame and resets its queue (ntb_qp_link_down_reset:
 * its ring starts again at frame 0); then ntb_transport_link_up
 * announces the queue again. Here the EP's control thread does the last
 * two once the queue reads down.
 */
static inline void
peer_qp_reset(struct ntbt_qp *eq, struct ntb_dev *nd)
{
	uint8_t *hdr = ntbt_hdr(eq->tx_base, eq->tx_max_frame, eq->tx_index);
	uint32_t links = nd->ops->peer_spad_read(nd, NTBT_SPAD_QP_LINKS);

	/* ntb_transport_link_down: its bit out of the RC's QP_LINKS ... */
	nd->ops->peer_spad_write(nd, NTBT_SPAD_QP_LINKS, links & ~1u);
	/* ... ntb_send_link_down: the last frame of the session ... */
	ntbt_hdr_set(hdr, NTBT_HDR_LEN, 0);
	ntbt_hdr_set(hdr, NTBT_HDR_VER, eq->tx_seq);
	rte_wmb();
	ntbt_hdr_set(hdr, NTBT_HDR_FLAGS,
		     NTBT_DESC_DONE_FLAG | NTBT_LINK_DOWN_FLAG);
	rte_wmb();
	/* ... and its queue reset: the EP's control thread takes it down
	 * (ntb_qp_link_down_reset) and announces it again (link_up)
	 */
	__atomic_store_n(&eq->up, 0, __ATOMIC_SEQ_CST);
}

#endif /* PEER_QP_RESET_H */
