/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * kpeer_frames: the host end of the kernel peer's raw-frame checks, on
 * port 0 (net_ntb_vnet over raw_ntb_ivshmem). It speaks the frame format
 * of the guest's ntb_frames (devtools/kernel-peer/guest/ntb_frames.c)
 * from the header both include (ntb_frames_fmt.h there), so each end
 * checks the other's frames byte for byte. SIZE N or A-B: frame s is
 * then A + (s * 997) % (B - A + 1) bytes long.
 *
 *   kpeer_frames [EAL] -- send DSTMAC COUNT SIZE[-MAX] [GAP_US [BURST [MTU [HOLD_MS]]]]
 *   kpeer_frames [EAL] -- recv COUNT TIMEOUT_MS
 *
 * send sleeps GAP_US after every BURST frames (default 1): a receiver
 * that is a program on a socket (the guest's) drops what its socket
 * cannot hold while it is not scheduled. MTU sets the port MTU (default:
 * 1500, or MAX - 14 if larger); frames longer than MTU + 14 are then
 * dropped by the port, and counted: the last line gives its
 * tx_mtu_drops_total extended stat. HOLD_MS keeps the link up that long
 * after the counters are printed (the kernel peer resets its queue pair,
 * and zeroes its ntb_transport stats, when our link goes down).
 * send also drains Rx as it goes, as an application that forwards does:
 * the peer's LINK_DOWN frame (its queue reset) is seen by the Rx path
 * only (as in the kernel's ntb_transport).
 * recv prints every later change of the link ("kpeer_frames: link
 * down", "kpeer_frames: link up") and goes on receiving; after a change,
 * a frame with seq 0 starts a new sender run (counted in restarts, not
 * out of order).
 * Both wait (bounded) for the link, print "kpeer_frames: link up", do
 * their job and print one line of key=value fields; exit 0 only if all
 * COUNT frames went out (send) or arrived intact (recv, none bad).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "ntb_frames_fmt.h"

#define KF_ETHERTYPE	NTBF_ETHERTYPE
#define KF_HDR_LEN	NTBF_HDR_LEN
#define KF_MAX_FRAME	9014
#define KF_BUF_SIZE	9216	/* MTU 9000 + Ethernet, VLAN, CRC */
#define KF_BURST	32
#define KF_LINK_WAIT_S	60
#define KF_SEND_WAIT_S	60	/* whole send, bounded */

static struct rte_mempool *kf_mp;
static unsigned int kf_hold_ms;

static void
kf_build(uint8_t *f, const struct rte_ether_addr *dst,
	 const struct rte_ether_addr *src, uint32_t seq, unsigned int len)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	ntbf_build(f, seq, len);
}

/* 1: a test frame, every byte as the sender made it; 0: bad; -1: not ours */
static int
kf_check(const uint8_t *f, size_t n, uint32_t *seq)
{
	if (n < 14 || f[12] != (KF_ETHERTYPE >> 8) ||
	    f[13] != (KF_ETHERTYPE & 0xff))
		return -1;
	return ntbf_check(f, n, seq);
}

static int
kf_port_up(uint16_t port, unsigned int max_frame, unsigned int mtu)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint64_t deadline;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0 && mtu == 0 && max_frame > RTE_ETHER_MAX_LEN)
		mtu = max_frame - RTE_ETHER_HDR_LEN;
	if (ret == 0 && mtu != 0)
		ret = rte_eth_dev_set_mtu(port, mtu);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, 512, rte_socket_id(),
					     NULL, kf_mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, 512, rte_socket_id(),
					     NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0) {
		printf("kpeer_frames: port %u setup failed: %s\n", port,
		       rte_strerror(-ret));
		return -1;
	}
	deadline = rte_get_timer_cycles() + KF_LINK_WAIT_S * rte_get_timer_hz();
	do {
		memset(&link, 0, sizeof(link));
		if (rte_eth_link_get_nowait(port, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP) {
			printf("kpeer_frames: link up\n");
			return 0;
		}
		rte_delay_us_sleep(10000);
	} while (rte_get_timer_cycles() < deadline);
	printf("kpeer_frames: no link after %d s\n", KF_LINK_WAIT_S);
	return -1;
}

/* the port's own counters, to tell our losses from the peer's */
static void
kf_print_stats(uint16_t port)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(port, &st) != 0)
		return;
	printf("kpeer_frames port ipackets=%" PRIu64 " opackets=%" PRIu64
	       " ierrors=%" PRIu64 " oerrors=%" PRIu64 " imissed=%" PRIu64
	       " rx_nombuf=%" PRIu64 "\n", st.ipackets, st.opackets,
	       st.ierrors, st.oerrors, st.imissed, st.rx_nombuf);
}

/* one extended stat by name, as "kpeer_frames xstat NAME=VALUE" */
static void
kf_print_xstat(uint16_t port, const char *name)
{
	uint64_t id, v;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) != 0 ||
	    rte_eth_xstats_get_by_id(port, &id, &v, 1) != 1) {
		printf("kpeer_frames xstat %s missing\n", name);
		return;
	}
	printf("kpeer_frames xstat %s=%" PRIu64 "\n", name, v);
}

static int
kf_parse_sizes(const char *s, unsigned int *lo, unsigned int *hi)
{
	char *end;

	*lo = (unsigned int)strtoul(s, &end, 0);
	*hi = *lo;
	if (*end == '-')
		*hi = (unsigned int)strtoul(end + 1, &end, 0);
	if (*end != '\0' || *lo < KF_HDR_LEN || *hi < *lo ||
	    *hi > KF_MAX_FRAME) {
		printf("kpeer_frames: SIZE '%s': want %d..%d, N or A-B\n", s,
		       KF_HDR_LEN, KF_MAX_FRAME);
		return -1;
	}
	return 0;
}

/* Free what arrived: frames from the peer are not checked by send. */
static void
kf_drain(uint16_t port)
{
	struct rte_mbuf *pkts[KF_BURST];
	uint16_t n = rte_eth_rx_burst(port, 0, pkts, KF_BURST);

	rte_pktmbuf_free_bulk(pkts, n);
}

static int
kf_send(uint16_t port, int argc, char **argv)
{
	struct rte_ether_addr dst, src;
	unsigned int lo, hi, gap_us = 0, burst = 1, mtu = 0;
	uint32_t count, seq, sent = 0;
	uint64_t deadline, bytes = 0;

	if (argc < 3 || rte_ether_unformat_addr(argv[0], &dst) != 0 ||
	    kf_parse_sizes(argv[2], &lo, &hi) != 0) {
		printf("kpeer_frames: send DSTMAC COUNT SIZE[-MAX] [GAP_US [BURST [MTU [HOLD_MS]]]]\n");
		return 2;
	}
	count = (uint32_t)strtoul(argv[1], NULL, 0);
	if (argc > 3)
		gap_us = (unsigned int)strtoul(argv[3], NULL, 0);
	if (argc > 4)
		burst = (unsigned int)strtoul(argv[4], NULL, 0);
	if (argc > 5)
		mtu = (unsigned int)strtoul(argv[5], NULL, 0);
	if (argc > 6)
		kf_hold_ms = (unsigned int)strtoul(argv[6], NULL, 0);
	if (burst == 0)
		burst = 1;
	if (kf_port_up(port, hi, mtu) != 0)
		return 1;
	rte_eth_macaddr_get(port, &src);
	deadline = rte_get_timer_cycles() + KF_SEND_WAIT_S * rte_get_timer_hz();
	for (seq = 0; seq < count && rte_get_timer_cycles() < deadline;) {
		unsigned int len = ntbf_size_of(lo, hi, seq);
		struct rte_mbuf *m = rte_pktmbuf_alloc(kf_mp);

		if (m == NULL) {
			rte_delay_us_sleep(1000);
			continue;
		}
		kf_build(rte_pktmbuf_mtod(m, uint8_t *), &dst, &src, seq, len);
		m->data_len = len;
		m->pkt_len = len;
		/* the ring is full while the guest catches up: retry */
		kf_drain(port);
		while (rte_eth_tx_burst(port, 0, &m, 1) == 0) {
			kf_drain(port);
			if (rte_get_timer_cycles() >= deadline) {
				rte_pktmbuf_free(m);
				m = NULL;
				break;
			}
			rte_delay_us_sleep(100);
		}
		if (m == NULL)
			break;
		sent++;
		bytes += len;
		seq++;
		if (gap_us && seq % burst == 0)
			rte_delay_us_sleep(gap_us);
	}
	printf("kpeer_frames send sent=%" PRIu32 " bytes=%" PRIu64 " timeout=%d\n",
	       sent, bytes, sent != count);
	return sent == count ? 0 : 1;
}

/* What a bad frame looked like (the first few), for the test log. */
static void
kf_dump_bad(const struct rte_mbuf *m, const uint8_t *p)
{
	unsigned int i, n = RTE_MIN(m->pkt_len, 48u);

	printf("kpeer_frames bad frame: %u bytes (nb_segs %u), header says %u:",
	       m->pkt_len, m->nb_segs,
	       p != NULL && m->pkt_len >= 24 ? (unsigned int)p[22] << 8 | p[23] : 0);
	for (i = 0; p != NULL && i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

/*
 * recv prints each change of the link ("kpeer_frames: link down", "...
 * link up"): the liveness test stops the guest under it. Returns 1 when
 * the link changed.
 */
static int
kf_link_watch(uint16_t port, int *up)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	if (rte_eth_link_get_nowait(port, &link) != 0 ||
	    link.link_status == *up)
		return 0;
	*up = link.link_status;
	printf("kpeer_frames: link %s\n", *up ? "up" : "down");
	return 1;
}

static int
kf_recv(uint16_t port, int argc, char **argv)
{
	static uint8_t buf[KF_MAX_FRAME];
	uint64_t good = 0, bad = 0, other = 0, disorder = 0, bytes = 0;
	uint64_t restarts = 0, flaps = 0, flaps_seen = 0;
	int64_t first = -1, last = -1;
	int up = 1;
	uint64_t deadline, count;
	unsigned long timeout_ms;

	if (argc < 2) {
		printf("kpeer_frames: recv COUNT TIMEOUT_MS\n");
		return 2;
	}
	count = strtoull(argv[0], NULL, 0);
	timeout_ms = strtoul(argv[1], NULL, 0);
	if (kf_port_up(port, KF_MAX_FRAME, 0) != 0)
		return 1;
	deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * timeout_ms / 1000;
	while (good < count && rte_get_timer_cycles() < deadline) {
		struct rte_mbuf *pkts[KF_BURST];
		uint16_t i, n = rte_eth_rx_burst(port, 0, pkts, KF_BURST);

		if (n == 0) {
			flaps += kf_link_watch(port, &up);
			rte_delay_us_sleep(100);
			continue;
		}
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = pkts[i];
			const uint8_t *p = NULL;
			uint32_t seq = 0;
			int ok = 0;

			if (m->pkt_len <= sizeof(buf))
				p = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
			if (p != NULL)
				ok = kf_check(p, m->pkt_len, &seq);
			if (ok < 0) {
				other++;	/* ARP, IPv6 ND...: not ours */
			} else if (ok == 0) {
				if (bad++ < 3)
					kf_dump_bad(m, p);
			} else {
				good++;
				bytes += m->pkt_len;
				/* a new sender after a link flap starts at 0 */
				if (first >= 0 && seq == 0 && flaps != flaps_seen)
					restarts++;
				else if (first >= 0 && (int64_t)seq != last + 1)
					disorder++;
				flaps_seen = flaps;
				if (first < 0)
					first = seq;
				last = seq;
			}
			rte_pktmbuf_free(m);
		}
	}
	printf("kpeer_frames recv good=%" PRIu64 " bad=%" PRIu64 " other=%" PRIu64
	       " out_of_order=%" PRIu64 " first=%" PRId64 " last=%" PRId64
	       " bytes=%" PRIu64 " link_changes=%" PRIu64 " restarts=%" PRIu64
	       " timeout=%d\n", good, bad, other, disorder,
	       first, last, bytes, flaps, restarts, good < count);
	return good == count && bad == 0 && disorder == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	int ret, n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	n = rte_eal_init(argc, argv);
	if (n < 0) {
		printf("kpeer_frames: EAL init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	if (rte_eth_dev_count_avail() < 1) {
		printf("kpeer_frames: no port\n");
		return 1;
	}
	kf_mp = rte_pktmbuf_pool_create("kf_pool", 4095, 64, 0,
					RTE_PKTMBUF_HEADROOM + KF_BUF_SIZE,
					rte_socket_id());
	if (kf_mp == NULL) {
		printf("kpeer_frames: mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (argc >= 2 && strcmp(argv[1], "send") == 0)
		ret = kf_send(0, argc - 2, argv + 2);
	else if (argc >= 2 && strcmp(argv[1], "recv") == 0)
		ret = kf_recv(0, argc - 2, argv + 2);
	else {
		printf("usage: kpeer_frames [EAL] -- send DSTMAC COUNT SIZE[-MAX] [GAP_US [BURST [MTU [HOLD_MS]]]] | recv COUNT TIMEOUT_MS\n");
		ret = 2;
	}
	kf_print_stats(0);
	kf_print_xstat(0, "tx_mtu_drops_total");
	if (kf_hold_ms != 0) {
		printf("kpeer_frames: link held for %u ms\n", kf_hold_ms);
		rte_delay_us_sleep((uint64_t)kf_hold_ms * 1000);
	}
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return ret;
}
