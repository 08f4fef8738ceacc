/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * net_ntb_vnet against a mock raw_ntb_dwedma (ntb_mock_rawdev.c): devargs,
 * dev_info/MTU, byte-exact loopback, stats/xstats, LSC, Rx interrupts,
 * lifecycle (stop/start/close/reset/re-probe).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_epoll.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "ntb_mock_rawdev.h"
#include "ntb_test.h"
#include "ntb_test_pkt.h"
#include "ntb_test_proc.h"

#define MOCK_PKT_LEN	4096	/* max_pkt_len of the mock link */
#define BURST		32

static int mock_id = -1;	/* raw_ntb_mock, rx_intr, 4 queue pairs */
static int mock_poll_id = -1;	/* raw_ntb_mock without Rx interrupts */
static struct rte_mempool *tx_pool;

/* --- log capture: errors must name the devarg --- */

static char *log_buf;
static size_t log_len;
static FILE *log_file;

static void
log_capture_start(void)
{
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	log_file = open_memstream(&log_buf, &log_len);
	rte_openlog_stream(log_file);
}

static const char *
log_capture_end(void)
{
	rte_openlog_stream(NULL);
	fclose(log_file);
	log_file = NULL;
	return log_buf != NULL ? log_buf : "";
}

/* --- helpers --- */

static int
port_create(const char *name, const char *args, uint16_t *port)
{
	int ret = rte_vdev_init(name, args);

	if (ret != 0)
		return ret;
	return rte_eth_dev_get_port_by_name(name, port);
}

static int
port_setup(uint16_t port, uint16_t nb_q, const struct rte_eth_conf *conf,
		struct rte_mempool *rx_pool)
{
	uint16_t q;
	int ret;

	ret = rte_eth_dev_configure(port, nb_q, nb_q, conf);
	if (ret != 0)
		return ret;
	for (q = 0; q < nb_q; q++) {
		ret = rte_eth_rx_queue_setup(port, q, 128, SOCKET_ID_ANY,
				NULL, rx_pool);
		if (ret != 0)
			return ret;
		ret = rte_eth_tx_queue_setup(port, q, 128, SOCKET_ID_ANY,
				NULL);
		if (ret != 0)
			return ret;
	}
	return rte_eth_dev_start(port);
}

/* The packets of these tests: ntb_test_pkt_fill of tx_pool. */
static struct rte_mbuf *
pkt_make(uint32_t len, uint8_t seed)
{
	return ntb_test_pkt_fill(tx_pool, len, seed);
}

static bool
pkt_check(const struct rte_mbuf *m, uint32_t len, uint8_t seed)
{
	return ntb_test_pkt_fill_ok(m, len, seed);
}

static int
xstat_get(uint16_t port, const char *name, uint64_t *value)
{
	uint64_t id;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0)
		return -1;
	return rte_eth_xstats_get_by_id(port, &id, value, 1) == 1 ? 0 : -1;
}

static struct rte_mempool *
pool_make(const char *name, unsigned int n, uint16_t room)
{
	return rte_pktmbuf_pool_create(name, n, 0, 0,
			room + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
}

/* --- tests --- */

static int
test_devargs_errors(void)
{
	static const struct {
		const char *args;
		const char *must_name;	/* the log must mention this */
	} bad[] = {
		{ "", "rawdev" },
		{ "mode=poll", "rawdev" },
		{ "rawdev", "rawdev" },
		{ "rawdev=nosuch", "rawdev=nosuch" },
		{ "rawdev=other0", "rawdev=other0" },
		{ "rawdev=mock0,mode=fast", "mode=fast" },
		{ "rawdev=mock0,mode", "mode" },
		{ "rawdev=mock0,queues=0", "queues=0" },
		{ "rawdev=mock0,queues=65", "queues=65" },
		{ "rawdev=mock0,queues=5", "queues=5" },	/* mock: 4 */
		{ "rawdev=mock0,queues=2x", "queues=2x" },
		{ "rawdev=mock0,queues=-1", "queues=-1" },
		{ "rawdev=mock0,mac=zz:11:22:33:44:55", "mac=zz" },
		{ "rawdev=mock0,mac=01:00:5e:00:00:01", "mac=01:00:5e" },
		{ "rawdev=mock0,bogus=1", "bogus" },
		{ "rawdev=mock0,rawdev=mock0", "rawdev" },
		{ "rawdev=mockpoll,mode=intr", "mode=intr" },
	};
	unsigned int i;
	uint16_t port;

	for (i = 0; i < RTE_DIM(bad); i++) {
		const char *log;
		int ret;

		log_capture_start();
		ret = rte_vdev_init("net_ntb_vnet9", bad[i].args);
		log = log_capture_end();
		NTB_TEST_ASSERT(ret < 0, "devargs \"%s\" accepted",
			bad[i].args);
		NTB_TEST_ASSERT(strstr(log, bad[i].must_name) != NULL,
			"devargs \"%s\": error does not name \"%s\": %s",
			bad[i].args, bad[i].must_name, log);
		NTB_TEST_ASSERT(rte_eth_dev_get_port_by_name("net_ntb_vnet9",
			&port) != 0, "port left behind by \"%s\"",
			bad[i].args);
	}
	NTB_TEST_ASSERT(rte_eth_dev_count_avail() == 0, "ports exist");
	return 0;
}

static int
test_mac_and_info(void)
{
	struct rte_ether_addr mac, want = {
		.addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf = { 0 };
	uint16_t p0, p1;

	NTB_TEST_ASSERT(port_create("net_ntb_vnet0",
		"rawdev=mock0,queues=3,mac=02:11:22:33:44:55", &p0) == 0,
		"probe with mac");
	NTB_TEST_ASSERT(port_create("net_ntb_vnet1", "rawdev=mockpoll", &p1)
		== 0, "probe with defaults");
	NTB_TEST_ASSERT(rte_vdev_init("net_ntb_vnet2", "rawdev=mock0") < 0,
		"second port on the same rawdev accepted");

	NTB_TEST_ASSERT(rte_eth_macaddr_get(p0, &mac) == 0, "macaddr_get");
	NTB_TEST_ASSERT(rte_is_same_ether_addr(&mac, &want), "mac= ignored");
	NTB_TEST_ASSERT(rte_eth_macaddr_get(p1, &mac) == 0, "macaddr_get");
	NTB_TEST_ASSERT(rte_is_unicast_ether_addr(&mac) &&
		rte_is_local_admin_ether_addr(&mac),
		"default MAC not random locally administered");

	NTB_TEST_ASSERT(rte_eth_dev_info_get(p0, &info) == 0, "info_get");
	NTB_TEST_ASSERT(info.max_rx_queues == 3 && info.max_tx_queues == 3,
		"max queues %u/%u, want 3", info.max_rx_queues,
		info.max_tx_queues);
	NTB_TEST_ASSERT(info.max_rx_pktlen == MOCK_PKT_LEN,
		"max_rx_pktlen %u", info.max_rx_pktlen);
	/* ntb_netdev: MTU = frame payload - ETH_HLEN, no VLAN allowance */
	NTB_TEST_ASSERT(info.max_mtu == MOCK_PKT_LEN - 14, "max_mtu %u",
		info.max_mtu);
	NTB_TEST_ASSERT(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER,
		"no scatter");
	NTB_TEST_ASSERT(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
		"no multi-segs");
	NTB_TEST_ASSERT(info.rx_desc_lim.nb_min == 64 &&
		info.rx_desc_lim.nb_max == 1024, "desc limits");

	NTB_TEST_ASSERT(rte_eth_promiscuous_enable(p0) == 0 &&
		rte_eth_promiscuous_get(p0) == 1, "promiscuous");
	NTB_TEST_ASSERT(rte_eth_allmulticast_enable(p0) == 0, "allmulti");

	/* Queues come in pairs; Rx interrupts need mode=intr. */
	NTB_TEST_ASSERT(rte_eth_dev_configure(p0, 2, 1, &conf) != 0,
		"2 Rx + 1 Tx queues accepted");
	NTB_TEST_ASSERT(rte_eth_dev_configure(p0, 4, 4, &conf) != 0,
		"4 queue pairs accepted with queues=3");
	NTB_TEST_ASSERT(rte_eth_dev_configure(p0, 3, 3, &conf) == 0,
		"3 queue pairs refused");
	NTB_TEST_ASSERT(rte_eth_dev_set_mtu(p0, MOCK_PKT_LEN - 13) != 0,
		"MTU above the frame limit accepted");
	NTB_TEST_ASSERT(rte_eth_dev_set_mtu(p0, MOCK_PKT_LEN - 14) == 0,
		"largest MTU refused");
	conf.rxmode.mtu = MOCK_PKT_LEN - 13;
	NTB_TEST_ASSERT(rte_eth_dev_configure(p0, 1, 1, &conf) != 0,
		"configure with MTU above the frame limit accepted");
	conf.rxmode.mtu = 0;
	conf.intr_conf.rxq = 1;
	NTB_TEST_ASSERT(rte_eth_dev_configure(p0, 1, 1, &conf) != 0,
		"intr_conf.rxq accepted in mode=poll");

	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit 0");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet1") == 0, "uninit 1");
	NTB_TEST_ASSERT(rte_eth_dev_count_avail() == 0, "ports left");
	return 0;
}

static int
test_loopback(void)
{
	static const uint32_t lens[] = { 60, 64, 1000, 1514, 2048 };
	struct rte_mbuf *tx[RTE_DIM(lens)], *rx[BURST];
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *rx_pool;
	struct rte_eth_stats st;
	uint64_t bytes = 0, v;
	uint16_t port, q, n, i;

	rx_pool = pool_make("lb_rx", 511, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "rx pool");
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0,queues=2",
		&port) == 0, "probe");
	conf.rxmode.mtu = 2048 - 14;
	NTB_TEST_ASSERT(port_setup(port, 2, &conf, rx_pool) == 0, "start");
	mock_rawdev_link(mock_id, true);

	for (q = 0; q < 2; q++) {
		for (i = 0; i < RTE_DIM(lens); i++) {
			tx[i] = pkt_make(lens[i], (uint8_t)(q * 50 + i));
			NTB_TEST_ASSERT(tx[i] != NULL, "alloc");
			if (q == 0)
				bytes += lens[i];
		}
		n = rte_eth_tx_burst(port, q, tx, RTE_DIM(lens));
		NTB_TEST_ASSERT(n == RTE_DIM(lens), "q%u sent %u", q, n);
	}
	for (q = 0; q < 2; q++) {
		n = rte_eth_rx_burst(port, q, rx, BURST);
		NTB_TEST_ASSERT(n == RTE_DIM(lens), "q%u received %u", q, n);
		for (i = 0; i < n; i++) {
			NTB_TEST_ASSERT(pkt_check(rx[i], lens[i],
				(uint8_t)(q * 50 + i)),
				"q%u packet %u (len %u) differs", q, i,
				lens[i]);
			NTB_TEST_ASSERT(rx[i]->port == port, "mbuf port %u",
				rx[i]->port);
			NTB_TEST_ASSERT(rx[i]->pool == rx_pool,
				"Rx mbuf not from the queue's mempool");
		}
		rte_pktmbuf_free_bulk(rx, n);
	}

	/* Above the port MTU: consumed, dropped, counted as a Tx error. */
	tx[0] = pkt_make(2048 + 1, 1);
	NTB_TEST_ASSERT(tx[0] != NULL, "alloc big");
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 0, tx, 1) == 1, "big tx");
	mock_rawdev_rx_error(mock_id, 1);

	NTB_TEST_ASSERT(rte_eth_stats_get(port, &st) == 0, "stats");
	NTB_TEST_ASSERT(st.opackets == 2 * RTE_DIM(lens) &&
		st.ipackets == 2 * RTE_DIM(lens), "packets %" PRIu64 "/%"
		PRIu64, st.opackets, st.ipackets);
	/* per-queue counters through ethdev's generic xstats: 25.11 took
	 * q_ipackets & co. out of rte_eth_stats */
	NTB_TEST_ASSERT(xstat_get(port, "tx_q0_bytes", &v) == 0 && v == bytes,
		"tx_q0_bytes %" PRIu64 " want %" PRIu64, v, bytes);
	NTB_TEST_ASSERT(xstat_get(port, "rx_q0_bytes", &v) == 0 && v == bytes,
		"rx_q0_bytes %" PRIu64 " want %" PRIu64, v, bytes);
	NTB_TEST_ASSERT(xstat_get(port, "tx_q1_packets", &v) == 0 &&
		v == RTE_DIM(lens), "tx_q1_packets %" PRIu64, v);
	NTB_TEST_ASSERT(st.oerrors == 1, "oerrors %" PRIu64, st.oerrors);
	NTB_TEST_ASSERT(st.ierrors == 1, "ierrors %" PRIu64, st.ierrors);
	NTB_TEST_ASSERT(xstat_get(port, "rx_q1_errors", &v) == 0 && v == 1,
		"rx_q1_errors %" PRIu64, v);
	NTB_TEST_ASSERT(xstat_get(port, "tx_q0_mtu_drops", &v) == 0 &&
		v == 1, "tx_q0_mtu_drops");
	NTB_TEST_ASSERT(xstat_get(port, "tx_q0_oversize_errors", &v) == 0 &&
		v == 0, "tx_q0_oversize_errors");
	NTB_TEST_ASSERT(xstat_get(port, "rx_q1_frame_errors", &v) == 0 &&
		v == 1, "rx_q1_frame_errors");
	NTB_TEST_ASSERT(xstat_get(port, "rx_frame_errors_total", &v) == 0 &&
		v == 1, "rx_frame_errors_total");
	NTB_TEST_ASSERT(xstat_get(port, "rx_q0_packets", &v) == 0 &&
		v == RTE_DIM(lens), "generic rx_q0_packets %" PRIu64, v);

	NTB_TEST_ASSERT(rte_eth_stats_reset(port) == 0, "reset");
	NTB_TEST_ASSERT(rte_eth_stats_get(port, &st) == 0, "stats");
	NTB_TEST_ASSERT(st.opackets == 0 && st.ipackets == 0 &&
		st.oerrors == 0 && st.ierrors == 0, "stats not reset");
	NTB_TEST_ASSERT(xstat_get(port, "tx_mtu_drops_total", &v) == 0 &&
		v == 0, "xstats not reset");

	/* Link down: nothing is sent, the caller keeps the mbuf. */
	mock_rawdev_link(mock_id, false);
	tx[0] = pkt_make(100, 3);
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 0, tx, 1) == 0,
		"sent with link down");
	rte_pktmbuf_free(tx[0]);

	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");
	NTB_TEST_ASSERT(rte_mempool_in_use_count(rx_pool) == 0,
		"%u Rx mbufs leaked", rte_mempool_in_use_count(rx_pool));
	rte_mempool_free(rx_pool);
	return 0;
}

static int
test_scatter(void)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *small, *big;
	struct rte_mbuf *m, *rx[BURST];
	struct rte_eth_stats st;
	uint16_t port, n;

	small = pool_make("sc_small", 255, 512);
	big = pool_make("sc_big", 255, 2048);
	NTB_TEST_ASSERT(small != NULL && big != NULL, "pools");

	/* Without scatter, an MTU larger than one mbuf cannot start. */
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0", &port)
		== 0, "probe");
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, small) != 0,
		"MTU 1500 on 512-byte mbufs started without scatter");

	/* With scatter, a 3000-byte packet arrives as a checked chain. */
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.rxmode.mtu = 3000;
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, small) == 0, "scatter");
	mock_rawdev_link(mock_id, true);
	m = pkt_make(3000, 9);
	NTB_TEST_ASSERT(m != NULL, "alloc");
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 0, &m, 1) == 1, "tx");
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 1 && rx[0]->nb_segs > 1, "chain not received");
	NTB_TEST_ASSERT(pkt_check(rx[0], 3000, 9), "chained bytes differ");
	rte_pktmbuf_free(rx[0]);
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");

	/* Without scatter, a chain the peer still sends is dropped. */
	conf.rxmode.offloads = 0;
	conf.rxmode.mtu = 1500;
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, big) == 0, "no scatter");
	mock_rawdev_link(mock_id, true);
	m = pkt_make(3000, 9);
	NTB_TEST_ASSERT(m != NULL, "alloc");
	NTB_TEST_ASSERT(mock_rawdev_peer_send(mock_id, 0, m) == 1, "tx");
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 0, "chain delivered without scatter");
	NTB_TEST_ASSERT(rte_eth_stats_get(port, &st) == 0 && st.ierrors == 1,
		"dropped chain not counted");
	NTB_TEST_ASSERT(rte_mempool_in_use_count(big) == 0,
		"dropped chain leaked");

	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");
	NTB_TEST_ASSERT(rte_mempool_in_use_count(small) == 0, "small leaked");
	rte_mempool_free(small);
	rte_mempool_free(big);
	return 0;
}

/*
 * A kernel ntb_netdev posts Rx buffers of MTU + ETH_HLEN: a longer frame
 * is its rx_err_oflow, and that queue's Rx stops for good. With the
 * port MTU equal to the kernel's, Tx drops (and counts) every frame
 * longer than MTU + 14, a VLAN-tagged full-size frame included.
 */
static int
test_tx_mtu(void)
{
	static const uint32_t lens[] = { 1514, 1515, 100, 1518, 60 };
	struct rte_mbuf *tx[RTE_DIM(lens)], *rx[BURST];
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *rx_pool;
	struct rte_eth_stats st;
	uint16_t port, n, i;
	uint64_t v;

	rx_pool = pool_make("mtu_rx", 255, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "rx pool");
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0", &port)
		== 0, "probe");
	conf.rxmode.mtu = 1500;
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, rx_pool) == 0, "start");
	mock_rawdev_link(mock_id, true);
	for (i = 0; i < RTE_DIM(lens); i++) {
		tx[i] = pkt_make(lens[i], (uint8_t)i);
		NTB_TEST_ASSERT(tx[i] != NULL, "alloc");
	}
	n = rte_eth_tx_burst(port, 0, tx, RTE_DIM(lens));
	NTB_TEST_ASSERT(n == RTE_DIM(lens), "all consumed: %u", n);
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 3, "3 within the MTU, got %u", n);
	NTB_TEST_ASSERT(pkt_check(rx[0], 1514, 0) && pkt_check(rx[1], 100, 2) &&
		pkt_check(rx[2], 60, 4), "bytes and order");
	rte_pktmbuf_free_bulk(rx, n);
	NTB_TEST_ASSERT(xstat_get(port, "tx_q0_mtu_drops", &v) == 0 && v == 2,
		"tx_q0_mtu_drops %" PRIu64, v);
	NTB_TEST_ASSERT(xstat_get(port, "tx_mtu_drops_total", &v) == 0 &&
		v == 2, "tx_mtu_drops_total");
	NTB_TEST_ASSERT(rte_eth_stats_get(port, &st) == 0 && st.oerrors == 2 &&
		st.opackets == 3, "oerrors %" PRIu64 " opackets %" PRIu64,
		st.oerrors, st.opackets);
	/* a larger MTU lets them through */
	NTB_TEST_ASSERT(rte_eth_dev_set_mtu(port, 1504) == 0, "mtu 1504");
	tx[0] = pkt_make(1518, 7);
	NTB_TEST_ASSERT(tx[0] != NULL && rte_eth_tx_burst(port, 0, tx, 1) == 1,
		"tx");
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 1 && pkt_check(rx[0], 1518, 7), "1518 at 1504");
	rte_pktmbuf_free(rx[0]);
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");
	NTB_TEST_ASSERT(rte_mempool_in_use_count(rx_pool) == 0, "leak");
	rte_mempool_free(rx_pool);
	return 0;
}

static int
test_nombuf(void)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *tx[12], *rx[BURST];
	struct rte_mempool *rx_pool;
	struct rte_eth_stats st;
	uint16_t port, n, i;
	uint64_t v;

	rx_pool = pool_make("nb_rx", 8, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "pool");
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0", &port)
		== 0, "probe");
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, rx_pool) == 0, "start");
	mock_rawdev_link(mock_id, true);
	for (i = 0; i < RTE_DIM(tx); i++) {
		tx[i] = pkt_make(100, (uint8_t)i);
		NTB_TEST_ASSERT(tx[i] != NULL, "alloc");
	}
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 0, tx, RTE_DIM(tx)) ==
		RTE_DIM(tx), "tx");
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 8, "received %u with 8 mbufs", n);
	NTB_TEST_ASSERT(rte_eth_stats_get(port, &st) == 0 &&
		st.rx_nombuf == 1, "rx_nombuf %" PRIu64, st.rx_nombuf);
	NTB_TEST_ASSERT(xstat_get(port, "rx_q0_nombuf", &v) == 0 && v == 1,
		"rx_q0_nombuf %" PRIu64, v);
	NTB_TEST_ASSERT(xstat_get(port, "rx_nombuf_total", &v) == 0 && v == 1,
		"rx_nombuf_total");
	rte_pktmbuf_free_bulk(rx, n);
	n = rte_eth_rx_burst(port, 0, rx, BURST);
	NTB_TEST_ASSERT(n == 4, "the delayed packets did not arrive: %u", n);
	for (i = 0; i < n; i++)
		NTB_TEST_ASSERT(pkt_check(rx[i], 100, (uint8_t)(8 + i)),
			"packet %u after nombuf differs", 8 + i);
	rte_pktmbuf_free_bulk(rx, n);
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");
	rte_mempool_free(rx_pool);
	return 0;
}

static unsigned int lsc_events;

static int
lsc_cb(uint16_t port __rte_unused, enum rte_eth_event_type type,
		void *arg __rte_unused, void *ret __rte_unused)
{
	if (type == RTE_ETH_EVENT_INTR_LSC)
		lsc_events++;
	return 0;
}

static int
test_lsc(void)
{
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct rte_mempool *rx_pool;
	struct rte_eth_link link;
	struct rte_eth_dev_info info;
	uint16_t port;

	rx_pool = pool_make("lsc_rx", 255, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "pool");
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0", &port)
		== 0, "probe");
	NTB_TEST_ASSERT(rte_eth_dev_info_get(port, &info) == 0 &&
		(*info.dev_flags & RTE_ETH_DEV_INTR_LSC), "no LSC flag");
	NTB_TEST_ASSERT(rte_eth_dev_callback_register(port,
		RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL) == 0, "register");
	lsc_events = 0;
	NTB_TEST_ASSERT(port_setup(port, 1, &conf, rx_pool) == 0, "start");
	NTB_TEST_ASSERT(rte_eth_link_get_nowait(port, &link) == 0 &&
		link.link_status == RTE_ETH_LINK_DOWN, "link up before peer");

	mock_rawdev_link(mock_id, true);
	NTB_TEST_ASSERT(lsc_events == 1, "%u events after link up",
		lsc_events);
	NTB_TEST_ASSERT(rte_eth_link_get_nowait(port, &link) == 0 &&
		link.link_status == RTE_ETH_LINK_UP, "link not up");
	/* Gen3 x4 = 31508 Mbit/s: the largest ethdev speed not above it */
	NTB_TEST_ASSERT(link.link_speed == RTE_ETH_SPEED_NUM_25G &&
		link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX,
		"speed %u (Gen3 x4)", link.link_speed);

	mock_rawdev_link(mock_id, false);
	NTB_TEST_ASSERT(lsc_events == 2, "%u events after link down",
		lsc_events);
	NTB_TEST_ASSERT(rte_eth_link_get_nowait(port, &link) == 0 &&
		link.link_status == RTE_ETH_LINK_DOWN, "link not down");
	mock_rawdev_link(mock_id, true);
	NTB_TEST_ASSERT(lsc_events == 3, "%u events after link up again",
		lsc_events);

	/* A stopped port reports down and raises nothing. */
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_eth_link_get_nowait(port, &link) == 0 &&
		link.link_status == RTE_ETH_LINK_DOWN, "stopped port up");
	mock_rawdev_link(mock_id, true);
	NTB_TEST_ASSERT(lsc_events == 3, "event on a stopped port");

	NTB_TEST_ASSERT(rte_eth_dev_callback_unregister(port,
		RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL) == 0, "unregister");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");
	rte_mempool_free(rx_pool);
	return 0;
}

static int
test_rx_intr(void)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	struct rte_epoll_event ev[4];
	struct rte_mbuf *m, *rx[BURST];
	struct rte_mempool *rx_pool;
	uint16_t port, q;
	uint64_t cnt;
	int n, fd;

	rx_pool = pool_make("intr_rx", 255, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "pool");

	/* A poll-mode port has no Rx interrupts. */
	NTB_TEST_ASSERT(port_create("net_ntb_vnet0", "rawdev=mock0", &port)
		== 0, "probe poll");
	NTB_TEST_ASSERT(port_setup(port, 1, &(struct rte_eth_conf){ 0 },
		rx_pool) == 0, "start poll");
	NTB_TEST_ASSERT(rte_eth_dev_rx_intr_enable(port, 0) == -ENOTSUP,
		"rx_intr_enable in mode=poll");
	NTB_TEST_ASSERT(rte_eth_dev_rx_intr_ctl_q(port, 0,
		RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD, NULL) != 0,
		"rx_intr_ctl_q in mode=poll");
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");

	NTB_TEST_ASSERT(port_create("net_ntb_vnet0",
		"rawdev=mock0,mode=intr,queues=2", &port) == 0, "probe intr");
	NTB_TEST_ASSERT(port_setup(port, 2, &conf, rx_pool) == 0,
		"start intr");
	mock_rawdev_link(mock_id, true);
	for (q = 0; q < 2; q++)
		NTB_TEST_ASSERT(rte_eth_dev_rx_intr_ctl_q(port, q,
			RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_ADD,
			(void *)(uintptr_t)(0x100 + q)) == 0, "ctl_q %u", q);

	/* Armed, nothing sent: the wait times out. */
	NTB_TEST_ASSERT(rte_eth_dev_rx_intr_enable(port, 0) == 0 &&
		rte_eth_dev_rx_intr_enable(port, 1) == 0, "enable");
	NTB_TEST_ASSERT(mock_rawdev_armed(mock_id, 0), "queue 0 not armed");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), 20);
	NTB_TEST_ASSERT(n == 0, "woke %d with no traffic", n);

	/* Traffic on queue 1 wakes the thread with queue 1's data. */
	m = pkt_make(200, 4);
	NTB_TEST_ASSERT(m != NULL, "alloc");
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 1, &m, 1) == 1, "tx q1");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), 5000);
	NTB_TEST_ASSERT(n == 1, "%d events after traffic", n);
	NTB_TEST_ASSERT(ev[0].epdata.data == (void *)(uintptr_t)0x101,
		"event data %p, want queue 1", ev[0].epdata.data);
	/* EAL drained the eventfd (efd_counter_size 8) after the wakeup. */
	fd = rte_eth_dev_rx_intr_ctl_q_get_fd(port, 1);
	NTB_TEST_ASSERT(fd >= 0, "ctl_q_get_fd %d", fd);
	NTB_TEST_ASSERT(read(fd, &cnt, sizeof(cnt)) < 0 && errno == EAGAIN,
		"eventfd not drained after the wakeup");
	NTB_TEST_ASSERT(rte_eth_rx_burst(port, 1, rx, BURST) == 1 &&
		pkt_check(rx[0], 200, 4), "queue 1 packet");
	rte_pktmbuf_free(rx[0]);

	/* Disarmed queues do not wake the thread. */
	NTB_TEST_ASSERT(rte_eth_dev_rx_intr_disable(port, 0) == 0 &&
		rte_eth_dev_rx_intr_disable(port, 1) == 0, "disable");
	NTB_TEST_ASSERT(!mock_rawdev_armed(mock_id, 0), "queue 0 armed");
	m = pkt_make(200, 5);
	NTB_TEST_ASSERT(m != NULL, "alloc");
	NTB_TEST_ASSERT(rte_eth_tx_burst(port, 0, &m, 1) == 1, "tx q0");
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, RTE_DIM(ev), 20);
	NTB_TEST_ASSERT(n == 0, "disarmed queue woke the thread (%d)", n);
	NTB_TEST_ASSERT(rte_eth_rx_burst(port, 0, rx, BURST) == 1 &&
		pkt_check(rx[0], 200, 5), "queue 0 packet");
	rte_pktmbuf_free(rx[0]);

	for (q = 0; q < 2; q++)
		NTB_TEST_ASSERT(rte_eth_dev_rx_intr_ctl_q(port, q,
			RTE_EPOLL_PER_THREAD, RTE_INTR_EVENT_DEL, NULL) == 0,
			"ctl_q del %u", q);
	NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	NTB_TEST_ASSERT(rte_eth_dev_rx_intr_enable(port, 0) != 0,
		"rx_intr_enable on a stopped port");
	NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0, "uninit");

	/* mode=intr on a rawdev without Rx interrupts fails to start. */
	NTB_TEST_ASSERT(rte_vdev_init("net_ntb_vnet0",
		"rawdev=mockpoll,mode=intr") < 0, "intr on poll rawdev");
	rte_mempool_free(rx_pool);
	return 0;
}

static int
test_lifecycle(void)
{
	struct rte_eth_conf conf = { 0 };
	struct mock_rawdev_counts c, c0;
	struct rte_mempool *rx_pool;
	struct rte_mbuf *m;
	uint16_t port;
	int round;

	rx_pool = pool_make("lc_rx", 255, 2048);
	NTB_TEST_ASSERT(rx_pool != NULL, "pool");
	for (round = 0; round < 2; round++) {
		NTB_TEST_ASSERT(port_create("net_ntb_vnet0",
			"rawdev=mock0,queues=2", &port) == 0,
			"probe round %d", round);
		mock_rawdev_counts_get(mock_id, &c0);
		mock_rawdev_counts_get(mock_id, &c);
		NTB_TEST_ASSERT(c.callbacks == 1, "%u event callbacks",
			c.callbacks);
		NTB_TEST_ASSERT(port_setup(port, 2, &conf, rx_pool) == 0,
			"start");
		mock_rawdev_counts_get(mock_id, &c);
		NTB_TEST_ASSERT(c.started && c.nb_qp == 2 &&
			c.queue_setup == c0.queue_setup + 2 &&
			c.queue_size == 128, "rawdev: started %d qp %u qs %u",
			c.started, c.nb_qp, c.queue_size);
		mock_rawdev_link(mock_id, true);
		/* A packet left in flight must come back at stop. */
		m = pkt_make(300, 1);
		NTB_TEST_ASSERT(m != NULL &&
			rte_eth_tx_burst(port, 0, &m, 1) == 1, "tx");
		NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
		NTB_TEST_ASSERT(rte_eth_dev_start(port) == 0, "restart");
		NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop 2");
		NTB_TEST_ASSERT(rte_eth_dev_reset(port) == 0, "reset");
		mock_rawdev_counts_get(mock_id, &c);
		NTB_TEST_ASSERT(!c.configured && !c.started,
			"rawdev still configured after reset");
		NTB_TEST_ASSERT(port_setup(port, 1, &conf, rx_pool) == 0,
			"start after reset");
		NTB_TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop 3");
		NTB_TEST_ASSERT(rte_vdev_uninit("net_ntb_vnet0") == 0,
			"uninit");
		mock_rawdev_counts_get(mock_id, &c);
		NTB_TEST_ASSERT(!c.configured && !c.started &&
			c.callbacks == 0, "rawdev left configured %d "
			"started %d callbacks %u", c.configured, c.started,
			c.callbacks);
		NTB_TEST_ASSERT(rte_eth_dev_count_avail() == 0, "port left");
	}
	NTB_TEST_ASSERT(rte_mempool_in_use_count(rx_pool) == 0 &&
		rte_mempool_in_use_count(tx_pool) == 0, "mbufs leaked");
	rte_mempool_free(rx_pool);
	return 0;
}

/* After a failed test: leave no port behind for the next one. */
static void
ports_cleanup(void)
{
	static const char * const names[] = { "net_ntb_vnet0",
		"net_ntb_vnet1", "net_ntb_vnet2", "net_ntb_vnet9" };
	unsigned int i;
	uint16_t port;

	for (i = 0; i < RTE_DIM(names); i++) {
		if (rte_eth_dev_get_port_by_name(names[i], &port) != 0)
			continue;
		rte_eth_dev_stop(port);
		rte_vdev_uninit(names[i]);
	}
}

#define RUN(fn) do { NTB_TEST_RUN(fn); ports_cleanup(); } while (0)

int
main(int argc, char **argv)
{
	struct mock_rawdev_conf mc = { .ours = true, .max_qp = 4,
		.rx_intr = 1, .max_pkt_len = MOCK_PKT_LEN,
		.intr_mode = "doorbell" };
	struct mock_rawdev_conf pc = { .ours = true, .max_qp = 4,
		.rx_intr = 0, .max_pkt_len = MOCK_PKT_LEN,
		.intr_mode = "poll" };
	struct mock_rawdev_conf oc = { .ours = false, .max_qp = 4 };

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (ntb_test_proc_eal_args("ut_ntb_vnet",
				   "--log-level=pmd.net.ntb_vnet:info",
				   "--log-level=lib.eal:warning", NULL) < 0) {
		printf("Bail out! EAL init failed\n");
		return 1;
	}
	mock_id = mock_rawdev_create("mock0", &mc);
	mock_poll_id = mock_rawdev_create("mockpoll", &pc);
	tx_pool = pool_make("tx", 1023, 8192);
	if (mock_id < 0 || mock_poll_id < 0 ||
			mock_rawdev_create("other0", &oc) < 0 || tx_pool == NULL) {
		printf("Bail out! mock setup failed\n");
		return 1;
	}

	RUN(test_devargs_errors);
	RUN(test_mac_and_info);
	RUN(test_loopback);
	RUN(test_tx_mtu);
	RUN(test_scatter);
	RUN(test_nombuf);
	RUN(test_lsc);
	RUN(test_rx_intr);
	RUN(test_lifecycle);

	mock_rawdev_destroy("mock0");
	mock_rawdev_destroy("mockpoll");
	mock_rawdev_destroy("other0");
	rte_mempool_free(tx_pool);
	rte_eal_cleanup();
	free(log_buf);
	return ntb_test_done();
}
