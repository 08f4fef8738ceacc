/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * vnet_check: a test peer that knows what every packet must contain.
 *   vnet_check [EAL args] -- send <n> <len>      send n numbered packets
 *   vnet_check [EAL args] -- recv <n> <len>      receive and compare them
 *   vnet_check [EAL args] -- pingpong <n> <len>  send, expect each back
 * followed by [timeout_s] [delay_s]: delay_s is a quiet time after the
 * link comes up and before the first packet (an idle peer for benchmarks).
 * on port 0 (any ethdev; the tests use net_ntb_vnet). The payload of
 * packet i is a pattern derived from i, after a 14-byte Ethernet header
 * and the 32-bit sequence number. Exits 0 and prints "PASS ..." when
 * all n packets arrived intact and in order, "FAIL ..." otherwise.
 * Bounded: gives up after --timeout seconds (default 30).
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST 32

static struct rte_mempool *mp;

static void
fill(struct rte_mbuf *m, uint32_t seq, uint32_t len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t i;

	memset(p, 0xff, 6);			/* broadcast dst */
	memset(p + 6, 0x02, 6);			/* local src */
	p[12] = 0x88;				/* local experimental ethertype */
	p[13] = 0xb5;
	memcpy(p + 14, &seq, 4);
	for (i = 18; i < len; i++)
		p[i] = (uint8_t)(seq * 7 + i);
	m->data_len = len;
	m->pkt_len = len;
}

static int
check(struct rte_mbuf *m, uint32_t seq, uint32_t len)
{
	uint8_t buf[16384];
	const uint8_t *p;
	uint32_t i, got;

	if (m->pkt_len != len || len > sizeof(buf))
		return -1;
	p = rte_pktmbuf_read(m, 0, len, buf);
	if (p == NULL)
		return -1;
	memcpy(&got, p + 14, 4);
	if (got != seq)
		return -2;
	for (i = 18; i < len; i++)
		if (p[i] != (uint8_t)(seq * 7 + i))
			return -3;
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_eth_conf conf = { 0 };
	uint32_t n, len, sent = 0, got = 0, timeout = 30, delay = 0;
	uint64_t deadline;
	const char *mode;
	int ret, bad = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 2;
	argc -= ret;
	argv += ret;
	if (argc < 4) {
		fprintf(stderr, "usage: vnet_check [EAL] -- send|recv|pingpong <n> <len> [timeout_s] [delay_s]\n");
		return 2;
	}
	mode = argv[1];
	n = strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		timeout = strtoul(argv[4], NULL, 0);
	if (argc > 5)
		delay = strtoul(argv[5], NULL, 0);
	if (len < 18 || rte_eth_dev_count_avail() < 1)
		return 2;
	mp = rte_pktmbuf_pool_create("chk", 4096, 128, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL ||
	    rte_eth_dev_configure(0, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(0, 0, 512, rte_socket_id(), NULL, mp) < 0 ||
	    rte_eth_tx_queue_setup(0, 0, 512, rte_socket_id(), NULL) < 0 ||
	    rte_eth_dev_start(0) < 0) {
		printf("FAIL port setup\n");
		return 1;
	}
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout;
	/* wait for the link: the peer may start later */
	for (;;) {
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(0, &link) == 0 &&
		    link.link_status)
			break;
		if (rte_get_timer_cycles() > deadline) {
			printf("FAIL link down after %u s\n", timeout);
			return 1;
		}
		rte_delay_ms(10);
	}
	printf("link up\n");
	fflush(stdout);
	if (delay != 0) {
		/* sleep, not spin: the peer is being measured meanwhile */
		rte_delay_us_sleep((uint64_t)delay * US_PER_S);
		printf("sending\n");
		fflush(stdout);
		deadline = rte_get_timer_cycles() +
			rte_get_timer_hz() * timeout;
	}
	while (rte_get_timer_cycles() < deadline && !bad) {
		struct rte_mbuf *pkts[BURST];
		uint16_t k, i, nb = 0;
		bool sender = strcmp(mode, "recv") != 0;
		bool receiver = strcmp(mode, "send") != 0;

		if (sender && sent < n) {
			/* pingpong: one packet in flight */
			uint32_t limit = strcmp(mode, "pingpong") == 0 ?
				got + 1 : n;

			while (sent + nb < RTE_MIN(n, limit) && nb < BURST) {
				pkts[nb] = rte_pktmbuf_alloc(mp);
				if (pkts[nb] == NULL)
					break;
				fill(pkts[nb], sent + nb, len);
				nb++;
			}
			k = rte_eth_tx_burst(0, 0, pkts, nb);
			for (i = k; i < nb; i++)
				rte_pktmbuf_free(pkts[i]);
			sent += k;
		}
		if (!receiver) {
			if (sent == n)
				break;
			continue;
		}
		nb = rte_eth_rx_burst(0, 0, pkts, BURST);
		for (i = 0; i < nb; i++) {
			ret = check(pkts[i], got, len);
			if (ret != 0 && !bad) {
				printf("FAIL packet %u: %s (len %u)\n", got,
				       ret == -2 ? "out of order" :
				       ret == -3 ? "payload differs" :
				       "length differs", pkts[i]->pkt_len);
				bad = 1;
			}
			rte_pktmbuf_free(pkts[i]);
			got++;
		}
		if (got >= n)
			break;
	}
	if (!bad && ((strcmp(mode, "send") == 0 && sent == n) || got == n))
		printf("PASS %s %u packets of %u bytes\n", mode, n, len);
	else if (!bad)
		printf("FAIL %s: sent %u received %u of %u\n", mode, sent, got, n);
	fflush(stdout);
	/* give the peer time to drain before the port goes down */
	if (strcmp(mode, "send") == 0)
		rte_delay_ms(500);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return bad || (strcmp(mode, "send") != 0 && got != n) ||
		(strcmp(mode, "send") == 0 && sent != n);
}
