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
 * The rawdev frees what it consumes, including packets it drops for
 * being longer than max_pkt_len; lengths are therefore read before the
 * call and the same rule tells sent from dropped afterwards.
 */
uint16_t
ntb_vnet_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct ntb_vnet_txq *txq = queue;
	uint32_t len[NTB_VNET_TX_CHUNK];
	uint16_t done = 0;

	while (done < nb) {
		uint16_t chunk = RTE_MIN(nb - done, NTB_VNET_TX_CHUNK);
		uint32_t max_len = *txq->max_pkt_len;
		uint16_t i, sent;

		for (i = 0; i < chunk; i++)
			len[i] = pkts[done + i]->pkt_len;
		sent = rte_pmd_ntb_dwedma_tx_burst(txq->rawdev_id, txq->qid,
				pkts + done, chunk);
		for (i = 0; i < sent; i++) {
			if (unlikely(len[i] > max_len)) {
				txq->stats.errors++;
			} else {
				txq->stats.pkts++;
				txq->stats.bytes += len[i];
			}
		}
		done += sent;
		if (sent < chunk)
			break;
	}
	return done;
}
