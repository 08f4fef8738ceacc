/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The stream test's Tx and Rx bursts, each behind a function of its own
 * that is never inlined, so that an instruction counter can be limited
 * to the PMD's work (valgrind --tool=callgrind --toggle-collect=NAME,
 * see devtools/bench.py --instructions). Rx is split: before the first
 * data packet and after END the receiver only waits (perf_rx_burst_idle),
 * in between it receives (perf_rx_burst_data). The counters say how many
 * calls found nothing, whose cost the bench takes out; Tx calls the
 * port refused (ring full) are counted so that the bench can reject a
 * run in which the receiver fell behind.
 */

#include <rte_ethdev.h>

#include "ntb_perf.h"

struct perf_burst_counts perf_burst;

__attribute__((noinline)) uint16_t
perf_tx_burst(uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb = rte_eth_tx_burst(port, 0, pkts, n);

	perf_burst.tx_calls++;
	perf_burst.tx_packets += nb;
	if (nb == 0)
		perf_burst.tx_refused++;
	return nb;
}

__attribute__((noinline)) uint16_t
perf_rx_burst_data(uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb = rte_eth_rx_burst(port, 0, pkts, n);

	perf_burst.rx_data_calls++;
	perf_burst.rx_data_packets += nb;
	if (nb == 0)
		perf_burst.rx_data_empty++;
	return nb;
}

__attribute__((noinline)) uint16_t
perf_rx_burst_idle(uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t nb = rte_eth_rx_burst(port, 0, pkts, n);

	perf_burst.rx_idle_calls++;
	perf_burst.rx_idle_packets += nb;
	if (nb == 0)
		perf_burst.rx_idle_empty++;
	return nb;
}
