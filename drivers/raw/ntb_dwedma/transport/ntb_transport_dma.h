/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TRANSPORT_DMA_H
#define NTB_TRANSPORT_DMA_H

/*
 * copy=dma: Tx payloads are copied into the peer's frames by a dmadev
 * (on an RC: the EP's eDMA READ channels, RC memory -> EP memory, as
 * dma_dwedma exposes them), through DPDK's rte_dma_* API, one vchan per
 * queue pair. The frame format is unchanged (ntb_transport v4): the CPU
 * writes a frame's len, ver and then DONE only after that frame's copy
 * completed, in ring order, so the receiver cannot tell who copied. A
 * copy that fails (ABORT) is counted (tx_err_dma) and its slot is
 * published as an empty frame (len 0: the receiver drops it), so no
 * partly written payload is ever delivered and the ring goes on.
 *
 * The destination is the peer's receive buffer as the peer's DMA engine
 * sees it: the peer publishes it in its own scratchpads
 * (NTBT_RX_ADDR_*, ntb_transport_wire.h), read and checked once per
 * queue pair up.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

struct ntbt;
struct ntbt_qp;

/** Per queue pair DMA state (transport-private). */
struct ntbt_dma_qp;

/** Allocate the queue pairs' DMA state per conf.copy. 0 or -ENOMEM. */
int ntbt_dma_create(struct ntbt *t);
/** Free it (queue pairs down). */
void ntbt_dma_destroy(struct ntbt *t);
/** conf.publish_rx_addr: our receive buffers' addresses to our spads. */
void ntbt_dma_publish(struct ntbt *t);
/**
 * Queue pair qp comes up: take the peer's address for its ring (DMA), or
 * the CPU (auto, or a queue pair without a channel). 0: go on; -1: stay
 * down (copy=dma and no usable address; logged once).
 */
int ntbt_dma_qp_up(struct ntbt *t, struct ntbt_qp *qp);
/**
 * Queue pair going down, data path stopped: wait (bounded) for the
 * copies in flight, publishing what completes; the frames still copying
 * then are dropped (counted in tx_err_dma). With publish (we are to
 * send the LINK_DOWN frame: the peer still reads this ring, in order),
 * their slots go out as empty frames first, so that the peer's receiver
 * reaches the LINK_DOWN written after them. Their entries stay, stale,
 * until the engine reports them: their mbufs are freed then, and a late
 * completion is never taken for one of the next session's copies.
 */
void ntbt_dma_qp_down(struct ntbt_qp *qp, bool publish);
/**
 * Control thread, every link work: publish the frames whose copies
 * completed after the last Tx burst returned (a sender that stopped
 * calling Tx, as net_ntb_vnet which never calls it without packets,
 * would leave them unpublished), and retire the stale entries of a
 * queue pair down. A channel that returned no status for 2 s with
 * copies outstanding (a hung engine) is reset: its frames are dropped
 * (sent empty while up), the reset counted (tx_dma_reset), and the
 * queue pair copies with the CPU until it goes down. Does nothing while
 * a Tx burst runs.
 */
void ntbt_dma_ctl_work(struct ntbt_qp *qp);
/**
 * The Tx burst with DMA copies, inside the gate (see ntbt_tx_burst):
 * publishes frames whose copies completed, enqueues up to n packets,
 * submits, and waits a bounded time for them (what is left is published
 * by a later burst or by ntbt_dma_ctl_work). n may be 0 (publish only).
 * Returns the packets consumed.
 */
uint16_t ntbt_dma_tx_burst(struct ntbt_qp *qp, struct rte_mbuf **pkts,
			   uint16_t n);

#endif /* NTB_TRANSPORT_DMA_H */
