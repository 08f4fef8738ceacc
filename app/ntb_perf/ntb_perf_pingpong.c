/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * pingpong: the client sends one packet, waits for it to come back,
 * checks it and records the round trip, then sends the next (one packet
 * in flight, like sockperf ping-pong). The server sends back what it
 * receives. The client ends the run with END packets; the server also
 * ends when the peer stays silent for --link-timeout seconds.
 */

#include <inttypes.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "ntb_perf.h"

/* a reply slower than this is lost: the client sends the next one */
#define PP_REPLY_TIMEOUT_NS	(200ull * 1000 * 1000)
#define PP_END_PACKETS		4

static void
send_end(const struct perf_opts *o, uint64_t total)
{
	struct rte_mbuf *m;
	int i;

	for (i = 0; i < PP_END_PACKETS; i++) {
		m = rte_pktmbuf_alloc(perf_pool());
		if (m == NULL)
			return;
		perf_pkt_stamp(m, PERF_T_END, 0, total);
		if (!perf_tx_all(o, &m, 1, perf_ns() + 100000000ull))
			return;
	}
}

int
perf_pingpong_client(const struct perf_opts *o)
{
	struct perf_hist *hist = perf_hist_create();
	uint64_t seq = 0, lost = 0, bad = 0, stray = 0, measured = 0;
	uint64_t t_start = 0, t_end, deadline_ns, tmo_cycles, t_begin, warm_end;
	double cpu0 = 0;
	struct perf_json j;
	int status = 0;

	if (hist == NULL) {
		fprintf(stderr, "dpdk-ntb-perf: out of memory\n");
		return 1;
	}
	deadline_ns = UINT64_MAX;
	t_begin = perf_ns();
	warm_end = o->warmup;
	tmo_cycles = rte_get_tsc_hz() / 1000 * (PP_REPLY_TIMEOUT_NS / 1000000);
	while (!perf_quit) {
		struct rte_mbuf *m, *rx[32];
		uint64_t t0, t1;
		bool back = false;
		uint16_t nb, i;

		/* warm-up ends after --warmup round trips or 1 s */
		if (warm_end == o->warmup && seq < o->warmup && seq != 0 &&
		    perf_ns() > t_begin + 1000000000ull)
			warm_end = seq;
		if (seq == warm_end) {
			t_start = perf_ns();
			cpu0 = perf_cpu_seconds();
			deadline_ns = t_start + (uint64_t)(o->duration * 1e9);
		}
		if (seq >= warm_end && perf_ns() >= deadline_ns)
			break;
		m = rte_pktmbuf_alloc(perf_pool());
		if (m == NULL) {
			fprintf(stderr, "dpdk-ntb-perf: mbuf pool empty\n");
			status = 1;
			break;
		}
		perf_pkt_stamp(m, PERF_T_DATA, seq, 0);
		t0 = rte_rdtsc();
		if (!perf_tx_all(o, &m, 1, perf_ns() + PP_REPLY_TIMEOUT_NS)) {
			lost++;
			seq++;
			continue;
		}
		for (;;) {
			nb = rte_eth_rx_burst(o->port, 0, rx, 32);
			if (nb == 0)
				nb = perf_rx_wait(o, rx, 32, 200);
			t1 = rte_rdtsc();
			for (i = 0; i < nb; i++) {
				struct perf_hdr h;
				int r = perf_pkt_check(rx[i], o, &h);

				if (r == -1 || h.type != PERF_T_DATA)
					stray++;
				else if (h.seq != seq)
					stray++;	/* a late reply */
				else if (r != 0)
					bad++, back = true;
				else
					back = true;
				rte_pktmbuf_free(rx[i]);
			}
			if (back || perf_quit)
				break;
			if (t1 - t0 > tmo_cycles) {
				lost++;
				break;
			}
		}
		if (back && seq >= warm_end) {
			perf_hist_add(hist, (uint64_t)((double)(t1 - t0) *
				1e9 / (double)rte_get_tsc_hz()));
			measured++;
		}
		seq++;
	}
	t_end = perf_ns();
	send_end(o, seq);

	perf_json_begin(&j);
	perf_json_common(&j, o);
	perf_json_u64(&j, "round_trips", measured);
	perf_json_u64(&j, "warmup", warm_end);
	perf_json_u64(&j, "lost", lost);
	perf_json_u64(&j, "payload_errors", bad);
	perf_json_u64(&j, "stray", stray);
	perf_json_f64(&j, "seconds", t_start ? (double)(t_end - t_start) / 1e9 : 0);
	perf_json_f64(&j, "rtt_avg_us", perf_hist_mean(hist) / 1e3);
	perf_json_f64(&j, "rtt_min_us", (double)perf_hist_min(hist) / 1e3);
	perf_json_f64(&j, "rtt_p50_us",
		      (double)perf_hist_percentile(hist, 50) / 1e3);
	perf_json_f64(&j, "rtt_p90_us",
		      (double)perf_hist_percentile(hist, 90) / 1e3);
	perf_json_f64(&j, "rtt_p99_us",
		      (double)perf_hist_percentile(hist, 99) / 1e3);
	perf_json_f64(&j, "rtt_p999_us",
		      (double)perf_hist_percentile(hist, 99.9) / 1e3);
	perf_json_f64(&j, "rtt_max_us", (double)perf_hist_max(hist) / 1e3);
	perf_json_f64(&j, "cpu_seconds", t_start ? perf_cpu_seconds() - cpu0 : 0);
	printf("pingpong: %" PRIu64 " round trips, p50 %.3f us, p99 %.3f us, lost %" PRIu64 ", payload errors %" PRIu64 "\n",
	       measured, (double)perf_hist_percentile(hist, 50) / 1e3,
	       (double)perf_hist_percentile(hist, 99) / 1e3, lost, bad);
	perf_json_end(&j, stdout);
	perf_hist_free(hist);
	if (measured == 0 && status == 0) {
		fprintf(stderr, "dpdk-ntb-perf: no round trip completed\n");
		status = 1;
	}
	return status || bad != 0;
}

int
perf_pingpong_server(const struct perf_opts *o)
{
	uint64_t echoed = 0, stray = 0, idle_ns, last, now;
	double cpu0 = perf_cpu_seconds();
	uint64_t t_start = perf_ns();
	bool ended = false;
	struct perf_json j;

	idle_ns = (uint64_t)(o->link_timeout * 1e9);
	last = perf_ns();
	while (!perf_quit && !ended) {
		struct rte_mbuf *rx[64], *tx[64];
		uint16_t nb, i, nt = 0;

		nb = rte_eth_rx_burst(o->port, 0, rx, RTE_MIN(o->burst, 64u));
		if (nb == 0) {
			nb = perf_rx_wait(o, rx, RTE_MIN(o->burst, 64u), 100);
			if (nb == 0) {
				/* checking the clock on every empty poll
				 * would cost the latency being measured
				 */
				static unsigned int spin;

				if (o->mode == PERF_INTR || (++spin & 4095) == 0) {
					now = perf_ns();
					if (now - last > idle_ns)
						break;
				}
				continue;
			}
		}
		for (i = 0; i < nb; i++) {
			const struct perf_hdr *h = rte_pktmbuf_mtod_offset(rx[i],
				const struct perf_hdr *, PERF_HDR_OFF);

			/* the client checks the payload; only route here */
			if (rx[i]->data_len >= PERF_MIN_SIZE &&
			    h->magic == PERF_MAGIC && h->type == PERF_T_END) {
				ended = true;
				rte_pktmbuf_free(rx[i]);
			} else if (rx[i]->data_len >= PERF_MIN_SIZE &&
				   h->magic == PERF_MAGIC) {
				tx[nt++] = rx[i];
			} else {
				stray++;
				rte_pktmbuf_free(rx[i]);
			}
		}
		if (nt != 0 && perf_tx_all(o, tx, nt, perf_ns() + idle_ns))
			echoed += nt;
		last = perf_ns();
	}
	perf_json_begin(&j);
	perf_json_common(&j, o);
	perf_json_u64(&j, "echoed", echoed);
	perf_json_u64(&j, "stray", stray);
	perf_json_str(&j, "end", ended ? "peer" : (perf_quit ? "signal" : "idle"));
	perf_json_f64(&j, "seconds", (double)(perf_ns() - t_start) / 1e9);
	perf_json_f64(&j, "cpu_seconds", perf_cpu_seconds() - cpu0);
	printf("pingpong server: echoed %" PRIu64 " packets, end: %s\n", echoed,
	       ended ? "peer" : (perf_quit ? "signal" : "idle"));
	perf_json_end(&j, stdout);
	return echoed == 0;
}
