/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_PERF_H
#define NTB_PERF_H

/*
 * dpdk-ntb-perf: latency and throughput between two DPDK processes joined
 * by any ethdev (net_ntb_vnet, net_memif, net_vhost/net_virtio_user...).
 * One side is the client (pingpong) or the sender (stream), the other the
 * server or the receiver. Both print a JSON line with their figures.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_mbuf.h>

#include "ntb_compat.h"

enum perf_test { PERF_PINGPONG, PERF_STREAM };
enum perf_role { PERF_CLIENT, PERF_SERVER };	/* stream: tx, rx */
enum perf_mode { PERF_POLL, PERF_INTR };
enum perf_check { PERF_CHECK_ALL, PERF_CHECK_SEQ };

struct perf_opts {
	enum perf_test test;
	enum perf_role role;
	enum perf_mode mode;
	enum perf_check check;
	uint16_t port;
	uint32_t size;		/* frame length, Ethernet header included */
	uint32_t burst;
	double duration;	/* seconds of measurement */
	double link_timeout;	/* seconds to wait for the link / peer */
	uint32_t warmup;	/* pingpong round trips not measured */
	uint32_t nb_mbufs;
	uint64_t count;		/* stream: data packets to send, 0: --duration */
};

/* ntb_perf_burst.c: counted bursts (instruction counts per packet) */
struct perf_burst_counts {
	uint64_t tx_calls, tx_packets, tx_refused;
	uint64_t rx_data_calls, rx_data_packets, rx_data_empty;
	uint64_t rx_idle_calls, rx_idle_packets, rx_idle_empty;
};
extern struct perf_burst_counts perf_burst;
uint16_t perf_tx_burst(uint16_t port, struct rte_mbuf **pkts, uint16_t n);
uint16_t perf_rx_burst_data(uint16_t port, struct rte_mbuf **pkts, uint16_t n);
uint16_t perf_rx_burst_idle(uint16_t port, struct rte_mbuf **pkts, uint16_t n);

/* Packet layout after the 14-byte Ethernet header. */
#define PERF_ETHER_TYPE	0x88b5		/* local experimental */
#define PERF_MAGIC	0x4e545050u	/* "NTPP" */
#define PERF_T_DATA	1
#define PERF_T_END	2
#define PERF_HDR_OFF	14

struct __rte_packed_begin perf_hdr {
	uint32_t magic;
	uint32_t type;
	uint64_t seq;
	uint64_t total;		/* END: data packets sent */
} __rte_packed_end;

/* smallest frame: Ethernet + perf_hdr + trailing sequence number */
#define PERF_MIN_SIZE	(PERF_HDR_OFF + sizeof(struct perf_hdr) + 8)
#define PERF_MAX_SIZE	9600u

/* ntb_perf_stats.c: latency histogram, ~0.2% resolution */
struct perf_hist;
struct perf_hist *perf_hist_create(void);
void perf_hist_free(struct perf_hist *h);
void perf_hist_add(struct perf_hist *h, uint64_t ns);
uint64_t perf_hist_count(const struct perf_hist *h);
double perf_hist_mean(const struct perf_hist *h);
uint64_t perf_hist_min(const struct perf_hist *h);
uint64_t perf_hist_max(const struct perf_hist *h);
uint64_t perf_hist_percentile(const struct perf_hist *h, double pct);

/* ntb_perf_json.c: one flat JSON object on one line */
struct perf_json {
	char buf[4096];
	size_t len;
	bool overflow;
};
void perf_json_begin(struct perf_json *j);
void perf_json_str(struct perf_json *j, const char *key, const char *val);
void perf_json_u64(struct perf_json *j, const char *key, uint64_t val);
void perf_json_f64(struct perf_json *j, const char *key, double val);
void perf_json_end(struct perf_json *j, FILE *out);

/* ntb_perf_pkt.c: payload building and checking */
void perf_pkt_template_init(uint32_t size);
void perf_pkt_prefill(struct rte_mempool *mp);
void perf_pkt_stamp(struct rte_mbuf *m, uint32_t type, uint64_t seq,
		    uint64_t total);
/* 0 ok, -1 not ours/length, -2 payload differs; *hdr gets the header */
int perf_pkt_check(const struct rte_mbuf *m, const struct perf_opts *o,
		   struct perf_hdr *hdr);

/* ntb_perf_main.c: shared helpers for the tests */
extern volatile bool perf_quit;
struct rte_mempool *perf_pool(void);
uint64_t perf_ns(void);
void perf_json_common(struct perf_json *j, const struct perf_opts *o);
/*
 * intr mode: arm the Rx interrupt of queue 0, poll once more, sleep at
 * most timeout_ms if that found nothing. Returns the packets that poll
 * got (0 in poll mode, where it does nothing).
 */
uint16_t perf_rx_wait(const struct perf_opts *o, struct rte_mbuf **pkts,
		      uint16_t n, int timeout_ms);
/* Send all of pkts (retrying); false on quit or deadline. */
bool perf_tx_all(const struct perf_opts *o, struct rte_mbuf **pkts,
		 uint16_t n, uint64_t deadline_ns);
double perf_cpu_seconds(void);

/* the tests; return the process exit status */
int perf_pingpong_client(const struct perf_opts *o);
int perf_pingpong_server(const struct perf_opts *o);
int perf_stream_tx(const struct perf_opts *o);
int perf_stream_rx(const struct perf_opts *o);

#endif /* NTB_PERF_H */
