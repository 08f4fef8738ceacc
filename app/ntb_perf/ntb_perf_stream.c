/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * stream: the sender transmits numbered packets for --duration seconds
 * as fast as the port takes them (a refused packet is retried, never
 * dropped by the tool), then END packets carrying the count. The
 * receiver checks every packet (sequence, length, tail, pattern) and
 * measures from its first to its last data packet; drops are what the
 * sender sent and the receiver never saw.
 */

#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "ntb_perf.h"

#define STREAM_END_PACKETS	8
#define STREAM_MAX_BURST	512

int
perf_stream_tx(const struct perf_opts *o)
{
	struct rte_mbuf *pkts[STREAM_MAX_BURST];
	uint64_t seq = 0, t_start, t_end, deadline, now;
	uint64_t stop_ns = (uint64_t)(o->link_timeout * 1e9);
	double cpu0 = perf_cpu_seconds();
	uint16_t n = (uint16_t)o->burst, i;
	struct perf_json j;
	uint32_t loops = 0;
	int status = 0;

	t_start = perf_ns();
	deadline = t_start + (uint64_t)(o->duration * 1e9);
	for (;;) {
		if ((++loops & 63) == 0) {
			now = perf_ns();
			if (now >= deadline)
				break;
		}
		if (perf_quit)
			break;
		if (o->count != 0) {
			if (seq >= o->count)
				break;
			n = (uint16_t)RTE_MIN((uint64_t)o->burst, o->count - seq);
		}
		if (rte_pktmbuf_alloc_bulk(perf_pool(), pkts, n) != 0)
			continue;	/* the driver still holds mbufs */
		for (i = 0; i < n; i++)
			perf_pkt_stamp(pkts[i], PERF_T_DATA, seq + i, 0);
		/* a stuck peer stops the run after --link-timeout */
		if (!perf_tx_all(o, pkts, n, perf_ns() + stop_ns)) {
			if (!perf_quit) {
				fprintf(stderr, "dpdk-ntb-perf: Tx stalled for %g s\n",
					o->link_timeout);
				status = 1;
			}
			break;
		}
		seq += n;
	}
	t_end = perf_ns();
	for (i = 0; i < STREAM_END_PACKETS && status == 0; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(perf_pool());

		if (m == NULL)
			break;
		perf_pkt_stamp(m, PERF_T_END, 0, seq);
		if (!perf_tx_all(o, &m, 1, perf_ns() + 1000000000ull))
			break;
	}
	perf_json_begin(&j);
	perf_json_common(&j, o);
	perf_json_u64(&j, "tx_packets", seq);
	perf_json_u64(&j, "tx_bytes", seq * o->size);
	perf_json_f64(&j, "seconds", (double)(t_end - t_start) / 1e9);
	perf_json_f64(&j, "tx_mpps", (double)seq / (double)(t_end - t_start) * 1e3);
	perf_json_f64(&j, "tx_gbps", (double)seq * o->size * 8 /
		      (double)(t_end - t_start));
	perf_json_f64(&j, "cpu_seconds", perf_cpu_seconds() - cpu0);
	perf_json_u64(&j, "tx_burst_calls", perf_burst.tx_calls);
	perf_json_u64(&j, "tx_burst_packets", perf_burst.tx_packets);
	perf_json_u64(&j, "tx_burst_refused", perf_burst.tx_refused);
	printf("stream tx: %" PRIu64 " packets in %.3f s, %.3f Mpps\n", seq,
	       (double)(t_end - t_start) / 1e9,
	       (double)seq / (double)(t_end - t_start) * 1e3);
	perf_json_end(&j, stdout);
	/* let the receiver drain before our port goes down */
	rte_delay_us_sleep(200000);
	return status || seq == 0;
}

int
perf_stream_rx(const struct perf_opts *o)
{
	struct rte_mbuf *pkts[STREAM_MAX_BURST];
	uint64_t rx = 0, bytes = 0, bad = 0, misorder = 0, stray = 0;
	uint64_t expect = 0, sent = 0, first = 0, last = 0, now;
	uint64_t idle_ns = (uint64_t)(o->link_timeout * 1e9);
	uint64_t idle_from = perf_ns();
	double cpu0 = perf_cpu_seconds(), cpu_first = cpu0;
	uint16_t n = (uint16_t)o->burst, nb, i;
	bool ended = false;
	struct perf_json j;
	uint32_t spins = 0;

	while (!perf_quit && !ended) {
		nb = rx > 0 ? perf_rx_burst_data(o->port, pkts, n) :
			perf_rx_burst_idle(o->port, pkts, n);
		/* --count on the sender (instruction counts): let it fill the
		 * ring so that the next burst is a full one
		 */
		if (o->count != 0 && nb < n)
			rte_delay_us_sleep(1000);
		if (nb == 0) {
			nb = perf_rx_wait(o, pkts, n, 100);
			if (nb == 0) {
				if (o->mode == PERF_INTR || (++spins & 4095) == 0) {
					now = perf_ns();
					if (now - idle_from > idle_ns)
						break;
				}
				continue;
			}
		}
		for (i = 0; i < nb; i++) {
			struct perf_hdr h;
			int r = perf_pkt_check(pkts[i], o, &h);

			if (r == -1) {
				stray++;
			} else if (h.type == PERF_T_END) {
				ended = true;
				sent = h.total;
			} else {
				if (rx == 0) {
					first = perf_ns();
					cpu_first = perf_cpu_seconds();
				}
				rx++;
				bytes += pkts[i]->pkt_len;
				if (r != 0)
					bad++;
				if (h.seq < expect)
					misorder++;
				else
					expect = h.seq + 1;
			}
		}
		rte_pktmbuf_free_bulk(pkts, nb);
		idle_from = last = perf_ns();
	}
	perf_json_begin(&j);
	perf_json_common(&j, o);
	perf_json_u64(&j, "rx_packets", rx);
	perf_json_u64(&j, "rx_bytes", bytes);
	perf_json_u64(&j, "tx_packets", sent);
	/* without END, the highest sequence seen bounds what was sent */
	perf_json_u64(&j, "drops", (ended ? sent : expect) > rx ?
		      (ended ? sent : expect) - rx : 0);
	perf_json_u64(&j, "payload_errors", bad);
	perf_json_u64(&j, "out_of_order", misorder);
	perf_json_u64(&j, "stray", stray);
	perf_json_str(&j, "end", ended ? "peer" : (perf_quit ? "signal" : "idle"));
	perf_json_f64(&j, "seconds", rx > 1 ? (double)(last - first) / 1e9 : 0);
	perf_json_f64(&j, "rx_mpps", rx > 1 ?
		      (double)(rx - 1) / (double)(last - first) * 1e3 : 0);
	perf_json_f64(&j, "rx_gbps", rx > 1 ? (double)bytes * 8 *
		      ((double)(rx - 1) / (double)rx) / (double)(last - first) : 0);
	perf_json_f64(&j, "cpu_seconds", perf_cpu_seconds() - cpu_first);
	perf_json_u64(&j, "rx_burst_data_calls", perf_burst.rx_data_calls);
	perf_json_u64(&j, "rx_burst_data_packets", perf_burst.rx_data_packets);
	perf_json_u64(&j, "rx_burst_data_empty", perf_burst.rx_data_empty);
	perf_json_u64(&j, "rx_burst_idle_calls", perf_burst.rx_idle_calls);
	perf_json_u64(&j, "rx_burst_idle_packets", perf_burst.rx_idle_packets);
	perf_json_u64(&j, "rx_burst_idle_empty", perf_burst.rx_idle_empty);
	printf("stream rx: %" PRIu64 " packets, %.3f Mpps, drops %" PRIu64 ", payload errors %" PRIu64 "\n",
	       rx, rx > 1 ? (double)(rx - 1) / (double)(last - first) * 1e3 : 0,
	       (ended ? sent : expect) > rx ? (ended ? sent : expect) - rx : 0,
	       bad);
	perf_json_end(&j, stdout);
	return rx == 0 || bad != 0 || misorder != 0;
}
