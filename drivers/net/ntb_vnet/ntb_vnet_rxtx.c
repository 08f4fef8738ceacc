/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Burst functions: the rawdev does the copies, these only count and
 * stamp. No allocation, no logging, no locks.
 */

#include <rte_mbuf.h>

#include <rte_pmd_ntb_dwedma.h>

#include "ntb_vnet.h"

uint16_t
ntb_vnet_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct ntb_vnet_rxq *rxq = queue;
	uint64_t bytes = 0;
	uint16_t n, i, kept = 0;

	n = rte_pmd_ntb_dwedma_rx_burst(rxq->rawdev_id, rxq->qid, pkts, nb);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		/* The rawdev chains a packet larger than one mbuf; an
		 * application that did not enable scatter cannot take it.
		 */
		if (unlikely(m->nb_segs > 1 && !rxq->scatter)) {
			rte_pktmbuf_free(m);
			rxq->stats.errors++;
			continue;
		}
		m->port = rxq->port_id;
		bytes += m->pkt_len;
		pkts[kept++] = m;
	}
	rxq->stats.pkts += kept;
	rxq->stats.bytes += bytes;
	return kept;
}

/*
 * Frames longer than MTU + 14 (ETH_HLEN) are dropped here and counted
 * (mtu_drops, oerrors): a kernel ntb_netdev peer posts Rx buffers of
 * exactly its MTU + ETH_HLEN, and one longer frame stops that queue's
 * Rx in the kernel for good (rx_err_oflow, then ver errors). The rawdev
 * frees what it consumes, including packets it drops for being longer
 * than max_pkt_len; lengths are therefore read before the call and the
 * same rule tells sent from dropped afterwards. Packets are consumed in
 * order: a drop only follows the packets before it.
 */
uint16_t
ntb_vnet_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct ntb_vnet_txq *txq = queue;
	uint32_t len[NTB_VNET_TX_CHUNK];
	uint32_t max_frame = (uint32_t)*txq->mtu + NTB_VNET_ETH_OVERHEAD;
	uint16_t done = 0;

	while (done < nb) {
		uint32_t max_len = *txq->max_pkt_len;
		uint16_t i, run = 0, sent;

		while (done < nb && unlikely(pkts[done]->pkt_len > max_frame)) {
			rte_pktmbuf_free(pkts[done++]);
			txq->stats.mtu_drops++;
			txq->stats.errors++;
		}
		while (run < NTB_VNET_TX_CHUNK && done + run < nb &&
				pkts[done + run]->pkt_len <= max_frame) {
			len[run] = pkts[done + run]->pkt_len;
			run++;
		}
		if (run == 0)
			break;
		sent = rte_pmd_ntb_dwedma_tx_burst(txq->rawdev_id, txq->qid,
				pkts + done, run);
		for (i = 0; i < sent; i++) {
			if (unlikely(len[i] > max_len)) {
				txq->stats.errors++;
			} else {
				txq->stats.pkts++;
				txq->stats.bytes += len[i];
			}
		}
		done += sent;
		if (sent < run)
			break;
	}
	return done;
}
