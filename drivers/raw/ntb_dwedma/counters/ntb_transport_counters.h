/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TRANSPORT_COUNTERS_H
#define NTB_TRANSPORT_COUNTERS_H

/*
 * The counters of a queue pair, as tables. No includes and no types: the
 * ethdev (net_ntb_vnet) reads this file too. Every user of a counter
 * expands these lists; nothing names the counters by hand.
 *
 * NTBT_QP_STATS(X): what the transport counts, X(field, side): a member
 * of struct ntbt_qp_stats, written by the side's data path thread only
 * (side tx: ntbt_tx_burst, side rx: ntbt_rx_burst). The transport guide
 * tells what each one counts.
 */
#define NTBT_QP_STATS(X) \
	X(tx_pkts, tx) \
	X(tx_bytes, tx) \
	X(tx_ring_full, tx)	/* bursts stopped on a full ring */ \
	X(tx_err_oversize, tx)	/* dropped: longer than max payload */ \
	X(tx_link_down, tx)	/* packets refused: QP down */ \
	X(tx_err_rx_info, tx)	/* peer wrote rx_info >= max_entry */ \
	X(tx_err_dma, tx)	/* copy=dma: frame dropped, DMA error */ \
	X(tx_dma_reset, tx)	/* copy=dma: vchan hung, reset */ \
	X(rx_pkts, rx) \
	X(rx_bytes, rx) \
	X(rx_err_ver, rx)	/* frame counter mismatch, per look */ \
	X(rx_err_len, rx)	/* frame dropped: len 0 or too long */ \
	X(rx_nobuf, rx)		/* no mbuf: frame left for later */ \
	X(rx_link_down, rx)	/* LINK_DOWN frames received */

/*
 * NTBT_QP_XSTATS(X): the queue pair counters users see, in this order:
 * struct rte_pmd_ntb_dwedma_qp_stats (the public API, which the rawdev
 * checks against this list at build time), the rawdev's xstats and
 * telemetry, the ethdev's xstats and the guides (tests/doc checks that
 * every name below is documented). X(field, name, vnet_q, vnet_total,
 * value):
 *  - field: member of struct rte_pmd_ntb_dwedma_qp_stats;
 *  - name: rawdev xstat (totals; per queue with "_q<N>") and telemetry
 *    key;
 *  - vnet_q, vnet_total: net_ntb_vnet xstat per queue (%u: the queue) and
 *    its total, "" when the ethdev's generic stats already show it;
 *  - value: how the rawdev computes it, from transport counters
 *    (NTBT_T(f): struct ntbt_qp_stats member) and its own per queue
 *    counters (NTBT_R(f): struct ntb_dwedma_qp member).
 */
#define NTBT_QP_XSTATS(X) \
	X(tx_pkts, "tx_packets", "", "", NTBT_T(tx_pkts)) \
	X(tx_bytes, "tx_bytes", "", "", NTBT_T(tx_bytes)) \
	X(tx_errors, "tx_errors", "tx_q%u_oversize_errors", \
	  "tx_oversize_errors_total", NTBT_T(tx_err_oversize)) \
	X(tx_ring_full, "tx_ring_full", "tx_q%u_ring_full", \
	  "tx_ring_full_total", NTBT_T(tx_ring_full)) \
	X(rx_pkts, "rx_packets", "", "", NTBT_T(rx_pkts)) \
	X(rx_bytes, "rx_bytes", "", "", NTBT_T(rx_bytes)) \
	X(rx_errors, "rx_errors", "rx_q%u_frame_errors", \
	  "rx_frame_errors_total", NTBT_T(rx_err_ver) + NTBT_T(rx_err_len)) \
	X(rx_nombuf, "rx_nombuf", "rx_q%u_nombuf", "rx_nombuf_total", \
	  NTBT_T(rx_nobuf)) \
	X(peer_rejects, "peer_rejects", "q%u_peer_rejects", \
	  "peer_rejects_total", \
	  NTBT_T(tx_err_rx_info) + NTBT_T(rx_err_ver) + NTBT_T(rx_err_len)) \
	X(intr_rx, "intr_rx", "rx_q%u_interrupts", "rx_interrupts_total", \
	  NTBT_R(intr_rx)) \
	X(rx_intr_wakeups, "rx_intr_wakeups", "", "", NTBT_R(intr_wakeups)) \
	X(tx_dma_errors, "tx_dma_errors", "tx_q%u_dma_errors", \
	  "tx_dma_errors_total", NTBT_T(tx_err_dma)) \
	X(tx_dma_resets, "tx_dma_resets", "tx_q%u_dma_resets", \
	  "tx_dma_resets_total", NTBT_T(tx_dma_reset))

#endif /* NTB_TRANSPORT_COUNTERS_H */
